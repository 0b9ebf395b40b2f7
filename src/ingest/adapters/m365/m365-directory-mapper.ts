/**
 * Entra ID (Azure Active Directory) records of the unified audit log:
 * sign-ins (`UserLoggedIn`, `UserLoginFailed`), MFA method changes
 * (`Update user.` with `StrongAuthenticationMethod` /
 * `StrongAuthenticationPhoneAppDetail`) and passwords (`Reset user
 * password.`, `Change user password.`).
 *
 * @example
 * const outcome = mapDirectoryRecord(record, base, 'userloginfailed', 'UserLoginFailed');
 * // { kind: 'events', events: [{ type: 'signin', outcome: 'failure', … }] }
 */
import type { AdaptedEvent, AdaptOutcome } from '../adapter.js';
import { isEmailAddress } from './m365-audit-record.js';
import type { M365AuditRecord } from './m365-audit-record.js';
import { accountOf, actorOf, nativeEvent, numbered, resultOutcome } from './m365-event-base.js';
import type { M365Account, M365EventBase } from './m365-event-base.js';

/**
 * Entra operations this mapper handles, lower-cased, without the trailing dot some records carry.
 *
 * @example
 * DIRECTORY_OPERATIONS.includes('update user'); // true
 */
export const DIRECTORY_OPERATIONS = [
  'userloggedin',
  'userloginfailed',
  'update user',
  'reset user password',
  'change user password',
] as const;
/** @example const op: DirectoryOperation = 'userloginfailed'; */
export type DirectoryOperation = (typeof DIRECTORY_OPERATIONS)[number];

/** `Target[].Type` 5 is the user principal name in the Management Activity API's IdentityType. */
const UPN_IDENTITY_TYPE = '5';

/**
 * The outcome of one Entra record of a handled operation.
 *
 * @example
 * mapDirectoryRecord(record, base, 'reset user password', 'Reset user password.');
 */
export function mapDirectoryRecord(
  record: M365AuditRecord,
  base: M365EventBase,
  operation: DirectoryOperation,
  operationName: string,
): AdaptOutcome {
  switch (operation) {
    case 'userloggedin':
    case 'userloginfailed': {
      const user = record.string('UserId', 'UserIds');
      if (user === undefined) return malformed(`${operationName} has no UserId`);
      const outcome = operation === 'userloggedin' ? 'success' : 'failure';
      return events(nativeEvent(base, 'signin', outcome, accountOf(user), {}));
    }
    case 'update user':
      return mfaChange(record, base, operationName);
    case 'reset user password':
    case 'change user password': {
      const account = targetAccount(record);
      if (account === undefined) return malformed(`${operationName} names no target user`);
      const type =
        operation === 'reset user password' ? 'password.reset.completed' : 'password.changed';
      return events(
        nativeEvent(base, type, resultOutcome(record), account, actorOf(record, account)),
      );
    }
  }
}

/**
 * `StrongAuthenticationMethod` lists the methods (`[{MethodType, Default}]`)
 * before and after; `StrongAuthenticationPhoneAppDetail` the authenticator
 * apps. A method or app only in `OldValue` was removed, one only in
 * `NewValue` was added; a change of the default method alone is neither.
 */
function mfaChange(
  record: M365AuditRecord,
  base: M365EventBase,
  operationName: string,
): AdaptOutcome {
  let removed = false;
  let added = false;
  for (const property of record.list('ModifiedProperties')) {
    const name = (property.string('Name') ?? '').toLowerCase();
    const key =
      name === 'strongauthenticationmethod'
        ? 'MethodType'
        : name === 'strongauthenticationphoneappdetail'
          ? 'Id'
          : undefined;
    if (key === undefined) continue;
    const before = keysOf(property.string('OldValue'), key);
    const after = keysOf(property.string('NewValue'), key);
    for (const k of before) if (!after.has(k)) removed = true;
    for (const k of after) if (!before.has(k)) added = true;
  }
  if (!removed && !added) {
    return { kind: 'skip', reason: `m365 AzureActiveDirectory ${operationName}` };
  }
  const account = targetAccount(record);
  if (account === undefined) return malformed(`${operationName} names no target user`);
  const outcome = resultOutcome(record);
  const actor = actorOf(record, account);
  const list: AdaptedEvent[] = [];
  if (removed) list.push(nativeEvent(base, 'mfa.removed', outcome, account, actor));
  if (added) list.push(nativeEvent(base, 'mfa.enrolled', outcome, account, actor));
  return { kind: 'events', events: numbered(list) };
}

/** The user an Entra audit record is about: the UPN in `Target[]`, else `ObjectId` when it is an address. */
function targetAccount(record: M365AuditRecord): M365Account | undefined {
  for (const target of record.list('Target')) {
    const id = target.string('ID');
    if (id !== undefined && target.string('Type') === UPN_IDENTITY_TYPE) return accountOf(id);
  }
  const objectId = record.string('ObjectId', 'OfficeObjectId');
  return objectId !== undefined && isEmailAddress(objectId) ? accountOf(objectId) : undefined;
}

/** The set of `key` values of a JSON array of objects (`[]`, or absent, gives the empty set). */
function keysOf(json: string | undefined, key: string): ReadonlySet<string> {
  const out = new Set<string>();
  if (json === undefined) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json) as unknown;
  } catch {
    return out;
  }
  if (!Array.isArray(parsed)) return out;
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const entry = item as Record<string, unknown>;
    const own = Object.keys(entry).find((k) => k.toLowerCase() === key.toLowerCase());
    const v = own === undefined ? undefined : entry[own];
    out.add(typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(item));
  }
  return out;
}

function events(...list: readonly AdaptedEvent[]): AdaptOutcome {
  return { kind: 'events', events: list };
}

function malformed(message: string): AdaptOutcome {
  return { kind: 'malformed', message };
}
