/**
 * Deterministic STIX identifiers: name-based UUIDv5 (RFC 9562 §5.5), so the
 * same campaign exported twice gives the same ids and a platform that imports
 * both updates its objects instead of duplicating them.
 *
 * @example
 * uuidV5(URL_NAMESPACE, 'urn:tripline:stix'); // 'b0829df6-35b8-51ea-95b4-2b2af1725bf9'
 * stixId('campaign', ['Example Org', 'default', 'cmp-7']); // 'campaign--…' (always the same)
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/** RFC 9562's namespace for URLs and URNs. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * Tripline's namespace for the STIX objects it creates: `uuidV5(URL_NAMESPACE, 'urn:tripline:stix')`.
 * (STIX's own namespace `00abedb4-…` is for cyber-observable objects, which Tripline does not emit.)
 */
export const TRIPLINE_STIX_NAMESPACE = 'b0829df6-35b8-51ea-95b4-2b2af1725bf9';

/**
 * A version-5 UUID: SHA-1 of the namespace's 16 bytes and the UTF-8 name,
 * first 16 bytes, version and variant bits set.
 *
 * @example
 * uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'); // '886313e1-3b8a-5372-9b90-0c9aee199e5d'
 */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new RangeError(`uuidV5: namespace is not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `<type>--<uuidv5>` named by the type and `key`. The key parts are joined as
 * a JSON array, so `['a-b', 'c']` and `['a', 'b-c']` never collide.
 *
 * @example
 * stixId('indicator', ['Example Org', 'default', 'cmp-7', 'ip', '203.0.113.7']);
 */
export function stixId<T extends string>(type: T, key: readonly string[]): `${T}--${string}` {
  return `${type}--${uuidV5(TRIPLINE_STIX_NAMESPACE, JSON.stringify([type, ...key]))}`;
}
