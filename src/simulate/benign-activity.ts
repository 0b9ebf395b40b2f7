/**
 * Ordinary life: what every account does on every day when nobody attacks it.
 *
 * Per account and day: interactive sessions drawn from a diurnal curve in the
 * person's local time (fewer at weekends for work mailboxes), on one of their
 * devices, from home broadband, a mobile carrier, the office egress during work
 * hours, or a hotel abroad; password typos; MFA prompts (skipped on remembered
 * devices); background sign-ins of mail clients; and rare owner actions —
 * forgotten passwords recovered from a familiar context, lockouts after many
 * typos, new recovery addresses, forwarding, inbox rules, OAuth consents, MFA
 * enrolments, help-desk and admin interventions. These rare actions are exactly
 * what attackers do too, so detectors must tell them apart by context.
 *
 * Each account has its own random stream keyed by (seed, account index), so the
 * benign background of a seed is the same whichever attack scenario runs beside
 * it — except where an attack changes what the owner sees (after an attacker
 * resets the password, the owner's next sign-in fails and they recover it).
 *
 * @example
 * const benign = new BenignActivity(org, { seed, start, days });
 * for (let day = 0; day < days; day++) benign.generateDay(day, queue);
 */
import type { AuthMethod, EventType, Outcome, RecoveryChannel } from '../domain/event.js';
import { DiurnalDay, isWorkHours, sampleTime } from './diurnal.js';
import type { EventQueue } from './event-queue.js';
import { randomIp } from './networks.js';
import {
  type Device,
  MFA_METHOD,
  type Organisation,
  type Person,
  type SimAccount,
  newBrowserDevice,
} from './organisation.js';
import { Random, deriveSeed } from './random.js';
import { type EventSpec, type SourceSpec, newSessionId, renderEventBody } from './sim-event.js';
import { userAgentAt } from './user-agents.js';
import { type RiskSituation, vendorRisk } from './vendor-risk.js';
import { SECOND, MINUTE, DAY } from './durations.js';

/** Per account-day probabilities of the rare owner actions. */
const RATES = {
  typo: 0.04,
  forgotPassword: 0.0008,
  lockout: 0.00006,
  recoveryChange: 0.0004,
  forwarding: 0.00012,
  inboxRule: 0.0007,
  oauthConsent: 0.0005,
  mfaEnrol: 0.00025,
  passwordChange: 0.0004,
  adminMfaReset: 0.00005,
  homeIpChange: 0.004,
  newDevice: 0.003,
} as const;

const RULE_NAMES = [
  'Newsletters',
  'Receipts',
  'Move to Archive',
  'Travel',
  'Invoices',
  'Team updates',
  'Social',
  'Family',
  'Calendar',
  'Press releases',
];

/** Where a session happens and what the identity provider sees of it. */
interface Context {
  readonly source: SourceSpec;
  readonly device: Device;
  readonly situation: RiskSituation;
}

/** Seed and window of the run; the organisation comes separately. */
export interface BenignOptions {
  readonly seed: number;
  readonly start: number;
  readonly days: number;
}

/**
 * Generates the benign traffic of an organisation one day at a time.
 *
 * @example
 * new BenignActivity(org, { seed: 1, start, days: 30 }).generateDay(0, queue);
 */
export class BenignActivity {
  readonly #org: Organisation;
  readonly #start: number;
  readonly #accountRng: Random[];
  readonly #personRng: Random[];
  /** Index into `account.takeovers` of the next attacker reset the owner has not yet noticed. */
  readonly #takeoverCursor: Int32Array;
  /** Mail clients keep failing between a password change and the owner updating them. */
  readonly #mailBrokenFrom: Float64Array;
  readonly #mailBrokenUntil: Float64Array;
  /** Which attacker reset (cursor value) the current broken window belongs to; -1 for none. */
  readonly #mailBrokenBy: Int32Array;
  #queue: EventQueue | null = null;

  constructor(org: Organisation, opts: BenignOptions) {
    this.#org = org;
    this.#start = opts.start;
    this.#accountRng = org.accounts.map(
      (a) => new Random(deriveSeed(opts.seed, 'benign', a.index)),
    );
    this.#personRng = org.persons.map((p) => new Random(deriveSeed(opts.seed, 'person', p.index)));
    this.#takeoverCursor = new Int32Array(org.accounts.length);
    this.#mailBrokenFrom = new Float64Array(org.accounts.length).fill(Infinity);
    this.#mailBrokenUntil = new Float64Array(org.accounts.length).fill(Infinity);
    this.#mailBrokenBy = new Int32Array(org.accounts.length).fill(-1);
  }

  /** Generate day `day` (0-based) of benign traffic into the queue. */
  generateDay(day: number, queue: EventQueue): void {
    this.#queue = queue;
    const dayStart = this.#start + day * DAY;
    const diurnal = new DiurnalDay(dayStart);
    for (const person of this.#org.persons) this.#personDay(person, day);
    for (const account of this.#org.accounts) this.#accountDay(account, day, dayStart, diurnal);
  }

  #personDay(person: Person, day: number): void {
    const rng = this.#personRng[person.index] as Random;
    // Broadband leases renew now and then; the address stays in the same ISP.
    if (rng.chance(RATES.homeIpChange)) person.homeIp = randomIp(rng, person.homeNetwork);
    // A new phone or laptop, or a fresh browser profile.
    if (rng.chance(RATES.newDevice)) {
      const form = rng.chance(0.55) ? 'mobile' : 'desktop';
      const device = newBrowserDevice(rng, form, day);
      if (person.devices.length < 3) person.devices.push(device);
      else person.devices[rng.int(0, person.devices.length - 1)] = device;
    }
  }

  #accountDay(a: SimAccount, day: number, dayStart: number, diurnal: DiurnalDay): void {
    const rng = this.#accountRng[a.index] as Random;
    const trip = a.person.trip;
    const midday = dayStart + DAY / 2;
    const abroad = trip !== null && midday >= trip.arriveAt && midday < trip.returnDepartAt;
    const curve = diurnal.curve(
      a.role === 'work' ? 'work' : 'personal',
      abroad && trip ? trip.tz : a.person.tz,
    );

    // A pending attacker reset breaks the mail client from that moment until the owner recovers.
    const cursor = this.#takeoverCursor[a.index] ?? 0;
    const pending = a.takeovers[cursor];
    if (
      pending !== undefined &&
      pending < dayStart + DAY &&
      this.#mailBrokenBy[a.index] !== cursor
    ) {
      this.#mailBrokenBy[a.index] = cursor;
      this.#mailBrokenFrom[a.index] = pending;
      this.#mailBrokenUntil[a.index] = Infinity;
    }

    const sessions = rng.poisson(a.activity * curve.ratio);
    const times: number[] = [];
    for (let i = 0; i < sessions; i++) times.push(sampleTime(rng, curve, dayStart));
    times.sort((x, y) => x - y);
    for (const t of times) this.#interactiveSession(a, rng, t, day);

    if (a.mailClient !== null) {
      const syncs = rng.poisson(a.mailClientRate * curve.ratio);
      for (let i = 0; i < syncs; i++)
        this.#mailClientSignin(a, a.mailClient, rng, sampleTime(rng, curve, dayStart), day);
    }

    // Rare owner actions; one draw decides whether any happens, to keep the common path cheap.
    if (rng.chance(0.004)) this.#rareAction(a, rng, sampleTime(rng, curve, dayStart), day);
  }

  #rareAction(a: SimAccount, rng: Random, t: number, day: number): void {
    // Conditional rates given that some rare action happens today (the 0.004 above).
    const options: [() => void, number][] = [
      [() => this.#forgotPassword(a, rng, t, day), RATES.forgotPassword],
      [() => this.#lockout(a, rng, t, day), RATES.lockout],
      [() => this.#recoveryChange(a, rng, t, day), RATES.recoveryChange],
      [() => this.#forwarding(a, rng, t, day), RATES.forwarding],
      [
        () =>
          this.#sessionThen(a, rng, t, day, 'mailbox.rule.created', {
            rule_name: rng.pick(RULE_NAMES),
          }),
        RATES.inboxRule,
      ],
      [() => this.#sessionThen(a, rng, t, day, 'oauth.consent.granted'), RATES.oauthConsent],
      [() => this.#mfaEnrol(a, rng, t, day), RATES.mfaEnrol],
      [
        () => this.#sessionThen(a, rng, t, day, 'password.changed', undefined, 'password'),
        RATES.passwordChange,
      ],
      [() => this.#adminMfaReset(a, rng, t, day), a.mfa.length > 0 ? RATES.adminMfaReset : 0],
    ];
    const total = options.reduce((s, o) => s + o[1], 0);
    if (!rng.chance(total / 0.004)) return;
    rng.weighted(options, (o) => o[1])[0]();
  }

  // ── contexts ────────────────────────────────────────────────────────────

  /** Where the person is at `t` and what the provider sees; null while in the air. */
  #context(a: SimAccount, rng: Random, t: number, day: number, forced?: Device): Context | null {
    const p = a.person;
    const trip = p.trip;
    let abroad = false;
    if (trip !== null) {
      if (
        (t >= trip.departAt && t < trip.arriveAt) ||
        (t >= trip.returnDepartAt && t < trip.returnArriveAt)
      )
        return null;
      abroad = t >= trip.arriveAt && t < trip.returnDepartAt;
    }
    const tz = abroad && trip ? trip.tz : p.tz;
    const work = isWorkHours(t, tz);
    const device = forced ?? pickDevice(rng, p.devices, work);
    const userAgent =
      device.fixedAgent ?? (device.family ? userAgentAt(device.family, device.lag, t) : null);
    const deviceId = device.sendsDeviceId ? device.id : null;
    let network = p.homeNetwork;
    let ip = p.homeIp;
    const mobile = device.form === 'mobile';
    if (!abroad) {
      if (!mobile) {
        if (p.egress && work && rng.chance(0.85)) ({ network, ip } = egressIp(rng, p.egress));
      } else if (p.mobileNetwork && rng.chance(work ? 0.6 : 0.35)) {
        network = p.mobileNetwork;
        ip = randomIp(rng, network);
      } else if (p.egress && work && rng.chance(0.5)) ({ network, ip } = egressIp(rng, p.egress));
    } else if (trip) {
      if (p.egress && work && !mobile && rng.chance(0.5))
        ({ network, ip } = egressIp(rng, p.egress));
      else if (mobile && rng.chance(0.55) && (trip.localMobile || p.mobileNetwork)) {
        // Roaming data is home-routed: without a local SIM the phone keeps its home carrier's addresses.
        network = trip.localMobile ?? p.mobileNetwork ?? trip.hotelNetwork;
        ip = randomIp(rng, network);
      } else if (rng.chance(0.85)) {
        network = trip.hotelNetwork;
        ip = trip.hotelIp;
      } else {
        network = trip.hotelNetwork;
        ip = randomIp(rng, network);
      }
    }
    let situation: RiskSituation = 'familiar';
    if (network.kind === 'hosting' || network.kind === 'vpn') situation = 'anonymous';
    if (abroad && network.country !== p.country.code) situation = 'foreign';
    if (device.firstDay === day) situation = 'unfamiliar';
    return { source: { ip, network, userAgent, deviceId }, device, situation };
  }

  #emit(rng: Random, spec: EventSpec): void {
    this.#queue?.add(spec.time, renderEventBody(rng, spec), spec.account.id, null);
  }

  #event(
    rng: Random,
    a: SimAccount,
    ctx: Context,
    time: number,
    type: EventType,
    outcome: Outcome,
    session: string,
    extra?: Partial<Pick<EventSpec, 'method' | 'recovery' | 'mailbox' | 'actor' | 'risk'>>,
  ): void {
    // The vendor scores sign-ins, failed ones included, from what it can see.
    const risk =
      type === 'signin' && extra?.risk === undefined ? vendorRisk(rng, ctx.situation) : extra?.risk;
    this.#emit(rng, {
      time,
      type,
      outcome,
      account: a,
      source: ctx.source,
      session,
      ...extra,
      risk,
    });
  }

  // ── sessions ────────────────────────────────────────────────────────────

  /**
   * Sign in (typos, passkey or password, MFA when the device is not remembered).
   * Returns the context, session and time after the last step, or null if the
   * person could not sign in now (in flight, or locked out by an attacker's reset).
   */
  #signIn(
    a: SimAccount,
    rng: Random,
    t: number,
    day: number,
  ): { ctx: Context; session: string; time: number } | null {
    const ctx = this.#context(a, rng, t, day);
    if (!ctx) return null;
    const session = newSessionId(rng);
    const pending = a.takeovers[this.#takeoverCursor[a.index] ?? 0];
    if (pending !== undefined && pending < t) {
      this.#ownerLockedOut(a, rng, t, ctx, session);
      return null;
    }
    let time = t;
    if (rng.chance(RATES.typo)) {
      this.#event(rng, a, ctx, time, 'signin', 'failure', session, { method: 'password' });
      time += rng.int(4, 40) * SECOND + rng.int(0, 999);
      if (rng.chance(0.15)) {
        this.#event(rng, a, ctx, time, 'signin', 'failure', session, { method: 'password' });
        time += rng.int(5, 60) * SECOND + rng.int(0, 999);
      }
    }
    const passkey = a.mfa.includes('passkey') && rng.chance(0.7);
    this.#event(rng, a, ctx, time, 'signin', 'success', session, {
      method: passkey ? 'passkey' : 'password',
    });
    const second = a.mfa.find((m) => m !== 'passkey');
    if (!passkey && second && (ctx.situation !== 'familiar' || rng.chance(0.3))) {
      const method = MFA_METHOD[second];
      time += rng.int(5, 45) * SECOND + rng.int(0, 999);
      if (rng.chance(0.03)) {
        this.#event(rng, a, ctx, time, 'mfa.challenge', 'failure', session, { method });
        time += rng.int(10, 60) * SECOND + rng.int(0, 999);
      }
      this.#event(rng, a, ctx, time, 'mfa.challenge', 'success', session, { method });
    }
    return { ctx, session, time };
  }

  #interactiveSession(a: SimAccount, rng: Random, t: number, day: number): void {
    this.#signIn(a, rng, t, day);
  }

  #mailClientSignin(a: SimAccount, client: Device, rng: Random, t: number, day: number): void {
    const ctx = this.#context(a, rng, t, day, client);
    if (!ctx) return;
    const broken =
      t >= (this.#mailBrokenFrom[a.index] ?? Infinity) &&
      t < (this.#mailBrokenUntil[a.index] ?? Infinity);
    const outcome = broken || rng.chance(0.004) ? 'failure' : 'success';
    this.#event(rng, a, ctx, t, 'signin', outcome, newSessionId(rng), { method: 'password' });
  }

  /** Sign in, then perform one account change in the same session. */
  #sessionThen(
    a: SimAccount,
    rng: Random,
    t: number,
    day: number,
    type: EventType,
    mailbox?: EventSpec['mailbox'],
    method?: AuthMethod,
  ): void {
    const s = this.#signIn(a, rng, t, day);
    if (!s) return;
    const time = s.time + rng.int(20, 900) * SECOND + rng.int(0, 999);
    this.#event(rng, a, s.ctx, time, type, 'success', s.session, { mailbox, method });
    if (type === 'password.changed') this.#breakMailClient(a, rng, time);
  }

  #breakMailClient(a: SimAccount, rng: Random, from: number): void {
    this.#mailBrokenFrom[a.index] = from;
    this.#mailBrokenUntil[a.index] = from + rng.int(5, 60 * 30) * MINUTE;
  }

  // ── recovery flows ──────────────────────────────────────────────────────

  /** The channel an owner uses to recover: whichever they can receive. */
  #ownerChannel(
    a: SimAccount,
    rng: Random,
  ): { channel: RecoveryChannel; address?: string; method: AuthMethod } | null {
    const usable = a.recovery.filter(
      (r) => r.channel === 'email' || r.channel === 'phone' || r.channel === 'kba',
    );
    if (usable.length === 0) return null;
    const r = rng.pick(usable);
    const method: AuthMethod =
      r.channel === 'email' ? 'email_code' : r.channel === 'phone' ? 'sms_code' : 'kba';
    return r.address !== undefined
      ? { channel: r.channel, address: r.address, method }
      : { channel: r.channel, method };
  }

  /** Reset request → challenge (maybe a mistyped code or a forgotten answer) → new password → sign-in. */
  #resetFlow(a: SimAccount, rng: Random, start: number, ctx: Context, session: string): number {
    let time = start;
    const ch = this.#ownerChannel(a, rng);
    if (!ch) {
      // Nothing to recover with: the help desk resets it after checking identity.
      time += rng.int(10, 240) * MINUTE;
      this.#event(rng, a, ctx, time, 'password.reset.completed', 'success', session, {
        recovery: { channel: 'support' },
        actor: { id: `helpdesk-${rng.int(1, 12)}`, kind: 'support' },
      });
    } else {
      const recovery =
        ch.address !== undefined
          ? { channel: ch.channel, address: ch.address }
          : { channel: ch.channel };
      this.#event(rng, a, ctx, time, 'password.reset.requested', 'success', session, { recovery });
      time += rng.int(15, 240) * SECOND + rng.int(0, 999);
      if (rng.chance(ch.method === 'kba' ? 0.3 : 0.08)) {
        this.#event(rng, a, ctx, time, 'recovery.challenge', 'failure', session, {
          method: ch.method,
          recovery,
        });
        time += rng.int(20, 180) * SECOND + rng.int(0, 999);
      }
      this.#event(rng, a, ctx, time, 'recovery.challenge', 'success', session, {
        method: ch.method,
        recovery,
      });
      time += rng.int(20, 300) * SECOND + rng.int(0, 999);
      this.#event(rng, a, ctx, time, 'password.reset.completed', 'success', session);
    }
    this.#breakMailClient(a, rng, time);
    time += rng.int(5, 90) * SECOND + rng.int(0, 999);
    this.#event(rng, a, ctx, time, 'signin', 'success', session, { method: 'password' });
    return time;
  }

  #forgotPassword(a: SimAccount, rng: Random, t: number, day: number): void {
    const ctx = this.#context(a, rng, t, day);
    if (!ctx) return;
    const session = newSessionId(rng);
    let time = t;
    for (let i = rng.int(1, 3); i > 0; i--) {
      this.#event(rng, a, ctx, time, 'signin', 'failure', session, { method: 'password' });
      time += rng.int(5, 50) * SECOND + rng.int(0, 999);
    }
    this.#resetFlow(a, rng, time, ctx, session);
  }

  /** Many typos in a row lock the account; the owner resets it later from the same place. */
  #lockout(a: SimAccount, rng: Random, t: number, day: number): void {
    const ctx = this.#context(a, rng, t, day);
    if (!ctx) return;
    const session = newSessionId(rng);
    let time = t;
    for (let i = rng.int(5, 9); i > 0; i--) {
      this.#event(rng, a, ctx, time, 'signin', 'failure', session, { method: 'password' });
      time += rng.int(8, 45) * SECOND + rng.int(0, 999);
    }
    this.#event(rng, a, ctx, time, 'account.locked', 'success', session);
    time += rng.int(30, 360) * MINUTE;
    this.#resetFlow(a, rng, time, ctx, newSessionId(rng));
  }

  /**
   * The owner's first sign-in after an attacker changed the password: it fails;
   * usually they recover through a channel they still control, right away.
   */
  #ownerLockedOut(a: SimAccount, rng: Random, t: number, ctx: Context, session: string): void {
    let time = t;
    for (let i = rng.int(1, 3); i > 0; i--) {
      this.#event(rng, a, ctx, time, 'signin', 'failure', session, { method: 'password' });
      time += rng.int(5, 40) * SECOND + rng.int(0, 999);
    }
    if (!rng.chance(0.75)) return; // gives up for now; tries again next time
    time = this.#resetFlow(a, rng, time, ctx, session);
    this.#takeoverCursor[a.index] = (this.#takeoverCursor[a.index] ?? 0) + 1;
    this.#mailBrokenUntil[a.index] = time + rng.int(10, 60 * 24) * MINUTE;
  }

  #recoveryChange(a: SimAccount, rng: Random, t: number, day: number): void {
    const s = this.#signIn(a, rng, t, day);
    if (!s) return;
    let time = s.time + rng.int(30, 600) * SECOND;
    const p = a.person;
    const phone = rng.chance(0.5);
    const address = phone
      ? p.country.phone(rng)
      : `${p.first}.${p.last}${rng.int(1, 99)}@${rng.pick(['webmail.example', 'post.example', 'inbox.example'])}`;
    const channel: RecoveryChannel = phone ? 'phone' : 'email';
    this.#event(rng, a, s.ctx, time, 'recovery.channel.added', 'success', s.session, {
      recovery: { channel, address },
    });
    const old = a.recovery.find((r) => r.channel === channel);
    if (old && rng.chance(0.5)) {
      time += rng.int(10, 120) * SECOND;
      this.#event(rng, a, s.ctx, time, 'recovery.channel.removed', 'success', s.session, {
        recovery: old.address !== undefined ? { channel, address: old.address } : { channel },
      });
    }
  }

  #forwarding(a: SimAccount, rng: Random, t: number, day: number): void {
    const own = a.recovery.find((r) => r.channel === 'email')?.address;
    const p = a.person;
    const forward_to =
      own ?? `${p.first}.${p.last}@${rng.pick(['webmail.example', 'post.example'])}`;
    this.#sessionThen(a, rng, t, day, 'mailbox.forwarding.set', { forward_to });
  }

  #mfaEnrol(a: SimAccount, rng: Random, t: number, day: number): void {
    const method = rng.weighted<AuthMethod>(['mfa_totp', 'mfa_push', 'passkey'], (m) =>
      m === 'passkey' ? 0.3 : 0.35,
    );
    this.#sessionThen(a, rng, t, day, 'mfa.enrolled', undefined, method);
  }

  /** Lost phone: an administrator removes the MFA method; the user enrols a new one later. */
  #adminMfaReset(a: SimAccount, rng: Random, t: number, day: number): void {
    const ctx = this.#context(a, rng, t, day);
    if (!ctx) return;
    const kind = a.mfa[0];
    if (!kind) return;
    const session = newSessionId(rng);
    const admin = { id: `admin-${rng.int(1, 4)}`, kind: 'admin' as const };
    this.#event(rng, a, ctx, t, 'mfa.removed', 'success', session, {
      method: MFA_METHOD[kind],
      actor: admin,
    });
    const later = t + rng.int(10, 240) * MINUTE;
    const s = this.#signIn(a, rng, later, day);
    if (!s) return;
    this.#event(
      rng,
      a,
      s.ctx,
      s.time + rng.int(20, 200) * SECOND,
      'mfa.enrolled',
      'success',
      s.session,
      { method: MFA_METHOD[kind] },
    );
  }
}

function pickDevice(rng: Random, devices: readonly Device[], work: boolean): Device {
  if (devices.length === 1) return devices[0] as Device;
  return rng.weighted(devices, (d) => (d.form === 'desktop' ? (work ? 3 : 1) : work ? 1 : 2.2));
}

function egressIp(
  rng: Random,
  egress: { network: SourceSpec['network']; ips: readonly string[] },
): { network: SourceSpec['network']; ip: string } {
  return { network: egress.network, ip: rng.pick(egress.ips) };
}
