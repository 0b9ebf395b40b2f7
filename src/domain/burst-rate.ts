/**
 * When an hour is a burst: far more accounts than a tenant usually sees in
 * an hour, each tried from somewhere new. Shared by the engine's count of
 * attempts (detect/hourly-burst.ts, for `attempt-burst`) and the
 * correlator's count of strays (correlate/burst.ts, for grouping them).
 *
 * An hour is a burst when its count of accounts is improbable under the
 * tenant's usual rate: a Poisson tail of at most {@link BURST_P}, with the
 * usual rate taken as {@link PEAK_FACTOR} times the mean hourly count of the
 * last {@link BASELINE_HOURS} hours outside bursts (busy hours of the day see
 * several times the mean), never below one an hour, and never fewer than
 * {@link BURST_MIN_ACCOUNTS} accounts.
 *
 * @example
 * burstThreshold(usualRate(counts, hour, isNearBurst, watchedSince)); // 10
 */

/** Fewest accounts an hour needs to be a burst, however quiet the tenant. */
export const BURST_MIN_ACCOUNTS = 10;
/** The chance, under the usual rate, of an hour at least that busy. */
export const BURST_P = 1e-6;
/** The window the usual rate is taken over (7 days). */
export const BASELINE_HOURS = 168;
/** The usual rate is the window's mean times this: the busy hours of a day carry more. */
export const PEAK_FACTOR = 3;

const HOUR_MS = 3_600_000;

/** The hour (since the epoch) of a time in ms. */
export const hourOf = (time: number): number => Math.floor(time / HOUR_MS);

/** Whether an hour, or one next to it, was a burst (such hours are left out of the usual rate). */
export function nearBurst(bursts: ReadonlySet<number>, hour: number): boolean {
  return bursts.has(hour) || bursts.has(hour - 1) || bursts.has(hour + 1);
}

/** Hours a tenant must have been watched before any of its hours can be a burst. */
export const MIN_WATCHED_HOURS = 24;

/**
 * The usual rate of accounts an hour before `hour`, from the counts of the
 * window's hours (`counts`: hour → accounts), leaving out the hours `skip`
 * says belong to a burst. Given the hour watching began (`since`), the mean
 * is over the hours watched, and is Infinity — no burst — until
 * {@link MIN_WATCHED_HOURS} have passed: in its first hours every account is
 * new to the engine, and every attempt comes from somewhere new. The
 * mean is multiplied by `peak` and never below `floor`; it is taken over the
 * last `window` hours (at most {@link BASELINE_HOURS}, which are kept).
 */
export function usualRate(
  counts: Iterable<readonly [number, number]>,
  hour: number,
  skip: (h: number) => boolean,
  since = -Infinity,
  {
    floor = 1,
    peak = PEAK_FACTOR,
    window = BASELINE_HOURS,
  }: { floor?: number; peak?: number; window?: number } = {},
): number {
  const watched = hour - since;
  if (watched < MIN_WATCHED_HOURS) return Infinity;
  let n = 0;
  for (const [h, accounts] of counts) if (h < hour && h >= hour - window && !skip(h)) n += accounts;
  return Math.max(floor, (peak * n) / Math.min(window, watched));
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
  if (lambda === Infinity) return Infinity;
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
