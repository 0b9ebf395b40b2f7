/**
 * Validation of native event v1 at the edge (DESIGN.md, "Native event").
 *
 * Never throws, whatever JSON value it is given; reports every problem with the
 * field and the reason; fills the defaults (`id`, `tenant`, `outcome`);
 * normalises `time` to UTC and `source.country` to upper case; keeps every
 * field it does not know.
 *
 * @example
 * const r = validateEvent({ time: '2019-09-03T14:22:31Z', type: 'singin', account: {} });
 * // r.ok === false; formatProblems(r.problems) ===
 * //   'type: unknown value "singin" (did you mean "signin"?); account.id: required'
 */
import { createHash } from 'node:crypto';
import {
  ACTOR_KINDS,
  AUTH_METHODS,
  DEFAULT_TENANT,
  EVENT_TYPES,
  OUTCOMES,
  RECOVERY_CHANNELS,
  RISK_LEVELS,
} from '../domain/event.js';
import type { NativeEvent } from '../domain/event.js';
import type { Problem, Validation } from '../domain/validation.js';
import {
  describe,
  isObject,
  optionalEnum,
  optionalIp,
  optionalObject,
  optionalString,
  optionalStringArray,
  optionalTenant,
  requiredString,
  checkAccount,
} from './field-checks.js';
import { parseTime } from './parse-time.js';

export interface ValidatedEvent {
  readonly event: NativeEvent;
  /** `event.time` in milliseconds since the epoch. */
  readonly timeMs: number;
  /**
   * False when the input already was the normalised event (every default
   * present, time already in canonical UTC form), so its original text can be
   * stored as is without serialising it again.
   */
  readonly changed: boolean;
}

export interface ValidateEventOptions {
  /** The record's original text, used to derive a stable id when `id` is absent. */
  readonly rawText?: string;
  /** Tenant applied when the event names none. */
  readonly defaultTenant?: string;
}

const COUNTRY = /^[A-Za-z]{2}$/;
const MAX_ASN = 4_294_967_295;

export function validateEvent(
  input: unknown,
  options: ValidateEventOptions = {},
): Validation<ValidatedEvent> {
  if (!isObject(input)) {
    return {
      ok: false,
      problems: [{ field: '', reason: `event must be a JSON object, got ${describe(input)}` }],
    };
  }
  const problems: Problem[] = [];
  let changed = false;

  const id = optionalString(input.id, 'id', problems, 256);
  const tenant = optionalTenant(input.tenant, 'tenant', problems);

  let time: string | undefined;
  let timeMs = 0;
  const timeText = requiredString(input.time, 'time', problems, 64);
  const canonicalMs = timeText === undefined ? -1 : canonicalTime(timeText);
  if (canonicalMs >= 0) {
    // The common case, already canonical UTC: no regex, no conversion.
    time = timeText;
    timeMs = canonicalMs;
  } else if (timeText !== undefined) {
    const parsed = parseTime(timeText);
    if (parsed.ok) {
      timeMs = parsed.ms;
      time = new Date(parsed.ms).toISOString();
      if (time !== timeText) changed = true;
    } else {
      problems.push({ field: 'time', reason: parsed.reason });
    }
  }

  if (input.type === undefined || input.type === null) {
    problems.push({ field: 'type', reason: 'required' });
  } else {
    optionalEnum(input.type, EVENT_TYPES, 'type', problems);
  }
  const outcome = optionalEnum(input.outcome, OUTCOMES, 'outcome', problems);

  checkAccount(input.account, problems);

  let source = optionalObject(input.source, 'source', problems);
  let sourceChanged = false;
  if (source) {
    optionalIp(source.ip, 'source.ip', problems);
    optionalString(source.user_agent, 'source.user_agent', problems, 2048);
    optionalString(source.device_id, 'source.device_id', problems, 256);
    const country = optionalString(source.country, 'source.country', problems, 2);
    if (country !== undefined) {
      if (!COUNTRY.test(country)) {
        problems.push({ field: 'source.country', reason: 'must be an ISO 3166-1 alpha-2 code' });
      } else if (country !== country.toUpperCase()) {
        source = { ...source, country: country.toUpperCase() };
        sourceChanged = true;
        changed = true;
      }
    }
    const asn = source.asn;
    if (asn !== undefined && asn !== null) {
      if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < 0 || asn > MAX_ASN) {
        problems.push({ field: 'source.asn', reason: 'must be an integer from 0 to 4294967295' });
      }
    }
  }

  const auth = optionalObject(input.auth, 'auth', problems);
  if (auth) optionalEnum(auth.method, AUTH_METHODS, 'auth.method', problems);

  const recovery = optionalObject(input.recovery, 'recovery', problems);
  if (recovery) {
    optionalEnum(recovery.channel, RECOVERY_CHANNELS, 'recovery.channel', problems);
    optionalString(recovery.address, 'recovery.address', problems, 320);
  }

  const mailbox = optionalObject(input.mailbox, 'mailbox', problems);
  if (mailbox) {
    optionalString(mailbox.forward_to, 'mailbox.forward_to', problems, 320);
    optionalString(mailbox.rule_name, 'mailbox.rule_name', problems, 512);
  }

  const actor = optionalObject(input.actor, 'actor', problems);
  if (actor) {
    optionalString(actor.id, 'actor.id', problems, 256);
    optionalEnum(actor.kind, ACTOR_KINDS, 'actor.kind', problems);
  }

  const session = optionalObject(input.session, 'session', problems);
  if (session) optionalString(session.id, 'session.id', problems, 256);

  const vendorRisk = optionalObject(input.vendor_risk, 'vendor_risk', problems);
  if (vendorRisk) {
    optionalEnum(vendorRisk.level, RISK_LEVELS, 'vendor_risk.level', problems);
    optionalStringArray(vendorRisk.signals, 'vendor_risk.signals', problems);
  }

  if (problems.length > 0) return { ok: false, problems };

  const resolvedTenant = tenant ?? options.defaultTenant ?? DEFAULT_TENANT;
  if (id === undefined || tenant === undefined || outcome === undefined) changed = true;
  // An already-normalised input is the event itself: no copy on the hot path.
  if (!changed) return { ok: true, value: { event: input as NativeEvent, timeMs, changed } };
  const event = {
    ...input,
    id: id ?? derivedId(resolvedTenant, input, options.rawText),
    time: time as string,
    tenant: resolvedTenant,
    outcome: outcome ?? 'success',
    ...(sourceChanged ? { source } : {}),
  } as NativeEvent;
  return { ok: true, value: { event, timeMs, changed } };
}

/**
 * The time of a canonical UTC timestamp (`YYYY-MM-DDTHH:MM:SS.mmmZ`, as
 * `toISOString` writes it, year before 3000), or -1 for anything else. Read
 * digit by digit: this runs for every event.
 */
function canonicalTime(s: string): number {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 /* - */ ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 /* : */ ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 /* . */ ||
    s.charCodeAt(23) !== 90 /* Z */
  ) {
    return -1;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  if (
    year < 1970 ||
    year >= 3000 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    (hour | minute | second | ms) < 0 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return -1;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number written by `n` decimal digits at `at`, or -1. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * An event without a client id gets one derived from its content, so that
 * re-ingesting the same file stays idempotent.
 */
function derivedId(tenant: string, input: Record<string, unknown>, rawText?: string): string {
  const text = rawText ?? JSON.stringify(input);
  return `evt-${createHash('sha256').update(tenant).update('\n').update(text).digest('hex').slice(0, 32)}`;
}
