/**
 * When people are online: hour-of-day weights in local time, for working
 * mailboxes and personal ones, weekday and weekend.
 *
 * A day of the simulation is 24 UTC hours; each account sees them through its
 * own UTC offset, so a New York user's evening and a Berlin user's night fall
 * on the same UTC hours. {@link DiurnalDay} caches, per (profile, offset), the
 * cumulative weights of that day's 24 UTC hours and the day's expected share
 * of a weekday's activity.
 *
 * @example
 * const dd = new DiurnalDay(dayStartMs);
 * const curve = dd.curve('work', -240);
 * const n = rng.poisson(account.activity * curve.ratio);
 * const t = sampleTime(rng, curve, dayStartMs);
 */
import type { Random } from './random.js';
import { HOUR, DAY } from './durations.js';

/** Work mailboxes follow office hours; personal ones peak in the evening and at weekends. */
export type DiurnalProfile = 'work' | 'personal';

// prettier-ignore
const WEIGHTS: Record<DiurnalProfile, { weekday: readonly number[]; weekend: readonly number[] }> = {
  work: {
    weekday: [0.02, 0.01, 0.01, 0.01, 0.02, 0.05, 0.15, 0.45, 0.85, 1, 1, 0.95, 0.8, 0.95, 1, 0.95, 0.85, 0.7, 0.5, 0.45, 0.45, 0.35, 0.2, 0.07],
    weekend: [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.12, 0.22, 0.3, 0.35, 0.35, 0.35, 0.33, 0.3, 0.3, 0.3, 0.3, 0.32, 0.35, 0.38, 0.32, 0.18, 0.05],
  },
  personal: {
    weekday: [0.05, 0.02, 0.01, 0.01, 0.01, 0.03, 0.15, 0.45, 0.6, 0.45, 0.35, 0.35, 0.5, 0.4, 0.35, 0.35, 0.4, 0.55, 0.75, 0.9, 1, 0.9, 0.6, 0.2],
    weekend: [0.08, 0.04, 0.02, 0.01, 0.01, 0.02, 0.05, 0.15, 0.4, 0.6, 0.75, 0.8, 0.8, 0.75, 0.7, 0.7, 0.7, 0.75, 0.85, 0.95, 1, 0.9, 0.6, 0.25],
  },
};

const WEEKDAY_TOTAL: Record<DiurnalProfile, number> = {
  work: WEIGHTS.work.weekday.reduce((s, x) => s + x, 0),
  personal: WEIGHTS.personal.weekday.reduce((s, x) => s + x, 0),
};

/** Local hour (0–23) and weekday (0 = Sunday) of event time `t` at UTC offset `tz` minutes. */
export function localClock(t: number, tz: number): { hour: number; weekday: number } {
  const local = t + tz * 60_000;
  const hour = Math.floor(local / HOUR) % 24;
  const weekday = (Math.floor(local / DAY) + 4) % 7; // 1970-01-01 was a Thursday
  return { hour: hour < 0 ? hour + 24 : hour, weekday: weekday < 0 ? weekday + 7 : weekday };
}

/** True on Monday–Friday between 08:00 and 18:00 local time. */
export function isWorkHours(t: number, tz: number): boolean {
  const { hour, weekday } = localClock(t, tz);
  return weekday >= 1 && weekday <= 5 && hour >= 8 && hour < 18;
}

/** One day of one profile at one UTC offset. */
export interface DayCurve {
  /** Cumulative weight after each of the day's 24 UTC hours. */
  readonly cumulative: Float64Array;
  /** Expected activity today as a share of a full local weekday. */
  readonly ratio: number;
}

/**
 * The curves of one simulated day, built lazily per (profile, offset).
 *
 * @example
 * new DiurnalDay(dayStart).curve('personal', 60).ratio; // ~1.25 on a Saturday
 */
export class DiurnalDay {
  readonly #start: number;
  readonly #cache = new Map<string, DayCurve>();

  constructor(dayStart: number) {
    this.#start = dayStart;
  }

  curve(profile: DiurnalProfile, tz: number): DayCurve {
    const key = `${profile}${tz}`;
    let c = this.#cache.get(key);
    if (!c) {
      const cumulative = new Float64Array(24);
      let total = 0;
      for (let h = 0; h < 24; h++) {
        const { hour, weekday } = localClock(this.#start + h * HOUR + HOUR / 2, tz);
        const table =
          weekday === 0 || weekday === 6 ? WEIGHTS[profile].weekend : WEIGHTS[profile].weekday;
        total += table[hour] ?? 0;
        cumulative[h] = total;
      }
      c = { cumulative, ratio: total / WEEKDAY_TOTAL[profile] };
      this.#cache.set(key, c);
    }
    return c;
  }
}

/** A random time in the day (ms), distributed like the curve. */
export function sampleTime(rng: Random, curve: DayCurve, dayStart: number): number {
  const total = curve.cumulative[23] ?? 0;
  const u = rng.next() * total;
  let h = 0;
  while (h < 23 && (curve.cumulative[h] ?? 0) <= u) h++;
  return dayStart + h * HOUR + Math.floor(rng.next() * HOUR);
}
