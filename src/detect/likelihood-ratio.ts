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
 * const parts: number[] = [];
 * const llr = logLikelihoodRatio(featureKeys(features), profile, population, parts);
 */
import { FEATURES } from './account-profile.js';
import type { AccountProfile, Feature, FeatureKeys } from './account-profile.js';
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
const WEIGHTS = FEATURES.map((f) => FEATURE_WEIGHTS[f]);

/** Network, AS and country: where the step came from. */
const PLACE = FEATURES.map((f) => f === 'network' || f === 'asn' || f === 'country');

/**
 * The weighted log likelihood ratio of a context, and each feature's part of
 * it in `parts` (by feature index; NaN where the event has no value).
 * Positive: unusual for this user. With `withoutPlace` (a step from shared
 * egress, shared-egress.ts) network, AS and country count 0: that place is
 * everyone's.
 */
export function logLikelihoodRatio(
  keys: FeatureKeys,
  profile: AccountProfile,
  population: Population,
  parts: number[],
  withoutPlace = false,
): number {
  let llr = 0;
  for (let fi = 0; fi < keys.length; fi++) {
    const key = keys[fi]!;
    if (key === 0) {
      parts[fi] = Number.NaN;
      continue;
    }
    if (withoutPlace && PLACE[fi]) {
      parts[fi] = 0;
      continue;
    }
    const pAll = population.probability(fi, key);
    const pUser = (profile.trusted(fi, key) + ALPHA * pAll) / (profile.total(fi) + ALPHA);
    const part = Math.log(pAll / pUser) * WEIGHTS[fi]!;
    llr += part;
    parts[fi] = part;
  }
  return llr;
}

/** log LR → [0, 1]: 0.5 at a ratio of e^4 (about 55× likelier for anyone than for this user). */
export function unfamiliarity(llr: number): number {
  return 1 / (1 + Math.exp(-(llr - 4)));
}
