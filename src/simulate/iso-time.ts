/**
 * Fast ISO-8601 rendering of event times (`2026-10-01T14:22:31.120Z`).
 *
 * A million events means a million timestamps; caching the date part per day
 * and padding from lookup tables avoids a `Date` object per event. Output is
 * byte-identical to `new Date(ms).toISOString()` for years 0000–9999.
 *
 * @example
 * isoTime(Date.UTC(2026, 9, 1, 14, 22, 31, 120)); // "2026-10-01T14:22:31.120Z"
 */
import { DAY } from './durations.js';
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let cachedDay = Number.NaN;
let cachedPrefix = '';

/** `new Date(ms).toISOString()`, without the Date. */
export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  return `${cachedPrefix}${PAD2[hour]}:${PAD2[min]}:${PAD2[sec]}.${PAD3[milli]}Z`;
}
