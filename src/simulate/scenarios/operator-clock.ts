/**
 * When a human operator works. Targeted campaigns are run by people with
 * office hours in their own time zone and their own weekend (APT35's week runs
 * Saturday to Wednesday, Tehran time), which is a behavioural fingerprint a
 * correlator can learn; a few actions still fall outside those hours.
 *
 * @example
 * const clock: OperatorClock = { tz: 210, workdays: [6, 0, 1, 2, 3], startHour: 8, endHour: 17, offHours: 0.1 };
 * const t = operatorTime(rng, clock, dayStart); // a time that day, or null on the operator's weekend
 */
import { localClock } from '../diurnal.js';
import type { Random } from '../random.js';
import { DAY } from '../durations.js';

/** An operator's working week and hours. */
export interface OperatorClock {
  /** UTC offset in minutes. */
  readonly tz: number;
  /** Working weekdays, 0 = Sunday. */
  readonly workdays: readonly number[];
  readonly startHour: number;
  readonly endHour: number;
  /** Share of actions taken outside working hours anyway. */
  readonly offHours: number;
}

/** A time within the 24 h from `dayStart` that suits the operator, or null if none does. */
export function operatorTime(rng: Random, clock: OperatorClock, dayStart: number): number | null {
  const anyTime = rng.chance(clock.offHours);
  for (let i = 0; i < 48; i++) {
    const t = dayStart + Math.floor(rng.next() * DAY);
    if (anyTime) return t;
    const { hour, weekday } = localClock(t, clock.tz);
    if (clock.workdays.includes(weekday) && hour >= clock.startHour && hour < clock.endHour)
      return t;
  }
  return null;
}
