/**
 * Field access for Entra records, whatever shape they came in: Graph
 * resources (camelCase), Azure Monitor records (camelCase inside
 * `properties`), Log Analytics / Sentinel rows (PascalCase columns, nested
 * values sometimes as JSON strings) and Panther's data-lake form (lower-cased
 * keys). Names are matched without regard to case, JSON strings holding an
 * object or array are parsed, and nothing here throws on hostile input
 * (`__proto__` keys are plain own properties and only read, never written).
 *
 * @example
 * field({ UserPrincipalName: 'Ana@Example.com' }, 'userPrincipalName'); // 'Ana@Example.com'
 * objectOf('{"errorCode":0}'); // { errorCode: 0 }
 */
import { isObject } from '../../field-checks.js';

/** A JSON object (not an array), as records and their nested values are read. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * The value of the first of `names` that `record` has, matched without regard
 * to case; `undefined` when none (or when `record` is not an object).
 *
 * @example
 * field({ ipaddress: '203.0.113.7' }, 'ipAddress'); // '203.0.113.7'
 */
export function field(record: unknown, ...names: readonly string[]): unknown {
  if (!isObject(record)) return undefined;
  const keys = Object.keys(record);
  for (const name of names) {
    const wanted = name.toLowerCase();
    for (const key of keys) {
      if (key.toLowerCase() !== wanted) continue;
      // A descriptor read, so an own `__proto__` key gives its value, never the prototype.
      const value = Object.getOwnPropertyDescriptor(record, key)?.value;
      if (value !== undefined && value !== null) return value;
    }
  }
  return undefined;
}

/**
 * `value` as an object: an object as is, or a string holding a JSON object
 * (Log Analytics exports nested columns that way).
 *
 * @example
 * objectOf('{"city":"Paris"}'); // { city: 'Paris' }
 */
export function objectOf(value: unknown): JsonObject | undefined {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  return isObject(parsed) ? parsed : undefined;
}

/**
 * `value` as an array: an array as is, or a string holding a JSON array;
 * `[]` otherwise.
 *
 * @example
 * arrayOf('["unfamiliarFeatures"]'); // ['unfamiliarFeatures']
 */
export function arrayOf(value: unknown): readonly unknown[] {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  return Array.isArray(parsed) ? parsed : [];
}

/**
 * `value` as trimmed non-empty text (numbers written in decimal), or
 * `undefined`.
 *
 * @example
 * textOf(' 50126 '); // '50126'
 * textOf(0); // '0'
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * A string that may hold JSON, parsed, or the string itself. Graph writes
 * `modifiedProperties` values as JSON text, sometimes encoded twice.
 *
 * @example
 * parseJsonText('"[{\\"MethodType\\":7}]"'); // [{ MethodType: 7 }]
 */
export function parseJsonText(value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 2 && typeof current === 'string'; depth++) {
    const trimmed = current.trim();
    if (!/^["[{]/.test(trimmed)) break;
    const parsed = parseJson(trimmed);
    if (parsed === undefined) break;
    current = parsed;
  }
  return current;
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 1_000_000) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
