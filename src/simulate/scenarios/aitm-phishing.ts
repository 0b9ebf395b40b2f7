/**
 * aitm-phishing — adversary-in-the-middle phishing (Evilginx-style reverse proxy).
 *
 * Phishing mails go out in one to three waves; the recipients who click enter
 * their password and approve their MFA prompt on a proxy that relays both to
 * the real sign-in page. The provider therefore sees a successful password
 * sign-in and MFA success *from the proxy's hosting address*, with the
 * victim's own browser string (the proxy passes it through) but a device id it
 * has never seen, seconds after the victim's click. Around it, the victim's own
 * genuine sign-in often appears from their usual network (before: they were
 * reading mail; after: the kit redirects them to the real site).
 *
 * The stolen session cookie is then replayed, minutes to an hour later, from
 * another server or VPN exit, in the same session, to persist: hidden inbox
 * rules, forwarding, an OAuth consent, an extra MFA method. Some victims are
 * not compromised: a mistyped password, an MFA prompt they did not complete, or
 * a passkey, which a proxy cannot relay.
 *
 * @example
 * aitmPhishing.run({ org, start, end, days, rng, campaign });
 */
import { isWorkHours, localClock } from '../diurnal.js';
import { MFA_METHOD, type SimAccount } from '../organisation.js';
import type { Random } from '../random.js';
import { type SourceSpec, newSessionId } from '../sim-event.js';
import { userAgentAt } from '../user-agents.js';
import { vendorRisk } from '../vendor-risk.js';
import type { AttackModule } from './attack-module.js';
import {
  ATTACKER_RULE_NAMES,
  after,
  attackerAgents,
  attackerRiskSituation,
  dropAddress,
  freshDeviceId,
  hostingHosts,
  vpnExits,
} from './attacker-infrastructure.js';
import type { CampaignRecorder } from './campaign-recorder.js';
import { MINUTE, HOUR, DAY } from '../durations.js';

/** Between 07:00 and 23:00 local time. */
function isAwake(t: number, tz: number): boolean {
  const { hour } = localClock(t, tz);
  return hour >= 7 && hour < 23;
}

/** Cheap cloud and VPS providers phishing kits are usually deployed on. */
const PROXY_PROVIDERS = [
  'digitalocean',
  'vultr',
  'linode',
  'ovh',
  'hetzner',
  'aws-us-east-1',
  'azure',
  'contabo',
  'colocrossing',
];

/** The aitm-phishing scenario (see the file comment). */
export const aitmPhishing: AttackModule = {
  name: 'aitm-phishing',
  summary: 'reverse-proxy phishing that relays password and MFA, then replays the stolen session',
  run(ctx) {
    const { rng, org, campaign } = ctx;
    const n = org.accounts.length;
    const count = Math.min(n, 80, Math.max(3, Math.round(n * rng.real(0.004, 0.015))));
    const victims = rng.weightedSample(org.accounts, count, (a) =>
      a.role === 'work' ? 3 : a.tag === 'diaspora' ? 1.5 : 0.5,
    );
    const proxies = hostingHosts(rng, rng.int(1, 2), rng.int(1, 3), PROXY_PROVIDERS);
    const replays = rng.chance(0.5)
      ? vpnExits(rng, rng.int(1, 3))
      : hostingHosts(rng, rng.int(1, 2), rng.int(1, 3));
    const ownAgents = attackerAgents(rng, rng.int(1, 2), ctx.start);
    // Waves leave room before the end of the window for clicks and cookie replay.
    const lastWaveDay = ctx.days >= 3 ? ctx.days - 2 : 0;
    const waves = Array.from(
      { length: rng.int(1, 3) },
      () => ctx.start + rng.int(0, lastWaveDay) * DAY + rng.int(6, 14) * HOUR,
    );
    const completeMfa = rng.real(0.55, 0.9);
    const blocked = rng.real(0.03, 0.15);
    // At least one victim falls: a campaign that never lands would not be worth simulating.
    const sure = victims.find(
      (v) => !(v.mfa.includes('passkey') && v.mfa.every((m) => m === 'passkey')),
    );

    for (const victim of victims) {
      // The click comes some hours after the wave, while the victim is awake.
      const wave = rng.pick(waves);
      let click = wave + Math.floor(rng.exponential(3 * HOUR));
      for (let i = 0; i < 8 && !isAwake(click, victim.person.tz); i++)
        click += rng.int(1, 4) * HOUR;
      if (click > ctx.end - 3 * HOUR) click = wave + rng.int(5, 120) * MINUTE;
      phish(
        rng,
        campaign,
        victim,
        click,
        proxies,
        replays,
        ownAgents,
        victim === sure ? 1 : completeMfa,
        victim === sure ? 0 : blocked,
        victim === sure,
      );
    }
  },
};

function phish(
  rng: Random,
  campaign: CampaignRecorder,
  victim: SimAccount,
  click: number,
  proxies: readonly { ip: string; network: SourceSpec['network'] }[],
  replays: readonly { ip: string; network: SourceSpec['network'] }[],
  ownAgents: readonly string[],
  completeMfa: number,
  blocked: number,
  sure: boolean,
): void {
  const person = victim.person;
  const device = person.devices.find((d) => d.form === 'desktop') ?? person.devices[0];
  if (!device?.family) return;
  const victimAgent = userAgentAt(device.family, device.lag, click);
  // The victim's own context, as their genuine sign-ins show it.
  const ownNetwork =
    person.egress && isWorkHours(click, person.tz) ? person.egress.network : person.homeNetwork;
  const ownIp =
    person.egress && ownNetwork === person.egress.network
      ? rng.pick(person.egress.ips)
      : person.homeIp;
  const own: SourceSpec = {
    ip: ownIp,
    network: ownNetwork,
    userAgent: victimAgent,
    deviceId: device.id,
  };
  /** The victim's own sign-in, from their own device and network. */
  const ownSignin = (time: number) =>
    campaign.emitOwner({
      time,
      type: 'signin',
      outcome: 'success',
      account: victim,
      source: own,
      method: 'password',
      session: newSessionId(rng),
    });
  if (rng.chance(0.5)) {
    ownSignin(click - rng.int(1, 20) * MINUTE);
  }

  const proxy = rng.pick(proxies);
  const relayed: SourceSpec = {
    ip: proxy.ip,
    network: proxy.network,
    userAgent: victimAgent,
    deviceId: freshDeviceId(rng),
  };
  const session = newSessionId(rng);
  let t = after(rng, click, 8, 60);
  const risk = () => vendorRisk(rng, attackerRiskSituation(proxy.network));
  const failedSignin = (time: number) =>
    campaign.emit('probe', {
      time,
      type: 'signin',
      outcome: 'failure',
      account: victim,
      source: relayed,
      method: 'password',
      session,
      risk: risk(),
    });
  if (rng.chance(0.15)) {
    // A mistyped password; some victims give up or grow suspicious here.
    failedSignin(t);
    if (!sure && rng.chance(0.3)) return;
    t = after(rng, t, 10, 40);
  }
  if (rng.chance(blocked)) {
    // The provider refuses the relayed sign-in (conditional access, a burned proxy address).
    failedSignin(t);
    return;
  }
  const second = victim.mfa.find((m) => m !== 'passkey');
  if (victim.mfa.includes('passkey') && second === undefined) {
    // A passkey is bound to the real origin: the proxy cannot relay it.
    campaign.emit('probe', {
      time: t,
      type: 'signin',
      outcome: 'failure',
      account: victim,
      source: relayed,
      method: 'passkey',
      session,
      risk: risk(),
    });
    return;
  }
  const mfaDone = second === undefined || rng.chance(completeMfa);
  campaign.emit(mfaDone ? 'success' : 'probe', {
    time: t,
    type: 'signin',
    outcome: 'success',
    account: victim,
    source: relayed,
    method: 'password',
    session,
    risk: risk(),
  });
  if (second !== undefined) {
    t = after(rng, t, 5, 40);
    campaign.emit(mfaDone ? 'success' : 'probe', {
      time: t,
      type: 'mfa.challenge',
      outcome: mfaDone ? 'success' : 'failure',
      account: victim,
      source: relayed,
      method: MFA_METHOD[second],
      session,
    });
  }
  if (!mfaDone) return;
  campaign.compromised(victim);
  if (rng.chance(0.4)) {
    // The kit redirects the victim to the real site, where they sign in again.
    ownSignin(after(rng, t, 10, 90));
  }

  // Cookie replay: same session, another address, often the same device cookie.
  const replayHost = rng.chance(0.3) ? proxy : rng.pick(replays);
  const replay: SourceSpec = {
    ip: replayHost.ip,
    network: replayHost.network,
    userAgent: rng.chance(0.5) ? victimAgent : rng.pick(ownAgents),
    deviceId: rng.chance(0.7) ? relayed.deviceId : freshDeviceId(rng),
  };
  t += rng.int(2, 90) * MINUTE;
  const steps: (() => void)[] = [];
  const persist =
    (
      type:
        | 'mailbox.rule.created'
        | 'mailbox.forwarding.set'
        | 'oauth.consent.granted'
        | 'mfa.enrolled',
    ) =>
    () => {
      t = after(rng, t, 20, 400);
      if (type === 'mailbox.rule.created')
        campaign.emit('persistence', {
          time: t,
          type,
          outcome: 'success',
          account: victim,
          source: replay,
          mailbox: { rule_name: rng.pick(ATTACKER_RULE_NAMES) },
          session,
        });
      else if (type === 'mailbox.forwarding.set')
        campaign.emit('persistence', {
          time: t,
          type,
          outcome: 'success',
          account: victim,
          source: replay,
          mailbox: { forward_to: dropAddress(rng) },
          session,
        });
      else if (type === 'mfa.enrolled')
        campaign.emit('persistence', {
          time: t,
          type,
          outcome: 'success',
          account: victim,
          source: replay,
          method: rng.chance(0.6) ? 'mfa_totp' : 'mfa_push',
          session,
        });
      else
        campaign.emit('persistence', {
          time: t,
          type,
          outcome: 'success',
          account: victim,
          source: replay,
          session,
        });
    };
  if (rng.chance(0.8)) steps.push(persist('mailbox.rule.created'));
  if (rng.chance(0.35)) steps.push(persist('mailbox.forwarding.set'));
  if (rng.chance(0.3)) steps.push(persist('oauth.consent.granted'));
  if (rng.chance(0.35)) steps.push(persist('mfa.enrolled'));
  if (steps.length === 0) steps.push(persist('mailbox.rule.created'));
  for (const step of steps) step();
}
