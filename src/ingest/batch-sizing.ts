/**
 * How large a file job's batches are when the main thread commits them
 * itself (SQLite without a writer thread), from the ids in the batch just
 * read. Small batches keep fewer parsed events alive for the young-generation
 * collector; large transactions make each index page a commit rewrites serve
 * more events. Which matters more depends on the ids: ids that count up land
 * on the last pages of the `(tenant, id)` index, however small the commit;
 * random ones (the UUIDs of Okta, Entra or Microsoft 365 records) land all
 * over it, and a commit rewrites a page for nearly every event. Measured on
 * the 1.2M-event bench file on one core (docs/PERFORMANCE.md): counting ids
 * 43k events/s in batches of 2,500 against 36k in 5,000; the same events with
 * UUIDs 22k in 2,500 against 29k in 20,000.
 *
 * @example
 * inlineBatchSize(rows); // 2,500 for evt-1, evt-2, …; 20,000 for UUIDs
 */
import type { EventRow } from '../domain/event-row.js';

export const SMALL_BATCH = 2_500;
export const LARGE_BATCH = 20_000;
/** Ids count up when at least this share of neighbours are in order. */
const IN_ORDER = 0.9;

export function inlineBatchSize(rows: readonly EventRow[]): number {
  return idsCountUp(rows) ? SMALL_BATCH : LARGE_BATCH;
}

/** Whether the ids mostly increase from one row to the next (string order). */
export function idsCountUp(rows: readonly EventRow[]): boolean {
  if (rows.length < 2) return true;
  let up = 0;
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.event.id < rows[i]!.event.id) up++;
  return up >= IN_ORDER * (rows.length - 1);
}
