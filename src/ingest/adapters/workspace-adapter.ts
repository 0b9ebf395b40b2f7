/**
 * Google Workspace: Admin SDK Reports API activities (`admin#reports#activity`)
 * of the `login` and `user_accounts` applications, as native v1 events
 * (docs/adapters/workspace.md has the mapping tables).
 *
 * One activity lists several events; each mapped entry of `events[]` gives
 * one native event with id `workspace:<time>:<uniqueQualifier>:<n>`. Two
 * other shapes are read as well: Elastic's, where the input already split the
 * activity and `events` is a single object, and Panther's flattened one, with
 * top-level `type`, `name` and `parameters` as a name → value map. Those no
 * longer know their place in the activity, so their ids end in the event name
 * and a short hash of the event instead of `<n>`.
 *
 * @example
 * const outcome = workspaceAdapter.adapt(
 *   {
 *     kind: 'admin#reports#activity',
 *     id: { time: '2024-03-05T09:14:02.118Z', uniqueQualifier: '-512', applicationName: 'login' },
 *     actor: { email: 'Ana@Campaign.example', profileId: '1077' },
 *     ipAddress: '203.0.113.7',
 *     events: [{ type: 'login', name: 'login_failure', parameters: [] }],
 *   },
 *   { tenant: 'default' },
 * );
 * // { kind: 'events', events: [{ id: 'workspace:2024-03-05T09:14:02.118Z:-512:0',
 * //   time: '2024-03-05T09:14:02.118Z', type: 'signin', outcome: 'failure',
 * //   account: { id: 'ana@campaign.example', email: 'ana@campaign.example' },
 * //   source: { ip: '203.0.113.7' } }] }
 */
import { addressOf } from './address-text.js';
import { createHash } from 'node:crypto';
import type { EventType, Outcome, RecoveryChannel, RiskLevel } from '../../domain/event.js';
import { parseTime } from '../parse-time.js';
import type { AdaptedEvent, AdaptOutcome, Adapter } from './adapter.js';
import { workspaceAuthMethod } from './workspace/workspace-challenge-method.js';
import { ownValue } from './workspace/record-fields.js';
import {
  parameterBoolean,
  parameterString,
  parameterStrings,
  readWorkspaceParameters,
} from './workspace/workspace-parameters.js';
import type { WorkspaceParameters } from './workspace/workspace-parameters.js';
import { describe, isObject } from '../field-checks.js';

/** What one Workspace event name becomes. */
type EventMapping =
  | { readonly kind: 'signin'; readonly outcome: Outcome }
  | { readonly kind: 'challenge' }
  | { readonly kind: 'risk'; readonly level: RiskLevel; readonly outcome: Outcome }
  | { readonly kind: 'change'; readonly type: EventType; readonly channel?: RecoveryChannel }
  | { readonly kind: 'forwarding' };

const medium = { kind: 'risk', level: 'medium', outcome: 'success' } as const;
const high = { kind: 'risk', level: 'high', outcome: 'success' } as const;

/**
 * Event names of the Login Audit and User Accounts Audit references. Google
 * documents the account-change events (`password_edit`, `2sv_enroll`…) under
 * both applications, so both are read under either.
 */
const EVENT_MAPPINGS: Readonly<Record<string, EventMapping>> = {
  login_success: { kind: 'signin', outcome: 'success' },
  login_failure: { kind: 'signin', outcome: 'failure' },
  login_challenge: { kind: 'challenge' },
  login_verification: { kind: 'challenge' },
  suspicious_login: medium,
  suspicious_login_less_secure_app: medium,
  suspicious_programmatic_login: medium,
  gov_attack_warning: high,
  account_disabled_hijacked: high,
  // A leaked password is a credential in attackers' hands, as sure as Google gets.
  account_disabled_password_leak: high,
  account_disabled_generic: medium,
  account_disabled_spamming: medium,
  account_disabled_spamming_through_relay: medium,
  risky_sensitive_action_allowed: medium,
  risky_sensitive_action_blocked: { kind: 'risk', level: 'medium', outcome: 'failure' },
  password_edit: { kind: 'change', type: 'password.changed' },
  recovery_email_edit: { kind: 'change', type: 'recovery.channel.added', channel: 'email' },
  recovery_phone_edit: { kind: 'change', type: 'recovery.channel.added', channel: 'phone' },
  recovery_secret_qa_edit: { kind: 'change', type: 'recovery.channel.added', channel: 'kba' },
  '2sv_enroll': { kind: 'change', type: 'mfa.enrolled' },
  '2sv_disable': { kind: 'change', type: 'mfa.removed' },
  // Advanced Protection Program: enrolling adds phishing-resistant keys, leaving drops them.
  titanium_enroll: { kind: 'change', type: 'mfa.enrolled' },
  titanium_unenroll: { kind: 'change', type: 'mfa.removed' },
  email_forwarding_out_of_domain: { kind: 'forwarding' },
};

const APPLICATIONS: ReadonlySet<string> = new Set(['login', 'user_accounts']);

/** An event's own fields, wherever the shape put them. */
interface VendorEvent {
  readonly name: string | undefined;
  readonly parameters: WorkspaceParameters;
  /** Its index in the API's `events[]`, or the text it is hashed from when the shape lost it. */
  readonly position: number | string;
}

type EventResult =
  | { readonly kind: 'event'; readonly event: AdaptedEvent }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly message: string };

/** The Google Workspace adapter: the module comment above has an example. */
export const workspaceAdapter: Adapter = {
  format: 'workspace',
  vendor: 'Google Workspace',

  detect(record: unknown): boolean {
    if (!isObject(record)) return false;
    if (ownValue(record, 'kind') === 'admin#reports#activity') return true;
    const id = ownValue(record, 'id');
    return (
      isObject(id) &&
      typeof ownValue(id, 'applicationName') === 'string' &&
      (Object.hasOwn(record, 'events') || typeof ownValue(record, 'name') === 'string')
    );
  },

  adapt(record: unknown): AdaptOutcome {
    try {
      return adaptActivity(record);
    } catch (error) {
      // Only a bug or a non-JSON value (a cycle, a getter) gets here: quarantine, never throw.
      return { kind: 'malformed', message: `unreadable Workspace activity: ${String(error)}` };
    }
  },
};

function adaptActivity(record: unknown): AdaptOutcome {
  if (!isObject(record)) {
    return {
      kind: 'malformed',
      message: `a Workspace activity must be a JSON object, got ${describe(record)}`,
    };
  }
  const id = ownValue(record, 'id');
  if (!isObject(id)) {
    return {
      kind: 'malformed',
      message: 'the activity has no id object (id.time, id.applicationName)',
    };
  }
  const application = ownValue(id, 'applicationName');
  if (typeof application !== 'string' || application === '') {
    return { kind: 'malformed', message: 'the activity has no id.applicationName' };
  }
  const events = readEvents(record);
  if (typeof events === 'string') return { kind: 'malformed', message: events };

  if (!APPLICATIONS.has(application)) {
    return { kind: 'skip', reason: skipReason(application, events[0]?.name ?? '(unnamed)') };
  }

  const results = events.map((event) => adaptEvent(record, id, application, event));
  const emitted = results.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
  if (emitted.length > 0) return { kind: 'events', events: emitted };
  for (const r of results) if (r.kind === 'malformed') return r;
  for (const r of results) if (r.kind === 'skip') return r;
  return { kind: 'malformed', message: 'the activity has no events' };
}

/** The activity's events in any of the three shapes, or why there are none. */
function readEvents(record: Readonly<Record<string, unknown>>): readonly VendorEvent[] | string {
  const events = ownValue(record, 'events');
  if (Array.isArray(events)) {
    if (events.length === 0) return 'the activity has an empty events array';
    return events.map((event, index) => readEvent(event, index));
  }
  if (isObject(events)) return [readEvent(events, undefined)];
  if (events !== undefined && events !== null) {
    return `events must be an array or an object, got ${describe(events)}`;
  }
  // Panther's flattened form: the one event's fields sit on the activity itself.
  if (Object.hasOwn(record, 'name') || Object.hasOwn(record, 'parameters')) {
    const flattened = {
      type: ownValue(record, 'type'),
      name: ownValue(record, 'name'),
      parameters: ownValue(record, 'parameters'),
    };
    return [readEvent(flattened, undefined)];
  }
  return 'the activity has no events (neither events[] nor a flattened name)';
}

function readEvent(event: unknown, index: number | undefined): VendorEvent {
  if (!isObject(event)) return { name: undefined, parameters: new Map(), position: index ?? '' };
  const rawName = ownValue(event, 'name');
  // Panther's samples hold "suspicious_login " with a trailing space.
  const name = typeof rawName === 'string' && rawName.trim() !== '' ? rawName.trim() : undefined;
  const parameters = readWorkspaceParameters(ownValue(event, 'parameters'));
  if (name === undefined) return { name, parameters, position: index ?? '' };
  return { name, parameters, position: index ?? `${name}:${shortHash(JSON.stringify(event))}` };
}

function adaptEvent(
  record: Readonly<Record<string, unknown>>,
  id: Readonly<Record<string, unknown>>,
  application: string,
  event: VendorEvent,
): EventResult {
  if (event.name === undefined) {
    return { kind: 'malformed', message: 'an event of the activity has no name' };
  }
  const mapping = Object.hasOwn(EVENT_MAPPINGS, event.name)
    ? EVENT_MAPPINGS[event.name]
    : undefined;
  const disabled = event.name.startsWith('account_disabled_');
  const resolved: EventMapping | undefined = mapping ?? (disabled ? medium : undefined);
  if (resolved === undefined) {
    return { kind: 'skip', reason: skipReason(application, event.name) };
  }

  const time = readTime(record, id);
  if (!time.ok) return { kind: 'malformed', message: time.message };
  const account = readAccount(record, event.parameters);
  if (typeof account === 'string') return { kind: 'malformed', message: account };
  const qualifier = readQualifier(id);
  if (qualifier === undefined) {
    return {
      kind: 'malformed',
      message: 'id.uniqueQualifier must be a string of up to 64 characters or an integer',
    };
  }

  const p = event.parameters;
  const fields: Record<string, unknown> = {
    id: `workspace:${time.iso}:${qualifier}:${String(event.position)}`,
    time: time.iso,
  };
  const suspicious = parameterBoolean(p, 'is_suspicious') === true;
  const methods = parameterStrings(p, 'login_challenge_method');

  switch (resolved.kind) {
    case 'signin': {
      fields.type = 'signin';
      fields.outcome = resolved.outcome;
      const method =
        parameterString(p, 'login_type') === 'saml' ? 'sso' : workspaceAuthMethod(methods);
      if (method) fields.auth = { method };
      break;
    }
    case 'challenge': {
      fields.type = 'mfa.challenge';
      const status = parameterString(p, 'login_challenge_status');
      // "Challenge Passed." in older records, "passed" in newer ones; no status: result unknown.
      fields.outcome =
        status === undefined ? 'pending' : /\bpass/i.test(status) ? 'success' : 'failure';
      const method = workspaceAuthMethod(methods);
      if (method) fields.auth = { method };
      break;
    }
    case 'risk': {
      fields.type = 'risk.detected';
      fields.outcome = resolved.outcome;
      break;
    }
    case 'change': {
      fields.type = resolved.type;
      fields.outcome = 'success';
      if (resolved.channel) fields.recovery = { channel: resolved.channel };
      break;
    }
    case 'forwarding': {
      fields.type = 'mailbox.forwarding.set';
      fields.outcome = 'success';
      const to = forwardingAddress(parameterString(p, 'email_forwarding_destination_address'));
      if (to) fields.mailbox = { forward_to: to };
      break;
    }
  }

  fields.account = account;
  const source = readSource(record);
  if (source) fields.source = source;
  if (resolved.kind === 'change' || resolved.kind === 'forwarding') {
    // The Login and User Accounts audits record what users did to their own account.
    fields.actor = { id: account.id, kind: 'self' };
  }
  const risk = vendorRisk(
    event.name,
    resolved,
    suspicious,
    parameterString(p, 'sensitive_action_name'),
  );
  if (risk) fields.vendor_risk = risk;
  return { kind: 'event', event: fields };
}

function vendorRisk(
  name: string,
  mapping: EventMapping,
  suspicious: boolean,
  sensitiveAction: string | undefined,
): AdaptedEvent | undefined {
  const signals: string[] = [];
  if (mapping.kind === 'risk') signals.push(name);
  if (suspicious) signals.push('is_suspicious');
  if (mapping.kind === 'risk' && sensitiveAction)
    signals.push(`sensitive_action:${sensitiveAction}`);
  if (signals.length === 0) return undefined;
  // The validator takes signals of up to 128 characters; an over-long vendor name is cut, not fatal.
  return {
    level: mapping.kind === 'risk' ? mapping.level : 'medium',
    signals: signals.map((signal) => signal.slice(0, 128)),
  };
}

type TimeRead =
  { readonly ok: true; readonly iso: string } | { readonly ok: false; readonly message: string };

/**
 * `id.time` (RFC 3339 from the API), else Panther's `p_event_time`. A time
 * without a zone (Panther writes `2022-12-29 22:42:44.467000000`) is UTC.
 */
function readTime(
  record: Readonly<Record<string, unknown>>,
  id: Readonly<Record<string, unknown>>,
): TimeRead {
  const idTime = ownValue(id, 'time');
  const text = typeof idTime === 'string' ? idTime : ownValue(record, 'p_event_time');
  if (typeof text !== 'string' || text.trim() === '') {
    return { ok: false, message: 'the activity has no id.time' };
  }
  const trimmed = text.trim();
  if (trimmed.length > 64) return { ok: false, message: 'id.time is too long to be a timestamp' };
  const zoned = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(trimmed) ? trimmed : `${trimmed}Z`;
  const parsed = parseTime(zoned);
  if (!parsed.ok) return { ok: false, message: `id.time: ${parsed.reason}` };
  return { ok: true, iso: new Date(parsed.ms).toISOString() };
}

/**
 * The user the event is about: an account warning names them in
 * `affected_email_address`; everything else is about the actor.
 */
function readAccount(
  record: Readonly<Record<string, unknown>>,
  parameters: WorkspaceParameters,
): { readonly id: string; readonly email?: string } | string {
  const affected = parameterString(parameters, 'affected_email_address');
  const actor = ownValue(record, 'actor');
  const actorEmail = isObject(actor) ? ownValue(actor, 'email') : undefined;
  const text = affected ?? (typeof actorEmail === 'string' ? actorEmail : undefined);
  const user = text?.trim().toLowerCase();
  if (user === undefined || user === '') {
    return 'the activity names no user (actor.email, or affected_email_address for an account warning)';
  }
  if (user.length > 256) return "the user's address is longer than 256 characters";
  return user.includes('@') ? { id: user, email: user } : { id: user };
}

function readQualifier(id: Readonly<Record<string, unknown>>): string | undefined {
  const q = ownValue(id, 'uniqueQualifier');
  if (q === undefined || q === null) return '';
  if (typeof q === 'number') return Number.isSafeInteger(q) ? String(q) : undefined;
  if (typeof q === 'string' && q.length <= 64) return q;
  return undefined;
}

/** `ipAddress` and `networkInfo`, when they say something. */
function readSource(record: Readonly<Record<string, unknown>>): AdaptedEvent | undefined {
  const source: Record<string, unknown> = {};
  const ip = cleanIp(ownValue(record, 'ipAddress'));
  if (ip) source.ip = ip;
  const network = ownValue(record, 'networkInfo');
  if (isObject(network)) {
    const region = ownValue(network, 'regionCode');
    if (typeof region === 'string' && /^[A-Za-z]{2}$/.test(region)) {
      source.country = region.toUpperCase();
    }
    const asns = ownValue(network, 'ipAsn');
    const first = Array.isArray(asns) ? asns[0] : asns;
    const asn = typeof first === 'string' && /^\d{1,10}$/.test(first) ? Number(first) : first;
    if (typeof asn === 'number' && Number.isInteger(asn) && asn >= 0 && asn <= 4_294_967_295) {
      source.asn = asn;
    }
  }
  return Object.keys(source).length > 0 ? source : undefined;
}

/** An IP address without port or brackets; placeholders and non-addresses give nothing. */
function cleanIp(value: unknown): string | undefined {
  return typeof value === 'string' ? addressOf(value) : undefined;
}

/**
 * The forwarding address, also when a sample wrote it as a Markdown mail
 * link (`[a@b.example](mailto:a@b.example)`), lower-cased.
 */
function forwardingAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let address = value.trim();
  const link = /^\[[^\]]*\]\((?:mailto:)?([^)]+)\)$/i.exec(address);
  if (link) address = link[1] ?? '';
  address = address
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
  return address === '' || address.length > 320 ? undefined : address;
}

/** Skips are counted by reason: a hostile name must not make the reasons unbounded. */
function skipReason(application: string, name: string): string {
  return `workspace ${application.slice(0, 64)} ${name.slice(0, 96)}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
