/**
 * Google's `login_challenge_method` values (Login Audit activity events) as
 * native auth methods. Values with no native equivalent (`backup_code`,
 * `login_location`, `none`, `other`…) map to nothing: the event then carries
 * no `auth.method` rather than a guess.
 *
 * When a sign-in lists several methods (`multiValue: ["password",
 * "google_authenticator"]`) the first one that is not the password is the
 * method that decided it; the password only when it is all there is.
 *
 * @example
 * workspaceAuthMethod(['password', 'idv_preregistered_phone']); // 'sms_code'
 * workspaceAuthMethod(['password']); // 'password'
 * workspaceAuthMethod(['backup_code']); // undefined
 */
import type { AuthMethod } from '../../../domain/event.js';

const METHODS: Readonly<Record<string, AuthMethod>> = {
  password: 'password',
  google_password: 'password',
  // Codes from an authenticator app, or the one-time codes a security key types.
  google_authenticator: 'mfa_totp',
  totp: 'mfa_totp',
  idv_totp: 'mfa_totp',
  offline_otp: 'mfa_totp',
  security_key_otp: 'mfa_totp',
  // "Tap Yes on your phone": Google's push prompt.
  google_prompt: 'mfa_push',
  device_prompt: 'mfa_push',
  internal_two_factor: 'mfa_push',
  // "idv" is Google's identity verification by a code sent to a phone (text or call).
  idv_preregistered_phone: 'sms_code',
  idv_any_phone: 'sms_code',
  idv_backup_phone: 'sms_code',
  sms: 'sms_code',
  security_key: 'passkey',
  passkey: 'passkey',
  knowledge_preregistered_email: 'email_code',
  idv_secret_qa: 'kba',
  knowledge_employee_id: 'kba',
};

export function workspaceAuthMethod(values: readonly string[]): AuthMethod | undefined {
  let fallback: AuthMethod | undefined;
  for (const value of values) {
    const key = value.trim().toLowerCase();
    const method = Object.hasOwn(METHODS, key) ? METHODS[key] : undefined;
    if (method === undefined) continue;
    if (method !== 'password') return method;
    fallback = method;
  }
  return fallback;
}
