/**
 * The pieces every Entra event is built from: the event time, the account,
 * the source address and the vendor risk, read the same way for sign-ins,
 * audits and risk detections.
 *
 * @example
 * eventTime('2019-10-18T04:45:48.0729893-05:00'); // '2019-10-18T09:45:48.072Z'
 * eventTime('2025-01-15 09:30:45.123'); // '2025-01-15T09:30:45.123Z' (no zone: UTC)
 */
import { addressOf } from '../address-text.js';
import { createHash } from 'node:crypto';
import type { RiskLevel } from '../../../domain/event.js';
import { parseTime } from '../../parse-time.js';
import { textOf } from './entra-fields.js';

/**
 * A vendor time as canonical UTC ISO 8601. Entra writes 7 fractional digits
 * and a zone; Panther's test data and some exports drop the zone, which
 * Microsoft's logs always mean as UTC.
 *
 * @example
 * eventTime('2026-02-30T00:00:00Z'); // undefined
 */
export function eventTime(value: unknown): string | undefined {
  const text = textOf(value);
  if (text === undefined || typeof value !== 'string') return undefined;
  const zoned = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const parsed = parseTime(zoned);
  return parsed.ok ? new Date(parsed.ms).toISOString() : undefined;
}

/**
 * An IP address without port or brackets, or `undefined` for placeholders:
 * `"null"`, `""`, and the unspecified addresses `0.0.0.0` and `::` that Entra
 * audits write when no client address was recorded.
 *
 * @example
 * sourceIp('[2001:db8::1]:443'); // '2001:db8::1'
 * sourceIp('203.0.113.7:51234'); // '203.0.113.7'
 */
export function sourceIp(value: unknown): string | undefined {
  const text = textOf(value);
  if (text === undefined || typeof value !== 'string') return undefined;
  if (text === '0.0.0.0' || text === '::') return undefined;
  return addressOf(text);
}

/**
 * An ISO 3166-1 alpha-2 code, upper case; Entra sometimes writes a country name instead.
 *
 * @example
 * countryCode('pt'); // 'PT'
 * countryCode('China'); // undefined
 */
export function countryCode(value: unknown): string | undefined {
  const text = textOf(value);
  return text !== undefined && /^[A-Za-z]{2}$/.test(text) ? text.toUpperCase() : undefined;
}

/**
 * An autonomous system number given as a number or a decimal string.
 *
 * @example
 * asNumber('12345'); // 12345
 */
export function asNumber(value: unknown): number | undefined {
  const text = textOf(value);
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 4_294_967_295 ? n : undefined;
}

/**
 * The account an event is about: the user principal name lower-cased (the
 * object id when there is none), plus `email` when it is an address.
 *
 * @example
 * accountOf('Ana@Contoso.example', 'u-1'); // { id: 'ana@contoso.example', email: 'ana@contoso.example' }
 */
export function accountOf(
  principal: unknown,
  objectId: unknown,
): { readonly id: string; readonly email?: string } | undefined {
  const upn = textOf(principal);
  if (upn !== undefined && typeof principal === 'string' && upn.length <= 256) {
    const id = upn.toLowerCase();
    return EMAIL.test(id) ? { id, email: id } : { id };
  }
  const oid = textOf(objectId);
  if (oid !== undefined && typeof objectId === 'string' && oid.length <= 256) {
    return { id: oid.toLowerCase() };
  }
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const LEVELS: Readonly<Record<string, RiskLevel>> = {
  none: 'none',
  low: 'low',
  medium: 'medium',
  high: 'high',
};
const RANK: Readonly<Record<RiskLevel, number>> = { none: 0, low: 1, medium: 2, high: 3 };

/**
 * The highest of Entra's risk levels (`none|low|medium|high`; `hidden` and
 * `unknownFutureValue` say nothing and are ignored).
 *
 * @example
 * riskLevel('low', 'High'); // 'high'
 */
export function riskLevel(...values: readonly unknown[]): RiskLevel | undefined {
  let best: RiskLevel | undefined;
  for (const value of values) {
    const text = textOf(value);
    const level = text === undefined ? undefined : LEVELS[text.toLowerCase()];
    if (level !== undefined && (best === undefined || RANK[level] > RANK[best])) best = level;
  }
  return best;
}

/**
 * `vendor_risk` from a level and signals, or `undefined` when the record says
 * nothing about risk.
 *
 * @example
 * vendorRisk('high', ['riskState:atRisk']); // { level: 'high', signals: ['riskState:atRisk'] }
 */
export function vendorRisk(
  level: RiskLevel | undefined,
  signals: readonly string[],
): { readonly level?: RiskLevel; readonly signals: readonly string[] } | undefined {
  if (level === undefined && signals.length === 0) return undefined;
  return level === undefined ? { signals } : { level, signals };
}

/**
 * `name:value` signal for a risk state or detail, unless the value is `none`.
 *
 * @example
 * stateSignal('riskState', 'atRisk'); // 'riskState:atRisk'
 */
export function stateSignal(name: string, value: unknown): string | undefined {
  const text = textOf(value);
  if (text === undefined || text.toLowerCase() === 'none' || text.length > 128) return undefined;
  return `${name}:${text}`;
}

/**
 * The event id: `entra:<vendor id>`, or, for the records that carry no id
 * (Panther's test data), `entra:sha256-<16 hex>` of the record's JSON, which
 * is as stable as the record itself.
 *
 * @example
 * eventId('SSPR_0001', record); // 'entra:SSPR_0001'
 */
export function eventId(vendorId: unknown, record: unknown): string | undefined {
  const id = textOf(vendorId);
  if (id !== undefined && id.length <= 200) return `entra:${id}`;
  let json: string | undefined;
  try {
    json = JSON.stringify(record);
  } catch {
    return undefined;
  }
  if (json === undefined) return undefined;
  return `entra:sha256-${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}

/**
 * `value` without its `undefined` fields, or `undefined` when none is left, so
 * events carry only what the record said.
 *
 * @example
 * compact({ ip: '203.0.113.7', asn: undefined }); // { ip: '203.0.113.7' }
 */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = v;
    any = true;
  }
  return any ? (out as Partial<T>) : undefined;
}
