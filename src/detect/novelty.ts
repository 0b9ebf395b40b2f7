/**
 * Whether a step's context is entirely new to an account, whatever the size
 * of its history: a device it never trusted (when the event names one) on a
 * network and AS it never trusted. The likelihood ratio says little about a
 * dormant account with a handful of sign-ins; novelty still does.
 * The engine computes it once per event (`DetectionContext.novel`).
 */
import { FEATURE } from './account-profile.js';
import type { AccountProfile, FeatureKeys } from './account-profile.js';

export function isNovelContext(keys: FeatureKeys, profile: AccountProfile): boolean {
  if (profile.learned === 0 || keys[FEATURE.network] === 0) return false;
  return (
    profile.trusted(FEATURE.device, keys[FEATURE.device]!) === 0 &&
    profile.trusted(FEATURE.network, keys[FEATURE.network]!) === 0 &&
    profile.trusted(FEATURE.asn, keys[FEATURE.asn]!) === 0
  );
}
