/**
 * Native event v1: the public input contract of DESIGN.md.
 *
 * Only `time`, `type` and `account.id` are required on input; the validator
 * (src/ingest/validate-event.ts) fills `id`, `tenant` and `outcome` and keeps
 * every field it does not know, so nothing a client sends is lost.
 *
 * @example
 * const e: NativeEvent = {
 *   id: 'evt-1', time: '2019-09-03T14:22:31.120Z', tenant: 'default',
 *   type: 'signin', outcome: 'success', account: { id: 'u-42' },
 * };
 */

export const EVENT_TYPES = [
  'signin',
  'mfa.challenge',
  'password.reset.requested',
  'recovery.challenge',
  'password.reset.completed',
  'password.changed',
  'recovery.channel.added',
  'recovery.channel.removed',
  'mfa.enrolled',
  'mfa.removed',
  'mailbox.forwarding.set',
  'mailbox.rule.created',
  'oauth.consent.granted',
  'account.locked',
  /**
   * The identity provider flagged the account (a risk detection, a
   * government-backed attack warning, a suspicious-login alert): carried by
   * vendor adapters, its reasons in `vendor_risk`.
   */
  'risk.detected',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const OUTCOMES = ['success', 'failure', 'pending'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const AUTH_METHODS = [
  'password',
  'mfa_push',
  'mfa_totp',
  'sms_code',
  'email_code',
  'kba',
  'passkey',
  'sso',
] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const RECOVERY_CHANNELS = ['email', 'phone', 'kba', 'authenticator', 'support'] as const;
export type RecoveryChannel = (typeof RECOVERY_CHANNELS)[number];

export const ACTOR_KINDS = ['self', 'admin', 'service', 'support'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface EventAccount {
  readonly id: string;
  readonly email?: string;
  readonly tags?: readonly string[];
}

export interface EventSource {
  readonly ip?: string;
  readonly user_agent?: string;
  readonly device_id?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string;
  readonly asn?: number;
}

export interface NativeEvent {
  readonly id: string;
  /** ISO-8601 with zone, normalised to UTC `...Z` by the validator. */
  readonly time: string;
  readonly tenant: string;
  readonly type: EventType;
  readonly outcome: Outcome;
  readonly account: EventAccount;
  readonly source?: EventSource;
  readonly auth?: { readonly method?: AuthMethod };
  readonly recovery?: { readonly channel?: RecoveryChannel; readonly address?: string };
  readonly mailbox?: { readonly forward_to?: string; readonly rule_name?: string };
  readonly actor?: { readonly id?: string; readonly kind?: ActorKind };
  readonly session?: { readonly id?: string };
  readonly vendor_risk?: { readonly level?: RiskLevel; readonly signals?: readonly string[] };
  /** The vendor record this event was adapted from, when there was one. */
  readonly raw?: unknown;
  /** Fields this version does not know are kept as they came. */
  readonly [unknownField: string]: unknown;
}

export const DEFAULT_TENANT = 'default';
