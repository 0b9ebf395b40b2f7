/**
 * password-spray — low-and-slow guessing of common passwords across many accounts.
 *
 * The sprayer tries one password per round against hundreds to thousands of
 * accounts, rounds at least 14 hours apart (so no account sees more than one
 * or two attempts a day and lockout never triggers), each attempt from a
 * different residential-proxy exit: real home-broadband and mobile addresses
 * across many ISPs, each used only a few times. The client is either a
 * scripted HTTP library (no device id) or a handful of common browser strings.
 *
 * Nearly everything fails. A few weak passwords fall: accounts without MFA are
 * compromised (sometimes followed by a later session that sets forwarding or an
 * inbox rule); accounts with MFA show a correct password stopped at the MFA
 * prompt — a probe, not a compromise.
 *
 * @example
 * passwordSpray.run({ org, start, end, days, rng, campaign });
 */
import { MFA_METHOD, type SimAccount } from '../organisation.js';
import type { Random } from '../random.js';
import { type EventSpec, type LabelKind, type SourceSpec, newSessionId } from '../sim-event.js';
import { SCRIPTED_AGENTS } from '../user-agents.js';
import { vendorRisk } from '../vendor-risk.js';
import type { AttackModule } from './attack-module.js';
import {
  ATTACKER_RULE_NAMES,
  type AttackerHost,
  after,
  attackerAgents,
  attackerRiskSituation,
  dropAddress,
  freshDeviceId,
  hostingHosts,
  residentialProxies,
  vpnExits,
} from './attacker-infrastructure.js';
import { MINUTE, HOUR } from '../durations.js';

/** The password-spray scenario (see the file comment). */
export const passwordSpray: AttackModule = {
  name: 'password-spray',
  summary: 'one password per round across many accounts from rotating residential proxies',
  run(ctx) {
    const { rng, org, campaign } = ctx;
    const n = org.accounts.length;
    const targetCount = Math.min(
      n,
      Math.max(Math.min(n, 30), Math.round(n * rng.real(0.12, 0.45))),
    );
    // Harvested address lists over-represent organisation mailboxes.
    const targets = rng.weightedSample(org.accounts, targetCount, (a) =>
      a.role === 'work' ? 1.6 : 1,
    );

    const pool = residentialProxies(
      rng,
      Math.min(2000, Math.max(50, Math.round(targetCount * rng.real(0.3, 1.2)))),
      rng.real(0.05, 0.25),
    );
    const scripted = rng.chance(0.45);
    const agents = scripted
      ? [rng.pick(SCRIPTED_AGENTS), ...attackerAgents(rng, 1, ctx.start)]
      : attackerAgents(rng, rng.int(2, 5), ctx.start);
    const sourceFrom = (host: AttackerHost): SourceSpec => {
      const ua = scripted ? (rng.chance(0.75) ? agents[0] : agents[1]) : rng.pick(agents);
      const userAgent = ua ?? null;
      const deviceId =
        scripted && ua === agents[0] ? null : rng.chance(0.6) ? freshDeviceId(rng) : null;
      return { ip: host.ip, network: host.network, userAgent, deviceId };
    };

    // Rounds: start times spread over the window, at least 14 h apart.
    const gap = 14 * HOUR;
    const wantedRounds = Math.max(
      1,
      Math.min(rng.int(3, 9), Math.floor((ctx.end - ctx.start) / gap)),
    );
    const starts = Array.from(
      { length: wantedRounds },
      () => ctx.start + rng.next() * (ctx.end - ctx.start - 3 * HOUR),
    ).sort((a, b) => a - b);
    const rounds: { start: number; length: number; coverage: number }[] = [];
    for (const s of starts) {
      const prev = rounds[rounds.length - 1];
      const start = Math.floor(prev ? Math.max(s, prev.start + gap) : s);
      if (start >= ctx.end - HOUR) break;
      rounds.push({ start, length: rng.real(2, 12) * HOUR, coverage: rng.real(0.5, 1) });
    }

    // Weak passwords: a fraction of a percent, found in a random round.
    const weak = rng.weightedSample(
      targets,
      Math.max(1, Math.round(targetCount * rng.real(0.003, 0.012))),
      (a) => (a.mfa.length === 0 ? 5 : 1),
    );
    // At least one weak password on an account without MFA, so the spray lands somewhere.
    const open = targets.find((a) => a.mfa.length === 0);
    if (open && !weak.some((a) => a.mfa.length === 0)) weak[0] = open;
    const fallRound = new Map(weak.map((a) => [a.id, rng.int(0, rounds.length - 1)]));
    const cracked = new Set<string>();

    rounds.forEach((round, r) => {
      for (const target of targets) {
        if (cracked.has(target.id)) continue; // the sprayer stops trying an account it has
        const falls = fallRound.get(target.id) === r;
        if (!falls && !rng.chance(round.coverage)) continue;
        const t = Math.floor(round.start + rng.next() * round.length);
        const source = sourceFrom(rng.pick(pool));
        const risk = vendorRisk(rng, attackerRiskSituation(source.network));
        if (!falls) {
          campaign.emit('probe', {
            time: t,
            type: 'signin',
            outcome: 'failure',
            account: target,
            source,
            method: 'password',
            session: newSessionId(rng),
            risk,
          });
          continue;
        }
        cracked.add(target.id);
        crack(
          rng,
          target,
          t,
          source,
          campaign.emit.bind(campaign),
          () => campaign.compromised(target),
          pool,
        );
      }
    });
  },
};

/** The password was right. MFA stops it, or the attacker is in and may come back to persist. */
function crack(
  rng: Random,
  target: SimAccount,
  t: number,
  source: SourceSpec,
  emit: (kind: LabelKind, spec: EventSpec) => void,
  compromised: () => void,
  pool: readonly AttackerHost[],
): void {
  const session = newSessionId(rng);
  const risk = vendorRisk(rng, attackerRiskSituation(source.network));
  const second = target.mfa.find((m) => m !== 'passkey') ?? target.mfa[0];
  if (second !== undefined) {
    emit('probe', {
      time: t,
      type: 'signin',
      outcome: 'success',
      account: target,
      source,
      method: 'password',
      session,
      risk,
    });
    emit('probe', {
      time: after(rng, t, 15, 70),
      type: 'mfa.challenge',
      outcome: 'failure',
      account: target,
      source,
      method: MFA_METHOD[second],
      session,
    });
    return;
  }
  emit('success', {
    time: t,
    type: 'signin',
    outcome: 'success',
    account: target,
    source,
    method: 'password',
    session,
    risk,
  });
  compromised();
  if (!rng.chance(0.6)) return;
  // Later, an operator logs in by hand to set up collection.
  let time = t + rng.int(10, 720) * MINUTE;
  const hostChoice = rng.next();
  const host =
    hostChoice < 0.4
      ? rng.pick(pool)
      : hostChoice < 0.7
        ? vpnExits(rng, 1)[0]
        : hostingHosts(rng, 1, 1)[0];
  if (!host) return;
  const src: SourceSpec = {
    ip: host.ip,
    network: host.network,
    userAgent: attackerAgents(rng, 1, time)[0] ?? null,
    deviceId: freshDeviceId(rng),
  };
  const s2 = newSessionId(rng);
  emit('success', {
    time,
    type: 'signin',
    outcome: 'success',
    account: target,
    source: src,
    method: 'password',
    session: s2,
    risk: vendorRisk(rng, attackerRiskSituation(src.network)),
  });
  const rule = rng.chance(0.6);
  time = after(rng, time, 60, 900);
  if (rule)
    emit('persistence', {
      time,
      type: 'mailbox.rule.created',
      outcome: 'success',
      account: target,
      source: src,
      mailbox: { rule_name: rng.pick(ATTACKER_RULE_NAMES) },
      session: s2,
    });
  if (!rule || rng.chance(0.3)) {
    time = after(rng, time, 30, 600);
    emit('persistence', {
      time,
      type: 'mailbox.forwarding.set',
      outcome: 'success',
      account: target,
      source: src,
      mailbox: { forward_to: dropAddress(rng) },
      session: s2,
    });
  }
}
