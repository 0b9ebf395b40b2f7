/**
 * Whether a step's context is entirely new to an account, whatever the size
 * of its history: a device it never trusted (when the event names one) on a
 * network and AS it never trusted. The likelihood ratio says little about a
 * dormant account with a handful of sign-ins; novelty still does.
 * The engine computes it once per event (`DetectionContext.novel`).
 */
import type { AccountProfile, FeatureValues } from './account-profile.js';

export function isNovelContext(features: FeatureValues, profile: AccountProfile): boolean {
  if (profile.learned === 0 || features.network === undefined) return false;
  const never = (f: 'device' | 'network' | 'asn') => {
    const v = features[f];
    return v === undefined || profile.weight(f, v).weight === 0;
  };
  return never('device') && never('network') && never('asn');
}
