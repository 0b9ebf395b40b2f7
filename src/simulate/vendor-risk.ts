/**
 * The `vendor_risk` verdict an upstream identity provider sometimes attaches.
 *
 * It is deliberately a weak, noisy signal, as in real products: mostly absent,
 * often "none" or "low" even for attackers on residential proxies, and now and
 * then "medium" for a user who just got a new phone or is abroad. The callers
 * describe only what the vendor could see (new device, foreign country,
 * anonymising network), never whether the event is malicious.
 *
 * @example
 * const risk = vendorRisk(rng, 'foreign'); // undefined, or { level: 'medium', signals: ['newCountry'] }
 */
import type { RiskLevel } from '../domain/event.js';
import type { Random } from './random.js';

/** What the vendor could observe about a sign-in. */
export type RiskSituation = 'familiar' | 'unfamiliar' | 'foreign' | 'anonymous';

interface RiskProfile {
  readonly presence: number;
  readonly levels: readonly [RiskLevel, number][];
  readonly signals: readonly string[];
}

const PROFILES: Record<RiskSituation, RiskProfile> = {
  familiar: {
    presence: 0.03,
    levels: [
      ['none', 0.72],
      ['low', 0.23],
      ['medium', 0.05],
    ],
    signals: ['unfamiliarFeatures'],
  },
  unfamiliar: {
    presence: 0.14,
    levels: [
      ['none', 0.3],
      ['low', 0.4],
      ['medium', 0.25],
      ['high', 0.05],
    ],
    signals: ['unfamiliarFeatures', 'newDevice'],
  },
  foreign: {
    presence: 0.22,
    levels: [
      ['none', 0.2],
      ['low', 0.35],
      ['medium', 0.35],
      ['high', 0.1],
    ],
    signals: ['newCountry', 'unlikelyTravel', 'unfamiliarFeatures'],
  },
  anonymous: {
    presence: 0.16,
    levels: [
      ['none', 0.28],
      ['low', 0.3],
      ['medium', 0.29],
      ['high', 0.13],
    ],
    signals: ['anonymizedIPAddress', 'suspiciousIPAddress', 'unfamiliarFeatures'],
  },
};

/** The verdict the vendor attaches to an event in `situation`, or undefined (most of the time). */
export function vendorRisk(
  rng: Random,
  situation: RiskSituation,
): { level: RiskLevel; signals: string[] } | undefined {
  const p = PROFILES[situation];
  if (!rng.chance(p.presence)) return undefined;
  const level = rng.weighted(p.levels, (l) => l[1])[0];
  if (level === 'none') return { level, signals: [] };
  const signals = [rng.pick(p.signals)];
  if (level !== 'low' && rng.chance(0.35)) {
    const extra = rng.pick(p.signals);
    if (extra !== signals[0]) signals.push(extra);
  }
  return { level, signals };
}
