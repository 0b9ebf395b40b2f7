/**
 * Reading an Okta LogEvent whatever its key case and whatever it holds.
 *
 * Okta's API writes camelCase keys (`eventType`, `authenticationContext`);
 * Panther's data lake lower-cases some of them (`eventtype`,
 * `authenticationcontext`). Lookups try the exact key first and then any own
 * key equal to it ignoring case, so both read alike. Every accessor checks the
 * type it returns and reads own properties only, so hostile records (wrong
 * types, `__proto__` keys) give `undefined`, never an exception.
 *
 * @example
 * const record = { eventtype: 'user.session.start', client: { ipAddress: '192.0.2.1' } };
 * text(record, 'eventType'); // 'user.session.start'
 * text(record, 'client', 'ipAddress'); // '192.0.2.1'
 */
import { isObject } from '../../field-checks.js';

/** A JSON object of an Okta record. */
export type OktaObject = Readonly<Record<string, unknown>>;

/** The value of `key` in `object` (exact key first, then ignoring case), or undefined. */
function member(object: OktaObject, key: string): unknown {
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(object)) {
    if (k.toLowerCase() === lower) return object[k];
  }
  return undefined;
}

/**
 * The value at `path` (keys read ignoring case), or undefined when any step is missing.
 *
 * @example
 * at({ securityContext: { asNumber: 64500 } }, 'securityContext', 'asNumber'); // 64500
 */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = member(current, key);
  }
  return current;
}

/**
 * The object at `path`, or undefined.
 *
 * @example
 * object({ debugcontext: { debugData: {} } }, 'debugContext', 'debugData'); // {}
 */
export function object(value: unknown, ...path: readonly string[]): OktaObject | undefined {
  const found = at(value, ...path);
  return isObject(found) ? found : undefined;
}

/**
 * The non-empty, trimmed string at `path`, or undefined. Okta writes absent
 * values as JSON null and sometimes as the strings "null" or "unknown"; those
 * count as absent too.
 *
 * @example
 * text({ client: { ipAddress: 'null' } }, 'client', 'ipAddress'); // undefined
 */
export function text(value: unknown, ...path: readonly string[]): string | undefined {
  const found = at(value, ...path);
  if (typeof found !== 'string') return undefined;
  const trimmed = found.trim();
  if (trimmed === '' || trimmed === 'null' || trimmed === 'unknown') return undefined;
  return trimmed;
}

/**
 * The array at `path`, or an empty array.
 *
 * @example
 * list({ target: null }, 'target'); // []
 */
export function list(value: unknown, ...path: readonly string[]): readonly unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}
