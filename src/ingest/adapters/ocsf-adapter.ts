/**
 * OCSF 1.x adapter (docs/adapters/ocsf.md): Authentication (3002) and
 * Account Change (3001) events, and Detection (2004) / Security (2001)
 * Findings that name a user, as produced by any OCSF mapping (Amazon
 * Security Lake, the ocsf/examples vendor mappings, SIEM exports).
 */
import type { ActorKind, AuthMethod, EventType, Outcome } from '../../domain/event.js';
import type { AdaptedEvent, AdaptOutcome, Adapter } from './adapter.js';
import { authMethod } from './ocsf/ocsf-auth-method.js';
import { sameIdentity, userIdentity } from './ocsf/ocsf-identity.js';
import type { OcsfIdentity } from './ocsf/ocsf-identity.js';
import {
  ACCOUNT_CHANGE_ACTIVITIES,
  AUTHENTICATION_ACTIVITIES,
  LOGON_TYPES,
  STATUSES,
  captionOf,
} from './ocsf/ocsf-names.js';
import { vendorRisk } from './ocsf/ocsf-risk.js';
import type { OcsfRisk } from './ocsf/ocsf-risk.js';
import { eventSource } from './ocsf/ocsf-source.js';
import type { OcsfSource } from './ocsf/ocsf-source.js';
import { ocsfTime } from './ocsf/ocsf-time.js';
import { arrayAt, fieldAt, integerAt, objectAt, textAt } from './ocsf/read-fields.js';
import type { JsonObject } from './ocsf/read-fields.js';
import { recordId } from './ocsf/record-id.js';
import { describe, isObject } from '../field-checks.js';

const AUTHENTICATION = 3002;
const ACCOUNT_CHANGE = 3001;
const DETECTION_FINDING = 2004;
const SECURITY_FINDING = 2001;

/** Account Change activities Tripline uses; every other one is skipped. */
const ACCOUNT_CHANGE_TYPES: ReadonlyMap<number, EventType> = new Map([
  [3, 'password.changed'],
  [4, 'password.reset.completed'],
  [9, 'account.locked'],
  [10, 'mfa.enrolled'],
  [11, 'mfa.removed'],
]);

/** Logon types of services and scheduled jobs, not of a person: 4 Batch, 5 OS Service. */
const NON_PERSON_LOGONS = new Set([4, 5]);

/**
 * Vendor event codes (`metadata.event_code`) of a Logon that is an MFA
 * verification step rather than a sign-in: the Okta mapping keeps Okta's
 * `eventType` there.
 */
const MFA_EVENT_CODES = new Set([
  'user.authentication.auth_via_mfa',
  'user.mfa.okta_verify.deny_push',
]);

/** `severity_id` → level, for findings: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal. */
const SEVERITY_LEVELS: ReadonlyMap<number, NonNullable<OcsfRisk['level']>> = new Map([
  [1, 'none'],
  [2, 'low'],
  [3, 'medium'],
  [4, 'high'],
  [5, 'high'],
  [6, 'high'],
]);

/**
 * The OCSF adapter. `detect` asks for an integer `class_uid` and a
 * `metadata` object with a `version` or a `product`, which every OCSF event
 * carries and no other supported vendor's records do.
 *
 * @example
 * const outcome = ocsfAdapter.adapt(
 *   {
 *     class_uid: 3002, activity_id: 1, status_id: 1, time: 1699633474000,
 *     metadata: { uid: 'e-1', version: '1.1.0' }, user: { name: 'Anaya' },
 *   },
 *   { tenant: 'default' },
 * );
 * // { kind: 'events', events: [{ id: 'ocsf:e-1', time: '2023-11-10T16:24:34.000Z',
 * //   type: 'signin', outcome: 'success', account: { id: 'anaya' } }] }
 */
export const ocsfAdapter: Adapter = {
  format: 'ocsf',
  vendor: 'OCSF 1.x',
  detect(record: unknown): boolean {
    const metadata = objectAt(record, 'metadata');
    return (
      integerAt(record, 'class_uid') !== undefined &&
      metadata !== undefined &&
      (textAt(metadata, 'version') !== undefined || objectAt(metadata, 'product') !== undefined)
    );
  },
  adapt(record: unknown): AdaptOutcome {
    if (!isObject(record)) {
      return malformed(`not an OCSF event: expected a JSON object, got ${describe(record)}`);
    }
    const classUid = integerAt(record, 'class_uid');
    if (classUid === undefined) {
      return malformed('class_uid: missing or not an integer (not an OCSF event)');
    }
    const version = textAt(objectAt(record, 'metadata'), 'version');
    if (version !== undefined && !version.startsWith('1.')) {
      return skip(`ocsf version ${printable(version)}`);
    }
    switch (classUid) {
      case AUTHENTICATION:
        return authentication(record);
      case ACCOUNT_CHANGE:
        return accountChange(record);
      case DETECTION_FINDING:
        return finding(record, 'Detection Finding');
      case SECURITY_FINDING:
        return finding(record, 'Security Finding');
      default:
        return skip(
          `ocsf class ${classUid} ${printable(textAt(record, 'class_name') ?? 'unknown')}`,
        );
    }
  },
};

/** 3002: a Logon with a known status is a sign-in (or an MFA step); the rest is skipped. */
function authentication(record: JsonObject): AdaptOutcome {
  const activityId = integerAt(record, 'activity_id');
  if (activityId === undefined) return malformed('activity_id: missing or not an integer');
  if (activityId !== 1) {
    return skip(`ocsf Authentication ${captionOf(AUTHENTICATION_ACTIVITIES, activityId)}`);
  }
  const logonType = integerAt(record, 'logon_type_id');
  if (logonType !== undefined && NON_PERSON_LOGONS.has(logonType)) {
    return skip(`ocsf Authentication Logon ${captionOf(LOGON_TYPES, logonType)}`);
  }
  const outcome = statusOutcome(record);
  if (outcome === undefined) {
    const status = integerAt(record, 'status_id');
    return skip(
      `ocsf Authentication Logon status ${status === undefined ? 'missing' : (STATUSES.get(status) ?? status)}`,
    );
  }
  const time = ocsfTime(record);
  if (!time.ok) return malformed(time.message);
  const account =
    userIdentity(fieldAt(record, 'user')) ??
    userIdentity(fieldAt(objectAt(record, 'actor'), 'user'));
  if (account === undefined) {
    return malformed('user: missing (neither user nor actor.user names an account)');
  }
  const eventCode = textAt(objectAt(record, 'metadata'), 'event_code');
  const type: EventType =
    eventCode !== undefined && MFA_EVENT_CODES.has(eventCode) ? 'mfa.challenge' : 'signin';
  return events(
    build(record, time.time, type, outcome, account, {
      source: eventSource(record),
      method: authMethod(record),
      risk: vendorRisk(record),
    }),
  );
}

/** 3001: password, lock and MFA-factor changes of the account in `user`. */
function accountChange(record: JsonObject): AdaptOutcome {
  const activityId = integerAt(record, 'activity_id');
  if (activityId === undefined) return malformed('activity_id: missing or not an integer');
  const type = ACCOUNT_CHANGE_TYPES.get(activityId);
  if (type === undefined) {
    return skip(`ocsf Account Change ${captionOf(ACCOUNT_CHANGE_ACTIVITIES, activityId)}`);
  }
  const time = ocsfTime(record);
  if (!time.ok) return malformed(time.message);
  const account = userIdentity(fieldAt(record, 'user'));
  if (account === undefined) {
    return malformed('user: missing (an Account Change names the changed account in user)');
  }
  // A lock is reported because it happened: the Okta mapping gives the lock
  // the status of the failed sign-in that caused it.
  const outcome: Outcome =
    type === 'account.locked' ? 'success' : (statusOutcome(record) ?? 'success');
  const actorUser = objectAt(objectAt(record, 'actor'), 'user');
  const actor = userIdentity(actorUser);
  return events(
    build(record, time.time, type, outcome, account, {
      source: eventSource(record),
      method: type === 'mfa.enrolled' || type === 'mfa.removed' ? authMethod(record) : undefined,
      actor:
        actor === undefined
          ? undefined
          : { id: actor.id, kind: sameIdentity(actor, account) ? 'self' : actorKind(actorUser) },
      risk: vendorRisk(record),
    }),
  );
}

/** 2004 / 2001: the vendor flagged a user → `risk.detected`; findings about no user are skipped. */
function finding(record: JsonObject, className: string): AdaptOutcome {
  const evidences = arrayAt(record, 'evidences');
  const candidates: unknown[] = [
    fieldAt(record, 'user'),
    fieldAt(objectAt(record, 'actor'), 'user'),
  ];
  for (const evidence of evidences) {
    candidates.push(fieldAt(evidence, 'user'), objectAt(objectAt(evidence, 'actor'), 'user'));
  }
  const account = candidates.map(userIdentity).find((identity) => identity !== undefined);
  if (account === undefined) return skip(`ocsf ${className} without a user`);
  const time = ocsfTime(record);
  if (!time.ok) return malformed(time.message);
  const endpoint =
    objectAt(record, 'src_endpoint') ??
    evidences.map((e) => objectAt(e, 'src_endpoint')).find((e) => e !== undefined);
  const title =
    textAt(objectAt(record, 'finding_info'), 'title') ??
    textAt(objectAt(record, 'finding'), 'title');
  const severity = integerAt(record, 'severity_id');
  const severityLevel = severity === undefined ? undefined : SEVERITY_LEVELS.get(severity);
  return events(
    build(record, time.time, 'risk.detected', undefined, account, {
      source: eventSource(record, endpoint),
      risk: vendorRisk(record, {
        ...(severityLevel !== undefined ? { level: severityLevel } : {}),
        signals: title !== undefined ? [`finding:${title}`] : [],
      }),
    }),
  );
}

interface Extras {
  readonly source: OcsfSource;
  readonly method?: AuthMethod | undefined;
  readonly actor?: { readonly id: string; readonly kind: ActorKind } | undefined;
  readonly risk?: OcsfRisk | undefined;
}

function build(
  record: JsonObject,
  time: string,
  type: EventType,
  outcome: Outcome | undefined,
  account: OcsfIdentity,
  extras: Extras,
): AdaptedEvent {
  const session =
    textAt(objectAt(record, 'session'), 'uid') ??
    textAt(objectAt(objectAt(record, 'actor'), 'session'), 'uid');
  return {
    id: recordId(record),
    time,
    type,
    ...(outcome !== undefined ? { outcome } : {}),
    account: { id: account.id, ...(account.email !== undefined ? { email: account.email } : {}) },
    ...(Object.keys(extras.source).length > 0 ? { source: extras.source } : {}),
    ...(extras.method !== undefined ? { auth: { method: extras.method } } : {}),
    ...(extras.actor !== undefined ? { actor: extras.actor } : {}),
    ...(session !== undefined && session.length <= 256 ? { session: { id: session } } : {}),
    ...(extras.risk !== undefined ? { vendor_risk: extras.risk } : {}),
  };
}

/** `status_id` 1/2 (or the `status` caption when the id is absent); undefined for Unknown/Other. */
function statusOutcome(record: JsonObject): Outcome | undefined {
  const id = integerAt(record, 'status_id');
  if (id === 1) return 'success';
  if (id === 2) return 'failure';
  if (id !== undefined) return undefined;
  const caption = textAt(record, 'status')?.toLowerCase();
  return caption === 'success' ? 'success' : caption === 'failure' ? 'failure' : undefined;
}

/** OCSF `user.type_id` 3 (System) is a service; any other user changing someone else is an admin. */
function actorKind(user: JsonObject | undefined): 'admin' | 'service' {
  const typeId = integerAt(user, 'type_id');
  return typeId === 3 || textAt(user, 'type')?.toLowerCase() === 'system' ? 'service' : 'admin';
}

function events(event: AdaptedEvent): AdaptOutcome {
  return { kind: 'events', events: [event] };
}

function skip(reason: string): AdaptOutcome {
  return { kind: 'skip', reason };
}

function malformed(message: string): AdaptOutcome {
  return { kind: 'malformed', message };
}

/** A vendor string made safe for a skip reason: printable ASCII, at most 64 characters. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
