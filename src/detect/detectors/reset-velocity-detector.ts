/**
 * `reset-velocity`: password resets requested again and again for one
 * account — someone is trying the recovery door — above all from a context
 * the account does not use.
 */
import { RING } from '../account-profile.js';
import type { Detector } from '../detector.js';

const DAY = 86_400_000;

export const resetVelocityDetector: Detector = {
  id: 'reset-velocity',
  evaluate(ctx) {
    if (ctx.event.type !== 'password.reset.requested') return undefined;
    const day = ctx.profile.countSince(RING.resets, ctx.time, DAY) + 1;
    const week = ctx.profile.countSince(RING.resets, ctx.time, 7 * DAY) + 1;
    if (day < 2 && week < 3) return undefined;
    const base = Math.min(0.8, 0.2 + 0.15 * (day - 1) + 0.05 * (week - day));
    const score = base * (0.5 + 0.5 * ctx.unfamiliarity);
    return {
      score,
      detail:
        `${day} reset request${day === 1 ? '' : 's'} in 24 h, ${week} in 7 days` +
        (ctx.unfamiliarity >= 0.5 ? ', from a context new to the account' : ''),
    };
  },
};
