/**
 * IP address parsing for lookups: IPv4 to a uint32 and IPv6 to a bigint,
 * without regular expressions, plus the network block an address belongs to.
 *
 * @example
 * ipv4ToNumber('203.0.113.7'); // 3405803783
 * networkPrefix('203.0.113.7'); // '203.0.113.0/24'
 */
import { isIPv6 } from 'node:net';

/**
 * The address as an unsigned 32-bit number, or undefined if it is not a
 * strict dotted quad: no spaces, no leading zeros ("01" reads as octal in some
 * parsers, and `net.isIP` refuses it). Per event, so no regex, no allocation.
 */
export function ipv4ToNumber(ip: string): number | undefined {
  if (ip.length < 7 || ip.length > 15) return undefined;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return undefined;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + part;
}

/** The address as a 128-bit number, or undefined if it is not IPv6. IPv4-mapped forms are accepted. */
export function ipv6ToBigInt(ip: string): bigint | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip;
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    const v4 = ipv4ToNumber(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = [...head, ...new Array(8 - head.length - rest.length).fill('0'), ...rest];
  let value = 0n;
  for (const g of groups) value = (value << 16n) + BigInt(parseInt(g || '0', 16));
  if (tail.length === 2)
    value = (value & ~0xffffffffn) | (BigInt(tail[0]!) << 16n) | BigInt(tail[1]!);
  return value;
}

/** `/24` of an IPv4 address, `/48` of an IPv6 one; undefined for anything else. */
export function networkPrefix(ip: string): string | undefined {
  const v4 = ipv4ToNumber(ip);
  if (v4 !== undefined) {
    return `${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.0/24`;
  }
  const v6 = ipv6ToBigInt(ip);
  if (v6 === undefined) return undefined;
  const top = v6 >> 80n;
  const groups = [(top >> 32n) & 0xffffn, (top >> 16n) & 0xffffn, top & 0xffffn];
  return `${groups.map((g) => g.toString(16)).join(':')}::/48`;
}
