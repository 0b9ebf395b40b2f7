/**
 * IP → autonomous system (number and organisation) from the
 * `@ip-location-db/asn` package: RouteViews, NRO and DB-IP data, CC BY 4.0.
 *
 * The package ships inclusive ranges as CSV (`start,end,asn,organisation`,
 * addresses as numbers). IPv4 ranges load into typed arrays (~412k ranges,
 * a few MB) searched by bisection; IPv6 ranges load on first IPv6 lookup.
 *
 * @example
 * const db = AsnDatabase.load();
 * db.lookup('8.8.8.8'); // { asn: 15169, org: 'Google LLC' }
 */
import { readFileSync } from 'node:fs';
import { ipv4ToNumber, ipv6ToBigInt } from './ip-address.js';
import { packageFile } from './package-data.js';

export interface AsnRecord {
  readonly asn: number;
  readonly org: string;
}

interface V6Table {
  readonly starts: bigint[];
  readonly ends: bigint[];
  readonly records: number[];
}

export class AsnDatabase {
  readonly #starts: Uint32Array;
  readonly #ends: Uint32Array;
  /** Index into #orgs per range. */
  readonly #records: Uint32Array;
  readonly #orgs: AsnRecord[];
  readonly #orgIndex: Map<string, number>;
  readonly #v6Path: string | undefined;
  #v6: V6Table | undefined;
  #byAsn: Map<number, string> | undefined;

  private constructor(v4Csv: string, v6Path: string | undefined) {
    this.#orgs = [];
    this.#orgIndex = new Map();
    this.#v6Path = v6Path;
    const lines = countLines(v4Csv);
    this.#starts = new Uint32Array(lines);
    this.#ends = new Uint32Array(lines);
    this.#records = new Uint32Array(lines);
    let n = 0;
    forEachRow(
      v4Csv,
      (start, end, record) => {
        this.#starts[n] = Number(start);
        this.#ends[n] = Number(end);
        this.#records[n] = record;
        n++;
      },
      this.#record.bind(this),
    );
    this.#starts = this.#starts.subarray(0, n);
    this.#ends = this.#ends.subarray(0, n);
    this.#records = this.#records.subarray(0, n);
  }

  /** Loads the IPv4 table from the package (IPv6 on first use). About 0.3 s. */
  static load(): AsnDatabase {
    const dir = '@ip-location-db/asn';
    return new AsnDatabase(
      readFileSync(packageFile(dir, 'asn-ipv4-num.csv'), 'utf8'),
      packageFile(dir, 'asn-ipv6-num.csv'),
    );
  }

  /** From CSV text in the package's format (for tests). */
  static fromCsv(v4Csv: string, v6Csv?: string): AsnDatabase {
    const db = new AsnDatabase(v4Csv, undefined);
    if (v6Csv !== undefined) db.#v6 = db.#parseV6(v6Csv);
    return db;
  }

  /** The organisation registered for an AS number, when any range of it is known. */
  orgOf(asn: number): string | undefined {
    if (!this.#byAsn) {
      this.#byAsn = new Map();
      for (const r of this.#orgs) if (!this.#byAsn.has(r.asn)) this.#byAsn.set(r.asn, r.org);
    }
    return this.#byAsn.get(asn);
  }

  get size(): number {
    return this.#starts.length;
  }

  #record(asn: number, org: string): number {
    const key = `${asn}\u0000${org}`;
    let index = this.#orgIndex.get(key);
    if (index === undefined) {
      index = this.#orgs.length;
      this.#orgs.push({ asn, org });
      this.#orgIndex.set(key, index);
    }
    return index;
  }

  #parseV6(csv: string): V6Table {
    const table: V6Table = { starts: [], ends: [], records: [] };
    forEachRow(
      csv,
      (start, end, record) => {
        table.starts.push(BigInt(start));
        table.ends.push(BigInt(end));
        table.records.push(record);
      },
      this.#record.bind(this),
    );
    return table;
  }

  lookup(ip: string): AsnRecord | undefined {
    const v4 = ipv4ToNumber(ip);
    if (v4 !== undefined) return this.#lookupV4(v4);
    const v6 = ipv6ToBigInt(ip);
    if (v6 === undefined) return undefined;
    if (v6 >> 32n === 0xffffn) return this.#lookupV4(Number(v6 & 0xffffffffn));
    if (!this.#v6)
      this.#v6 = this.#v6Path
        ? this.#parseV6(readFileSync(this.#v6Path, 'utf8'))
        : { starts: [], ends: [], records: [] };
    const { starts, ends, records } = this.#v6;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= v6) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && v6 <= ends[hi]! ? this.#orgs[records[hi]!] : undefined;
  }

  #lookupV4(ip: number): AsnRecord | undefined {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && ip <= this.#ends[hi]! ? this.#orgs[this.#records[hi]!] : undefined;
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n + 1;
}

/**
 * Walks `start,end,asn,organisation` rows; the organisation may be quoted
 * ("Cloudflare, Inc.") with doubled quotes inside. Malformed rows are skipped:
 * the data is third-party and one bad row must not disable enrichment.
 */
function forEachRow(
  csv: string,
  row: (start: string, end: string, record: number) => void,
  record: (asn: number, org: string) => number,
): void {
  let pos = 0;
  while (pos < csv.length) {
    let eol = csv.indexOf('\n', pos);
    if (eol === -1) eol = csv.length;
    const c1 = csv.indexOf(',', pos);
    const c2 = c1 === -1 ? -1 : csv.indexOf(',', c1 + 1);
    const c3 = c2 === -1 ? -1 : csv.indexOf(',', c2 + 1);
    if (c3 !== -1 && c3 < eol) {
      const asn = Number(csv.slice(c2 + 1, c3));
      let org = csv.slice(c3 + 1, eol).trimEnd();
      if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
      if (Number.isInteger(asn) && asn >= 0) {
        row(csv.slice(pos, c1), csv.slice(c1 + 1, c2), record(asn, org));
      }
    }
    pos = eol + 1;
  }
}
