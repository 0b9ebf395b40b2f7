/**
 * Strict ISO-8601 timestamp parsing. `Date.parse` accepts "2019-02-30" and
 * zone-less times (read as local time), both of which would silently shift
 * events; detectors read time from events, so we refuse what is ambiguous.
 *
 * @example
 * parseTime('2019-09-03T16:22:31+02:00'); // { ok: true, ms: 1567520551000 }
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export type TimeParse = { ok: true; ms: number } | { ok: false; reason: string };

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseTime(s: string): TimeParse {
  const m = ISO.exec(s);
  if (!m) {
    return {
      ok: false,
      reason: `not an ISO-8601 timestamp: ${JSON.stringify(s.slice(0, 40))} (expected e.g. 2019-09-03T14:22:31.120Z)`,
    };
  }
  if (m[8] === undefined && m[9] === undefined) {
    return { ok: false, reason: 'must include a time zone ("Z" or "+02:00")' };
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > monthDays) {
    return { ok: false, reason: `no such date: ${m[1]}-${m[2]}-${m[3]}` };
  }
  if (hour > 23 || minute > 59 || second > 60) {
    return { ok: false, reason: `no such time of day: ${m[4]}:${m[5]}:${m[6] ?? '00'}` };
  }
  if (year < 1970 || year > 2999) {
    return { ok: false, reason: `year ${year} out of range 1970-2999` };
  }
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59)
      return { ok: false, reason: `bad zone offset ${m[9]}${m[10]}:${m[11]}` };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // A leap second (":60") is folded into the next second, as most log pipelines do.
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { ok: true, ms };
}
