/**
 * Whether a step's context is entirely new to an account, whatever the size
 * of its history: a device it never trusted (when the event names one) on a
 * network and AS it never trusted. The likelihood ratio says little about a
 * dormant account with a handful of sign-ins; novelty still does.
 * The engine computes it once per event (`DetectionContext.novel`). Also:
 * whether a step comes from somewhere new ({@link isNewPlace}).
 */
import { FEATURE, OWN_NETWORK_WEIGHT } from './account-profile.js';
import type { AccountProfile, FeatureKeys } from './account-profile.js';

/** Whether the step has a value of the feature that the account never trusted (an absent one has not). */
const untrusted = (keys: FeatureKeys, profile: AccountProfile, f: number) =>
  keys[f] !== 0 && profile.trusted(f, keys[f]!) === 0;

export function isNovelContext(keys: FeatureKeys, profile: AccountProfile): boolean {
  if (profile.learned === 0 || keys[FEATURE.network] === 0) return false;
  return (
    profile.trusted(FEATURE.device, keys[FEATURE.device]!) === 0 &&
    profile.trusted(FEATURE.network, keys[FEATURE.network]!) === 0 &&
    profile.trusted(FEATURE.asn, keys[FEATURE.asn]!) === 0
  );
}

/**
 * Somewhere new to the account: a network (/24) it never trusted, on a
 * device it never trusted. Where the step names no device, a client it never
 * used, or a country it never signed in from: the commonest browser on the
 * commonest system vouches for nobody from abroad. The provider may be the
 * account's own (a proxy exit at the user's ISP). Not the owner at home on a
 * new phone, nor travelling with their own laptop when it names its device.
 * Every step of an account with no trusted history is somewhere new.
 * Read by `attempt-burst` and the correlator's bursts
 * (CorrelationSignal.stranger); the engine computes it once per event
 * (`DetectionContext.newPlace`).
 */
export function isNewPlace(keys: FeatureKeys, profile: AccountProfile): boolean {
  return newPlaceBy(keys, profile) !== -1;
}

/**
 * What besides the network makes the step's place new ({@link isNewPlace}):
 * `FEATURE.device`, `FEATURE.client` or `FEATURE.country`; -1 when it is not new.
 */
export function newPlaceBy(keys: FeatureKeys, profile: AccountProfile): number {
  if (keys[FEATURE.network] === 0 || profile.trusted(FEATURE.network, keys[FEATURE.network]!) > 0)
    return -1;
  if (keys[FEATURE.device] !== 0)
    return untrusted(keys, profile, FEATURE.device) ? FEATURE.device : -1;
  if (untrusted(keys, profile, FEATURE.client)) return FEATURE.client;
  return untrusted(keys, profile, FEATURE.country) ? FEATURE.country : -1;
}

/** Whether the step names a country the account never trusted a step from (an account with trusted history). */
export function isNewCountry(keys: FeatureKeys, profile: AccountProfile): boolean {
  return profile.learned > 0 && untrusted(keys, profile, FEATURE.country);
}

/**
 * Whether the step comes from the account's own network: one it has trusted
 * over several steps ({@link OWN_NETWORK_WEIGHT}), on an account that is not
 * young (whose first steps, the attacker's as often as not, taught it that).
 */
export function isOwnNetwork(keys: FeatureKeys, profile: AccountProfile): boolean {
  const key = keys[FEATURE.network]!;
  return !profile.young && key !== 0 && profile.trusted(FEATURE.network, key) >= OWN_NETWORK_WEIGHT;
}
