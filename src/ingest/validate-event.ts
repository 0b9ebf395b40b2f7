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
  if (timeText !== undefined && isCanonicalTime(timeText)) {
    // The common case, already canonical UTC: no regex, no conversion.
    time = timeText;
    timeMs = Date.parse(timeText);
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

const YEAR_3000 = Date.UTC(3000, 0, 1);

/** `2019-09-03T14:22:31.120Z` exactly, naming a real instant from 1970 to 2999. */
function isCanonicalTime(s: string): boolean {
  if (s.length !== 24 || s.charCodeAt(23) !== 90 /* Z */ || s.charCodeAt(10) !== 84 /* T */) {
    return false;
  }
  const ms = Date.parse(s);
  // Date.parse accepts 2026-02-30 (rolling over); the round trip does not.
  return ms >= 0 && ms < YEAR_3000 && new Date(ms).toISOString() === s;
}

/**
 * An event without a client id gets one derived from its content, so that
 * re-ingesting the same file stays idempotent.
 */
function derivedId(tenant: string, input: Record<string, unknown>, rawText?: string): string {
  const text = rawText ?? JSON.stringify(input);
  return `evt-${createHash('sha256').update(tenant).update('\n').update(text).digest('hex').slice(0, 32)}`;
}
