/**
 * `attempt-burst`: a step from somewhere new to its account while the tenant
 * is in a burst — far more accounts than usual, in this hour or the last,
 * each seeing a failed sign-in, second factor, reset request or recovery
 * step from somewhere new to them (hourly-burst.ts). Credential stuffing
 * through a proxy pool shares no address, browser or device between its
 * attempts; in such an hour, a leaked password that works from a new place
 * is asked for more, as is every further attempt. The owner on their own
 * network or device is not, and a second factor passed proves the place.
 */
import { EVENT_CLASS } from '../../domain/event-class.js';
import { FEATURES, YOUNG_STEPS } from '../account-profile.js';
import type { Detector } from '../detector.js';
import { isNewCountry, newPlaceBy } from '../novelty.js';

/** Enough for a challenge at the default sign-in and recovery thresholds; never a denial alone. */
const SCORE = 0.55;
/**
 * The share of a breach's pairs that still work where they are replayed:
 * industry reports put credential stuffing's success at 0.2–2%.
 */
const HIT_RATE = 0.01;
/**
 * Trusted steps from which an account has a place of its own: twice what
 * makes it no longer young, since an owner's second and third devices show
 * up over its first days.
 */
const SETTLED_STEPS = 2 * YOUNG_STEPS;
/**
 * The chance that a success is the burst's from which it is asked for more:
 * a second factor costs its owner a moment, a takeover costs the account,
 * so a prompt is worth it at one chance in ten.
 */
const MIN_ODDS = 0.1;

export const attemptBurstDetector: Detector = {
  id: 'attempt-burst',
  evaluate(ctx) {
    const burst = ctx.burst;
    if (!burst || !ctx.newPlace) return undefined;
    const { event } = ctx;
    const cls = EVENT_CLASS[event.type];
    if (cls !== 'signin' && cls !== 'mfa' && cls !== 'recovery') return undefined;
    if (cls === 'mfa' && event.outcome === 'success') return undefined;
    // A success on an account with history enough to have a place of its
    // own (SETTLED_STEPS trusted steps) is asked for more: owners of settled
    // accounts seldom arrive from a network and device both new to them, in
    // a tenant's first week as later. On a young account, a success is the
    // burst's only as often as the burst's expected successes outnumber the
    // owners who sign in from somewhere new in a usual hour (from a country
    // new to the account: the owners who do that): in a tenant's first days,
    // when every account is new, they do not; in a quiet tenant hit by a
    // breach's replay, they do.
    let odds = '';
    const success = event.outcome === 'success' && event.type !== 'password.reset.requested';
    if (success && ctx.profile.learned >= SETTLED_STEPS) {
      const learned = ctx.profile.learned;
      odds = `; the account has ${learned} trusted step${learned === 1 ? '' : 's'} of history, none from here`;
    } else if (success) {
      // Held against the accounts like this one: first seen, or owners with
      // some history signing in from somewhere new. (Until session 13, against
      // both: in a tenant's first days the first sightings of every account
      // made a young account's success look ordinary.)
      // From a country the account never signed in from, against the owners
      // who do that (session 16): most owners somewhere new are on a new
      // network at home, and a breach is replayed through exits worldwide.
      const first = ctx.profile.learned === 0;
      const abroad = isNewCountry(ctx.keys, ctx.profile); // never on a first sighting
      const owners = first ? burst.firsts : abroad ? burst.abroad : burst.arrivals;
      const hits = HIT_RATE * Math.max(0, burst.accounts - burst.usual);
      const p = hits / (hits + owners);
      if (!(p >= MIN_ODDS)) return undefined;
      odds =
        `; at 1 in ${Math.round(1 / HIT_RATE)} replayed passwords working, about ${round1(hits)} of its successes against ` +
        (first
          ? `${round1(owners)} accounts first seen in a usual hour`
          : abroad
            ? `${round1(owners)} owners with history signing in from a country new to them in a usual hour`
            : `${round1(owners)} owners with history signing in from somewhere new in a usual hour`);
    }
    const at = new Date(burst.hour * 3_600_000).toISOString().slice(11, 16);
    return {
      score: SCORE,
      detail:
        `a burst across the tenant: ${burst.accounts} accounts had attempts from somewhere new to them ` +
        `in the hour from ${at} UTC (usually up to ${round1(burst.usual)} an hour; ${burst.threshold} make a burst), ` +
        `and this step is from a network and ${FEATURES[newPlaceBy(ctx.keys, ctx.profile)] ?? 'context'} new to the account` +
        odds,
    };
  },
};

const round1 = (x: number) => Math.round(x * 10) / 10;
