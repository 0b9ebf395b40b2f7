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
 * tenant's usual rate (domain/burst-rate.ts, shared with the engine's own
 * count of attempts): dozens of accounts in an hour, each tried from
 * somewhere new, where a handful is usual.
 *
 * @example
 * const ledger = new StrayLedger<string>();
 * ledger.add(hour, 'u-1', 'cluster-1');
 * ledger.isBurst(hour); // true once enough accounts came in that hour
 */

import { BASELINE_HOURS, burstThreshold, nearBurst, usualRate } from '../domain/burst-rate.js';

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
    return nearBurst(this.burstHours, hour);
  }

  /** Strays' accounts an hour at the usual rate before `hour` (see the file comment). */
  usualRate(hour: number): number {
    const counts = (function* (hours: Map<number, StrayHour<C>>) {
      for (const [h, s] of hours) yield [h, s.accounts.size] as const;
    })(this.hours);
    return usualRate(counts, hour, (h) => this.nearBurst(h));
  }

  /** Whether the hour's accounts make it a burst. */
  isBurst(hour: number): boolean {
    const h = this.hours.get(hour);
    return h !== undefined && h.accounts.size >= burstThreshold(this.usualRate(hour));
  }

  /** Forgets hours older than the window. */
  #prune(hour: number): void {
    for (const h of this.hours.keys()) if (h < hour - BASELINE_HOURS - 1) this.hours.delete(h);
    for (const h of this.burstHours) if (h < hour - BASELINE_HOURS - 1) this.burstHours.delete(h);
  }
}

/** Whether most of a cluster's events came to it through a burst. */
export function isBurstLed(burstEvents: number, events: number): boolean {
  return burstEvents > 0 && 2 * burstEvents >= events;
}
