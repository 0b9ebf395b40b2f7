/**
 * An Entra user sign-in (Graph `signIn`, an Azure Monitor `SignInLogs` /
 * `NonInteractiveUserSignInLogs` record, a Sentinel `SigninLogs` /
 * `AADNonInteractiveUserSignInLogs` row) as one native event: `signin`, or
 * `mfa.challenge` when the sign-in stopped at or failed the MFA step.
 *
 * @example
 * mapSignin({ id: 's-1', createdDateTime: '2026-01-05T10:00:00Z',
 *   userPrincipalName: 'ana@example.com', status: { errorCode: 0 } }, {}, {});
 * // { kind: 'events', events: [{ id: 'entra:s-1', type: 'signin', outcome: 'success', … }] }
 */
import type { AuthMethod, Outcome } from '../../../domain/event.js';
import type { AdaptOutcome, AdaptedEvent } from '../adapter.js';
import { arrayOf, field, objectOf, textOf } from './entra-fields.js';
import {
  accountOf,
  asNumber,
  compact,
  countryCode,
  eventId,
  eventTime,
  riskLevel,
  sourceIp,
  stateSignal,
  vendorRisk,
} from './entra-event-parts.js';

/**
 * Codes where Entra stopped to ask for MFA (the password step passed):
 * 50072 and 50079 (the user must register for MFA first), 50074 (strong
 * authentication required), 50076 (MFA required by policy or location).
 * 50097 is device authentication, not MFA, and stays a sign-in failure.
 */
const MFA_REQUIRED = new Set([50072, 50074, 50076, 50079]);
/** Codes where the MFA step itself failed (500121: strong authentication request failed or denied). */
const MFA_FAILED = new Set([500121]);
/**
 * Interrupts that are not failures: the "Keep me signed in" (50140) and
 * "Continue to sign in" (50199) prompts. The user has not failed anything, so
 * these are `signin` `pending`, not failures a spray detector would count.
 */
const INTERRUPTS = new Set([50140, 50199]);

export function mapSignin(body: unknown, envelope: unknown, record: unknown): AdaptOutcome {
  const time = eventTime(field(body, 'createdDateTime')) ?? eventTime(envelopeTime(envelope));
  if (time === undefined) {
    return { kind: 'malformed', message: 'Entra sign-in has no valid createdDateTime or time.' };
  }
  const account = accountOf(
    field(body, 'userPrincipalName') ?? field(envelope, 'userPrincipalName'),
    field(body, 'userId') ?? field(envelope, 'userId'),
  );
  if (account === undefined) {
    return { kind: 'malformed', message: 'Entra sign-in has no userPrincipalName or userId.' };
  }
  const result = signinResult(body, envelope);
  if (result === undefined) {
    return {
      kind: 'malformed',
      message: 'Entra sign-in has no status.errorCode or resultType, so its outcome is unknown.',
    };
  }
  const id = eventId(field(body, 'id'), record);
  if (id === undefined) return { kind: 'malformed', message: 'Entra sign-in has no id.' };

  let type: 'signin' | 'mfa.challenge' = 'signin';
  let outcome: Outcome;
  if (result === 0) outcome = 'success';
  else if (typeof result === 'number' && MFA_REQUIRED.has(result)) {
    type = 'mfa.challenge';
    outcome = 'pending';
  } else if (typeof result === 'number' && MFA_FAILED.has(result)) {
    type = 'mfa.challenge';
    outcome = 'failure';
  } else if (typeof result === 'number' && INTERRUPTS.has(result)) outcome = 'pending';
  else outcome = 'failure';

  const event: Record<string, unknown> = { id, time, type, outcome, account };
  const source = signinSource(body, envelope);
  if (source !== undefined) event.source = source;
  const method = type === 'signin' ? primaryMethod(body) : mfaMethod(body);
  if (method !== undefined) event.auth = { method };
  const session = textOf(field(body, 'sessionId')) ?? textOf(field(body, 'correlationId'));
  const sessionId = session ?? textOf(field(envelope, 'correlationId'));
  if (sessionId !== undefined && sessionId.length <= 256) event.session = { id: sessionId };
  const risk = signinRisk(body);
  if (risk !== undefined) event.vendor_risk = risk;
  return { kind: 'events', events: [event as AdaptedEvent] };
}

/** The Entra error code (0 is success), or 'failure' for Panther's `resultType: "Failure"`. */
function signinResult(body: unknown, envelope: unknown): number | 'failure' | undefined {
  const status = objectOf(field(body, 'status')) ?? objectOf(field(envelope, 'status'));
  const code = textOf(field(status, 'errorCode'));
  if (code !== undefined && /^\d+$/.test(code)) return Number(code);
  const resultType = textOf(field(body, 'resultType')) ?? textOf(field(envelope, 'resultType'));
  if (resultType === undefined) return undefined;
  if (/^\d+$/.test(resultType)) return Number(resultType);
  const word = resultType.toLowerCase();
  if (word === 'success') return 0;
  if (word === 'failure') return 'failure';
  return undefined;
}

function signinSource(body: unknown, envelope: unknown): Record<string, unknown> | undefined {
  const device = objectOf(field(body, 'deviceDetail'));
  const location = objectOf(field(body, 'locationDetails')) ?? objectOf(field(body, 'location'));
  return compact({
    ip:
      sourceIp(field(body, 'ipAddress')) ??
      sourceIp(field(envelope, 'callerIpAddress', 'ipAddress')),
    user_agent: bounded(textOf(field(body, 'userAgent')), 2048),
    device_id: bounded(textOf(field(device, 'deviceId')), 256),
    country:
      countryCode(field(location, 'countryOrRegion')) ??
      countryCode(field(body, 'location')) ??
      countryCode(field(envelope, 'location')),
    asn: asNumber(field(body, 'autonomousSystemNumber')),
  });
}

function signinRisk(body: unknown): ReturnType<typeof vendorRisk> {
  const level = riskLevel(field(body, 'riskLevelDuringSignIn'), field(body, 'riskLevelAggregated'));
  const signals: string[] = [];
  const add = (signal: string | undefined): void => {
    if (signal !== undefined && !signals.includes(signal)) signals.push(signal);
  };
  for (const name of ['riskEventTypes_v2', 'riskEventTypes']) {
    for (const type of arrayOf(field(body, name))) {
      const text = textOf(type);
      if (text !== undefined && text.length <= 128) add(`riskEventType:${text}`);
    }
  }
  add(stateSignal('riskState', field(body, 'riskState')));
  add(stateSignal('riskDetail', field(body, 'riskDetail')));
  if (field(body, 'flaggedForReview') === true) add('flaggedForReview');
  return vendorRisk(level, signals);
}

/** The first-factor method of a sign-in, from its first `authenticationDetails` step. */
function primaryMethod(body: unknown): AuthMethod | undefined {
  const first = arrayOf(field(body, 'authenticationDetails'))[0];
  return methodOf(textOf(field(first, 'authenticationMethod')));
}

/** The MFA method asked for: `mfaDetail.authMethod`, else the first non-password step. */
function mfaMethod(body: unknown): AuthMethod | undefined {
  const fromDetail = methodOf(textOf(field(objectOf(field(body, 'mfaDetail')), 'authMethod')));
  if (fromDetail !== undefined) return fromDetail;
  for (const step of arrayOf(field(body, 'authenticationDetails'))) {
    const method = methodOf(textOf(field(step, 'authenticationMethod')));
    if (method !== undefined && method !== 'password') return method;
  }
  return undefined;
}

/**
 * Entra's method names ("Mobile app notification", "Text message", "FIDO2 security key"…).
 *
 * @example
 * methodOf('Mobile app verification code'); // 'mfa_totp'
 */
export function methodOf(name: string | undefined): AuthMethod | undefined {
  if (name === undefined) return undefined;
  if (/notification|push/i.test(name)) return 'mfa_push';
  if (/verification code|oath|otp|software token|hardware token/i.test(name)) return 'mfa_totp';
  if (/text message|sms/i.test(name)) return 'sms_code';
  if (/e-?mail/i.test(name)) return 'email_code';
  if (/fido|passkey|windows hello|security key/i.test(name)) return 'passkey';
  if (/federat/i.test(name)) return 'sso';
  if (/password/i.test(name)) return 'password';
  return undefined;
}

function envelopeTime(envelope: unknown): unknown {
  return field(envelope, 'time', 'TimeGenerated');
}

function bounded(text: string | undefined, max: number): string | undefined {
  return text !== undefined && text.length <= max ? text : undefined;
}
