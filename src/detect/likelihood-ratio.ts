/**
 * The likelihood-ratio model of Freeman et al., "Who Are You? A Statistical
 * Approach to Measuring User Authenticity" (NDSS 2016): how much more likely
 * is this context for *anyone* (an attacker draws from the population) than
 * for *this user* (their history)? Per feature,
 *
 *   LR(v) = P(v | population) / P(v | user),
 *   P(v | user) = (w(v) + α·P(v | population)) / (W + α)
 *
 * where w(v) is the user's decayed, trusted weight for v and W the feature's
 * total: with little history, P(v | user) falls back to the population's, so
 * a new account is neither familiar nor strange. Features are combined as a
 * weighted sum of log ratios; the weights temper the dependence between them
 * (a new /24 usually means a new ASN too).
 *
 * @example
 * const { llr, parts } = logLikelihoodRatio(features, profile, population);
 */
import { FEATURES } from './account-profile.js';
import type { AccountProfile, Feature, FeatureValues } from './account-profile.js';
import type { Population } from './population.js';

/** Smoothing strength: history weight at which the user's own evidence equals the prior. */
const ALPHA = 1;

export const FEATURE_WEIGHTS: Readonly<Record<Feature, number>> = {
  network: 1,
  asn: 0.6,
  country: 0.6,
  device: 1.2,
  client: 0.5,
};

export interface FeaturePart {
  readonly feature: Feature;
  readonly value: string;
  /** log LR contribution, weighted. Positive: unusual for this user. */
  readonly llr: number;
  /** Trusted weight of the value in the user's history (0: never trusted). */
  readonly weight: number;
}

export function logLikelihoodRatio(
  features: FeatureValues,
  profile: AccountProfile,
  population: Population,
): { llr: number; parts: FeaturePart[] } {
  let llr = 0;
  const parts: FeaturePart[] = [];
  for (const feature of FEATURES) {
    const value = features[feature];
    if (value === undefined) continue;
    const { weight, total } = profile.weight(feature, value);
    const pAll = population.probability(feature, value);
    const pUser = (weight + ALPHA * pAll) / (total + ALPHA);
    const part = Math.log(pAll / pUser) * FEATURE_WEIGHTS[feature];
    llr += part;
    parts.push({ feature, value, llr: part, weight });
  }
  return { llr, parts };
}

/** log LR → [0, 1]: 0.5 at a ratio of e^4 (about 55× likelier for anyone than for this user). */
export function unfamiliarity(llr: number): number {
  return 1 / (1 + Math.exp(-(llr - 4)));
}
