/**
 * credential-stuffing — a breach's email/password pairs replayed against the
 * organisation, each account tried with its own leaked password.
 *
 * Unlike a spray, nothing is pinned: the tool (an anti-detect browser
 * automation) draws a fresh, current browser string and a fresh device id
 * for every attempt, and every attempt goes out through a different exit of
 * a large residential and mobile proxy pool, so no address, /24 or client
 * string repeats often enough to tie attempts together. What gives it away
 * is the shape: bursts of a few hours in which hundreds of accounts each see
 * one or two failed sign-ins from somewhere they have never been.
 *
 * The leaked password still works where its owner reused it: on accounts
 * without MFA the attacker is in, and on some of those comes back within
 * minutes from the same exit to forward mail; with MFA, the prompt stops it.
 *
 * @example
 * credentialStuffing.run({ org, start, end, days, rng, campaign });
 */
import { MFA_METHOD } from '../organisation.js';
import { type SourceSpec, newSessionId } from '../sim-event.js';
import { vendorRisk } from '../vendor-risk.js';
import type { AttackModule } from './attack-module.js';
import {
  ATTACKER_RULE_NAMES,
  after,
  attackerAgents,
  attackerRiskSituation,
  dropAddress,
  freshDeviceId,
  residentialProxies,
} from './attacker-infrastructure.js';
import { HOUR, MINUTE } from '../durations.js';

/** The credential-stuffing scenario (see the file comment). */
export const credentialStuffing: AttackModule = {
  name: 'credential-stuffing',
  summary: 'leaked passwords replayed per account, a fresh proxy exit and browser for each attempt',
  run(ctx) {
    const { rng, org, campaign } = ctx;
    const n = org.accounts.length;
    // The breach holds some of the organisation's addresses, personal ones more often.
    const targets = rng.weightedSample(
      org.accounts,
      Math.min(n, Math.max(Math.min(n, 40), Math.round(n * rng.real(0.08, 0.3)))),
      (a) => (a.role === 'personal' ? 1.5 : 1),
    );
    const pool = residentialProxies(
      rng,
      Math.min(6000, Math.round(targets.length * rng.real(1, 2))),
      rng.real(0.1, 0.35),
    );
    const source = (t: number): SourceSpec => {
      const host = rng.pick(pool);
      return {
        ip: host.ip,
        network: host.network,
        userAgent: attackerAgents(rng, 1, t, rng.chance(0.2) ? 'mobile' : 'desktop')[0] ?? null,
        deviceId: rng.chance(0.7) ? freshDeviceId(rng) : null,
      };
    };

    // One to three bursts of a few hours each; every target lands in one of them.
    const bursts = Array.from({ length: rng.int(1, 3) }, () => {
      const length = rng.real(1, 6) * HOUR;
      return { start: ctx.start + rng.next() * (ctx.end - ctx.start - length), length };
    });
    // Reused passwords: a few percent, more often on accounts without MFA (older, neglected ones).
    const valid = new Set(
      rng
        .weightedSample(
          targets,
          Math.max(2, Math.round(targets.length * rng.real(0.01, 0.04))),
          (a) => (a.mfa.length === 0 ? 3 : 1),
        )
        .map((a) => a.id),
    );

    for (const target of targets) {
      const burst = rng.pick(bursts);
      let t = Math.floor(burst.start + rng.next() * burst.length);
      const works = valid.has(target.id);
      // A stale pair is sometimes tried again with a variant of the password.
      const tries = works ? 1 : rng.chance(0.25) ? 2 : 1;
      for (let i = 0; i < tries; i++) {
        const src = source(t);
        const risk = vendorRisk(rng, attackerRiskSituation(src.network));
        const session = newSessionId(rng);
        if (!works) {
          campaign.emit('probe', {
            time: t,
            type: 'signin',
            outcome: 'failure',
            account: target,
            source: src,
            method: 'password',
            session,
            risk,
          });
          t = after(rng, t, 60, 40 * 60);
          continue;
        }
        const second = target.mfa.find((m) => m !== 'passkey') ?? target.mfa[0];
        // With MFA the password alone is a probe: the prompt stops it.
        campaign.emit(second !== undefined ? 'probe' : 'success', {
          time: t,
          type: 'signin',
          outcome: 'success',
          account: target,
          source: src,
          method: 'password',
          session,
          risk,
        });
        if (second !== undefined) {
          campaign.emit('probe', {
            time: after(rng, t, 10, 60),
            type: 'mfa.challenge',
            outcome: 'failure',
            account: target,
            source: src,
            method: MFA_METHOD[second],
            session,
          });
          continue;
        }
        campaign.compromised(target);
        // A checker marks the hit; some operators forward the mailbox at once.
        if (!rng.chance(0.5)) continue;
        const at = t + rng.int(2, 45) * MINUTE;
        const step = rng.chance(0.5)
          ? ({ type: 'mailbox.forwarding.set', mailbox: { forward_to: dropAddress(rng) } } as const)
          : ({
              type: 'mailbox.rule.created',
              mailbox: { rule_name: rng.pick(ATTACKER_RULE_NAMES) },
            } as const);
        campaign.emit('persistence', {
          time: at,
          ...step,
          outcome: 'success',
          account: target,
          source: src,
          session,
        });
      }
    }
  },
};
