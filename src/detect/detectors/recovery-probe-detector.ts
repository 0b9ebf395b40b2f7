/**
 * `recovery-probe`: failed knowledge-based or code challenges (recovery or
 * MFA) — guessing security answers, trying codes, pushing MFA prompts until
 * the user gives in — and a success that follows such failures from an
 * unfamiliar context.
 */
import { RING } from '../account-profile.js';
import type { Detector } from '../detector.js';

const DAY = 86_400_000;

export const recoveryProbeDetector: Detector = {
  id: 'recovery-probe',
  evaluate(ctx) {
    const { type, outcome } = ctx.event;
    if (type !== 'recovery.challenge' && type !== 'mfa.challenge') return undefined;
    const recent = ctx.profile.countSince(RING.failedChallenges, ctx.time, DAY);
    const method = ctx.event.auth?.method ?? ctx.event.recovery?.channel ?? 'challenge';
    if (outcome === 'failure') {
      const kba = method === 'kba' ? 0.1 : 0;
      const score = Math.min(0.85, 0.3 + kba + 0.12 * recent) * (0.6 + 0.4 * ctx.unfamiliarity);
      return {
        score,
        detail:
          `failed ${method} ${type === 'mfa.challenge' ? 'MFA' : 'recovery'} challenge` +
          (recent > 0 ? `, after ${recent} other failure${recent === 1 ? '' : 's'} in 24 h` : '') +
          (ctx.unfamiliarity >= 0.5 ? ', from a context new to the account' : ''),
      };
    }
    if (outcome === 'success' && method === 'mfa_push') {
      // Push fatigue: prompts rejected or ignored, then one approved.
      const lastHour = ctx.profile.countSince(RING.failedChallenges, ctx.time, 3_600_000);
      if (lastHour >= 2) {
        return {
          score: Math.min(0.85, 0.5 + 0.05 * lastHour),
          detail: `push approved after ${lastHour} rejected or unanswered prompts in the last hour`,
        };
      }
    }
    if (outcome === 'success' && recent > 0 && ctx.unfamiliarity >= 0.4) {
      return {
        score: Math.min(0.9, 0.45 + 0.1 * recent),
        detail: `${method} challenge passed after ${recent} failure${recent === 1 ? '' : 's'} in 24 h, from a context new to the account`,
      };
    }
    return undefined;
  },
};
