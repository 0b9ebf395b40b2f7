/**
 * The learning week: for the first {@link LEARNING_MS} of watching a tenant
 * (from its earliest event), what the engine knows of each account is a
 * day's or a few days' worth: its owner's phone after the laptop, the office
 * after home, are not in the profile yet. `unfamiliar-signin`'s likelihood
 * ratio counts from {@link LEARNING_FLOOR} of its weight on the first day to
 * all of it after a week. An account with little history then is one the
 * data has not watched yet, not a dormant one (which attackers favour, and
 * which gets the full weight afterwards).
 *
 * On week-long simulated runs that detector alone decided half to four
 * fifths of the benign challenges and one in fifty of the stopped attacks
 * (which spread, probes, hosting with novelty and indicators carry);
 * docs/DETECTION.md has the runs. Microsoft's travel detection has the same
 * "initial learning period of seven days". A deployment that ingests a few
 * weeks of history first is past it before it enforces a decision.
 *
 * @example
 * learningWeight(0); // 0.5 on the tenant's first event
 * learningWeight(7 * 86_400_000); // 1
 */

const DAY_MS = 86_400_000;
/** How long a tenant is watched before the likelihood ratio counts in full. */
export const LEARNING_MS = 7 * DAY_MS;
/** What it counts for at the start of watching. */
export const LEARNING_FLOOR = 0.5;

/** The weight of the likelihood ratio after watching a tenant for `watchedMs`. */
export function learningWeight(watchedMs: number): number {
  if (watchedMs >= LEARNING_MS) return 1;
  return LEARNING_FLOOR + ((1 - LEARNING_FLOOR) * Math.max(0, watchedMs)) / LEARNING_MS;
}

/** How a reason says it was weighed down: `counted at 64%: the tenant has been watched for 1.9 of 7 learning days`. */
export function learningNote(weight: number, watchedMs: number): string {
  return `counted at ${Math.round(weight * 100)}%: the tenant has been watched for ${(watchedMs / DAY_MS).toFixed(1)} of ${LEARNING_MS / DAY_MS} learning days`;
}
