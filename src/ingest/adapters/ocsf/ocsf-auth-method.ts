import type { AuthMethod } from '../../../domain/event.js';
import { arrayAt, integerAt, isTrueAt } from './read-fields.js';

/**
 * `auth_factors[].factor_type_id` → native method. Phone call, biometric,
 * hardware token and "other" have no native method and are left out.
 */
const FACTORS: ReadonlyMap<number, AuthMethod> = new Map([
  [1, 'sms_code'],
  [2, 'kba'],
  [5, 'mfa_push'],
  [7, 'mfa_totp'],
  [8, 'email_code'],
  [9, 'passkey'],
  [10, 'passkey'],
  [11, 'password'],
]);

/** `auth_protocol_id` of federated sign-ins: 4 OpenID, 5 SAML, 6 OAuth 2.0. */
const SSO_PROTOCOLS = new Set([4, 5, 6]);

/**
 * The native `auth.method` of an OCSF Authentication or Account Change
 * event: from `auth_factors` (1.3+) when they name one second factor (or
 * only a password), else `sso` for an OpenID, SAML or OAuth 2.0
 * `auth_protocol_id`; undefined when the record does not say, or names
 * several second factors.
 *
 * @example
 * authMethod({ auth_factors: [{ factor_type_id: 11 }, { factor_type_id: 5 }] }); // 'mfa_push'
 * authMethod({ auth_protocol_id: 5 }); // 'sso'
 */
export function authMethod(record: unknown): AuthMethod | undefined {
  const methods = new Set<AuthMethod>();
  for (const factor of arrayAt(record, 'auth_factors')) {
    const id = integerAt(factor, 'factor_type_id');
    const method = isTrueAt(factor, 'is_totp')
      ? 'mfa_totp'
      : id !== undefined
        ? FACTORS.get(id)
        : undefined;
    if (method !== undefined) methods.add(method);
  }
  const second = [...methods].filter((m) => m !== 'password');
  if (second.length === 1) return second[0];
  if (second.length === 0 && methods.has('password')) return 'password';
  if (second.length > 1) return undefined;
  const protocol = integerAt(record, 'auth_protocol_id');
  return protocol !== undefined && SSO_PROTOCOLS.has(protocol) ? 'sso' : undefined;
}
