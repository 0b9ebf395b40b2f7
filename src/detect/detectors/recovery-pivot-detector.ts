/**
 * `recovery-pivot`: the account is recovered through a channel whose
 * controlling account was itself recently risky — reset, taken over, or
 * stopped — the backup-mailbox pivot of the reference attacks: break the
 * weakly protected personal mailbox first, then reset the work account
 * through it. The reason names both accounts and the path.
 *
 * Also explains raised sensitivity: an account in the blast radius of one
 * judged compromised (engine, policy `blast_radius`) stepping in from an
 * unfamiliar context.
 */
import type { Detector } from '../detector.js';

const WINDOW_MS = 72 * 3_600_000;
/** A risky step on the controlling account at least this high counts. */
const RISKY = 0.4;
/**
 * A pivot is the attacker finishing the reset from their own machine. From
 * the account's own familiar device and network (a household sharing a
 * laptop, a user resetting from home) it is the owner: noted, not counted.
 */
const OWN_CONTEXT = 0.25;
const OWN_CONTEXT_SCORE = 0.1;

export const recoveryPivotDetector: Detector = {
  id: 'recovery-pivot',
  evaluate(ctx) {
    const { event, time } = ctx;
    const recoveryStep =
      event.outcome === 'success' &&
      (event.type === 'recovery.challenge' || event.type === 'password.reset.completed');
    if (recoveryStep && (event.recovery?.channel ?? 'email') === 'email') {
      const address = event.recovery?.address?.toLowerCase();
      let best: { score: number; detail: string } | undefined;
      for (const r of ctx.graph.recoverers(event.tenant, event.account.id, { time, depth: 1 })) {
        const via = r.node;
        if (via.kind !== 'account' || r.path.edges[0]!.channel !== 'email') continue;
        // With the address on the event, only that mailbox; without, any hosted backup.
        const named = address !== undefined && via.email?.toLowerCase() === address;
        if (address !== undefined && !named) continue;
        const p = ctx.profileOf(via.tenant, via.id);
        const risk = p?.lastRisk;
        const exposed = p?.exposed;
        const riskyAt =
          risk && risk.score >= RISKY && time >= risk.time && time - risk.time <= WINDOW_MS
            ? risk
            : exposed && time >= exposed.time && time - exposed.time <= WINDOW_MS
              ? exposed
              : undefined;
        if (!riskyAt) continue;
        const hours = (time - riskyAt.time) / 3_600_000;
        const ago =
          hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : `${hours.toFixed(1)} h`;
        const score = named ? 0.85 : 0.7;
        if (best && best.score >= score) continue;
        best = {
          score,
          detail:
            `${event.type.replace(/\./g, ' ')} via backup mailbox of account ${via.id}` +
            `${named ? '' : ' (the event names no address; the only hosted backup)'}, itself risky ` +
            `${ago} ago (score ${riskyAt.score.toFixed(2)}): path ${via.id} -(email)-> ${event.account.id}`,
        };
      }
      if (best && ctx.unfamiliarity < OWN_CONTEXT && !ctx.novel)
        return {
          score: OWN_CONTEXT_SCORE,
          detail: `${best.detail}; but from the account's own familiar device and network, so most likely its owner`,
        };
      if (best) return best;
    }
    if (time < ctx.profile.raisedUntil && (ctx.unfamiliarity >= 0.25 || ctx.novel)) {
      const raised = ctx.profile.raised!;
      const by = ctx.accountIdOf(raised.by) ?? 'another account';
      return {
        score: 0.15,
        detail: `in the blast radius of account ${by}, judged compromised: thresholds lowered until ${new Date(raised.until).toISOString()}`,
      };
    }
    return undefined;
  },
};
