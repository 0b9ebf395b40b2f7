/**
 * One simulated event: the spec generators fill in, and its rendering to the
 * native v1 JSON line of DESIGN.md.
 *
 * Both the benign generator and the attack scenarios render through
 * {@link renderEventBody}, so an attacker's event is indistinguishable from a
 * user's field by field: same key order, same optional-field habits (a UA or a
 * device id sometimes missing, country/ASN only occasionally present). The
 * signal has to be in behaviour and context.
 *
 * The `id` and `time` keys are prepended when the event is written, because
 * ids are assigned in output order after each day is sorted.
 *
 * @example
 * const body = renderEventBody(rng, {
 *   time, type: 'signin', outcome: 'success', account,
 *   source: { ip: '73.12.4.9', network, userAgent: ua, deviceId: 'd-1a2b3c4d5e' },
 *   method: 'password', session: 's-9f2c01ab77de',
 * });
 */
import type {
  ActorKind,
  AuthMethod,
  EventType,
  Outcome,
  RecoveryChannel,
  RiskLevel,
} from '../domain/event.js';
import type { Network } from './networks.js';
import type { SimAccount } from './organisation.js';
import type { Random } from './random.js';

/** What an attacker event was: see docs/SIMULATOR.md. */
export const LABEL_KINDS = ['probe', 'success', 'persistence'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** Ground truth attached to a malicious event until it is written. */
export interface Label {
  readonly campaign: string;
  readonly kind: LabelKind;
}

/** Where a request came from. Null fields are absent from the event. */
export interface SourceSpec {
  readonly ip: string;
  readonly network: Network;
  readonly userAgent: string | null;
  readonly deviceId: string | null;
}

/** Everything one event says, before rendering. Optional fields are omitted from the JSON. */
export interface EventSpec {
  readonly time: number;
  readonly type: EventType;
  readonly outcome: Outcome;
  readonly account: SimAccount;
  readonly source: SourceSpec;
  readonly method?: AuthMethod;
  readonly recovery?: { readonly channel: RecoveryChannel; readonly address?: string };
  readonly mailbox?: { readonly forward_to?: string; readonly rule_name?: string };
  readonly actor?: { readonly id: string; readonly kind: ActorKind };
  readonly session?: string;
  readonly risk?: { readonly level: RiskLevel; readonly signals: readonly string[] };
}

/** A rendered event waiting in its day's queue. */
export interface RawEvent {
  readonly t: number;
  /** Creation order: the tie-break that keeps sorting deterministic. */
  readonly seq: number;
  readonly body: string;
  readonly accountId: string;
  readonly label: Label | null;
}

/** Share of events whose log line lost the user agent / device id on the way. */
const MISSING_UA = 0.02;
const MISSING_DEVICE = 0.04;
/** Share of events where the source system already attached country and ASN. */
const WITH_GEO = 0.06;

const quoted = new Map<string, string>();
/** JSON string literal of `s`, cached: UA strings and addresses repeat a lot. */
function q(s: string): string {
  let r = quoted.get(s);
  if (r === undefined) {
    r = JSON.stringify(s);
    if (quoted.size < 200_000) quoted.set(s, r);
  }
  return r;
}

/**
 * Render everything after `"time":...,` of one native event line, with a fixed key order.
 *
 * @example
 * `{"id":"evt-1","time":"${isoTime(spec.time)}",${renderEventBody(rng, spec)}`;
 */
export function renderEventBody(rng: Random, spec: EventSpec): string {
  const src = spec.source;
  let source = `"source":{"ip":"${src.ip}"`;
  if (src.userAgent !== null && !rng.chance(MISSING_UA))
    source += `,"user_agent":${q(src.userAgent)}`;
  if (src.deviceId !== null && !rng.chance(MISSING_DEVICE))
    source += `,"device_id":"${src.deviceId}"`;
  if (rng.chance(WITH_GEO)) {
    if (src.network.country !== null) source += `,"country":"${src.network.country}"`;
    source += `,"asn":${src.network.asn}`;
  }
  let out = `"tenant":"default","type":"${spec.type}","outcome":"${spec.outcome}",${spec.account.json},${source}}`;
  if (spec.method !== undefined) out += `,"auth":{"method":"${spec.method}"}`;
  if (spec.recovery !== undefined) {
    out += `,"recovery":{"channel":"${spec.recovery.channel}"`;
    if (spec.recovery.address !== undefined) out += `,"address":${q(spec.recovery.address)}`;
    out += '}';
  }
  if (spec.mailbox !== undefined) {
    const parts: string[] = [];
    if (spec.mailbox.forward_to !== undefined)
      parts.push(`"forward_to":${q(spec.mailbox.forward_to)}`);
    if (spec.mailbox.rule_name !== undefined)
      parts.push(`"rule_name":${q(spec.mailbox.rule_name)}`);
    out += `,"mailbox":{${parts.join(',')}}`;
  }
  if (spec.actor !== undefined)
    out += `,"actor":{"id":${q(spec.actor.id)},"kind":"${spec.actor.kind}"}`;
  if (spec.session !== undefined) out += `,"session":{"id":"${spec.session}"}`;
  if (spec.risk !== undefined) {
    out += `,"vendor_risk":{"level":"${spec.risk.level}","signals":[${spec.risk.signals.map(q).join(',')}]}`;
  }
  return `${out}}`;
}

/**
 * A session id as identity providers print them.
 *
 * @example
 * newSessionId(rng); // "s-3f9a0c77b1e2"
 */
export function newSessionId(rng: Random): string {
  return `s-${rng.hex(12)}`;
}
