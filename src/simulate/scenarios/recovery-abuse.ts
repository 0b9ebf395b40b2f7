/**
 * recovery-abuse — the reference case (APT35 / Charming Kitten, 2019).
 *
 * A state-backed operator works through a list of a few hundred high-value
 * mailboxes (campaign staff, officials, journalists, diaspora figures) over
 * weeks, at a low rate per account: password-reset requests, SMS codes it
 * cannot read, security questions it guesses wrong, the odd password guess.
 * Almost everything fails. The traffic comes from a small set of rented
 * servers in two or three hosting ASNs, with a few browser strings, during the
 * operator's office hours (Tehran time, Saturday–Wednesday), with an
 * occasional residential proxy or VPN exit so "hosting" is not the only tell.
 *
 * A handful of accounts fall by the pivot that makes this campaign hard to see:
 * the attacker first takes the victim's *backup mailbox* (a weaker personal
 * account on the same provider, reset through SMS or security questions), then
 * resets the primary through an email code sent to that backup, signs in, and
 * persists (own recovery address, forwarding to a drop box, maybe an inbox
 * rule). Both the backup and the primary are compromised accounts in the truth.
 *
 * @example
 * recoveryAbuse.run({ org, start, end, days, rng, campaign });
 */
import type { RecoveryChannel } from '../../domain/event.js';
import type { Organisation, SimAccount } from '../organisation.js';
import type { Random } from '../random.js';
import { type EventSpec, type LabelKind, type SourceSpec, newSessionId } from '../sim-event.js';
import { vendorRisk } from '../vendor-risk.js';
import type { AttackModule } from './attack-module.js';
import {
  ATTACKER_RULE_NAMES,
  after,
  attackerAgents,
  attackerRecoveryAddress,
  attackerRiskSituation,
  dropAddress,
  freshDeviceId,
  hostingHosts,
  residentialProxies,
  vpnExits,
} from './attacker-infrastructure.js';
import { type OperatorClock, operatorTime } from './operator-clock.js';
import { MINUTE, HOUR, DAY } from '../durations.js';

/** How much the operator wants each kind of target. */
const APPETITE = {
  'campaign-staff': 1.4,
  government: 0.9,
  journalist: 1,
  diaspora: 1.2,
  general: 0,
} as const;

/**
 * The backup mailbox through which `account` can be taken over, if any: the
 * account has no MFA, and one of its recovery addresses is a directory account
 * without MFA that itself recovers by SMS or security questions.
 */
function pivotBackup(org: Organisation, account: SimAccount): SimAccount | null {
  if (account.mfa.length > 0) return null;
  for (const r of account.recovery) {
    if (r.channel !== 'email' || r.address === undefined) continue;
    const backup = org.byEmail.get(r.address);
    if (
      backup &&
      backup !== account &&
      backup.mfa.length === 0 &&
      backup.recovery.some((x) => x.channel === 'phone' || x.channel === 'kba')
    )
      return backup;
  }
  return null;
}

/** The recovery-abuse scenario (see the file comment). */
export const recoveryAbuse: AttackModule = {
  name: 'recovery-abuse',
  summary:
    'APT35-style probing of high-value mailboxes through password reset and recovery, with backup-mailbox pivots',
  run(ctx) {
    const { rng, org, campaign } = ctx;
    campaign.actor = 'APT35';
    const clock: OperatorClock = {
      tz: 210,
      workdays: rng.chance(0.7) ? [6, 0, 1, 2, 3] : [6, 0, 1, 2, 3, 4],
      startHour: rng.int(8, 10),
      endHour: rng.int(16, 19),
      offHours: rng.real(0.05, 0.2),
    };

    // Infrastructure: a few rented servers, rarely a proxy or VPN exit.
    const servers = hostingHosts(rng, rng.int(2, 3), rng.int(3, 8));
    const proxies = residentialProxies(rng, rng.int(2, 6), 0.1);
    const vpns = vpnExits(rng, rng.int(1, 3));
    const rotation = rng.real(0.04, 0.12);
    const agents = attackerAgents(rng, rng.int(2, 4), ctx.start);
    const sharedDevices = rng.chance(0.5)
      ? Array.from({ length: rng.int(2, 6) }, () => freshDeviceId(rng))
      : null;
    const deviceFor = new Map<string, string>();
    const sourceFor = (account: SimAccount): SourceSpec => {
      const host = rng.chance(rotation)
        ? rng.pick(rng.chance(0.6) ? proxies : vpns)
        : rng.pick(servers);
      let deviceId: string | null = null;
      if (!rng.chance(0.08)) {
        if (sharedDevices) deviceId = rng.pick(sharedDevices);
        else {
          deviceId = deviceFor.get(account.id) ?? freshDeviceId(rng);
          deviceFor.set(account.id, deviceId);
        }
      }
      return { ip: host.ip, network: host.network, userAgent: rng.pick(agents), deviceId };
    };

    // Targets: about 241 of a default-size organisation's high-value accounts, scaled to the org.
    const highValue = org.accounts.filter((a) => a.tag !== 'general');
    const wanted = Math.min(
      highValue.length,
      Math.round(highValue.length * rng.real(0.5, 0.72)),
      rng.int(220, 300),
    );
    const pivotable = highValue.filter((a) => pivotBackup(org, a) !== null);
    const chainCount = Math.min(
      pivotable.length,
      Math.max(1, Math.round((rng.real(3, 5.4) * wanted) / 241)),
    );
    const victims = rng.weightedSample(pivotable, chainCount, (a) => APPETITE[a.tag]);
    const others = rng.weightedSample(
      highValue.filter((a) => !victims.includes(a)),
      Math.max(0, wanted - victims.length),
      (a) => APPETITE[a.tag],
    );

    // Probing comes in waves over the period, a few attempts per target at most.
    const waves = Array.from({ length: rng.int(2, 4) }, () => rng.real(0, ctx.days));
    const spread = rng.real(1.5, 4);
    const meanExtra = rng.real(0.6, 1.8);
    for (const target of rng.shuffle([...victims, ...others])) {
      const attempts = Math.min(6, 1 + rng.poisson(meanExtra));
      const days = new Set<number>();
      for (let i = 0; i < attempts; i++) {
        const day = Math.floor(rng.pick(waves) + rng.normal() * spread);
        days.add(Math.min(ctx.days - 1, Math.max(0, day)));
      }
      let previous = -1;
      for (const wanted of [...days].sort((a, b) => a - b)) {
        // On the operator's weekend the attempt waits for the next working day.
        for (let day = Math.max(wanted, previous + 1); day < ctx.days; day++) {
          const t = operatorTime(rng, clock, ctx.start + day * DAY);
          if (t === null) continue;
          probe(rng, target, t, sourceFor(target), campaign.emit.bind(campaign));
          previous = day;
          break;
        }
      }
    }

    // The pivots: backup mailbox first, then the primary through it.
    for (const victim of victims) {
      const backup = pivotBackup(org, victim);
      if (!backup) continue;
      const lastDay = Math.max(0, ctx.days - 2);
      const day =
        ctx.days >= 4 ? rng.int(Math.floor(ctx.days * 0.25), lastDay) : rng.int(0, lastDay);
      let t =
        operatorTime(rng, clock, ctx.start + day * DAY) ??
        ctx.start + day * DAY + rng.int(6 * 60, 12 * 60) * MINUTE + rng.int(0, 59_999);

      let src = sourceFor(backup);
      let session = newSessionId(rng);
      const emitB = (
        kind: LabelKind,
        spec: Omit<EventSpec, 'account' | 'source' | 'session' | 'time'>,
      ) => campaign.emit(kind, { time: t, account: backup, source: src, session, ...spec });
      const phone = backup.recovery.find((r) => r.channel === 'phone');
      const hasKba = backup.recovery.some((r) => r.channel === 'kba');
      const viaSms = phone !== undefined && (!hasKba || rng.chance(0.5));
      const recovery: { channel: RecoveryChannel; address?: string } = viaSms
        ? { channel: 'phone', address: phone.address }
        : { channel: 'kba' };
      emitB('probe', { type: 'password.reset.requested', outcome: 'success', recovery });
      if (!viaSms) {
        for (let i = rng.int(0, 2); i > 0; i--) {
          t = after(rng, t, 30, 150);
          emitB('probe', {
            type: 'recovery.challenge',
            outcome: 'failure',
            method: 'kba',
            recovery,
          });
        }
      }
      t = after(rng, t, 30, 200);
      emitB('success', {
        type: 'recovery.challenge',
        outcome: 'success',
        method: viaSms ? 'sms_code' : 'kba',
        recovery,
      });
      t = after(rng, t, 20, 120);
      emitB('success', { type: 'password.reset.completed', outcome: 'success' });
      campaign.passwordTaken(backup, t);
      t = after(rng, t, 5, 60);
      emitB('success', {
        type: 'signin',
        outcome: 'success',
        method: 'password',
        risk: vendorRisk(rng, attackerRiskSituation(src.network)),
      });
      campaign.compromised(backup);
      if (phone && rng.chance(0.45)) {
        // Cut the owner out of their own recovery.
        t = after(rng, t, 60, 600);
        emitB('persistence', {
          type: 'recovery.channel.removed',
          outcome: 'success',
          recovery: { channel: 'phone', address: phone.address },
        });
      }

      t += rng.chance(0.6) ? rng.int(20, 180) * MINUTE : rng.int(12, 40) * HOUR;
      src = sourceFor(victim);
      session = newSessionId(rng);
      const emitP = (
        kind: LabelKind,
        spec: Omit<EventSpec, 'account' | 'source' | 'session' | 'time'>,
      ) => campaign.emit(kind, { time: t, account: victim, source: src, session, ...spec });
      const via = { channel: 'email' as const, address: backup.email };
      emitP('probe', { type: 'password.reset.requested', outcome: 'success', recovery: via });
      t = after(rng, t, 30, 200);
      emitP('success', {
        type: 'recovery.challenge',
        outcome: 'success',
        method: 'email_code',
        recovery: via,
      });
      t = after(rng, t, 20, 120);
      emitP('success', { type: 'password.reset.completed', outcome: 'success' });
      campaign.passwordTaken(victim, t);
      t = after(rng, t, 5, 60);
      emitP('success', {
        type: 'signin',
        outcome: 'success',
        method: 'password',
        risk: vendorRisk(rng, attackerRiskSituation(src.network)),
      });
      campaign.compromised(victim);
      t = after(rng, t, 60, 600);
      emitP('persistence', {
        type: 'recovery.channel.added',
        outcome: 'success',
        recovery: { channel: 'email', address: attackerRecoveryAddress(rng, victim.email) },
      });
      if (rng.chance(0.85)) {
        t = after(rng, t, 30, 300);
        emitP('persistence', {
          type: 'mailbox.forwarding.set',
          outcome: 'success',
          mailbox: { forward_to: dropAddress(rng) },
        });
      }
      if (rng.chance(0.5)) {
        t = after(rng, t, 30, 300);
        emitP('persistence', {
          type: 'mailbox.rule.created',
          outcome: 'success',
          mailbox: { rule_name: rng.pick(ATTACKER_RULE_NAMES) },
        });
      }
      const victimPhone = victim.recovery.find((r) => r.channel === 'phone');
      if (victimPhone && rng.chance(0.3)) {
        t = after(rng, t, 30, 300);
        emitP('persistence', {
          type: 'recovery.channel.removed',
          outcome: 'success',
          recovery: { channel: 'phone', address: victimPhone.address },
        });
      }
    }
  },
};

/** One reconnaissance session against one target; everything in it fails. */
function probe(
  rng: Random,
  target: SimAccount,
  start: number,
  source: SourceSpec,
  emit: (kind: LabelKind, spec: EventSpec) => void,
): void {
  const session = newSessionId(rng);
  let time = start;
  const ev = (spec: Omit<EventSpec, 'account' | 'source' | 'session' | 'time'>) =>
    emit('probe', { time, account: target, source, session, ...spec });
  const phone = target.recovery.find((r) => r.channel === 'phone');
  const kba = target.recovery.some((r) => r.channel === 'kba');
  const email = target.recovery.find((r) => r.channel === 'email');
  const options: ['password' | 'sms' | 'kba' | 'email', number][] = [['password', 0.2]];
  if (phone) options.push(['sms', 0.4]);
  if (kba) options.push(['kba', 0.35]);
  if (email) options.push(['email', 0.15]);
  const how = rng.weighted(options, (o) => o[1])[0];
  if (how === 'password') {
    for (let i = rng.int(1, 3); i > 0; i--) {
      ev({
        type: 'signin',
        outcome: 'failure',
        method: 'password',
        risk: vendorRisk(rng, attackerRiskSituation(source.network)),
      });
      time = after(rng, time, 20, 90);
    }
  } else if (how === 'sms' && phone) {
    const recovery = { channel: 'phone' as const, address: phone.address };
    ev({ type: 'password.reset.requested', outcome: 'success', recovery });
    if (rng.chance(0.7)) {
      for (let i = rng.int(1, 2); i > 0; i--) {
        time = after(rng, time, 30, 180);
        ev({ type: 'recovery.challenge', outcome: 'failure', method: 'sms_code', recovery });
      }
    }
  } else if (how === 'kba') {
    const recovery = { channel: 'kba' as const };
    ev({ type: 'password.reset.requested', outcome: 'success', recovery });
    for (let i = rng.int(1, 3); i > 0; i--) {
      time = after(rng, time, 30, 150);
      ev({ type: 'recovery.challenge', outcome: 'failure', method: 'kba', recovery });
    }
  } else if (email) {
    const recovery =
      email.address !== undefined
        ? { channel: 'email' as const, address: email.address }
        : { channel: 'email' as const };
    ev({ type: 'password.reset.requested', outcome: 'success', recovery });
    if (rng.chance(0.4)) {
      time = after(rng, time, 60, 300);
      ev({ type: 'recovery.challenge', outcome: 'failure', method: 'email_code', recovery });
    }
  }
}
