/**
 * Okta System Log (`GET /api/v1/logs` LogEvent) to native v1 events
 * (docs/adapters/okta.md).
 *
 * One LogEvent gives at most one event. Sign-ins, MFA challenges, password
 * resets and changes, factor enrolment and removal, lockouts, risk reports and
 * recovery-email/phone changes are mapped; every other `eventType` is a skip
 * counted as `okta <eventType>`. Keys are read ignoring case, so Panther's
 * lower-cased data-lake form (`eventtype`, `debugcontext`) reads like the API.
 */
import { addressOf } from './address-text.js';
import type {
  ActorKind,
  AuthMethod,
  EventType,
  Outcome,
  RecoveryChannel,
} from '../../domain/event.js';
import { parseTime } from '../parse-time.js';
import type { AdaptOutcome, Adapter, AdaptedEvent } from './adapter.js';
import { countryCode } from './okta/country-code.js';
import { oktaAuthMethod } from './okta/okta-auth-method.js';
import { at, list, object, text } from './okta/okta-fields.js';
import type { OktaObject } from './okta/okta-fields.js';
import { oktaRisk } from './okta/okta-risk.js';
import { describe, isObject } from '../field-checks.js';

/** How one Okta `eventType` becomes a native event. */
interface Mapping {
  readonly type: EventType;
  /**
   * Whose account the event is about. `actor`: the one who authenticated
   * (the actor, else the target user). `target`: the user acted on (the
   * target user, else the actor), with `actor` set to who did it.
   */
  readonly subject: 'actor' | 'target';
  /** What Okta's SUCCESS/ALLOW means here, when not `success` (a push *sent* is a pending challenge). */
  readonly successAs?: Outcome;
  /** An outcome that holds whatever Okta's result (the account *was* locked). */
  readonly always?: Outcome;
  readonly method?: AuthMethod;
  readonly channel?: RecoveryChannel;
  /** Skip (as `okta <eventType> (no user)`) rather than quarantine when no user is named. */
  readonly userOptional?: boolean;
  /** Only a target user counts (an org-wide factor change names none). */
  readonly targetOnly?: boolean;
}

const MAPPINGS: Readonly<Record<string, Mapping>> = {
  'user.session.start': { type: 'signin', subject: 'actor' },
  'user.authentication.auth_via_mfa': { type: 'mfa.challenge', subject: 'actor' },
  'user.authentication.verify': { type: 'mfa.challenge', subject: 'actor' },
  'system.push.send_factor_verify_push': {
    type: 'mfa.challenge',
    subject: 'target',
    successAs: 'pending',
    method: 'mfa_push',
  },
  'user.mfa.okta_verify.deny_push': {
    type: 'mfa.challenge',
    subject: 'actor',
    always: 'failure',
    method: 'mfa_push',
  },
  'user.account.reset_password': { type: 'password.reset.requested', subject: 'target' },
  'system.email.password_reset.sent_message': {
    type: 'password.reset.requested',
    subject: 'target',
    channel: 'email',
  },
  'system.sms.send_password_reset_message': {
    type: 'password.reset.requested',
    subject: 'target',
    channel: 'phone',
  },
  'system.voice.send_password_reset_call': {
    type: 'password.reset.requested',
    subject: 'target',
    channel: 'phone',
  },
  'user.account.unlock_token': { type: 'recovery.challenge', subject: 'target' },
  // password.changed, or password.reset.completed when the request was a reset (see adapt).
  'user.account.update_password': { type: 'password.changed', subject: 'target' },
  'user.mfa.factor.activate': { type: 'mfa.enrolled', subject: 'target' },
  'user.mfa.factor.deactivate': { type: 'mfa.removed', subject: 'target' },
  'user.mfa.factor.reset_all': { type: 'mfa.removed', subject: 'target' },
  'system.mfa.factor.deactivate': {
    type: 'mfa.removed',
    subject: 'target',
    userOptional: true,
    targetOnly: true,
  },
  'user.account.lock': { type: 'account.locked', subject: 'target', always: 'success' },
  'security.threat.detected': {
    type: 'risk.detected',
    subject: 'target',
    always: 'success',
    userOptional: true,
  },
  'user.account.report_suspicious_activity_by_enduser': {
    type: 'risk.detected',
    subject: 'target',
    always: 'success',
  },
  'user.account.update_primary_email': {
    type: 'recovery.channel.added',
    subject: 'target',
    channel: 'email',
  },
  'user.account.update_secondary_email': {
    type: 'recovery.channel.added',
    subject: 'target',
    channel: 'email',
  },
  'user.account.update_phone': {
    type: 'recovery.channel.added',
    subject: 'target',
    channel: 'phone',
  },
};

const RESULTS: Readonly<Record<string, Outcome | 'skip'>> = {
  SUCCESS: 'success',
  ALLOW: 'success',
  FAILURE: 'failure',
  DENY: 'failure',
  CHALLENGE: 'pending',
  UNKNOWN: 'pending',
  SKIPPED: 'skip',
};

/** A request that was part of a password reset rather than a change from a signed-in session. */
const RESET_REQUEST = /recover|reset_password|forgot_password/i;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const SYSTEM_ACTOR = 'system@okta.com';

/**
 * The `okta` format (see the file comment and docs/adapters/okta.md).
 *
 * @example
 * const outcome = oktaAdapter.adapt(
 *   {
 *     uuid: 'b6f1c6a2-0000-4000-8000-000000000001',
 *     published: '2024-05-02T09:15:00.000Z',
 *     eventType: 'user.session.start',
 *     actor: { id: '00u1', type: 'User', alternateId: 'Ana@Example.com' },
 *     client: { ipAddress: '203.0.113.7' },
 *     outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
 *   },
 *   { tenant: 'default' },
 * );
 * // { kind: 'events', events: [{ id: 'okta:b6f1c6a2-…', type: 'signin', outcome: 'failure',
 * //   account: { id: 'ana@example.com', email: 'ana@example.com' }, source: { ip: '203.0.113.7' }, … }] }
 */
export const oktaAdapter: Adapter = {
  format: 'okta',
  vendor: 'Okta',

  detect(record: unknown): boolean {
    if (!isObject(record)) return false;
    if (at(record, 'p_log_type') === 'Okta.SystemLog') return true;
    return (
      text(record, 'eventType') !== undefined &&
      isObject(at(record, 'actor')) &&
      (text(record, 'published') !== undefined || text(record, 'uuid') !== undefined)
    );
  },

  adapt(record: unknown): AdaptOutcome {
    try {
      return adaptRecord(record);
    } catch {
      // Every read is type-checked; this only guards the contract (never throw) against a bug.
      return { kind: 'malformed', message: 'Okta record could not be read' };
    }
  },
};

function adaptRecord(record: unknown): AdaptOutcome {
  if (!isObject(record)) {
    return {
      kind: 'malformed',
      message: `an Okta LogEvent must be a JSON object, got ${describe(record)}`,
    };
  }
  const eventType = text(record, 'eventType');
  if (eventType === undefined || eventType.length > 200) {
    return { kind: 'malformed', message: 'Okta LogEvent has no eventType' };
  }
  const key = eventType.toLowerCase();
  const mapping = Object.hasOwn(MAPPINGS, key) ? MAPPINGS[key] : undefined;
  if (mapping === undefined) {
    return { kind: 'skip', reason: `okta ${eventType}` };
  }

  const result = text(record, 'outcome', 'result')?.toUpperCase();
  const fromResult =
    result !== undefined && Object.hasOwn(RESULTS, result) ? RESULTS[result] : undefined;
  if (fromResult === 'skip') return { kind: 'skip', reason: `okta ${eventType} ${result}` };

  const time = eventTime(record);
  if (typeof time !== 'string') return time;

  const actor = object(record, 'actor');
  const actorUser = userOf(actor);
  const targetUser = list(record, 'target')
    .map(userOf)
    .find((u) => u !== undefined);
  const subject = mapping.targetOnly
    ? targetUser
    : mapping.subject === 'actor'
      ? (actorUser ?? targetUser)
      : (targetUser ?? actorUser);
  if (subject === undefined) {
    if (mapping.userOptional) return { kind: 'skip', reason: `okta ${eventType} (no user)` };
    return {
      kind: 'malformed',
      message: `Okta ${eventType} names no user: neither actor nor target[] is a User with an alternateId or id`,
    };
  }

  const method = mapping.method ?? methodOf(record, mapping.type);
  if (key === 'user.authentication.verify' && method === 'password') {
    // The password step of an Identity Engine sign-in: user.session.start carries it.
    return { kind: 'skip', reason: `okta ${eventType} password` };
  }
  let type = mapping.type;
  if (type === 'password.changed' && isResetRequest(record)) type = 'password.reset.completed';

  let outcome = mapping.always ?? fromResult;
  if (outcome === 'success' && mapping.successAs) outcome = mapping.successAs;

  const extraSignals: string[] = [];
  if (key === 'user.account.report_suspicious_activity_by_enduser') {
    extraSignals.push('reportedByUser');
    const reported = text(record, 'debugContext', 'debugData', 'suspiciousActivityEventType');
    if (reported) extraSignals.push(`suspiciousActivityEventType:${reported}`);
    const reportedIp = cleanIp(
      text(record, 'debugContext', 'debugData', 'suspiciousActivityEventIp'),
    );
    if (reportedIp) extraSignals.push(`suspiciousActivityEventIp:${reportedIp}`);
  }
  const risk = oktaRisk(record, extraSignals);

  const uuid = text(record, 'uuid');
  const session = fit(text(record, 'authenticationContext', 'externalSessionId'), 256);
  const source = sourceOf(record);
  const event: Record<string, unknown> = {};
  if (uuid !== undefined && uuid.length <= 250) event.id = `okta:${uuid}`;
  event.time = time;
  event.type = type;
  if (outcome !== undefined) event.outcome = outcome;
  event.account = EMAIL.test(subject.id)
    ? { id: subject.id, email: subject.id }
    : { id: subject.id };
  if (source) event.source = source;
  if (method && (type === 'signin' || type.startsWith('mfa.') || type === 'recovery.challenge')) {
    event.auth = { method };
  }
  if (mapping.channel) event.recovery = { channel: mapping.channel };
  if (mapping.subject === 'target') {
    const who = actorOf(actor, actorUser, subject);
    if (who) event.actor = who;
  }
  if (session) event.session = { id: session };
  if (risk) event.vendor_risk = risk;
  return { kind: 'events', events: [event as AdaptedEvent] };
}

/** `published` (or Panther's `p_event_time`) as ISO 8601 UTC; a time without zone is UTC. */
function eventTime(record: OktaObject): string | AdaptOutcome {
  const published = text(record, 'published') ?? text(record, 'p_event_time');
  if (published === undefined) {
    return { kind: 'malformed', message: 'Okta LogEvent has no published time' };
  }
  if (published.length > 64) {
    return { kind: 'malformed', message: 'Okta published time is not an ISO 8601 timestamp' };
  }
  let parsed = parseTime(published);
  if (!parsed.ok && /^\d{4}-\d{2}-\d{2}[Tt ][\d:.,]+$/.test(published)) {
    parsed = parseTime(`${published}Z`);
  }
  if (!parsed.ok) {
    return { kind: 'malformed', message: `Okta published time: ${parsed.reason}` };
  }
  return new Date(parsed.ms).toISOString();
}

interface OktaUser {
  /** The login (alternateId) lower-cased, else the Okta user id. */
  readonly id: string;
  /** Okta's own user id (`00u…`), to tell the same user under either name. */
  readonly oktaId: string | undefined;
}

/** A user in `actor` or `target[]`: type `User` (or no type at all, as some exports drop it). */
function userOf(entity: unknown): OktaUser | undefined {
  if (!isObject(entity)) return undefined;
  const type = text(entity, 'type');
  if (type !== undefined && type.toLowerCase() !== 'user') return undefined;
  const login = text(entity, 'alternateId');
  const oktaId = text(entity, 'id');
  const id = (login ?? oktaId)?.toLowerCase();
  if (id === undefined || id.length > 256) return undefined;
  return { id, oktaId };
}

/** Who acted on the account: the user themselves, an administrator, or Okta itself or an app. */
function actorOf(
  actor: OktaObject | undefined,
  actorUser: OktaUser | undefined,
  subject: OktaUser,
): { id: string; kind: ActorKind } | undefined {
  if (actor === undefined) return undefined;
  const id = fit((text(actor, 'alternateId') ?? text(actor, 'id'))?.toLowerCase(), 256);
  if (id === undefined) return undefined;
  const type = text(actor, 'type')?.toLowerCase() ?? '';
  if (id === SYSTEM_ACTOR || type === 'systemprincipal' || /app|client/.test(type)) {
    return { id, kind: 'service' };
  }
  // Anything else that is not a user (ThreatInsight's "IP address") is not someone who acted.
  if (actorUser === undefined) return undefined;
  const same =
    actorUser.id === subject.id ||
    (actorUser.oktaId !== undefined && actorUser.oktaId === subject.oktaId);
  return { id, kind: same ? 'self' : 'admin' };
}

function methodOf(record: OktaObject, type: EventType): AuthMethod | undefined {
  const factor = text(record, 'debugContext', 'debugData', 'factor');
  const credential = text(record, 'authenticationContext', 'credentialType');
  if (type === 'signin') return oktaAuthMethod(credential);
  if (type === 'mfa.challenge') return oktaAuthMethod(factor) ?? oktaAuthMethod(credential);
  if (type === 'mfa.enrolled' || type === 'mfa.removed') {
    return oktaAuthMethod(factor) ?? oktaAuthMethod(text(record, 'outcome', 'reason'));
  }
  return undefined;
}

function isResetRequest(record: OktaObject): boolean {
  const uri =
    text(record, 'debugContext', 'debugData', 'requestUri') ??
    text(record, 'debugContext', 'debugData', 'url');
  return uri !== undefined && RESET_REQUEST.test(uri);
}

function sourceOf(record: OktaObject): Record<string, unknown> | undefined {
  const source: Record<string, unknown> = {};
  const chain = list(record, 'request', 'ipChain')[0];
  const ip = cleanIp(text(record, 'client', 'ipAddress')) ?? cleanIp(text(chain, 'ip'));
  if (ip) source.ip = ip;
  const userAgent = fit(text(record, 'client', 'userAgent', 'rawUserAgent'), 2048);
  if (userAgent) source.user_agent = userAgent;
  const device = fit(
    text(record, 'device', 'id') ?? text(record, 'debugContext', 'debugData', 'deviceFingerprint'),
    256,
  );
  if (device) source.device_id = device;
  const country = text(record, 'client', 'geographicalContext', 'country');
  const code = country === undefined ? undefined : countryCode(country);
  if (code) source.country = code;
  const asn = asnOf(at(record, 'securityContext', 'asNumber'));
  if (asn !== undefined) source.asn = asn;
  return Object.keys(source).length > 0 ? source : undefined;
}

/** An IP address without brackets or port, or undefined for anything else ("null", "", a host name). */
function cleanIp(value: string | undefined): string | undefined {
  return value === undefined ? undefined : addressOf(value);
}

function asnOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,10}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 4_294_967_295
    ? n
    : undefined;
}

function fit(value: string | undefined, max: number): string | undefined {
  return value !== undefined && value.length <= max ? value : undefined;
}
