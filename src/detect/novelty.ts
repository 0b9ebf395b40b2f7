/**
 * Whether a step's context is entirely new to an account, whatever the size
 * of its history: a device it never trusted (when the event names one) on a
 * network and AS it never trusted. The likelihood ratio says little about a
 * dormant account with a handful of sign-ins; novelty still does.
 * The engine computes it once per event (`DetectionContext.novel`).
 */
import { FEATURE } from './account-profile.js';
import type { AccountProfile, FeatureKeys } from './account-profile.js';

/** Whether the step has a value of the feature that the account never trusted (an absent one has not). */
const untrusted = (keys: FeatureKeys, profile: AccountProfile, f: number) =>
  keys[f] !== 0 && profile.trusted(f, keys[f]!) === 0;

/**
 * A stranger to an account with history: network and AS both new to it, and
 * its device (or, with none, its client) too — stricter than novelty, where a
 * step naming no device counts as on a new one. Neither the owner travelling
 * with their own device, nor on a new phone at home, nor moving between
 * addresses of their own carrier. Read by the correlator's bursts
 * (CorrelationSignal.stranger).
 */
export function isStrangerContext(keys: FeatureKeys, profile: AccountProfile): boolean {
  return (
    profile.learned > 0 &&
    untrusted(keys, profile, FEATURE.network) &&
    untrusted(keys, profile, FEATURE.asn) &&
    untrusted(keys, profile, keys[FEATURE.device] !== 0 ? FEATURE.device : FEATURE.client)
  );
}

export function isNovelContext(keys: FeatureKeys, profile: AccountProfile): boolean {
  if (profile.learned === 0 || keys[FEATURE.network] === 0) return false;
  return (
    profile.trusted(FEATURE.device, keys[FEATURE.device]!) === 0 &&
    profile.trusted(FEATURE.network, keys[FEATURE.network]!) === 0 &&
    profile.trusted(FEATURE.asn, keys[FEATURE.asn]!) === 0
  );
}
