/**
 * mfa-fatigue — push bombing with a password the attacker already has.
 *
 * For tens of accounts with push MFA, the attacker signs in with the right
 * password (bought, phished or sprayed earlier), then fires push prompt after
 * push prompt, often in the victim's late evening or night, until the victim
 * approves one to make it stop. Most bursts end in rejections and timeouts; a
 * few victims give in. The attacker then enrols its own authenticator and may
 * add a recovery phone or an inbox rule. Infrastructure is a handful of VPN
 * exits, servers or proxies, with one or two browser strings.
 *
 * A password-step sign-in is labelled `success` only in the session where the
 * victim approved; otherwise it is a `probe` (the attacker did not get in).
 *
 * @example
 * mfaFatigue.run({ org, start, end, days, rng, campaign });
 */
import type { SimAccount } from '../organisation.js';
import type { Random } from '../random.js';
import { type SourceSpec, newSessionId } from '../sim-event.js';
import { vendorRisk } from '../vendor-risk.js';
import type { AttackModule } from './attack-module.js';
import {
  ATTACKER_RULE_NAMES,
  type AttackerHost,
  after,
  attackerAgents,
  attackerRiskSituation,
  freshDeviceId,
  hostingHosts,
  residentialProxies,
  vpnExits,
} from './attacker-infrastructure.js';
import { MINUTE, HOUR, DAY } from '../durations.js';

/** A time on day `dayStart` at a local hour of the victim, inside the window. */
function victimLocal(rng: Random, victim: SimAccount, dayStart: number, night: boolean): number {
  const hour = night ? (23 + rng.int(0, 5)) % 24 : rng.int(9, 17);
  const minutes = (((hour * 60 + rng.int(0, 59) - victim.person.tz) % 1440) + 1440) % 1440;
  return dayStart + minutes * MINUTE + rng.int(0, 59_999);
}

/** The mfa-fatigue scenario (see the file comment). */
export const mfaFatigue: AttackModule = {
  name: 'mfa-fatigue',
  summary: 'push-notification bombing of accounts whose password is already known',
  run(ctx) {
    const { rng, org, campaign } = ctx;
    const candidates = org.accounts.filter((a) => a.mfa.includes('push'));
    if (candidates.length === 0) return;
    const count = Math.min(
      candidates.length,
      60,
      Math.max(3, Math.round(candidates.length * rng.real(0.2, 0.5))),
    );
    const targets = rng.weightedSample(candidates, count, (a) => (a.tag === 'general' ? 1 : 2));

    const hosts: AttackerHost[] = [];
    for (let i = rng.int(2, 6); i > 0; i--) {
      const r = rng.next();
      const host =
        r < 0.5
          ? vpnExits(rng, 1)[0]
          : r < 0.8
            ? hostingHosts(rng, 1, 1)[0]
            : residentialProxies(rng, 1)[0];
      if (host) hosts.push(host);
    }
    const agents = attackerAgents(rng, rng.int(1, 2), ctx.start);
    const approvers = new Set(
      rng.sample(targets, Math.max(1, Math.round(count * rng.real(0.08, 0.3)))).map((a) => a.id),
    );
    const nightShare = rng.real(0.3, 0.8);

    for (const victim of targets) {
      const deviceId = freshDeviceId(rng);
      const night = rng.chance(nightShare);
      // Burst times first, then slid back if the last would run past the window.
      const times: number[] = [];
      let dayStart = ctx.start + rng.int(0, Math.max(0, ctx.days - 1)) * DAY;
      for (let b = rng.int(1, 4); b > 0; b--) {
        let t = victimLocal(rng, victim, dayStart, night);
        const prev = times[times.length - 1];
        if (prev !== undefined && t <= prev + HOUR) t = prev + rng.int(2, 20) * HOUR;
        times.push(t);
        dayStart += rng.int(0, 2) * DAY;
      }
      const overflow = (times[times.length - 1] ?? 0) + 2 * HOUR - ctx.end;
      const shift = overflow > 0 ? Math.ceil(overflow / DAY) * DAY : 0;
      const bursts = times.map((t) => t - shift).filter((t) => t >= ctx.start);
      if (bursts.length === 0)
        bursts.push(Math.max(ctx.start, ctx.end - 2 * HOUR - rng.int(1, 20) * HOUR));
      for (let b = 0; b < bursts.length; b++) {
        let t = bursts[b] as number;
        const approve = approvers.has(victim.id) && b === bursts.length - 1;
        const host = rng.pick(hosts);
        const source: SourceSpec = {
          ip: host.ip,
          network: host.network,
          userAgent: rng.pick(agents),
          deviceId,
        };
        const session = newSessionId(rng);
        campaign.emit(approve ? 'success' : 'probe', {
          time: t,
          type: 'signin',
          outcome: 'success',
          account: victim,
          source,
          method: 'password',
          session,
          risk: vendorRisk(rng, attackerRiskSituation(host.network)),
        });
        const pushes = rng.int(4, 25);
        const approveAt = approve ? rng.int(3, pushes - 1) : -1;
        for (let i = 0; i < pushes; i++) {
          t = after(rng, t, 15, 90);
          if (i === approveAt) {
            campaign.emit('success', {
              time: t,
              type: 'mfa.challenge',
              outcome: 'success',
              account: victim,
              source,
              method: 'mfa_push',
              session,
            });
            campaign.compromised(victim);
            break;
          }
          campaign.emit('probe', {
            time: t,
            type: 'mfa.challenge',
            outcome: 'failure',
            account: victim,
            source,
            method: 'mfa_push',
            session,
          });
        }
        if (approve) {
          // Persist: an authenticator the attacker holds, maybe a phone and an inbox rule.
          t = after(rng, t, 60, 900);
          const enrol = rng.chance(0.75);
          const phone = rng.chance(0.4);
          if (enrol || !phone) {
            campaign.emit('persistence', {
              time: t,
              type: 'mfa.enrolled',
              outcome: 'success',
              account: victim,
              source,
              method: rng.chance(0.6) ? 'mfa_totp' : 'mfa_push',
              session,
            });
            t = after(rng, t, 30, 400);
          }
          if (phone) {
            const address = `+1${rng.pick(['302', '347', '469', '646', '786', '929'])}55501${String(rng.int(0, 99)).padStart(2, '0')}`;
            campaign.emit('persistence', {
              time: t,
              type: 'recovery.channel.added',
              outcome: 'success',
              account: victim,
              source,
              recovery: { channel: 'phone', address },
              session,
            });
            t = after(rng, t, 30, 400);
          }
          if (rng.chance(0.3)) {
            campaign.emit('persistence', {
              time: t,
              type: 'mailbox.rule.created',
              outcome: 'success',
              account: victim,
              source,
              mailbox: { rule_name: rng.pick(ATTACKER_RULE_NAMES) },
              session,
            });
          }
        }
      }
    }
  },
};
