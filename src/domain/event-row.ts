/**
 * An accepted event on its way to the store: the normalised event, its JSON
 * text, and the record as received when that differs (null: byte-identical).
 *
 * @example
 * const row: EventRow = { event, eventJson: JSON.stringify(event), raw: null };
 */
import type { Decision } from './decision.js';
import type { NativeEvent } from './event.js';

export interface EventRow {
  readonly event: NativeEvent;
  /** `event.time` in milliseconds since the epoch. */
  readonly timeMs: number;
  /** One line: the SQLite writer hands rows over line by line. */
  readonly eventJson: string;
  /** One line too (a pretty-printed record is kept compact). */
  readonly raw: string | null;
  /** Set by the score and decide stages before the row is stored. */
  readonly decision?: Decision;
}
