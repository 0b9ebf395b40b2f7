/**
 * Bursts: hours in which far more accounts see a hostile-looking attempt
 * than a tenant ever sees, the shape of an operation that shares no
 * infrastructure between its attempts (credential stuffing through a large
 * proxy pool draws a fresh address, browser string and device per account).
 *
 * An hour is a burst when its count of accounts is improbable under the
 * tenant's usual rate (domain/burst-rate.ts). A handful of users mistyping a
 * password on a new phone is ordinary; dozens in an hour, each from
 * somewhere new, is an operation.
 *
 * Two stages count them: the engine ({@link AttemptBursts}: every attempt
 * from somewhere new to its account, so the decision on the next step can
 * use it, `attempt-burst`) and the correlator (`correlate/burst.ts`: the
 * attempts that joined no cluster, to group them into a campaign).
 *
 * @example
 * const bursts = new AttemptBursts();
 * bursts.add('default', hour, account); // …dozens of accounts in one hour
 * bursts.running('default', hour); // { hour, accounts: 41, usual: 1.4, threshold: 10 }
 */

import {
  BASELINE_HOURS,
  burstThreshold,
  hourOf,
  nearBurst,
  usualRate,
} from '../domain/burst-rate.js';

/** A burst under way, as the engine saw it before the current event. */
export interface RunningBurst {
  /** The burst hour the figures are from: this hour, or the one before. */
  readonly hour: number;
  /** Accounts with an attempt from somewhere new to them in that hour. */
  readonly accounts: number;
  /** The tenant's usual rate of such accounts an hour (see the file comment). */
  readonly usual: number;
  /** The accounts that made the hour a burst. */
  readonly threshold: number;
  /**
   * Accounts with trusted history an hour that usually sign in successfully
   * from somewhere new to them (the window's mean): the owners on a new
   * phone or a trip, among whom a burst's successes must stand out.
   */
  readonly arrivals: number;
  /**
   * Accounts an hour that usually sign in successfully with no trusted
   * history at all: first seen. In a tenant's first days nearly every
   * account is; among them, a burst's success on an account never seen.
   */
  readonly firsts: number;
  /**
   * Of {@link arrivals}, those from a country the account never signed in
   * from (the window's mean): owners abroad, fewer than owners on a new
   * network at home.
   */
  readonly abroad: number;
}

/** The window of the usual arrival rates: a day, its busy and quiet hours. */
const ARRIVALS_WINDOW_HOURS = 24;

/** One hour of a tenant: its accounts, and the usual rates it is held to. */
interface Hour {
  /** Accounts with an attempt from somewhere new to them. */
  readonly attempts: Set<number>;
  /** Accounts with trusted history and a successful sign-in from somewhere new to them. */
  readonly arrivals: Set<number>;
  /** Accounts with no trusted history and a successful sign-in. */
  readonly firsts: Set<number>;
  /** Of the arrivals, those from a country new to the account. */
  readonly abroad: Set<number>;
  readonly usual: number;
  readonly usualArrivals: number;
  readonly usualFirsts: number;
  readonly usualAbroad: number;
  readonly threshold: number;
}

/**
 * The snapshot form: per tenant, its hours (hour, usual rates, accounts) and
 * its burst hours. A usual rate is null for Infinity (JSON has none).
 */
export type AttemptBurstsState = [
  tenant: string,
  hours: [
    hour: number,
    usual: number | null,
    usualArrivals: number | null,
    attempts: number[],
    arrivals: number[],
    usualFirsts: number | null,
    firsts: number[],
    usualAbroad?: number | null,
    abroad?: number[],
  ][],
  bursts: number[],
][];

/**
 * The engine's count, per tenant and hour, of accounts that saw an attempt
 * (a failed sign-in or second factor, a reset request, a failed recovery
 * step) from somewhere new to them, of accounts signed in successfully from
 * somewhere new (with trusted history, and without: first seen), and which
 * hours were bursts. Bounded: hours older than the
 * window are forgotten, burst hours a window later.
 */
export class AttemptBursts {
  readonly #tenants = new Map<string, { hours: Map<number, Hour>; bursts: Set<number> }>();

  #hour(tenant: string, hour: number, since: number) {
    let t = this.#tenants.get(tenant);
    if (!t) {
      t = { hours: new Map(), bursts: new Set() };
      this.#tenants.set(tenant, t);
    }
    let h = t.hours.get(hour);
    if (!h) {
      for (const old of t.hours.keys()) if (old < hour - BASELINE_HOURS - 1) t.hours.delete(old);
      for (const old of t.bursts) if (old < hour - 2 * BASELINE_HOURS) t.bursts.delete(old);
      h = newHour(t.hours, t.bursts, hour, hourOf(since));
      t.hours.set(hour, h);
    }
    return { t, h };
  }

  /**
   * Counts an account's attempt from somewhere new to it in its hour, for a
   * tenant watched since `since` (ms); the hour becomes a burst once enough
   * accounts came.
   */
  add(tenant: string, hour: number, account: number, since: number): void {
    const { t, h } = this.#hour(tenant, hour, since);
    h.attempts.add(account);
    if (h.attempts.size >= h.threshold) t.bursts.add(hour);
  }

  /**
   * Counts an account's successful sign-in from somewhere new to it; `first`:
   * the account has no trusted history yet; `abroad`: it has, and the step's
   * country is new to it.
   */
  arrive(
    tenant: string,
    hour: number,
    account: number,
    since: number,
    first = false,
    abroad = false,
  ): void {
    const { h } = this.#hour(tenant, hour, since);
    (first ? h.firsts : h.arrivals).add(account);
    if (abroad && !first) h.abroad.add(account);
  }

  /** The burst running in this hour (or the one before, still going), if any. */
  running(tenant: string, hour: number): RunningBurst | undefined {
    const t = this.#tenants.get(tenant);
    if (!t || t.bursts.size === 0) return undefined;
    // Of this hour and the last, the burst hour with more accounts: a new
    // hour's first minutes say less than the hour before them.
    const now = t.bursts.has(hour) ? t.hours.get(hour) : undefined;
    const before = t.bursts.has(hour - 1) ? t.hours.get(hour - 1) : undefined;
    const h = before && (!now || before.attempts.size > now.attempts.size) ? before : now;
    if (!h) return undefined;
    const at = h === now ? hour : hour - 1;
    return {
      hour: at,
      accounts: h.attempts.size,
      usual: h.usual,
      threshold: h.threshold,
      arrivals: h.usualArrivals,
      firsts: h.usualFirsts,
      abroad: h.usualAbroad,
    };
  }

  export(): AttemptBurstsState {
    return [...this.#tenants].map(([tenant, t]) => [
      tenant,
      [...t.hours].map(([hour, h]) => [
        hour,
        h.usual,
        h.usualArrivals,
        [...h.attempts],
        [...h.arrivals],
        h.usualFirsts,
        [...h.firsts],
        h.usualAbroad,
        [...h.abroad],
      ]),
      [...t.bursts],
    ]);
  }

  import(state: AttemptBurstsState): void {
    for (const [tenant, hours, bursts] of state) {
      const t = { hours: new Map<number, Hour>(), bursts: new Set(bursts) };
      for (const [
        hour,
        usual,
        usualArrivals,
        attempts,
        arrivals,
        usualFirsts,
        firsts,
        usualAbroad,
        abroad,
      ] of hours) {
        t.hours.set(hour, {
          attempts: new Set(attempts),
          arrivals: new Set(arrivals),
          firsts: new Set(firsts),
          abroad: new Set(abroad),
          usual: usual ?? Infinity,
          usualArrivals: usualArrivals ?? Infinity,
          usualFirsts: usualFirsts ?? Infinity,
          usualAbroad: usualAbroad ?? Infinity,
          threshold: burstThreshold(usual ?? Infinity),
        });
      }
      this.#tenants.set(tenant, t);
    }
  }
}

/** A new hour, held to the usual rates that the hours before it give. */
function newHour(hours: Map<number, Hour>, bursts: Set<number>, hour: number, since: number): Hour {
  const near = (h: number) => nearBurst(bursts, h);
  const counts = (of: (x: Hour) => Set<number>) =>
    (function* () {
      for (const [h, x] of hours) yield [h, of(x).size] as const;
    })();
  const usual = usualRate(
    counts((x) => x.attempts),
    hour,
    near,
    since,
  );
  // Owners arriving, and accounts first seen, over the last day: their rate
  // falls fast through a tenant's first week, as profiles fill.
  const recent = (of: (x: Hour) => Set<number>) =>
    usualRate(counts(of), hour, near, since, { floor: 0, peak: 1, window: ARRIVALS_WINDOW_HOURS });
  return {
    attempts: new Set(),
    arrivals: new Set(),
    firsts: new Set(),
    abroad: new Set(),
    usual,
    usualArrivals: recent((x) => x.arrivals),
    usualFirsts: recent((x) => x.firsts),
    usualAbroad: recent((x) => x.abroad),
    threshold: burstThreshold(usual),
  };
}
