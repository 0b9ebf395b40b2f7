/**
 * Query-string parameters, checked once for every route: a bad value is a
 * 400 naming the parameter.
 *
 * @example
 * const limit = intParam(request.query.limit, 'limit', 1, 1000) ?? 100;
 */
import { TriplineError } from '../errors.js';

/** A query parameter given once; `?q=a&q=b` is a mistake, not a list. */
export function single(v: string | string[], name: string): string {
  if (typeof v !== 'string')
    throw new TriplineError('INVALID_REQUEST', `${name}: give it once`, name);
  return v;
}

/** A whole number from `min` to `max` (no upper bound when `max` is omitted). */
export function intParam(
  v: string | string[] | undefined,
  name: string,
  min: number,
  max?: number,
): number | undefined {
  if (v === undefined) return undefined;
  const text = single(v, name);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || (max !== undefined && n > max) || !Number.isSafeInteger(n))
    throw new TriplineError(
      'INVALID_REQUEST',
      `${name}: a whole number from ${min}${max === undefined ? ' up' : ` to ${max}`}`,
      name,
    );
  return n;
}

/** `true`/`1`/empty or `false`/`0`; absent is false. */
export function boolParam(v: string | string[] | undefined, name: string): boolean {
  if (v === undefined) return false;
  const text = single(v, name);
  if (text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1' || text === '') return true;
  throw new TriplineError('INVALID_REQUEST', `${name}: expected true or false`, name);
}
