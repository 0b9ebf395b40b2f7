/**
 * What every native event adapted from one Microsoft 365 audit record shares:
 * its id (`m365:<Id>`, `:<n>` appended when the record gives several events),
 * its time, the client address, user agent, device and session. Also the
 * account and actor rules common to Exchange and Entra records.
 *
 * @example
 * const base = eventBase(record, '2020-02-10T15:13:13.000Z');
 * const e = nativeEvent(base, 'signin', 'success', accountOf('Asr@testsiem.onmicrosoft.com'), {});
 * // e.account → { id: 'asr@testsiem.onmicrosoft.com', email: 'asr@testsiem.onmicrosoft.com' }
 */
import type { ActorKind, EventType, Outcome } from '../../../domain/event.js';
import type { AdaptedEvent } from '../adapter.js';
import { isEmailAddress, parseClientIp } from './m365-audit-record.js';
import type { M365AuditRecord } from './m365-audit-record.js';

/** The parts every event of one record shares. @example const { time } = eventBase(record, '2026-03-02T09:00:00.000Z'); */
export interface M365EventBase {
  /** The vendor's record id (`Id`), when the record has one. */
  readonly vendorId: string | undefined;
  readonly time: string;
  readonly source: Readonly<Record<string, string>> | undefined;
  readonly sessionId: string | undefined;
}

/** A native `account`. @example const a: M365Account = { id: 'ana@contoso.example', email: 'ana@contoso.example' }; */
export interface M365Account {
  readonly id: string;
  readonly email?: string;
}

/** The fields one event of a record adds to the base. @example const extras: M365EventExtras = { mailbox: { rule_name: '.' } }; */
export type M365EventExtras = Readonly<Record<string, unknown>>;

/** System accounts that run cmdlets on their own (`NT AUTHORITY\SYSTEM (Microsoft.Exchange.ServiceHost)`). */
const SYSTEM_ACTOR = /^(nt authority\\|servicePrincipal_|S-1-5-18$)/i;
/** UserType values of the Management Activity API that are not a person: 4 System, 5 Application, 6 ServicePrincipal, 7 CustomPolicy, 8 SystemPolicy. */
const NON_PERSON_USER_TYPES = new Set([
  '4',
  '5',
  '6',
  '7',
  '8',
  'system',
  'application',
  'serviceprincipal',
]);

/**
 * The id, time, source and session of a record's events.
 *
 * @example
 * eventBase(record, '2026-03-02T09:00:00.000Z').source; // { ip: '203.0.113.7', user_agent: '…' }
 */
export function eventBase(record: M365AuditRecord, time: string): M365EventBase {
  const source: Record<string, string> = {};
  const ip = parseClientIp(
    record.string('ClientIP') ??
      record.string('ActorIpAddress') ??
      record.string('ClientIPAddress') ??
      record.string('Client_IPAddress'),
  );
  if (ip !== undefined) source.ip = ip;
  const extended = record.nameValues('ExtendedProperties');
  const userAgent = extended.get('useragent');
  if (userAgent) source.user_agent = userAgent;
  const device = record.nameValues('DeviceProperties');
  const deviceId = device.get('id');
  if (deviceId && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(deviceId)) source.device_id = deviceId;
  const sessionId =
    record.string('SessionId') ??
    record.object('AppAccessContext')?.string('AADSessionId') ??
    (device.get('sessionid') || undefined);
  return {
    vendorId: record.string('Id', 'OfficeId', 'RecordId'),
    time,
    source: Object.keys(source).length > 0 ? source : undefined,
    sessionId,
  };
}

/**
 * The account a user principal names: lower-cased, with `email` when it is an address.
 *
 * @example
 * accountOf('Ana@Contoso.example'); // { id: 'ana@contoso.example', email: 'ana@contoso.example' }
 */
export function accountOf(principal: string): M365Account {
  const id = principal.trim().toLowerCase();
  return isEmailAddress(id) ? { id, email: id } : { id };
}

/**
 * Who did it, seen from the account it was done to: `self` when the actor is
 * the account, `service` for system accounts and service principals, else
 * `admin`.
 *
 * @example
 * actorOf(record, { id: 'ana@contoso.example' }); // { actor: { id: 'it.admin@contoso.example', kind: 'admin' } }
 */
export function actorOf(record: M365AuditRecord, account: M365Account): M365EventExtras {
  const actorId = record.string('UserId', 'UserIds')?.toLowerCase();
  if (actorId === undefined) return {};
  let kind: ActorKind = 'admin';
  if (actorId === account.id) kind = 'self';
  else if (
    SYSTEM_ACTOR.test(actorId) ||
    NON_PERSON_USER_TYPES.has((record.string('UserType') ?? '').toLowerCase())
  ) {
    kind = 'service';
  }
  return { actor: { id: actorId, kind } };
}

/**
 * `ResultStatus`: Exchange writes True/False, Entra Success/Failure (or Succeeded/Failed).
 *
 * @example
 * resultOutcome(record); // 'failure' for ResultStatus "False"
 */
export function resultOutcome(record: M365AuditRecord): Outcome {
  const status = (record.string('ResultStatus') ?? '').toLowerCase();
  return status === 'false' || status.startsWith('fail') ? 'failure' : 'success';
}

/**
 * One native event of the record.
 *
 * @example
 * nativeEvent(base, 'signin', 'failure', accountOf('ana@contoso.example'), {});
 */
export function nativeEvent(
  base: M365EventBase,
  type: EventType,
  outcome: Outcome,
  account: M365Account,
  extras: M365EventExtras,
): AdaptedEvent {
  return {
    ...(base.vendorId === undefined ? {} : { id: `m365:${base.vendorId}` }),
    time: base.time,
    type,
    outcome,
    account,
    ...(base.source === undefined ? {} : { source: base.source }),
    ...extras,
    ...(base.sessionId === undefined ? {} : { session: { id: base.sessionId } }),
  };
}

/**
 * Several events of one record get `:<n>` (from 0) after the record's id.
 *
 * @example
 * numbered([removed, enrolled]).map((e) => e.id); // ['m365:r-1:0', 'm365:r-1:1']
 */
export function numbered(events: readonly AdaptedEvent[]): readonly AdaptedEvent[] {
  if (events.length < 2) return events;
  return events.map((e, n) => (typeof e.id === 'string' ? { ...e, id: `${e.id}:${n}` } : e));
}
