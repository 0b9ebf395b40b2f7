/**
 * Hosting / VPN classification of the network an event comes from.
 *
 * The lists are derived from X4BNet/lists_vpn (MIT, see data/README.md) by
 * scripts/derive-network-lists.ts into data/network-lists.json, which ships with
 * the product: nothing here reads shared intel at run time.
 *
 * A match is a hint, not a verdict: office egress, cloud desktops and privacy
 * VPNs are legitimate. No match is the common case and is not evidence of
 * anything: the lists are far from complete.
 *
 * @example
 * const networks = NetworkClassifier.load();
 * networks.classify('159.89.10.20', 14061);
 * // → { kind: 'hosting', by: 'asn', name: 'DIGITALOCEAN-ASN - Digital Ocean, Inc., US' }
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipv4ToNumber } from './ip-address.js';

/** What a matched network is: a data centre / cloud host, or a commercial VPN provider. */
export type NetworkKind = 'hosting' | 'vpn';

/**
 * Why an address was classified: its ASN is listed (`by: 'asn'`, with the
 * list's name for it) or the IPv4 address lies in a listed range.
 *
 * @example
 * const hit: NetworkClass = { kind: 'vpn', by: 'range' };
 */
export interface NetworkClass {
  readonly kind: NetworkKind;
  readonly by: 'asn' | 'range';
  readonly name?: string;
}

/** `[asn, name]`; the name is the upstream comment and may be empty. */
export type AsnEntry = readonly [asn: number, name: string];
/** Inclusive `[first, last]` IPv4 addresses as unsigned 32-bit integers. */
export type Ipv4Range = readonly [start: number, end: number];

/**
 * The shape of data/network-lists.json. Each ASN and each address has at most
 * one kind: the derivation removes VPN entries from the hosting lists. Ranges
 * are sorted, merged and non-overlapping.
 *
 * @example
 * const data: NetworkListsData = JSON.parse(readFileSync('data/network-lists.json', 'utf8'));
 */
export interface NetworkListsData {
  readonly source: {
    readonly name: string;
    readonly url: string;
    readonly commit: string;
    readonly snapshot: string;
    readonly license: string;
    readonly copyright: string;
  };
  readonly generated_by: string;
  readonly asns: Readonly<Record<NetworkKind, readonly AsnEntry[]>>;
  readonly ipv4: Readonly<Record<NetworkKind, readonly Ipv4Range[]>>;
}

const DATA_FILE = join('data', 'network-lists.json');

// Shared, frozen results: classify runs per event, so a hit allocates nothing.
const VPN_RANGE: NetworkClass = Object.freeze({ kind: 'vpn', by: 'range' });
const HOSTING_RANGE: NetworkClass = Object.freeze({ kind: 'hosting', by: 'range' });

/** Sorted range starts and ends, searched together. */
interface RangeTable {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/**
 * Classifies an event's source network as hosting or VPN from its ASN and its
 * IPv4 address. Build it once (`load()`, well under 100 ms) and share it.
 *
 * @example
 * const networks = NetworkClassifier.load();
 * networks.classify('2a01:4f8::1', 24940); // → { kind: 'hosting', by: 'asn', name: 'HETZNER-AS, DE' }
 * networks.classify('73.1.2.3', 7922); // → undefined (residential: no match)
 */
export class NetworkClassifier {
  readonly counts: {
    readonly hostingAsns: number;
    readonly vpnAsns: number;
    readonly vpnRanges: number;
    readonly hostingRanges: number;
  };
  readonly #asns = new Map<number, NetworkClass>();
  readonly #vpn: RangeTable;
  readonly #hosting: RangeTable;

  /**
   * Reads data/network-lists.json, or `path` when given. Without `path` the
   * file is found by walking up from this module to the folder holding
   * package.json, so the same code works from src/ (tsx) and dist/ (tsc).
   * Throws when the file is missing or malformed: that is a broken install.
   *
   * @example
   * const networks = NetworkClassifier.load();
   */
  static load(path?: string): NetworkClassifier {
    const file = path ?? join(findPackageRoot(), DATA_FILE);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read network lists ${file}: ${(error as Error).message}`);
    }
    return new NetworkClassifier(checkShape(json, file));
  }

  /**
   * Builds the lookup tables from already-parsed data. Throws when the ranges
   * are not sorted, disjoint uint32 pairs, since binary search would then
   * silently give wrong answers.
   *
   * @example
   * const networks = new NetworkClassifier(data);
   */
  constructor(data: NetworkListsData) {
    // Hosting first, so a VPN entry for the same ASN overrides it: VPN wins.
    for (const [asn, name] of data.asns.hosting) this.#asns.set(asn, asnClass('hosting', name));
    for (const [asn, name] of data.asns.vpn) this.#asns.set(asn, asnClass('vpn', name));
    this.#vpn = rangeTable(data.ipv4.vpn, 'vpn');
    this.#hosting = rangeTable(data.ipv4.hosting, 'hosting');
    this.counts = Object.freeze({
      hostingAsns: data.asns.hosting.length,
      vpnAsns: data.asns.vpn.length,
      vpnRanges: this.#vpn.starts.length,
      hostingRanges: this.#hosting.starts.length,
    });
  }

  /**
   * The network class of an address and its ASN, or undefined when nothing
   * matches. VPN wins over hosting; an ASN match is reported before a range
   * match of the same kind. IPv6 addresses are classified by ASN only (the
   * lists hold IPv4 ranges); an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`)
   * counts as IPv4. Invalid addresses are ignored, never thrown on.
   *
   * @example
   * networks.classify('1.2.3.4', 9009); // → { kind: 'vpn', by: 'asn', name: 'M247, GB (NordVPN)' }
   * networks.classify('not an ip', undefined); // → undefined
   */
  classify(ip: string | undefined, asn: number | undefined): NetworkClass | undefined {
    const byAsn = asn === undefined ? undefined : this.#asns.get(asn);
    if (byAsn?.kind === 'vpn') return byAsn;
    const address = ip === undefined ? -1 : ipv4ToUint32(ip);
    if (address >= 0 && contains(this.#vpn, address)) return VPN_RANGE;
    if (byAsn !== undefined) return byAsn;
    if (address >= 0 && contains(this.#hosting, address)) return HOSTING_RANGE;
    return undefined;
  }
}

function asnClass(kind: NetworkKind, name: string): NetworkClass {
  return Object.freeze(name === '' ? { kind, by: 'asn' } : { kind, by: 'asn', name });
}

function rangeTable(ranges: readonly Ipv4Range[], kind: NetworkKind): RangeTable {
  const starts = new Uint32Array(ranges.length);
  const ends = new Uint32Array(ranges.length);
  let previousEnd = -1;
  ranges.forEach(([start, end], i) => {
    if (!isUint32(start) || !isUint32(end) || start > end || start <= previousEnd) {
      throw new Error(
        `ipv4.${kind}[${i}]: [${start}, ${end}] is not a sorted, disjoint uint32 range`,
      );
    }
    starts[i] = start;
    ends[i] = end;
    previousEnd = end;
  });
  return { starts, ends };
}

function isUint32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

/** Binary search for the last range starting at or before `address`. */
function contains({ starts, ends }: RangeTable, address: number): boolean {
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (starts[mid]! <= address) low = mid + 1;
    else high = mid - 1;
  }
  return high >= 0 && address <= ends[high]!;
}

/** A strict dotted quad (or its IPv4-mapped IPv6 form) as a uint32, or -1. */
function ipv4ToUint32(ip: string): number {
  const value =
    ipv4ToNumber(ip) ??
    (hasV4MappedPrefix(ip) ? ipv4ToNumber(ip.slice(V4_MAPPED.length)) : undefined);
  return value ?? -1;
}

const V4_MAPPED = '::ffff:';

function hasV4MappedPrefix(ip: string): boolean {
  if (ip.length <= V4_MAPPED.length) return false;
  for (let i = 0; i < V4_MAPPED.length; i++) {
    // `| 0x20` lower-cases the ASCII letters, so "::FFFF:" matches too.
    if ((ip.charCodeAt(i) | 0x20) !== (V4_MAPPED.charCodeAt(i) | 0x20)) return false;
  }
  return true;
}

function findPackageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`cannot find ${DATA_FILE}: no package.json above ${start}`);
    }
  }
}

/** Checks the parts of the file the classifier relies on; the rest is provenance. */
function checkShape(json: unknown, file: string): NetworkListsData {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}; regenerate it with scripts/derive-network-lists.ts`);
  };
  if (!isObject(json)) return fail('not a JSON object');
  const { asns, ipv4 } = json;
  if (!isObject(asns) || !isObject(ipv4)) return fail('missing "asns" or "ipv4"');
  for (const kind of ['hosting', 'vpn'] as const) {
    const asnList = asns[kind];
    const rangeList = ipv4[kind];
    if (!Array.isArray(asnList) || !asnList.every(isAsnEntry)) {
      fail(`asns.${kind} must be a list of [asn, name]`);
    }
    if (!Array.isArray(rangeList) || !rangeList.every(isRange)) {
      fail(`ipv4.${kind} must be a list of [start, end]`);
    }
  }
  return json as unknown as NetworkListsData;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAsnEntry(entry: unknown): boolean {
  return (
    Array.isArray(entry) &&
    entry.length === 2 &&
    isUint32(entry[0] as number) &&
    typeof entry[1] === 'string'
  );
}

function isRange(entry: unknown): boolean {
  return Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'number';
}
