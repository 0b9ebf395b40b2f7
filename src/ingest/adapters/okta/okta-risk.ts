/**
 * Every risk signal an Okta LogEvent carries, as the native `vendor_risk`.
 *
 * Read from `debugContext.debugData` and `securityContext`:
 * - `risk`: `"{level=HIGH, reasons=Anomalous Device, Anomalous Location}"`
 *   (Okta's map-as-string form) or an object `{level, reasons}`; the level
 *   maps LOW/MEDIUM/HIGH to low/medium/high, each reason gives
 *   `riskReason:<reason>`;
 * - `behaviors`: `"{New Device=POSITIVE, New IP=NEGATIVE, …}"` or an object;
 *   each POSITIVE behaviour gives `behavior:<name>`;
 * - `logOnlySecurityData`: a JSON string (or object) holding the same `risk`
 *   and `behaviors`, computed but not enforced by policy: read the same way;
 * - `threatSuspected` "true" gives `threatSuspected`;
 * - `threatDetections`: `'{"Password Spray":"HIGH"}'` (ThreatInsight) gives
 *   `threatDetection:<name>` and raises the level;
 * - `securityContext.isProxy` true gives `isProxy`.
 *
 * The level is the highest one found. Nothing found gives undefined.
 *
 * @example
 * oktaRisk({ debugContext: { debugData: { risk: '{level=HIGH, reasons=Anomalous Device}' } } });
 * // { level: 'high', signals: ['riskReason:Anomalous Device'] }
 */
import type { RiskLevel } from '../../../domain/event.js';
import { at, object, text } from './okta-fields.js';
import { isObject } from '../../field-checks.js';

/**
 * The native `vendor_risk` shape: a level when Okta gave one, and the signals.
 *
 * @example
 * const risk: OktaRisk = { level: 'high', signals: ['threatSuspected'] };
 */
export interface OktaRisk {
  readonly level?: RiskLevel;
  readonly signals: readonly string[];
}

const RANK: Readonly<Record<RiskLevel, number>> = { none: 0, low: 1, medium: 2, high: 3 };
const MAX_SIGNALS = 64;
const MAX_SIGNAL_LENGTH = 128;

/**
 * The `vendor_risk` of an Okta LogEvent (see the file comment), with `extraSignals` appended.
 *
 * @example
 * oktaRisk({ securityContext: { isProxy: true } }); // { signals: ['isProxy'] }
 */
export function oktaRisk(
  record: unknown,
  extraSignals: readonly string[] = [],
): OktaRisk | undefined {
  const debugData = object(record, 'debugContext', 'debugData');
  const collected = new Collector();

  if (debugData) {
    const threat = at(debugData, 'threatSuspected');
    if (threat === true || (typeof threat === 'string' && threat.trim().toLowerCase() === 'true')) {
      collected.signal('threatSuspected');
    }
    readRisk(at(debugData, 'risk'), collected);
    readBehaviors(at(debugData, 'behaviors'), collected);
    const logOnly = parseJson(at(debugData, 'logOnlySecurityData'));
    if (logOnly) {
      readRisk(at(logOnly, 'risk'), collected);
      readBehaviors(at(logOnly, 'behaviors'), collected);
    }
    const detections = parseJson(at(debugData, 'threatDetections'));
    if (detections) {
      for (const [name, level] of Object.entries(detections)) {
        collected.signal(`threatDetection:${name}`);
        if (typeof level === 'string') collected.level(level);
      }
    }
  }
  if (at(record, 'securityContext', 'isProxy') === true) collected.signal('isProxy');
  for (const signal of extraSignals) collected.signal(signal);
  return collected.result();
}

class Collector {
  #level: RiskLevel | undefined;
  readonly #signals: string[] = [];

  level(vendorLevel: string): void {
    const level = vendorLevel.trim().toLowerCase();
    if (!Object.hasOwn(RANK, level)) return;
    const known = level as RiskLevel;
    if (this.#level === undefined || RANK[known] > RANK[this.#level]) this.#level = known;
  }

  signal(signal: string): void {
    const s = signal.trim();
    if (s === '' || s.length > MAX_SIGNAL_LENGTH || this.#signals.length >= MAX_SIGNALS) return;
    if (!this.#signals.includes(s)) this.#signals.push(s);
  }

  result(): OktaRisk | undefined {
    if (this.#level === undefined && this.#signals.length === 0) return undefined;
    return this.#level === undefined
      ? { signals: this.#signals }
      : { level: this.#level, signals: this.#signals };
  }
}

function readRisk(value: unknown, collected: Collector): void {
  const risk = typeof value === 'string' ? parseOktaMap(value) : value;
  if (!isObject(risk)) return;
  const level = text(risk, 'level');
  if (level) collected.level(level);
  const reasons = at(risk, 'reasons');
  const list = Array.isArray(reasons)
    ? reasons
    : typeof reasons === 'string'
      ? reasons.split(',')
      : [];
  for (const reason of list) {
    if (typeof reason === 'string') collected.signal(`riskReason:${reason.trim()}`);
  }
}

function readBehaviors(value: unknown, collected: Collector): void {
  const behaviors = typeof value === 'string' ? parseOktaMap(value) : value;
  if (!isObject(behaviors)) return;
  for (const [name, verdict] of Object.entries(behaviors)) {
    if (typeof verdict === 'string' && verdict.trim().toUpperCase() === 'POSITIVE') {
      collected.signal(`behavior:${name.trim()}`);
    }
  }
}

/** A JSON object given as a string or as an object, or undefined. */
function parseJson(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string' || value.length > 65_536) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const ENTRY = /^([A-Za-z][\w .-]*)=(.*)$/s;

/**
 * Okta's map-as-string, `{level=HIGH, reasons=Anomalous Device, Anomalous
 * Location}` (a Java `Map.toString()`): a piece without `=` continues the
 * previous value, since values themselves hold ", ". A JSON object string is
 * read as JSON.
 */
function parseOktaMap(value: string): Readonly<Record<string, unknown>> | undefined {
  const s = value.trim();
  if (s.startsWith('{"')) return parseJson(s);
  if (!s.startsWith('{') || !s.endsWith('}') || s.length > 65_536) return undefined;
  const entries = new Map<string, string>();
  let last: string | undefined;
  for (const piece of s.slice(1, -1).split(', ')) {
    const m = ENTRY.exec(piece);
    if (m) {
      last = m[1]!.trim();
      entries.set(last, m[2]!);
    } else if (last !== undefined) {
      entries.set(last, `${entries.get(last) ?? ''}, ${piece}`);
    }
  }
  return Object.fromEntries(entries);
}
