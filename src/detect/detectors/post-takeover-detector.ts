/**
 * `post-takeover`: a persistence step — a recovery channel changed, mail
 * forwarded, an inbox rule, MFA removed or added, an OAuth grant — soon after
 * a risky reset or sign-in on the same account, or in the same session.
 */
import { FEATURE, valueKey } from '../account-profile.js';
import type { DetectionContext, Detector } from '../detector.js';
import { isOwnNetwork } from '../novelty.js';
import { EVENT_CLASS } from '../../domain/event-class.js';

const WINDOW_MS = 72 * 3_600_000;
/** Persistence that reads or sends mail out of the account. */
const EXFILTRATION: ReadonlySet<string> = new Set([
  'mailbox.forwarding.set',
  'mailbox.rule.created',
  'oauth.consent.granted',
]);

/**
 * Persistence an intruder sets up in the session they signed in with:
 * mail sent out of the account, the recovery set-up changed, MFA removed.
 */
const STAYING: ReadonlySet<string> = new Set([
  'mailbox.forwarding.set',
  'mailbox.rule.created',
  'recovery.channel.added',
  'recovery.channel.removed',
  'mfa.removed',
]);
/** How long after a sign-in from somewhere new its session's steps are read against it. */
const ARRIVAL_WINDOW_MS = 12 * 3_600_000;
/** A step naming no session counts as the arrival's within this. */
const NO_SESSION_MS = 3_600_000;

/** Steps that lock an intruder out rather than let one stay. */
const SECURING: ReadonlySet<string> = new Set(['password.changed', 'mfa.enrolled']);

export const postTakeoverDetector: Detector = {
  id: 'post-takeover',
  evaluate(ctx) {
    if (EVENT_CLASS[ctx.event.type] !== 'persistence') return undefined;
    const risk = ctx.profile.lastRisk;
    const what = ctx.event.type.replace(/\./g, ' ');
    const target = ctx.event.mailbox?.forward_to ?? ctx.event.recovery?.address;
    const about = target ? ` (${target.replace(/^(.).*(@.*)$/, '$1…$2')})` : '';
    if (risk && ctx.time >= risk.time && ctx.time - risk.time <= WINDOW_MS) {
      const session = ctx.event.session?.id;
      const sameSession =
        risk.session !== 0 && session !== undefined && risk.session === valueKey(session);
      // The owner on their own device and network, in a session of their
      // own, changing the password or adding a second factor after someone
      // else's attempt (a failed sign-in from abroad, say) is the owner
      // locking the door. Forwarding, rules, grants, recovery channels and
      // removing MFA are what an intruder does, wherever from.
      if (!sameSession && SECURING.has(ctx.event.type) && isOwnPlace(ctx)) return undefined;
      const hours = (ctx.time - risk.time) / 3_600_000;
      return {
        score: sameSession ? 0.9 : Math.max(0.6, 0.85 - hours / 200),
        detail: `${what}${about} ${sameSession ? 'in the same session as' : `${hours < 1 ? `${Math.round(hours * 60)} min` : `${hours.toFixed(1)} h`} after`} a risky step (score ${risk.score.toFixed(2)})`,
      };
    }
    if (ctx.unfamiliarity >= 0.5 || ctx.novel) {
      return {
        score: 0.45 + 0.3 * Math.max(0, ctx.unfamiliarity - 0.5),
        detail: `${what}${about} from a context new to the account`,
      };
    }
    // The sign-in that opened this session came from a network and device
    // new to the account and was allowed; one allowed step taught the
    // profile its context, so this step looks familiar. A password replayed
    // from a proxy at the user's own provider signs in like that, then sets
    // up forwarding minutes later. Until a second factor in the session
    // proves the place, what an intruder does to stay is asked for.
    const arrival = ctx.profile.arrival;
    if (arrival && STAYING.has(ctx.event.type) && ctx.time >= arrival.time) {
      const session = ctx.event.session?.id;
      const since = ctx.time - arrival.time;
      const inSession =
        arrival.session !== 0 && session !== undefined
          ? arrival.session === valueKey(session) && since <= ARRIVAL_WINDOW_MS
          : since <= NO_SESSION_MS;
      if (inSession) {
        const minutes = Math.round(since / 60_000);
        return {
          score: 0.45,
          detail: `${what}${about} in a session that began ${minutes < 60 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`} before with a sign-in from a network and device or client new to the account, no second factor since`,
        };
      }
    }
    // Too little history to vouch for any context: a dormant account whose
    // first sign-in in weeks sets up forwarding within the hour is how a
    // relayed (AiTM) session looks, and one or two steps are no familiarity.
    const learned = ctx.profile.learned;
    if (ctx.profile.young && EXFILTRATION.has(ctx.event.type)) {
      return {
        score: 0.45,
        detail: `${what}${about} on an account with ${learned === 0 ? 'no' : `only ${learned}`} trusted step${learned === 1 ? '' : 's'} of history`,
      };
    }
    return undefined;
  },
};

/** A device the account trusts (the step names one) on the account's own network. */
function isOwnPlace(ctx: DetectionContext): boolean {
  const device = ctx.keys[FEATURE.device]!;
  return (
    device !== 0 &&
    ctx.profile.trusted(FEATURE.device, device) > 0 &&
    isOwnNetwork(ctx.keys, ctx.profile)
  );
}
