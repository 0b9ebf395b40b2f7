import { parseTime } from '../../parse-time.js';
import { fieldAt, numberAt } from './read-fields.js';

/** The event time of an OCSF record, or why there is none. */
export type OcsfTime =
  { readonly ok: true; readonly time: string } | { readonly ok: false; readonly message: string };

/** Below this, a `time` cannot be milliseconds of a real log (it would be before 1973-03-03). */
const SECONDS_LIMIT = 1e11;

/**
 * The event time of an OCSF record as ISO 8601 UTC.
 *
 * `time_dt` (the datetime profile, RFC 3339) wins when it parses: a
 * `time_dt` without a zone is read as UTC. Otherwise `time`, which OCSF
 * defines as milliseconds since the epoch; a value below 1e11 is read as
 * seconds, because several producers (the OCSF Okta mapping among them)
 * write seconds there, and as milliseconds it would fall in 1970–1973.
 *
 * @example
 * ocsfTime({ time: 1723564700 }); // { ok: true, time: '2024-08-13T15:58:20.000Z' }
 * ocsfTime({ time_dt: '2023-11-10T11:24:34.000-05:00' }); // { ok: true, time: '2023-11-10T16:24:34.000Z' }
 */
export function ocsfTime(record: unknown): OcsfTime {
  const text = fieldAt(record, 'time_dt');
  if (typeof text === 'string') {
    const ms = parseDatetime(text.trim());
    if (ms !== undefined) return { ok: true, time: new Date(ms).toISOString() };
  }
  const epoch = numberAt(record, 'time');
  if (epoch !== undefined && epoch > 0) {
    const ms = Math.floor(epoch < SECONDS_LIMIT ? epoch * 1000 : epoch);
    // Years 1970–2999, as the native event allows.
    if (ms < 32_503_680_000_000) return { ok: true, time: new Date(ms).toISOString() };
  }
  if (typeof text === 'string' || fieldAt(record, 'time') !== undefined) {
    return {
      ok: false,
      message: 'time: neither time (epoch milliseconds) nor time_dt is a valid timestamp',
    };
  }
  return { ok: false, message: 'time: missing (the record has neither time nor time_dt)' };
}

function parseDatetime(text: string): number | undefined {
  if (text.length > 64) return undefined;
  const parsed = parseTime(text);
  if (parsed.ok) return parsed.ms;
  const utc = parseTime(`${text}Z`);
  return utc.ok ? utc.ms : undefined;
}
