/**
 * Bursts: an operation that shares no infrastructure between its attempts.
 *
 * Credential stuffing through a large proxy pool draws a fresh address, a
 * fresh browser string and a fresh device for every account, so no link
 * ever joins two of its attempts. What gives it away is the shape: in a few
 * hours, many accounts each see a failed sign-in (or a second factor that
 * was not passed) from a context new to them, far more than the tenant ever
 * sees in an hour. The correlator calls such an attempt, one that joined no
 * cluster, a *stray*, and keeps, per tenant, which accounts had strays in
 * each hour.
 *
 * An hour is a burst when its count of accounts is improbable under the
 * tenant's usual rate: a Poisson tail of at most {@link BURST_P}, with the
 * usual rate taken as {@link PEAK_FACTOR} times the mean hourly count of the
 * last {@link BASELINE_HOURS} hours outside bursts (busy hours of the day see
 * several times the mean), never below one an hour, and never fewer than
 * {@link BURST_MIN_ACCOUNTS} accounts. A handful of users mistyping a password
 * on a new phone is ordinary; dozens in an hour, each from somewhere new, is
 * an operation.
 *
 * @example
 * const ledger = new StrayLedger<string>();
 * ledger.add(hour, 'u-1', 'cluster-1');
 * ledger.isBurst(hour); // true once enough accounts came in that hour
 */

/** Fewest accounts an hour needs to be a burst, however quiet the tenant. */
export const BURST_MIN_ACCOUNTS = 10;
/** The chance, under the usual rate, of an hour at least that busy. */
export const BURST_P = 1e-6;
/** The window the usual rate is taken over (7 days). */
export const BASELINE_HOURS = 168;
/** The usual rate is the window's mean times this: the busy hours of a day carry more. */
export const PEAK_FACTOR = 3;
/** Bursts of one tenant this close together (14 days) are waves of one operation. */
export const WAVE_GAP_HOURS = 336;

/** One hour's strays: the accounts, and the clusters the strays started (in arrival order). */
export interface StrayHour<C> {
  readonly accounts: Set<string>;
  readonly clusters: C[];
}

/** A tenant's strays by hour, and the hours that were bursts (see the file comment). */
export class StrayLedger<C> {
  readonly hours = new Map<number, StrayHour<C>>();
  /** Hours busy enough to be a burst (they and their neighbours are not counted in the usual rate). */
  readonly burstHours = new Set<number>();
  /** The latest burst's cluster (undefined before the first). */
  burst: C | undefined = undefined;

  /** Records a stray; returns its hour. */
  add(hour: number, account: string, cluster: C): StrayHour<C> {
    let h = this.hours.get(hour);
    if (!h) {
      h = { accounts: new Set(), clusters: [] };
      this.hours.set(hour, h);
      this.#prune(hour);
    }
    h.accounts.add(account);
    h.clusters.push(cluster);
    return h;
  }

  /** Whether the hour, or one next to it, was part of a burst. */
  nearBurst(hour: number): boolean {
    return (
      this.burstHours.has(hour) || this.burstHours.has(hour - 1) || this.burstHours.has(hour + 1)
    );
  }

  /** The latest burst hour, or -Infinity. */
  lastBurstHour(): number {
    let last = -Infinity;
    for (const h of this.burstHours) if (h > last) last = h;
    return last;
  }

  /** Strays' accounts an hour at the usual rate before `hour` (see the file comment). */
  usualRate(hour: number): number {
    let n = 0;
    for (const [h, s] of this.hours)
      if (h < hour && h >= hour - BASELINE_HOURS && !this.nearBurst(h)) n += s.accounts.size;
    return Math.max(1, (PEAK_FACTOR * n) / BASELINE_HOURS);
  }

  /** Whether the hour's accounts make it a burst. */
  isBurst(hour: number): boolean {
    const h = this.hours.get(hour);
    return h !== undefined && h.accounts.size >= burstThreshold(this.usualRate(hour));
  }

  /** Forgets hours older than the window (burst hours are kept a window longer, for waves). */
  #prune(hour: number): void {
    for (const h of this.hours.keys()) if (h < hour - BASELINE_HOURS - 1) this.hours.delete(h);
    for (const h of this.burstHours)
      if (h < hour - BASELINE_HOURS - WAVE_GAP_HOURS) this.burstHours.delete(h);
  }
}

/** Whether most of a cluster's events came to it through a burst. */
export function isBurstLed(burstEvents: number, events: number): boolean {
  return burstEvents > 0 && 2 * burstEvents >= events;
}

const thresholds = new Map<number, number>();

/**
 * The fewest accounts in an hour that make a burst at a usual rate of
 * `lambda` an hour: the smallest k ≥ {@link BURST_MIN_ACCOUNTS} with
 * P(X ≥ k) ≤ {@link BURST_P} for X ~ Poisson(lambda).
 *
 * @example
 * burstThreshold(1); // 10
 * burstThreshold(5); // 20
 */
export function burstThreshold(lambda: number): number {
  const key = Math.round(lambda * 100) / 100;
  const known = thresholds.get(key);
  if (known !== undefined) return known;
  let k = Math.max(BURST_MIN_ACCOUNTS, Math.ceil(key));
  while (poissonTail(key, k) > BURST_P) k++;
  if (thresholds.size > 10_000) thresholds.clear();
  thresholds.set(key, k);
  return k;
}

/** P(X ≥ k) for X ~ Poisson(lambda), k ≥ lambda, summed in log space (no underflow for large rates). */
export function poissonTail(lambda: number, k: number): number {
  const logLambda = Math.log(lambda);
  let logTerm = -lambda + k * logLambda - logFactorial(k);
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-12) break;
    logTerm += logLambda - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}
