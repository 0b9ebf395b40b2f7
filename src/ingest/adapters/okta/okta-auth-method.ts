/**
 * The native auth method an Okta factor or credential name stands for:
 * `debugData.factor` (`OKTA_VERIFY_PUSH`, `FIDO_WEBAUTHN`, `SMS_FACTOR`…),
 * `authenticationContext.credentialType` (`PASSWORD`, `OTP`, `ASSERTION`…)
 * or an `outcome.reason` that names one ("User reset FIDO_WEBAUTHN factor").
 * Names are read as upper-case words, so `token:software:totp` and
 * `TOKEN_SOFTWARE_TOTP` read alike. Voice calls and unknown names give
 * undefined: there is no native method for them.
 *
 * @example
 * oktaAuthMethod('OKTA_VERIFY_PUSH'); // 'mfa_push'
 * oktaAuthMethod('User reset FIDO_WEBAUTHN factor'); // 'passkey'
 * oktaAuthMethod('CALL_FACTOR'); // undefined
 */
import type { AuthMethod } from '../../../domain/event.js';

/** Checked in order: push before Okta Verify codes, e-mail and SMS before generic OTP. */
const RULES: readonly (readonly [AuthMethod, readonly string[]])[] = [
  ['mfa_push', ['PUSH']],
  ['passkey', ['WEBAUTHN', 'FIDO', 'FIDO2', 'U2F', 'FASTPASS', 'PASSKEY', 'SIGNED_NONCE']],
  ['sms_code', ['SMS']],
  ['email_code', ['EMAIL']],
  ['kba', ['QUESTION']],
  ['mfa_totp', ['TOTP', 'OTP', 'HOTP', 'GOOGLE_AUTHENTICATOR', 'OKTA_VERIFY', 'YUBIKEY', 'RSA']],
  ['password', ['PASSWORD']],
  ['sso', ['ASSERTION', 'SAML', 'IDP']],
];

/**
 * The native method a factor or credential name stands for, or undefined.
 *
 * @example
 * oktaAuthMethod('SMS_FACTOR'); // 'sms_code'
 */
export function oktaAuthMethod(name: string | undefined): AuthMethod | undefined {
  if (name === undefined || name.length > 512) return undefined;
  const words = name.toUpperCase().split(/[^A-Z0-9]+/);
  const joined = `_${words.join('_')}_`;
  for (const [method, names] of RULES) {
    if (names.some((n) => joined.includes(`_${n}_`))) return method;
  }
  return undefined;
}
