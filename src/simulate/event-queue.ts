/**
 * Per-day queues of rendered events, so a run never holds more than a day or
 * two of benign traffic in memory. Attack scenarios fill their (small) share
 * up front; the benign generator adds each day as it goes; events that spill
 * past midnight (a reset flow started at 23:59) land in the next day's queue.
 *
 * @example
 * const q = new EventQueue(start, days);
 * q.add(t, body, 'u-00042', null);
 * for (const e of q.take(0)) write(e);
 */
import type { Label, RawEvent } from './sim-event.js';
import { DAY } from './durations.js';

/** Day-bucketed queue of rendered events (see the file comment). */
export class EventQueue {
  readonly #start: number;
  readonly #end: number;
  readonly #days: (RawEvent[] | null)[];
  #seq = 0;
  #dropped = 0;

  constructor(start: number, days: number) {
    this.#start = start;
    this.#end = start + days * DAY;
    this.#days = Array.from({ length: days }, () => []);
  }

  /** Queue one event; events outside the simulated window are dropped (and counted). Returns whether it was kept. */
  add(t: number, body: string, accountId: string, label: Label | null): boolean {
    if (t < this.#start || t >= this.#end) {
      this.#dropped++;
      return false;
    }
    const day = Math.floor((t - this.#start) / DAY);
    const bucket = this.#days[day];
    if (!bucket)
      throw new Error(`simulate: day ${day} was already written; event at ${t} came too late`);
    flatten(body);
    bucket.push({ t, seq: this.#seq++, body, accountId, label });
    return true;
  }

  /** Remove and return day `day`'s events in time order (creation order breaks ties). */
  take(day: number): RawEvent[] {
    const bucket = this.#days[day] ?? [];
    this.#days[day] = null;
    return bucket.sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  /** Events that fell outside the window (a trip or flow running past the last day). */
  get dropped(): number {
    return this.#dropped;
  }
}

/**
 * Make V8 flatten a concatenated string now, while its pieces are still in the
 * young generation: flattening a day's worth of ropes later, after they have
 * been promoted, costs several times more.
 */
function flatten(s: string): void {
  // ToNumber on a string forces a flat copy; the result is irrelevant.
  void Number(s);
}
