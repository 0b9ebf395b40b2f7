import type { RiskLevel } from '../../../domain/event.js';
import { fieldAt, integerAt, numberAt, textAt, unmappedAt } from './read-fields.js';

/** The native `vendor_risk` of an event. */
export interface OcsfRisk {
  readonly level?: RiskLevel;
  readonly signals?: readonly string[];
}

const ORDER: readonly RiskLevel[] = ['none', 'low', 'medium', 'high'];

/** OCSF `risk_level_id`: 0 Info, 1 Low, 2 Medium, 3 High, 4 Critical (99 Other: no level). */
const RISK_LEVEL_IDS: Readonly<Record<number, RiskLevel>> = {
  0: 'none',
  1: 'low',
  2: 'medium',
  3: 'high',
  4: 'high',
};

/** Level names as OCSF captions and as Okta writes them (`LOW`, `HIGH`). */
const LEVEL_NAMES: Readonly<Record<string, RiskLevel>> = {
  info: 'none',
  informational: 'none',
  none: 'none',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'high',
};

const MAX_SIGNAL = 160;

/**
 * Every vendor risk signal of an OCSF event: the class's own `risk_level_id`
 * (or `risk_level`), `risk_score` and `risk_details`, and the Okta risk
 * fields the OCSF Okta mapping leaves in `unmapped.debugContext.debugData`
 * (`risk` `{level=LOW}`, `threatSuspected`, `behaviors` marked POSITIVE,
 * `threatDetections`). The level is the highest one found. `extra` carries
 * the caller's own signals and level (a finding's title and severity).
 *
 * @example
 * vendorRisk({ risk_level_id: 3, risk_score: 80 });
 * // { level: 'high', signals: ['risk_score:80'] }
 */
export function vendorRisk(record: unknown, extra: OcsfRisk = {}): OcsfRisk | undefined {
  const levels: RiskLevel[] = [];
  const signals: string[] = [...(extra.signals ?? [])];
  if (extra.level !== undefined) levels.push(extra.level);

  const levelId = integerAt(record, 'risk_level_id');
  const ownLevel =
    levelId !== undefined ? RISK_LEVEL_IDS[levelId] : levelNamed(textAt(record, 'risk_level'));
  if (ownLevel !== undefined) levels.push(ownLevel);
  const score = numberAt(record, 'risk_score');
  if (score !== undefined) signals.push(`risk_score:${score}`);
  const details = textAt(record, 'risk_details');
  if (details !== undefined) signals.push(`risk_details:${details}`);

  const oktaLevel = /level"?\s*[=:]\s*"?(\w+)/i.exec(debugValue(record, 'risk') ?? '')?.[1];
  const mappedOktaLevel = levelNamed(oktaLevel);
  if (mappedOktaLevel !== undefined) levels.push(mappedOktaLevel);
  if (debugValue(record, 'threatSuspected')?.toLowerCase() === 'true')
    signals.push('threatSuspected');
  for (const match of (debugValue(record, 'behaviors') ?? '').matchAll(/([^{},=]+)=POSITIVE/g)) {
    signals.push(`behavior:${match[1]!.trim()}`);
  }
  const detections = debugValue(record, 'threatDetections') ?? '';
  for (const match of detections.matchAll(/"([^"]+)"\s*:\s*"(\w+)"/g)) {
    signals.push(`threatDetection:${match[1]!}`);
    const level = levelNamed(match[2]);
    if (level !== undefined) levels.push(level);
  }

  const kept = [...new Set(signals.map((s) => s.slice(0, MAX_SIGNAL)))];
  const level = levels.reduce<RiskLevel | undefined>(
    (max, l) => (max === undefined || ORDER.indexOf(l) > ORDER.indexOf(max) ? l : max),
    undefined,
  );
  if (level === undefined && kept.length === 0) return undefined;
  return {
    ...(level !== undefined ? { level } : {}),
    ...(kept.length > 0 ? { signals: kept } : {}),
  };
}

/**
 * A native risk level from a level name (`High`, `LOW`, `Critical`).
 *
 * @example
 * levelNamed('Critical'); // 'high'
 */
export function levelNamed(name: string | undefined): RiskLevel | undefined {
  const key = name?.toLowerCase();
  return key !== undefined && Object.hasOwn(LEVEL_NAMES, key) ? LEVEL_NAMES[key] : undefined;
}

/** A string the Okta mapping left in `unmapped.debugContext.debugData` (nested or flattened). */
function debugValue(record: unknown, key: string): string | undefined {
  const value = unmappedAt(fieldAt(record, 'unmapped'), ['debugContext', 'debugData', key]);
  return typeof value === 'string' && value.length <= 4096 ? value : undefined;
}
