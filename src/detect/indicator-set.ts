/**
 * Indicators of compromise the `ioc-match` detector looks for: addresses and
 * networks (CIDR, v4 and v6), AS numbers, user agents, email addresses and
 * email domains (recovery addresses, forwarding targets) tied to known
 * actors. Empty until indicator lists are imported (src/intel); the detector
 * is live and matches whatever is loaded.
 *
 * `match` runs on every event while the set is non-empty, so it is built for
 * that: one hash map per network prefix length present (mask the address,
 * look up), exact maps for the other types, no allocation when nothing hits.
 *
 * @example
 * const iocs = new IndicatorSet();
 * iocs.add({ type: 'ip', value: '203.0.113.0/24', source: 'report-2019', actor: 'APT35' });
 * iocs.match({ ip: '203.0.113.7' }); // [{ type: 'ip', value: '203.0.113.0/24', … }]
 * iocs.match({ ip: '198.51.100.1' }); // []
 */
import type { NativeEvent } from '../domain/event.js';
import type { Indicator } from '../domain/indicator.js';
import { ipv4ToNumber } from '../enrich/ip-address.js';

export type { Indicator, IndicatorType } from '../domain/indicator.js';

/**
 * What an event shows that indicators can match.
 *
 * @example
 * const q: IndicatorQuery = { ip: '203.0.113.7', asn: 64500, emails: ['drop@evil.example'], time: Date.parse('2019-09-03T14:22:31Z') };
 */
export interface IndicatorQuery {
  readonly ip?: string;
  readonly asn?: number;
  readonly userAgent?: string;
  /** Recovery addresses and forwarding targets in the event. */
  readonly emails?: readonly string[];
  /** Event time, ms since the epoch: indicators outside their validity window do not match. */
  readonly time?: number;
}

interface Entry {
  readonly indicator: Indicator;
  /** Validity window in ms, ±Infinity where open. */
  readonly from: number;
  readonly until: number;
}

/** All indicators with one type and normalised value, sorted by source. */
type Bucket = Entry[];

interface V4Table {
  readonly prefix: number;
  readonly mask: number;
  readonly buckets: Map<number, Bucket>;
}

/** An IPv6 network: its four 32-bit words, host bits zero. */
interface V6Network {
  readonly words: readonly [number, number, number, number];
  readonly bucket: Bucket;
}

/**
 * IPv6 networks of one prefix length, under a 30-bit hash of their words
 * (BigInt keys would do, but V8 hashes a BigInt by its low 64 bits, which
 * are zero for every network of /64 or shorter: one long collision chain).
 */
interface V6Table {
  readonly prefix: number;
  readonly masks: readonly [number, number, number, number];
  readonly networks: Map<number, V6Network[]>;
}

/** Where an indicator sits in the index: a prefix table, an exact map, or nowhere (`url`, unparseable). */
type Slot =
  | { readonly kind: 'v4'; readonly prefix: number; readonly network: number }
  | {
      readonly kind: 'v6';
      readonly prefix: number;
      readonly words: readonly [number, number, number, number];
    }
  | { readonly kind: 'asn'; readonly asn: number }
  | { readonly kind: 'user_agent' | 'email' | 'domain'; readonly value: string }
  | { readonly kind: 'none'; readonly value: string };

const NO_HITS: readonly Indicator[] = Object.freeze([]);
/** Scratch space for parsing query addresses without allocating. */
const GROUPS = new Uint16Array(8);
const WORDS = new Uint32Array(4);

/**
 * An in-memory set of indicators. Several indicators may share one type and
 * value (different sources or actors): all are kept, keyed by type, value and
 * source; adding the same key again replaces the earlier one.
 *
 * @example
 * const iocs = new IndicatorSet();
 * iocs.addAll(imported.indicators);
 * for (const hit of iocs.match({ emails: ['a@mail.evil.example'] })) console.log(hit.source);
 */
export class IndicatorSet {
  readonly #byKey = new Map<string, Entry>();
  /** Most specific prefix first, so the first hit is the narrowest. */
  readonly #v4: V4Table[] = [];
  readonly #v6: V6Table[] = [];
  readonly #asn = new Map<number, Bucket>();
  readonly #userAgent = new Map<string, Bucket>();
  readonly #email = new Map<string, Bucket>();
  readonly #domain = new Map<string, Bucket>();

  /** How many indicators the set holds (every type, `url` included). */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * Adds one indicator, replacing an earlier one with the same type, value
   * and source. Values are expected normalised (src/intel/indicator-value.ts);
   * an `ip` value that is neither an address nor a CIDR network is kept but
   * never matches.
   *
   * @example
   * iocs.add({ type: 'domain', value: 'evil.example', source: 'Example CERT' });
   */
  add(indicator: Indicator): void {
    const slot = slotOf(indicator);
    const key = `${indicator.type}\u0000${slotKey(slot)}\u0000${indicator.source}`;
    const entry: Entry = {
      indicator,
      from: timeOf(indicator.validFrom, -Infinity),
      until: timeOf(indicator.validUntil, Infinity),
    };
    this.#byKey.set(key, entry);
    const bucket = this.#bucketFor(slot);
    if (bucket === undefined) return;
    // Keep each bucket sorted by source: matches come out in the same order
    // whatever order the indicators were loaded in.
    const source = indicator.source;
    let i = 0;
    while (i < bucket.length && bucket[i]!.indicator.source < source) i++;
    if (i < bucket.length && bucket[i]!.indicator.source === source) bucket[i] = entry;
    else bucket.splice(i, 0, entry);
  }

  /**
   * Adds every indicator, in order.
   *
   * @example
   * iocs.addAll(parseIndicators(text, { fileName: 'apt35.json' }).indicators);
   */
  addAll(indicators: Iterable<Indicator>): void {
    for (const indicator of indicators) this.add(indicator);
  }

  /**
   * Every indicator, in the order first added.
   *
   * @example
   * iocs.all().filter((i) => i.type === 'url');
   */
  all(): Indicator[] {
    return Array.from(this.#byKey.values(), (e) => e.indicator);
  }

  /**
   * Every indicator the query hits, from every source: the address (any
   * network containing it, most specific first; IPv4-mapped IPv6 counts as
   * IPv4), the AS, the user agent, then for each email the address itself
   * and its domain and parent domains (most specific first). Within one value,
   * by source. With `time`, indicators outside their validity window are left
   * out. No hit gives one shared, frozen empty array.
   *
   * @example
   * iocs.match({ ip: '::ffff:203.0.113.7', time: Date.parse('2019-09-03T00:00:00Z') });
   */
  match(query: IndicatorQuery): readonly Indicator[] {
    if (this.#byKey.size === 0) return NO_HITS;
    const time = query.time;
    let found: Indicator[] | undefined;
    if (query.ip !== undefined && (this.#v4.length > 0 || this.#v6.length > 0)) {
      found = this.#matchIp(query.ip, time, found);
    }
    if (query.asn !== undefined && this.#asn.size > 0) {
      found = collect(found, this.#asn.get(query.asn), time, false);
    }
    if (query.userAgent !== undefined && this.#userAgent.size > 0) {
      found = collect(found, this.#userAgent.get(query.userAgent.trim()), time, false);
    }
    if (query.emails !== undefined && (this.#email.size > 0 || this.#domain.size > 0)) {
      for (const raw of query.emails) {
        const email = raw.trim().toLowerCase();
        // Two emails at one domain must not report its indicator twice.
        found = collect(found, this.#email.get(email), time, true);
        const at = email.lastIndexOf('@');
        if (at === -1 || this.#domain.size === 0) continue;
        let domain = email.slice(at + 1);
        if (domain.endsWith('.')) domain = domain.slice(0, -1);
        // The domain, then each parent that still has a dot in it.
        let start = 0;
        let dot = domain.indexOf('.');
        while (dot !== -1) {
          found = collect(found, this.#domain.get(domain.slice(start)), time, true);
          start = dot + 1;
          dot = domain.indexOf('.', start);
        }
      }
    }
    return found ?? NO_HITS;
  }

  #matchIp(ip: string, time: number | undefined, found: Indicator[] | undefined) {
    let v4 = ipv4ToNumber(ip);
    if (v4 === undefined) {
      if (!parseIpv6(ip, WORDS)) return found;
      if (WORDS[0] !== 0 || WORDS[1] !== 0 || WORDS[2] !== 0xffff) {
        for (const table of this.#v6) {
          found = collect(found, v6Bucket(table, WORDS, false), time, false);
        }
        return found;
      }
      v4 = WORDS[3]!;
    }
    for (const table of this.#v4) {
      found = collect(found, table.buckets.get((v4 & table.mask) >>> 0), time, false);
    }
    return found;
  }

  #bucketFor(slot: Slot): Bucket | undefined {
    switch (slot.kind) {
      case 'v4': {
        const table = tableFor(this.#v4, slot.prefix, () => ({
          prefix: slot.prefix,
          mask: v4Mask(slot.prefix),
          buckets: new Map(),
        }));
        return bucketIn(table.buckets, slot.network);
      }
      case 'v6': {
        const table = tableFor(this.#v6, slot.prefix, () => ({
          prefix: slot.prefix,
          masks: v6Masks(slot.prefix),
          networks: new Map(),
        }));
        return v6Bucket(table, slot.words, true)!;
      }
      case 'asn':
        return bucketIn(this.#asn, slot.asn);
      case 'user_agent':
        return bucketIn(this.#userAgent, slot.value);
      case 'email':
        return bucketIn(this.#email, slot.value);
      case 'domain':
        return bucketIn(this.#domain, slot.value);
      case 'none':
        return undefined;
    }
  }
}

/** Adds the bucket's indicators valid at `time` to `found`, allocating it on the first hit. */
function collect(
  found: Indicator[] | undefined,
  bucket: Bucket | undefined,
  time: number | undefined,
  unique: boolean,
): Indicator[] | undefined {
  if (bucket === undefined) return found;
  for (const e of bucket) {
    if (time !== undefined && (time < e.from || time > e.until)) continue;
    if (found === undefined) found = [e.indicator];
    else if (!unique || !found.includes(e.indicator)) found.push(e.indicator);
  }
  return found;
}

function bucketIn<K>(map: Map<K, Bucket>, key: K): Bucket {
  let bucket = map.get(key);
  if (bucket === undefined) map.set(key, (bucket = []));
  return bucket;
}

/** The table for a prefix length, kept most specific first. */
function tableFor<T extends { readonly prefix: number }>(
  tables: T[],
  prefix: number,
  create: () => T,
): T {
  let i = 0;
  while (i < tables.length && tables[i]!.prefix > prefix) i++;
  if (tables[i]?.prefix === prefix) return tables[i]!;
  const table = create();
  tables.splice(i, 0, table);
  return table;
}

function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

function v6Masks(prefix: number): [number, number, number, number] {
  return [0, 1, 2, 3].map((i) => v4Mask(Math.max(0, Math.min(32, prefix - 32 * i)))) as [
    number,
    number,
    number,
    number,
  ];
}

/** The bucket of the network containing `words` in this table; created when asked. */
function v6Bucket(table: V6Table, words: ArrayLike<number>, create: boolean): Bucket | undefined {
  const [m0, m1, m2, m3] = table.masks;
  const w0 = (words[0]! & m0) >>> 0;
  const w1 = (words[1]! & m1) >>> 0;
  const w2 = (words[2]! & m2) >>> 0;
  const w3 = (words[3]! & m3) >>> 0;
  let hash = Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b);
  hash = Math.imul(hash ^ w1 ^ (hash >>> 15), 0xc2b2ae35);
  hash = Math.imul(hash ^ w2 ^ (hash >>> 13), 0x85ebca6b);
  hash = (Math.imul(hash ^ w3 ^ (hash >>> 16), 0xc2b2ae35) ^ (hash >>> 15)) & 0x3fff_ffff;
  let chain = table.networks.get(hash);
  if (chain !== undefined) {
    for (const n of chain) {
      const w = n.words;
      if (w[0] === w0 && w[1] === w1 && w[2] === w2 && w[3] === w3) return n.bucket;
    }
  }
  if (!create) return undefined;
  const network: V6Network = { words: [w0, w1, w2, w3], bucket: [] };
  if (chain === undefined) table.networks.set(hash, (chain = []));
  chain.push(network);
  return network.bucket;
}

/**
 * Parses an IPv6 address (`2001:db8::1`, `::ffff:192.0.2.1`; no zone) into
 * four 32-bit words, without allocating unless it ends in a dotted quad.
 * Per event, so no regex and no BigInt.
 */
function parseIpv6(ip: string, out: Uint32Array): boolean {
  const n = ip.length;
  if (n < 2 || n > 45) return false;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (ip.charCodeAt(0) === 58) {
    if (ip.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const start = i;
    let value = 0;
    let digits = 0;
    for (; i < n; i++) {
      const c = ip.charCodeAt(i);
      const hex =
        c >= 48 && c <= 57
          ? c - 48
          : c >= 97 && c <= 102
            ? c - 87
            : c >= 65 && c <= 70
              ? c - 55
              : -1;
      if (hex < 0) break;
      if (++digits > 4) return false;
      value = value * 16 + hex;
    }
    if (i < n && ip.charCodeAt(i) === 46) {
      const v4 = count <= 6 ? ipv4ToNumber(ip.slice(start)) : undefined;
      if (v4 === undefined) return false;
      GROUPS[count++] = v4 >>> 16;
      GROUPS[count++] = v4 & 0xffff;
      i = n;
      break;
    }
    if (digits === 0 || count === 8) return false;
    GROUPS[count++] = value;
    if (i === n) break;
    if (ip.charCodeAt(i) !== 58) return false;
    i++;
    if (ip.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === n) {
      return false;
    }
  }
  if (gap === -1) {
    if (count !== 8) return false;
  } else {
    if (count > 7) return false;
    const tail = count - gap;
    for (let k = 0; k < tail; k++) GROUPS[7 - k] = GROUPS[count - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) GROUPS[k] = 0;
  }
  for (let k = 0; k < 4; k++) out[k] = ((GROUPS[2 * k]! << 16) | GROUPS[2 * k + 1]!) >>> 0;
  return true;
}

function timeOf(iso: string | undefined, open: number): number {
  if (iso === undefined) return open;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? open : ms;
}

function slotKey(slot: Slot): string {
  switch (slot.kind) {
    case 'v4':
      return `v4:${slot.network}/${slot.prefix}`;
    case 'v6':
      return `v6:${slot.words.join(':')}/${slot.prefix}`;
    case 'asn':
      return String(slot.asn);
    default:
      return slot.value;
  }
}

/** Where an indicator goes in the index, tolerating values that skipped normalisation. */
function slotOf(indicator: Indicator): Slot {
  const value = indicator.value.trim();
  switch (indicator.type) {
    case 'ip':
      return ipSlot(value) ?? { kind: 'none', value };
    case 'asn': {
      const digits = /^as/i.test(value) ? value.slice(2).trim() : value;
      const asn = /^\d{1,10}$/.test(digits) ? Number(digits) : NaN;
      return Number.isSafeInteger(asn) ? { kind: 'asn', asn } : { kind: 'none', value };
    }
    case 'user_agent':
      return { kind: 'user_agent', value };
    case 'email':
      return { kind: 'email', value: value.toLowerCase() };
    case 'domain': {
      const domain = value.toLowerCase();
      return { kind: 'domain', value: domain.endsWith('.') ? domain.slice(0, -1) : domain };
    }
    case 'url':
      return { kind: 'none', value };
  }
}

function ipSlot(value: string): Slot | undefined {
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? undefined : value.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = ipv4ToNumber(address);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    return { kind: 'v4', prefix, network: (v4 & v4Mask(prefix)) >>> 0 };
  }
  const words = new Uint32Array(4);
  if (!parseIpv6(address, words)) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (prefix > 128) return undefined;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff && prefix >= 96) {
    const v4Prefix = prefix - 96;
    return { kind: 'v4', prefix: v4Prefix, network: (words[3]! & v4Mask(v4Prefix)) >>> 0 };
  }
  const masks = v6Masks(prefix);
  const masked = [0, 1, 2, 3].map((k) => (words[k]! & masks[k]!) >>> 0);
  return { kind: 'v6', prefix, words: masked as [number, number, number, number] };
}

/**
 * What of an event an indicator can name: its address, AS number, client
 * string and the recovery or forwarding address it sets, at its time. The
 * `ioc-match` detector asks this of every new event, and a re-examination
 * of every stored one.
 *
 * @example
 * iocs.match(eventIndicatorQuery(event, 64500, Date.parse(event.time)));
 */
export function eventIndicatorQuery(
  event: NativeEvent,
  asn: number | undefined,
  time: number,
): IndicatorQuery {
  const emails: string[] = [];
  const recovery = event.recovery?.address;
  const forward = event.mailbox?.forward_to;
  if (typeof recovery === 'string' && recovery.includes('@')) emails.push(recovery);
  if (typeof forward === 'string' && forward.includes('@')) emails.push(forward);
  return {
    ...(event.source?.ip ? { ip: event.source.ip } : {}),
    ...(asn !== undefined ? { asn } : {}),
    ...(event.source?.user_agent ? { userAgent: event.source.user_agent } : {}),
    emails,
    time,
  };
}
