/**
 * `source-spread`: one address, /24 or client string trying many accounts to
 * which it is new (a spray, a recovery campaign run from a few servers).
 * Shared egress that many accounts use as their familiar, successful place —
 * the corporate VPN, a carrier NAT — is learned from history and discounted,
 * and a step from the account's own device on its own network is its
 * owner's, whatever else that address or browser string did.
 */
import { EVENT_CLASS } from '../../domain/event-class.js';
import { FEATURE } from '../account-profile.js';
import type { DetectionContext, Detector } from '../detector.js';
import { isOwnNetwork } from '../novelty.js';
import { sourceLabel } from '../source-keys.js';

/** Accounts attempted, per kind of source, before it counts as spread. */
const MIN_ACCOUNTS = { ip: 3, network: 4, client: 25 } as const;
/**
 * A client string counts for a success when it tried this many times more
 * accounts than use it (allowed successes): an HTTP library or script ten
 * times, a browser string fifty — a browser version a few dozen people run
 * still looks unused next to a spray of hundreds of accounts.
 */
const UNUSED_SCRIPT = 10;
const UNUSED_BROWSER = 50;
/**
 * A passed recovery step from a spreading source, on an account with fewer
 * than three trusted steps: enough for a challenge at recovery's thresholds.
 */
const YOUNG_RECOVERY_SCORE = 0.5;
/** A browser string alone may challenge a success, never deny it. */
const BROWSER_SUCCESS_CAP = 0.7;

export const sourceSpreadDetector: Detector = {
  id: 'source-spread',
  evaluate(ctx) {
    // Hostile-looking steps, or successes from where the account never was:
    // a familiar success from a busy source is just a busy source.
    const hostile =
      ctx.event.outcome === 'failure' ||
      ctx.event.type === 'password.reset.requested' ||
      ctx.event.type === 'recovery.challenge';
    // Familiar means the account's own network and client: a new /24 of its
    // usual provider (a proxy exit at the same ISP) or a client it never used
    // (a script) is not, however ordinary the rest of the context.
    if (
      !hostile &&
      ctx.unfamiliarity < 0.5 &&
      !ctx.profile.young &&
      !ctx.novel &&
      isTrusted(ctx, FEATURE.network) &&
      isTrusted(ctx, FEATURE.client)
    )
      return undefined;
    // The account's own device on its own network is its owner, whatever
    // else that address or browser string did: a proxy exit on the user's
    // home line, or a browser version a spray happens to pin, says nothing
    // about the user's own failed password or reset. Not on a young account,
    // whose first steps (the attacker's, as often as not) taught it that trust.
    if (
      !ctx.profile.young &&
      ctx.keys[FEATURE.device] !== 0 &&
      isTrusted(ctx, FEATURE.device) &&
      isTrusted(ctx, FEATURE.network)
    )
      return undefined;
    const scripted = ctx.enrichment.device === 'bot' || ctx.enrichment.device === 'unknown';
    let best: { score: number; detail: string } | undefined;
    for (const key of ctx.sourceKeys) {
      const kind = key.kind;
      // A residential /24 is shared by neighbours: for a success, the address
      // ties it to the attempts, and a client string only when next to no
      // account uses it as its own — an HTTP library, or a browser version
      // that spraying tools pin and people no longer run (held to a stricter
      // ratio, and never enough to deny alone). A current browser string is
      // every other user's, and says nothing.
      if (!hostile && kind === 'network') continue;
      // On the account's own, well-used network, a browser version that a
      // spray pins is the owner's new computer, not the spray: a spray's proxy
      // exits are other people's lines. The address and the /24 still count
      // for themselves (a proxy exit on the user's own line tried others too).
      if (kind === 'client' && !scripted && isOwnNetwork(ctx.keys, ctx.profile)) continue;
      const min = MIN_ACCOUNTS[kind];
      const attempted = ctx.sources.attemptedAtLeast(key, ctx.time, min);
      if (attempted === 0) continue;
      const browser = kind === 'client' && !scripted;
      let familiar: number;
      if (!hostile && kind === 'client') {
        // Counted only as far as the test needs: a current browser string has hundreds.
        const most = Math.floor(attempted / (browser ? UNUSED_BROWSER : UNUSED_SCRIPT));
        familiar = ctx.sources.familiarUpTo(key, ctx.time, most + 1);
        if (familiar > most) continue;
      } else familiar = ctx.sources.familiarUpTo(key, ctx.time, Infinity);
      let score = Math.min(0.85, 0.35 + 0.12 * Math.log2(attempted / min));
      if (!hostile && browser) score = Math.min(score, BROWSER_SUCCESS_CAP);
      const shared = familiar >= 5 && familiar >= attempted;
      if (shared) score *= 0.2;
      if (!best || score > best.score) {
        best = {
          score,
          detail:
            `${sourceLabel(key)} tried ${attempted} accounts it is new to in 7 days` +
            (shared ? ` (discounted: ${familiar} accounts use it as a familiar place)` : ''),
        };
      }
    }
    // Passing an account's recovery from a source that is working through
    // other accounts is a takeover under way. An account with history has
    // its own context to tell the owner by; one too young to vouch for any
    // does not, so the spread alone must be enough to ask for more.
    if (
      best &&
      ctx.event.outcome === 'success' &&
      EVENT_CLASS[ctx.event.type] === 'recovery' &&
      ctx.event.type !== 'password.reset.requested' &&
      ctx.profile.young &&
      best.score < YOUNG_RECOVERY_SCORE
    ) {
      best = {
        score: YOUNG_RECOVERY_SCORE,
        detail: `${best.detail}; a recovery step passed on an account with too little history to vouch for its context`,
      };
    }
    return best;
  },
};

/** Whether the account trusts the step's value of a feature (a value the event lacks counts as trusted). */
function isTrusted(ctx: DetectionContext, feature: number): boolean {
  const key = ctx.keys[feature]!;
  return key === 0 || ctx.profile.trusted(feature, key) > 0;
}
