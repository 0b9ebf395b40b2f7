/**
 * Decision — the public output per event (DESIGN.md).
 *
 * @example
 * const d: Decision = { event_id: 'evt-1', decision: 'challenge', score: 0.71,
 *   reasons: [{ detector: 'unfamiliar-signin', score: 0.6, detail: 'new network and device for this account' }] };
 */
export const VERDICTS = ['allow', 'challenge', 'deny'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Reason {
  /** The detector's id, e.g. `recovery-probe`. */
  readonly detector: string;
  /** Its contribution, in [0, 1]. */
  readonly score: number;
  /** What was unusual, compared with what — for a person. */
  readonly detail: string;
}

export interface Decision {
  readonly event_id: string;
  readonly decision: Verdict;
  /** In [0, 1]. */
  readonly score: number;
  /** Every non-allow decision has at least one. */
  readonly reasons: readonly Reason[];
  readonly campaign_id?: string;
  /**
   * When this step judged the account compromised: the accounts it can
   * recover (its blast radius), whose sensitivity is now raised.
   */
  readonly blast_radius?: readonly string[];
}
