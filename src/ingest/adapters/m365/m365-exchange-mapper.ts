/**
 * Exchange Online records of the unified audit log: inbox rules created or
 * changed by cmdlet (`New-InboxRule`, `Set-InboxRule`) or by Outlook
 * (`UpdateInboxRules`), and mailbox forwarding (`Set-Mailbox`). The account
 * is the mailbox the cmdlet names (or, when it names none, the caller's own,
 * which is where Exchange applies it); the actor is `UserId`.
 *
 * @example
 * const outcome = mapExchangeRecord(record, base, 'new-inboxrule');
 * // { kind: 'events', events: [{ type: 'mailbox.rule.created', mailbox: { forward_to: 'drop@evil.example', rule_name: '.' }, … }] }
 */
import type { AdaptedEvent, AdaptOutcome } from '../adapter.js';
import { isEmailAddress } from './m365-audit-record.js';
import type { M365AuditRecord } from './m365-audit-record.js';
import { accountOf, actorOf, nativeEvent, resultOutcome } from './m365-event-base.js';
import type { M365Account, M365EventBase } from './m365-event-base.js';

/** Exchange operations this mapper handles, lower-cased. @example EXCHANGE_OPERATIONS.includes('set-mailbox'); // true */
export const EXCHANGE_OPERATIONS = [
  'new-inboxrule',
  'set-inboxrule',
  'updateinboxrules',
  'set-mailbox',
] as const;
/** @example const op: ExchangeOperation = 'new-inboxrule'; */
export type ExchangeOperation = (typeof EXCHANGE_OPERATIONS)[number];

/** Inbox-rule parameters that send mail out of the mailbox, in the order the first address is taken from. */
const FORWARD_PARAMETERS = [
  'forwardto',
  'forwardasattachmentto',
  'redirectto',
  'redirecttorecipients',
];
const HOSTED_ORGANIZATION_PATH = /\/Microsoft Exchange Hosted Organizations\/[^/]+\/[^/]+$/i;
const ADDRESS = /[^\s<>"'[\](),;:]+@[^\s<>"'[\](),;:]+\.[^\s<>"'[\](),;:]+/;

/**
 * The outcome of one Exchange record of a handled operation.
 *
 * @example
 * mapExchangeRecord(record, base, 'set-mailbox', 'Set-Mailbox'); // { kind: 'skip', reason: 'm365 Exchange Set-Mailbox (forwarding removed)' }
 */
export function mapExchangeRecord(
  record: M365AuditRecord,
  base: M365EventBase,
  operation: ExchangeOperation,
  operationName: string,
): AdaptOutcome {
  switch (operation) {
    case 'new-inboxrule':
    case 'set-inboxrule':
      return inboxRuleCmdlet(record, base, operation, operationName);
    case 'updateinboxrules':
      return outlookRuleUpdate(record, base);
    case 'set-mailbox':
      return mailboxForwarding(record, base, operationName);
  }
}

function inboxRuleCmdlet(
  record: M365AuditRecord,
  base: M365EventBase,
  operation: 'new-inboxrule' | 'set-inboxrule',
  operationName: string,
): AdaptOutcome {
  const parameters = record.nameValues('Parameters');
  const actorId = record.string('UserId', 'UserIds');
  const identity = parameters.get('identity');
  // Set-InboxRule -Identity takes `mailbox\rule`; ObjectId is `<mailbox DN>\<rule name>`.
  const identityMailbox = identity?.includes('\\')
    ? identity.slice(0, identity.lastIndexOf('\\'))
    : undefined;
  const mailbox = parameters.get('mailbox') || identityMailbox || actorId;
  if (!mailbox) {
    return malformed(`${operationName} names no mailbox (no Mailbox parameter and no UserId)`);
  }
  const account = mailboxAccount(mailbox, actorId);

  let forwardTo: string | undefined;
  for (const name of FORWARD_PARAMETERS) {
    forwardTo = firstAddress(parameters.get(name));
    if (forwardTo !== undefined) break;
  }
  const hidesMail =
    isTrue(parameters.get('deletemessage')) ||
    isTrue(parameters.get('softdeletemessage')) ||
    isTrue(parameters.get('markasread')) ||
    Boolean(parameters.get('movetofolder'));
  // Every New-InboxRule creates a rule; a Set-InboxRule counts only when it makes the rule forward or hide mail.
  if (operation === 'set-inboxrule' && forwardTo === undefined && !hidesMail) {
    return {
      kind: 'skip',
      reason: `m365 Exchange ${operationName} (no forward, redirect, delete, move or mark-as-read action)`,
    };
  }
  const ruleName =
    parameters.get('name') ||
    afterLastBackslash(identity) ||
    afterLastBackslash(record.string('ObjectId', 'OfficeObjectId'));
  return ruleCreated(record, base, account, forwardTo, ruleName);
}

/** One `mailbox.rule.created`, with the rule's name and forwarding address when known. */
function ruleCreated(
  record: M365AuditRecord,
  base: M365EventBase,
  account: M365Account,
  forwardTo: string | undefined,
  ruleName: string | undefined,
): AdaptOutcome {
  const mailboxFields = {
    ...(forwardTo === undefined ? {} : { forward_to: forwardTo }),
    ...(ruleName ? { rule_name: ruleName } : {}),
  };
  return events(
    nativeEvent(base, 'mailbox.rule.created', resultOutcome(record), account, {
      ...(Object.keys(mailboxFields).length > 0 ? { mailbox: mailboxFields } : {}),
      ...actorOf(record, account),
    }),
  );
}

/**
 * Outlook and OWA change rules without a cmdlet: the mailbox audit logs
 * `UpdateInboxRules` with `OperationProperties` (`RuleName`, `RuleOperation`,
 * `RuleActions`, and `ServerRule`, the rule as JSON with its recipients).
 */
function outlookRuleUpdate(record: M365AuditRecord, base: M365EventBase): AdaptOutcome {
  const properties = record.nameValues('OperationProperties');
  const ruleOperation = properties.get('ruleoperation') ?? '';
  if (/remove|delete/i.test(ruleOperation)) {
    return { kind: 'skip', reason: 'm365 Exchange UpdateInboxRules (rule removed)' };
  }
  const owner = record.string('MailboxOwnerUPN') ?? record.string('UserId', 'UserIds');
  if (owner === undefined) {
    return malformed('UpdateInboxRules names no mailbox (no MailboxOwnerUPN and no UserId)');
  }
  const account = accountOf(owner);
  const actions = properties.get('ruleactions') ?? '';
  const serverRule = properties.get('serverrule') ?? '';
  let forwardTo: string | undefined;
  if (/forward|redirect/i.test(actions) || /forward|redirect/i.test(serverRule)) {
    forwardTo = findAddress(actions) ?? findAddress(serverRule);
  }
  const ruleName = properties.get('rulename');
  return ruleCreated(record, base, account, forwardTo, ruleName);
}

function mailboxForwarding(
  record: M365AuditRecord,
  base: M365EventBase,
  operationName: string,
): AdaptOutcome {
  const parameters = record.nameValues('Parameters');
  const smtp = parameters.get('forwardingsmtpaddress');
  const address = parameters.get('forwardingaddress');
  if (smtp === undefined && address === undefined) {
    return { kind: 'skip', reason: `m365 Exchange ${operationName}` };
  }
  const target = stripSmtp(smtp ?? '') || stripSmtp(address ?? '');
  if (!target) {
    return { kind: 'skip', reason: `m365 Exchange ${operationName} (forwarding removed)` };
  }
  const identity = parameters.get('identity') ?? record.string('ObjectId', 'OfficeObjectId');
  if (identity === undefined) {
    return malformed(`${operationName} names no mailbox (no Identity parameter and no ObjectId)`);
  }
  const account = mailboxAccount(identity, record.string('UserId', 'UserIds'));
  return events(
    nativeEvent(base, 'mailbox.forwarding.set', resultOutcome(record), account, {
      mailbox: { forward_to: firstAddress(target) ?? target },
      ...actorOf(record, account),
    }),
  );
}

/**
 * The account a mailbox identity names. Exchange takes an address, an alias,
 * a GUID or a DN path (`…/Microsoft Exchange Hosted Organizations/<org>/<name>`):
 * an address is used as is, a DN path gives its last segment, anything else is
 * kept whole; a name that is the caller's alias (the local part of UserId)
 * becomes the caller's address.
 */
function mailboxAccount(identity: string, actorId: string | undefined): M365Account {
  let name = stripSmtp(identity);
  if (!isEmailAddress(name) && HOSTED_ORGANIZATION_PATH.test(name)) {
    name = name.slice(name.lastIndexOf('/') + 1);
  }
  name = name.toLowerCase();
  const actor = actorId?.toLowerCase();
  if (!name.includes('@') && actor !== undefined && actor.split('@')[0] === name) name = actor;
  return accountOf(name);
}

/** The first address of a `;`- or `,`-separated recipient list (`"Name" [SMTP:a@b.c]`, `smtp:a@b.c`, `a@b.c`). */
function firstAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const address = findAddress(value);
  if (address !== undefined) return address;
  // A display name or alias without an address (Exchange accepts those too): keep the first one.
  const first = value.split(/[;,]/)[0]?.trim();
  return first ? first : undefined;
}

/** The first email address written anywhere in `value`, lower-cased. */
function findAddress(value: string): string | undefined {
  const match = ADDRESS.exec(value.replace(/smtp:/gi, ' '));
  return match ? match[0].toLowerCase() : undefined;
}

function stripSmtp(value: string): string {
  return value
    .trim()
    .replace(/^smtp:/i, '')
    .trim();
}

function afterLastBackslash(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const rest = value.slice(value.lastIndexOf('\\') + 1).trim();
  return rest === '' ? undefined : rest;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.toLowerCase() === 'true';
}

function events(...list: readonly AdaptedEvent[]): AdaptOutcome {
  return { kind: 'events', events: list };
}

function malformed(message: string): AdaptOutcome {
  return { kind: 'malformed', message };
}
