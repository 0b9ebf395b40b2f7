/**
 * Reading fields of an untrusted JSON record: only the record's own
 * properties, never the prototype chain's, so `{}` has no `constructor` and a
 * `__proto__` key stays data.
 */

/**
 * A property the object itself holds, or undefined.
 *
 * @example
 * ownValue({ id: 1 }, 'id'); // 1
 * ownValue({}, 'constructor'); // undefined
 */
export function ownValue(object: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
