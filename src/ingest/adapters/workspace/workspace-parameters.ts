import { ownValue } from './record-fields.js';
import { isObject } from '../../field-checks.js';

/**
 * Parameter name → value, as `readWorkspaceParameters` reads them.
 *
 * @example
 * const p: WorkspaceParameters = new Map([['login_type', 'saml']]);
 */
export type WorkspaceParameters = ReadonlyMap<string, unknown>;

const VALUE_KEYS = [
  'value',
  'boolValue',
  'intValue',
  'multiValue',
  'multiIntValue',
  'messageValue',
  'multiMessageValue',
] as const;

/**
 * The `parameters` of one Google Workspace Reports API event, read into a map
 * from parameter name to value, whichever shape they came in:
 *
 * - the API's array of `{name, value | boolValue | intValue | multiValue |
 *   multiIntValue | messageValue | multiMessageValue}` (`intValue` is an
 *   int64, so the API writes it as a string; Elastic's samples write a number);
 * - Panther's flattened map (`{"is_suspicious": true, "login_type": "saml"}`).
 *
 * A map (not an object) so that a parameter named `__proto__` or
 * `constructor` is only data. Entries that are not objects, or have no string
 * name, are left out; `null` values count as absent. The first entry of a name
 * wins.
 *
 * @example
 * const p = readWorkspaceParameters([{ name: 'is_suspicious', boolValue: true }]);
 * p.get('is_suspicious'); // true
 * readWorkspaceParameters({ login_type: 'saml' }).get('login_type'); // 'saml'
 */
export function readWorkspaceParameters(value: unknown): WorkspaceParameters {
  const out = new Map<string, unknown>();
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (!isObject(entry)) continue;
      const name = ownValue(entry, 'name');
      if (typeof name !== 'string' || out.has(name)) continue;
      for (const key of VALUE_KEYS) {
        const v = ownValue(entry, key);
        if (v !== undefined && v !== null) {
          out.set(name, v);
          break;
        }
      }
    }
  } else if (isObject(value)) {
    for (const name of Object.keys(value)) {
      const v = ownValue(value, name);
      if (v !== undefined && v !== null && !out.has(name)) out.set(name, v);
    }
  }
  return out;
}

/**
 * A parameter as a string (a single-element `multiValue` counts), or undefined.
 *
 * @example
 * parameterString(readWorkspaceParameters({ login_type: ['saml'] }), 'login_type'); // 'saml'
 */
export function parameterString(parameters: WorkspaceParameters, name: string): string | undefined {
  const v = parameters.get(name);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

/**
 * A parameter as a list of strings (`value` or `multiValue`), empty when absent.
 *
 * @example
 * parameterStrings(readWorkspaceParameters({ m: 'password' }), 'm'); // ['password']
 */
export function parameterStrings(parameters: WorkspaceParameters, name: string): readonly string[] {
  const v = parameters.get(name);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * A `boolValue` parameter; the strings `"true"`/`"false"` count too (CSV exports).
 *
 * @example
 * parameterBoolean(readWorkspaceParameters([{ name: 's', boolValue: true }]), 's'); // true
 */
export function parameterBoolean(
  parameters: WorkspaceParameters,
  name: string,
): boolean | undefined {
  const v = parameters.get(name);
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}
