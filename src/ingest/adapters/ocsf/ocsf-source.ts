import { addressOf } from '../address-text.js';
import { integerAt, objectAt, textAt } from './read-fields.js';

/** The native `source` of an event: every field optional. */
export interface OcsfSource {
  readonly ip?: string;
  readonly user_agent?: string;
  readonly device_id?: string;
  readonly country?: string;
  readonly asn?: number;
}

/** Addresses that say "no address". */
const UNSPECIFIED = new Set(['0.0.0.0', '::']);
const COUNTRY = /^[A-Za-z]{2}$/;
const MAX_ASN = 4_294_967_295;

/**
 * The native `source` of an OCSF event, from `src_endpoint` (`ip`,
 * `location.country`, `autonomous_system.number`, `uid`),
 * `http_request.user_agent` and `device.uid`. An endpoint object can be
 * passed for records that keep it elsewhere (a finding's evidence).
 *
 * `location.country` is taken only when it is the ISO alpha-2 code OCSF asks
 * for (some mappings write the country's name); the ip loses a port or
 * brackets and is dropped when it is not an address (`"-"`) or is
 * unspecified (`0.0.0.0`).
 *
 * @example
 * eventSource({ src_endpoint: { ip: '[2001:db8::1]:443', location: { country: 'fr' } } });
 * // { ip: '2001:db8::1', country: 'FR' }
 */
export function eventSource(
  record: unknown,
  endpoint = objectAt(record, 'src_endpoint'),
): OcsfSource {
  const ip = address(textAt(endpoint, 'ip'));
  const userAgent = textAt(objectAt(record, 'http_request'), 'user_agent');
  const deviceId = textAt(endpoint, 'uid') ?? textAt(objectAt(record, 'device'), 'uid');
  const country = textAt(objectAt(endpoint, 'location'), 'country');
  const asn = integerAt(objectAt(endpoint, 'autonomous_system'), 'number');
  return {
    ...(ip !== undefined ? { ip } : {}),
    ...(userAgent !== undefined && userAgent.length <= 2048 ? { user_agent: userAgent } : {}),
    ...(deviceId !== undefined && deviceId.length <= 256 ? { device_id: deviceId } : {}),
    ...(country !== undefined && COUNTRY.test(country) ? { country: country.toUpperCase() } : {}),
    ...(asn !== undefined && asn > 0 && asn <= MAX_ASN ? { asn } : {}),
  };
}

/** An IP address without port or brackets, or undefined. */
function address(text: string | undefined): string | undefined {
  const ip = text === undefined ? undefined : addressOf(text);
  return ip === undefined || UNSPECIFIED.has(ip) ? undefined : ip;
}
