/**
 * Checking and normalising the fields of one indicator, whatever format it
 * came in (STIX, MISP, CSV): the value for its type, validity times,
 * confidence. A value is either accepted (normalised), refused as a problem
 * (malformed, or harmful: a loopback address, a network too broad), or
 * skipped with a reason (well formed but not for detection: the domain of a
 * mail provider everyone uses). Also the own-property reads every reader
 * does on untrusted JSON, so `__proto__` and friends are plain data.
 *
 * @example
 * checkIndicatorValue('ip', '2001:DB8:0:0::1');     // { ok: true, value: '2001:db8::1' }
 * checkIndicatorValue('ip', '203.0.113.9/24');      // { ok: true, value: '203.0.113.0/24' }
 * checkIndicatorValue('domain', 'Gmail.com.');      // { ok: false, skip: true, message: 'domain of a widely shared mail provider …' }
 * checkIndicatorTime('2019-09-01T00:00:00+02:00'); // { ok: true, value: '2019-08-31T22:00:00.000Z' }
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { IndicatorType } from '../domain/indicator.js';

/**
 * The outcome of a check: the normalised value, or why not — a problem
 * (`skip: false`) or a counted skip reason (`skip: true`).
 *
 * @example
 * const c: Checked<string> = { ok: false, skip: false, message: 'empty value' };
 */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly skip: boolean; readonly message: string };

/**
 * Domains of mail providers used by very many people: a domain indicator for
 * one would match every user of it. An address at one of them is fine.
 *
 * @example
 * SHARED_MAIL_DOMAINS.has('gmail.com'); // true
 */
export const SHARED_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'zoho.com',
  'qq.com',
  '163.com',
]);

/** The broadest networks accepted: a /16 (65536 IPv4 addresses), a /32 for IPv6. */
const BROADEST_V4 = 16;
const BROADEST_V6 = 32;
const MAX_ASN = 4_294_967_295;
const MAX_USER_AGENT = 1024;
const MAX_URL = 8192;
const MAX_EMAIL = 254;
const MAX_DOMAIN = 253;

/**
 * Checks and normalises one value of the given type. `ipVersion` restricts an
 * `ip` value to one family (a STIX `ipv4-addr`, a CSV `ipv6` column).
 *
 * @example
 * checkIndicatorValue('asn', 'AS13335'); // { ok: true, value: '13335' }
 * checkIndicatorValue('ip', '10.0.0.0/8'); // { ok: false, skip: false, message: 'too broad: 10.0.0.0/8 would match 16777216 addresses (the limit is /16 for IPv4)' }
 */
export function checkIndicatorValue(
  type: IndicatorType,
  raw: string,
  ipVersion?: 4 | 6,
): Checked<string> {
  const value = raw.trim();
  if (value === '') return problem('empty value');
  switch (type) {
    case 'ip':
      return checkIp(value, ipVersion);
    case 'asn':
      return checkAsn(value);
    case 'domain':
      return checkDomain(value);
    case 'email':
      return checkEmail(value);
    case 'url':
      return checkUrl(value);
    case 'user_agent':
      return checkUserAgent(value);
  }
}

/**
 * An ISO 8601 / RFC 3339 date or date-time (a space for `T` is accepted, a
 * time without offset is UTC), as `toISOString()`. Empty, `null` and absent
 * are no time at all.
 *
 * @example
 * checkIndicatorTime('2019-09-01');  // { ok: true, value: '2019-09-01T00:00:00.000Z' }
 * checkIndicatorTime('yesterday');   // { ok: false, skip: false, message: 'not an ISO 8601 time: "yesterday"' }
 */
export function checkIndicatorTime(raw: unknown): Checked<string | undefined> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  const bad = problem(`not an ISO 8601 time: ${quote(raw)}`);
  if (typeof raw !== 'string' || raw.length > 40) return bad;
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(
      raw.trim(),
    );
  if (!m) return bad;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || second! > 59) return bad;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  if (date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day!) return bad;
  date.setUTCHours(hour!, minute!, second!, ms);
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const offset = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
    if (offset > 18 * 60) return bad;
    date.setTime(date.getTime() - (zone[0] === '-' ? -offset : offset) * 60_000);
  }
  return Number.isNaN(date.getTime()) ? bad : { ok: true, value: date.toISOString() };
}

/**
 * A confidence: an integer 0–100, as a number or decimal digits. Empty,
 * `null` and absent are no confidence.
 *
 * @example
 * checkConfidence('85'); // { ok: true, value: 85 }
 */
export function checkConfidence(raw: unknown): Checked<number | undefined> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\d{1,3}$/.test(raw.trim())
        ? Number(raw)
        : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 100
    ? { ok: true, value: n }
    : problem(`not an integer from 0 to 100: ${quote(raw)}`);
}

/**
 * Whether a JSON value is an object (not an array, not null).
 *
 * @example
 * isRecord(JSON.parse('{"type":"bundle"}')); // true
 */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON object's own property, or undefined: never an inherited one, so a
 * hostile `constructor` or `__proto__` key is just data.
 *
 * @example
 * ownField(JSON.parse('{"__proto__": 1}'), '__proto__'); // 1
 * ownField({}, 'constructor'); // undefined
 */
export function ownField(record: unknown, key: string): unknown {
  return isRecord(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * An own property that is a non-empty string after trimming, else undefined.
 *
 * @example
 * ownString({ name: '  APT35 ' }, 'name'); // 'APT35'
 */
export function ownString(record: unknown, key: string): string | undefined {
  const value = ownField(record, key);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A value for a message: JSON-quoted and cut at 80 characters, since values
 * in intel files are attacker-influenced and may be huge.
 *
 * @example
 * quote('evil"example'); // '"evil\\"example"'
 * quote(101); // '101'
 */
export function quote(value: unknown): string {
  const cut = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);
  if (typeof value === 'string') return JSON.stringify(cut(value));
  return cut(JSON.stringify(value) ?? String(value));
}

function problem(message: string): Checked<never> {
  return { ok: false, skip: false, message };
}

// ─── ip ───────────────────────────────────────────────────────────────────

function checkIp(value: string, ipVersion: 4 | 6 | undefined): Checked<string> {
  const bad = problem(`not an IP address or CIDR network: ${quote(value)}`);
  if (value.length > 64) return bad;
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? undefined : value.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return bad;
  const version = address.includes('%') ? 0 : isIP(address);
  if (version === 0) return bad;
  let prefix = prefixText === undefined ? (version === 4 ? 32 : 128) : Number(prefixText);
  if (prefix > (version === 4 ? 32 : 128)) return bad;

  let v4: number[] | undefined;
  let v6: number[] | undefined;
  if (version === 4) {
    v4 = address.split('.').map(Number);
  } else {
    v6 = ipv6Groups(address);
    // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address, as events are matched.
    if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff && prefix >= 96) {
      v4 = [v6[6]! >> 8, v6[6]! & 255, v6[7]! >> 8, v6[7]! & 255];
      prefix -= 96;
      v6 = undefined;
    }
  }
  const family = v4 ? 4 : 6;
  if (ipVersion !== undefined && ipVersion !== family) {
    return problem(`expected an IPv${ipVersion} address, found ${quote(value)}`);
  }

  if (v4) {
    const network = v4.map((octet, i) => octet & byteMask(prefix - 8 * i));
    const text = network.join('.') + (prefix === 32 ? '' : `/${prefix}`);
    if (prefix < BROADEST_V4) {
      return problem(
        `too broad: ${text} would match ${2 ** (32 - prefix)} addresses (the limit is /${BROADEST_V4} for IPv4)`,
      );
    }
    if (network[0] === 0)
      return problem(`${text} is in 0.0.0.0/8 ("this network"), not a source address`);
    if (network[0] === 127) return problem(`${text} is a loopback address`);
    return { ok: true, value: text };
  }

  const network = v6!.map((group, i) => group & wordMask(prefix - 16 * i));
  const text = formatIpv6(network) + (prefix === 128 ? '' : `/${prefix}`);
  if (prefix < BROADEST_V6) {
    return problem(
      `too broad: ${text} would match 2^${128 - prefix} addresses (the limit is /${BROADEST_V6} for IPv6)`,
    );
  }
  if (network.every((g) => g === 0)) return problem(`${text} is the unspecified address`);
  if (prefix === 128 && network.slice(0, 7).every((g) => g === 0) && network[7] === 1) {
    return problem(`${text} is a loopback address`);
  }
  return { ok: true, value: text };
}

function byteMask(bits: number): number {
  return bits >= 8 ? 255 : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
}

function wordMask(bits: number): number {
  return bits >= 16 ? 0xffff : bits <= 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
}

/** The eight 16-bit groups of an address `isIP` accepted as IPv6 (so well formed). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // The embedded dotted quad (`::ffff:192.0.2.1`) as its two hex groups.
    const [a, b, c, d] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    const hi = ((a! << 8) | b!).toString(16);
    const lo = ((c! << 8) | d!).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = rest === undefined ? [] : parse(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** RFC 5952 text: lower case, no leading zeros, the first longest run of two or more zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

// ─── asn, domain, email, url, user agent ──────────────────────────────────

function checkAsn(value: string): Checked<string> {
  const digits = /^as\s?/i.test(value) ? value.replace(/^as\s?/i, '') : value;
  const asn = /^\d{1,10}$/.test(digits) ? Number(digits) : NaN;
  return asn >= 1 && asn <= MAX_ASN
    ? { ok: true, value: String(asn) }
    : problem(`not an AS number (1 to ${MAX_ASN}): ${quote(value)}`);
}

/** Lower case, ASCII (punycode), no trailing dot; undefined when not a host name. */
function hostName(value: string): string | undefined {
  let name = value.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0 || name.length > MAX_DOMAIN * 4) return undefined;
  // Only IDNs go through domainToASCII (to punycode; it also refuses invalid
  // punycode such as `xn--zz`): the URL host parser it uses would silently
  // drop tabs and newlines and decode `%2e`, turning junk into a valid name.
  let hasNonAscii = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 127) hasNonAscii = true;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46))
      return undefined;
  }
  const ascii = hasNonAscii || name.includes('xn--') ? domainToASCII(name) : name;
  if (ascii === '' || ascii.length > MAX_DOMAIN) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return undefined;
    if (label.startsWith('-') || label.endsWith('-')) return undefined;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
      if (!ok) return undefined;
    }
  }
  return ascii;
}

function checkDomain(value: string): Checked<string> {
  // `*.evil.example` in feeds means the domain and everything under it, which
  // is how domain indicators match anyway.
  const domain = hostName(value.startsWith('*.') ? value.slice(2) : value);
  if (domain === undefined) return problem(`not a domain name: ${quote(value)}`);
  if (SHARED_MAIL_DOMAINS.has(domain)) {
    return {
      ok: false,
      skip: true,
      message: `domain of a widely shared mail provider (would match all its users): ${domain}`,
    };
  }
  return { ok: true, value: domain };
}

function checkEmail(value: string): Checked<string> {
  const bad = problem(`not an email address: ${quote(value)}`);
  const address = /^mailto:/i.test(value) ? value.slice(7) : value;
  if (address.length > MAX_EMAIL) return bad;
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@') || at > 64) return bad;
  const local = address.slice(0, at);
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  if (/[\s\u0000-\u001f\u007f<>(),;:"[\]\\]/.test(local)) return bad;
  const domain = hostName(address.slice(at + 1));
  return domain === undefined ? bad : { ok: true, value: `${local.toLowerCase()}@${domain}` };
}

function checkUrl(value: string): Checked<string> {
  const bad = problem(`not an http(s) URL: ${quote(value)}`);
  if (value.length > MAX_URL) return bad;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? { ok: true, value } : bad;
  } catch {
    return bad;
  }
}

function checkUserAgent(value: string): Checked<string> {
  if (value.length > MAX_USER_AGENT) {
    return problem(`user agent longer than ${MAX_USER_AGENT} characters (${value.length})`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(value)) return problem('user agent contains control characters');
  return { ok: true, value };
}
