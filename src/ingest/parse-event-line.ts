/**
 * One NDJSON line → a validated {@link EventRow}, or a rejection naming the
 * problems. When the line already is the normalised event its text is stored
 * as is, sparing a JSON.stringify per event on the hot path.
 *
 * @example
 * parseEventLine('{"time":"2019-09-03T14:22:31Z","type":"signin","account":{"id":"u-1"}}');
 */
import type { EventRow } from '../domain/event-row.js';
import type { LineParse } from './ingest-ndjson.js';
import { parseJsonLine, rejection } from './ingest-ndjson.js';
import { validateEvent } from './validate-event.js';

export function parseEventLine(text: string, defaultTenant?: string): LineParse<EventRow> {
  const json = parseJsonLine(text);
  if (!json.ok) return json;
  return toEventRow(json.value, text, defaultTenant);
}

/** Validates a parsed value whose original text is `rawText`. */
export function toEventRow(
  value: unknown,
  rawText: string,
  defaultTenant?: string,
): LineParse<EventRow> {
  const result = validateEvent(value, { rawText, ...(defaultTenant ? { defaultTenant } : {}) });
  if (!result.ok) return rejection(result.problems);
  const { event, timeMs, changed } = result.value;
  const trimmed = changed ? '' : rawText.trim();
  return {
    ok: true,
    value: changed
      ? { event, timeMs, eventJson: JSON.stringify(event), raw: rawText }
      : { event, timeMs, eventJson: trimmed, raw: null },
  };
}
