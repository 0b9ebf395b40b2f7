/**
 * Safe reads from an untrusted OCSF record. Every read looks at own
 * properties only, so a hostile `__proto__`, `constructor` or `toString` key
 * is never followed into the prototype chain, and every read returns
 * `undefined` rather than throwing on a value of the wrong type.
 *
 * @example
 * const metadata = objectAt(record, 'metadata');
 * textAt(metadata, 'uid'); // 'dc9fd3c0-…' or undefined
 */
import { isObject } from '../../field-checks.js';

/** A plain JSON object (not null, not an array). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** An own property of an object, or undefined. */
export function fieldAt(object: unknown, key: string): unknown {
  if (!isObject(object) || !Object.hasOwn(object, key)) return undefined;
  return object[key];
}

/** An own property that is itself an object. */
export function objectAt(object: unknown, key: string): JsonObject | undefined {
  const value = fieldAt(object, key);
  return isObject(value) ? value : undefined;
}

/** An own property that is an array. */
export function arrayAt(object: unknown, key: string): readonly unknown[] {
  const value = fieldAt(object, key);
  return Array.isArray(value) ? value : [];
}

/**
 * Values producers write when they have nothing (`"-"` in Windows mappings,
 * `"null"`, `"unknown"`, `"NULL SID"`, the null Windows logon id `"0x0"`): read
 * as absent.
 */
const PLACEHOLDERS = new Set([
  '',
  '-',
  'null',
  'undefined',
  'none',
  'n/a',
  'unknown',
  'null sid',
  '0x0',
]);

/** An own property that is a meaningful string (trimmed; placeholders read as absent). */
export function textAt(object: unknown, key: string): string | undefined {
  const value = fieldAt(object, key);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return PLACEHOLDERS.has(trimmed.toLowerCase()) ? undefined : trimmed;
}

/**
 * An own property that is an integer, or a string of digits (flattened
 * exports sometimes write enum ids as strings).
 */
export function integerAt(object: unknown, key: string): number | undefined {
  const value = fieldAt(object, key);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** An own property that is a finite number (or a numeric string). */
export function numberAt(object: unknown, key: string): number | undefined {
  const value = fieldAt(object, key);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}(\.\d{1,9})?$/.test(value.trim())) {
    return Number(value.trim());
  }
  return undefined;
}

/** An own property that is `true` (or the string `"true"`). */
export function isTrueAt(object: unknown, key: string): boolean {
  const value = fieldAt(object, key);
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/**
 * A value inside `unmapped`, which producers write either nested
 * (`{debugContext: {debugData: {risk}}}`) or flattened with dotted keys
 * (`{"debugContext.debugData.risk": …}`).
 */
export function unmappedAt(unmapped: unknown, path: readonly string[]): unknown {
  let nested: unknown = unmapped;
  for (const key of path) nested = fieldAt(nested, key);
  return nested !== undefined ? nested : fieldAt(unmapped, path.join('.'));
}
