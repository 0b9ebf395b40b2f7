/**
 * The simulated organisation: people, their accounts and recovery set-up.
 *
 * The shape follows how targeted takeovers actually chain: a campaign staffer
 * has a work mailbox whose *backup address is their own personal mailbox on the
 * same provider* (`@mail.example`), which is itself an account in the
 * directory, usually with weaker protection (security questions, SMS). Family
 * members list each other as backups too. That is the recovery graph the
 * recovery-abuse scenario walks.
 *
 * A person owns devices, a home network, a mobile carrier and maybe a
 * corporate egress; all their accounts share them, as in real life.
 *
 * @example
 * const org = buildOrganisation({ seed: 1, accounts: 3000, start: Date.parse('2026-10-01T00:00:00Z'), days: 30 });
 * org.accounts[0]?.email; // "ana.silva@campaign.example"
 */
import type { DirectoryRecord, RecoveryMethod } from '../domain/directory-record.js';
import type { AuthMethod } from '../domain/event.js';
import { type Country, pickCountry } from './countries.js';
import { randomName } from './names.js';
import { type Network, networkById, networksOf, randomIp, sameSlash24 } from './networks.js';
import { Random, deriveSeed } from './random.js';
import {
  type BrowserFamily,
  DESKTOP_WEIGHTS,
  MAIL_CLIENT_AGENTS,
  MOBILE_WEIGHTS,
} from './user-agents.js';
import { HOUR, DAY } from './durations.js';

/** Account tags: who an account belongs to, as the directory labels it. */
export const ACCOUNT_TAGS = [
  'campaign-staff',
  'government',
  'journalist',
  'diaspora',
  'general',
] as const;
export type AccountTag = (typeof ACCOUNT_TAGS)[number];

/** MFA methods as the directory lists them. */
export const MFA_KINDS = ['totp', 'push', 'sms', 'passkey'] as const;
export type MfaKind = (typeof MFA_KINDS)[number];

/** The auth.method an MFA prompt of each kind shows. */
export const MFA_METHOD: Record<MfaKind, AuthMethod> = {
  totp: 'mfa_totp',
  push: 'mfa_push',
  sms: 'sms_code',
  passkey: 'passkey',
};

/** Mail domain of each tag's work mailbox; diaspora and general people use the public provider. */
export const TAG_DOMAIN: Record<AccountTag, string> = {
  'campaign-staff': 'campaign.example',
  government: 'gov.example',
  journalist: 'news.example',
  diaspora: 'mail.example',
  general: 'mail.example',
};

/** The public mail provider whose mailboxes double as everyone's backup addresses. */
export const PROVIDER_DOMAIN = 'mail.example';
const EXTERNAL_DOMAINS = ['webmail.example', 'post.example', 'inbox.example', 'oldmail.example'];

/** A browser or mail client a person uses. */
export interface Device {
  readonly id: string;
  readonly form: 'desktop' | 'mobile';
  /** Browser family, or null for a mail client with a fixed agent string. */
  readonly family: BrowserFamily | null;
  /** How many releases behind the current browser version this device runs. */
  readonly lag: number;
  readonly fixedAgent: string | null;
  /** Mail clients often send no device id at all. */
  readonly sendsDeviceId: boolean;
  /** Day index the device first appeared; sign-ins that day look "new device". */
  readonly firstDay: number;
}

/** One trip abroad: times are event-time milliseconds. */
export interface Trip {
  readonly country: Country;
  readonly tz: number;
  readonly departAt: number;
  readonly arriveAt: number;
  readonly returnDepartAt: number;
  readonly returnArriveAt: number;
  readonly hotelNetwork: Network;
  readonly hotelIp: string;
  /** A local SIM; null means roaming, which is home-routed (the home carrier's addresses). */
  readonly localMobile: Network | null;
}

/** A shared enterprise egress (VPN concentrator, secure web gateway): a few IPs in one /24. */
export interface Egress {
  readonly label: string;
  readonly network: Network;
  readonly ips: readonly string[];
}

/** A human with devices, networks and a home clock; owns one or two accounts. */
export interface Person {
  readonly index: number;
  readonly first: string;
  readonly last: string;
  readonly country: Country;
  /** Home UTC offset in minutes. */
  readonly tz: number;
  readonly phone: string;
  readonly homeNetwork: Network;
  /** Residential addresses are sticky but do change now and then. */
  homeIp: string;
  readonly mobileNetwork: Network | null;
  readonly devices: Device[];
  /** Work egress used on weekdays during office hours, if the person has one. */
  readonly egress: Egress | null;
  readonly trip: Trip | null;
}

/** One directory account, with everything needed to render its events fast. */
export interface SimAccount {
  /** Position in directory.ndjson (0-based); also the benign random stream's key. */
  readonly index: number;
  readonly id: string;
  readonly email: string;
  readonly tag: AccountTag;
  /** A work mailbox, or a personal one on the public provider. */
  readonly role: 'work' | 'personal';
  readonly person: Person;
  readonly recovery: readonly RecoveryMethod[];
  readonly mfa: readonly MfaKind[];
  /** Expected interactive sessions on an active weekday. */
  readonly activity: number;
  readonly mailClient: Device | null;
  readonly mailClientRate: number;
  /** `"account":{...}` pre-rendered for every event of this account. */
  readonly json: string;
  /** One directory.ndjson line. */
  readonly directoryLine: string;
  /**
   * Times at which an attacker reset this account's password; set by attack
   * scenarios, read by the benign generator so the owner's next sign-in fails.
   */
  readonly takeovers: number[];
}

/** The whole simulated population. */
export interface Organisation {
  readonly accounts: readonly SimAccount[];
  readonly persons: readonly Person[];
  readonly byEmail: ReadonlyMap<string, SimAccount>;
  readonly egresses: readonly Egress[];
}

/** What the organisation depends on: the seed and the run's size and window. */
export interface OrganisationOptions {
  readonly seed: number;
  readonly accounts: number;
  readonly start: number;
  readonly days: number;
}

interface Draft {
  email: string;
  tag: AccountTag;
  role: 'work' | 'personal';
  person: Person;
  recovery: RecoveryMethod[];
  mfa: MfaKind[];
  activity: number;
  mailClient: Device | null;
  mailClientRate: number;
}

const HOME_COUNTRY: Record<AccountTag, Readonly<Record<string, number>>> = {
  'campaign-staff': { US: 92, CA: 3, GB: 5 },
  government: { US: 90, GB: 6, CA: 4 },
  journalist: { US: 52, GB: 15, DE: 8, FR: 8, NL: 4, SE: 4, CA: 6, ES: 3 },
  diaspora: { US: 36, GB: 14, DE: 14, CA: 14, SE: 8, FR: 6, NL: 5, TR: 3 },
  general: { US: 45, GB: 10, DE: 8, FR: 7, ES: 5, IT: 4, NL: 4, CA: 6, TR: 4, AU: 3, IN: 4, SE: 2 },
};

const TRAVEL_RATE: Record<AccountTag, number> = {
  'campaign-staff': 0.07,
  government: 0.08,
  journalist: 0.12,
  diaspora: 0.06,
  general: 0.035,
};

/**
 * Build the organisation for a run. Same options, same organisation.
 *
 * @example
 * const org = buildOrganisation({ seed: 7, accounts: 400, start: Date.parse('2026-10-01T00:00:00Z'), days: 10 });
 * org.accounts.length; // 400
 */
export function buildOrganisation(opts: OrganisationOptions): Organisation {
  const rng = new Random(deriveSeed(opts.seed, 'organisation'));
  const n = opts.accounts;
  const persons: Person[] = [];
  const drafts: Draft[] = [];
  const taken = new Map<string, Set<string>>();

  const egresses = makeEgresses(rng);
  const orgVpn = egresses[0] as Egress;
  const agency = egresses[1] as Egress;

  const newPerson = (tag: AccountTag, employee: boolean): Person => {
    const country = pickCountry(rng, HOME_COUNTRY[tag]);
    const culture = tag === 'diaspora' ? 'persian' : country.culture;
    const { first, last } = randomName(rng, culture);
    let egress: Egress | null = null;
    if (tag === 'campaign-staff' && rng.chance(0.85)) egress = orgVpn;
    else if (tag === 'government' && rng.chance(0.6)) egress = agency;
    else if (employee) egress = orgVpn;
    const person = makePerson(rng, persons.length, first, last, country, tag, egress, opts);
    persons.push(person);
    return person;
  };

  // High-value people: campaign staff, officials, journalists, diaspora figures.
  const hv = Math.max(4, Math.min(Math.floor(n * 0.3), Math.round(n * rng.real(0.11, 0.15))));
  const shares: [AccountTag, number][] = [
    ['campaign-staff', rng.real(0.36, 0.46)],
    ['government', rng.real(0.16, 0.24)],
    ['journalist', rng.real(0.17, 0.25)],
  ];
  const personalShare = rng.real(0.5, 0.62);
  for (let i = 0; i < hv; i++) {
    const u = (i + 0.5) / hv;
    let acc = 0;
    let tag: AccountTag = 'diaspora';
    for (const [t, s] of shares) {
      acc += s;
      if (u < acc) {
        tag = t;
        break;
      }
    }
    const person = newPerson(tag, false);
    const work = makeDraft(rng, person, tag, tag === 'diaspora' ? 'personal' : 'work', taken);
    drafts.push(work);
    // Most people also have a personal mailbox on the provider, and name it as the work backup.
    if (tag !== 'diaspora' && drafts.length < n - (hv - i) && rng.chance(personalShare)) {
      const personal = makeDraft(rng, person, 'general', 'personal', taken);
      drafts.push(personal);
      work.recovery.push({ channel: 'email', address: personal.email });
    }
  }
  // Everyone else: ordinary users of the provider, a few of whom work for the organisation.
  while (drafts.length < n) {
    const person = newPerson('general', rng.chance(0.1));
    drafts.push(makeDraft(rng, person, 'general', 'personal', taken));
  }

  // Backup mailboxes: family members on the same provider, or another provider.
  const providerDrafts = drafts.filter((d) => d.email.endsWith(`@${PROVIDER_DOMAIN}`));
  for (const d of drafts) {
    if (d.recovery.some((r) => r.channel === 'email')) continue;
    const p = d.role === 'work' ? 0.7 : d.tag === 'diaspora' ? 0.6 : 0.5;
    if (!rng.chance(p)) continue;
    const familyShare = d.role === 'work' ? 0.55 : d.tag === 'diaspora' ? 0.5 : 0.55;
    if (rng.chance(familyShare)) {
      const other = rng.pick(providerDrafts);
      if (other !== d && other.person !== d.person) {
        d.recovery.push({ channel: 'email', address: other.email });
        continue;
      }
    }
    d.recovery.push({ channel: 'email', address: externalAddress(rng, d.person, taken) });
  }
  for (const d of drafts) {
    const phoneRate = d.role === 'work' ? 0.85 : d.tag === 'diaspora' ? 0.7 : 0.74;
    if (rng.chance(phoneRate)) d.recovery.push({ channel: 'phone', address: d.person.phone });
    const kbaRate = d.role === 'work' ? 0.3 : d.tag === 'diaspora' ? 0.5 : 0.45;
    if (rng.chance(kbaRate)) d.recovery.push({ channel: 'kba' });
  }

  // Ids in random order so an id never reveals who is high-value.
  const ordered = rng.shuffle(drafts);
  const width = Math.max(5, String(n).length);
  const accounts: SimAccount[] = ordered.map((d, index) => {
    const id = `u-${String(index + 1).padStart(width, '0')}`;
    const tags = [d.tag];
    const record: Omit<DirectoryRecord, 'tenant'> = {
      account: { id, email: d.email, tags },
      recovery: d.recovery,
      mfa: d.mfa,
    };
    return {
      index,
      id,
      email: d.email,
      tag: d.tag,
      role: d.role,
      person: d.person,
      recovery: d.recovery,
      mfa: d.mfa,
      activity: d.activity,
      mailClient: d.mailClient,
      mailClientRate: d.mailClientRate,
      json: `"account":${JSON.stringify({ id, email: d.email, tags })}`,
      directoryLine: JSON.stringify(record),
      takeovers: [],
    };
  });
  return { accounts, persons, byEmail: new Map(accounts.map((a) => [a.email, a])), egresses };
}

function makeEgresses(rng: Random): Egress[] {
  const orgNet = networkById(rng.pick(['zscaler', 'aws-us-east-1', 'cogent', 'azure']));
  const agencyNet = networkById(
    rng.pick(orgNet.id === 'cogent' ? ['zscaler', 'azure'] : ['cogent']),
  );
  return [
    { label: 'organisation VPN', network: orgNet, ips: sameSlash24(rng, orgNet, rng.int(3, 8)) },
    {
      label: 'agency gateway',
      network: agencyNet,
      ips: sameSlash24(rng, agencyNet, rng.int(2, 4)),
    },
  ];
}

function makePerson(
  rng: Random,
  index: number,
  first: string,
  last: string,
  country: Country,
  tag: AccountTag,
  egress: Egress | null,
  opts: OrganisationOptions,
): Person {
  const tz = rng.weighted(country.zones, (z) => z.weight).offset;
  const residential = networksOf('residential', country.code);
  const homeNetwork = rng.weighted(residential, (x) => (x.obscure ? 0.15 : 1));
  const mobiles = networksOf('mobile', country.code);
  const mobileNetwork = mobiles.length > 0 && rng.chance(0.85) ? rng.pick(mobiles) : null;
  const deviceCount = rng.weighted([1, 2, 3], (k) => (k === 1 ? 0.3 : k === 2 ? 0.5 : 0.2));
  const desktopFirst = tag !== 'general' && tag !== 'diaspora' ? rng.chance(0.8) : rng.chance(0.4);
  const devices: Device[] = [];
  for (let i = 0; i < deviceCount; i++) {
    const form = (i % 2 === 0) === desktopFirst ? 'desktop' : 'mobile';
    devices.push(newBrowserDevice(rng, form, 0));
  }
  const trip = rng.chance(TRAVEL_RATE[tag]) ? makeTrip(rng, country, tz, opts) : null;
  return {
    index,
    first,
    last,
    country,
    tz,
    phone: country.phone(rng),
    homeNetwork,
    homeIp: randomIp(rng, homeNetwork),
    mobileNetwork,
    devices,
    egress,
    trip,
  };
}

/**
 * A new browser on a desktop or phone, `day` being the day index it appears.
 *
 * @example
 * newBrowserDevice(rng, 'mobile', 3).family; // "safari-iphone"
 */
export function newBrowserDevice(rng: Random, form: 'desktop' | 'mobile', day: number): Device {
  const weights = form === 'desktop' ? DESKTOP_WEIGHTS : MOBILE_WEIGHTS;
  const families = Object.keys(weights) as BrowserFamily[];
  const family = rng.weighted(families, (f) => weights[f] ?? 0);
  const lag = rng.weighted([0, 1, 2, 3], (l) => [0.45, 0.3, 0.15, 0.1][l] ?? 0);
  return {
    id: `d-${rng.hex(10)}`,
    form,
    family,
    lag,
    fixedAgent: null,
    sendsDeviceId: true,
    firstDay: day,
  };
}

function makeTrip(rng: Random, home: Country, tz: number, opts: OrganisationOptions): Trip {
  const destination = pickCountry(rng, {
    US: home.code === 'US' ? 0 : 5,
    GB: home.code === 'GB' ? 0 : 4,
    DE: home.code === 'DE' ? 0 : 3,
    FR: home.code === 'FR' ? 0 : 3,
    ES: home.code === 'ES' ? 0 : 2,
    IT: home.code === 'IT' ? 0 : 2,
    NL: home.code === 'NL' ? 0 : 1,
    CA: home.code === 'CA' ? 0 : 2,
    TR: home.code === 'TR' ? 0 : 1,
    AU: home.code === 'AU' ? 0 : 0.5,
    IN: home.code === 'IN' ? 0 : 0.5,
  });
  const destTz = rng.weighted(destination.zones, (z) => z.weight).offset;
  // Flight time grows with the zones crossed; long-haul adds a connection.
  const zones = Math.abs(destTz - tz) / 60;
  const flight = (1.3 + zones * 0.85 + rng.real(0.2, 2.5)) * HOUR;
  const startDay = rng.int(0, Math.max(0, opts.days - 2));
  // Depart between 07:00 and 21:00 home time.
  const departAt =
    opts.start + startDay * DAY + (((rng.int(7 * 60, 21 * 60) - tz) * 60_000 + DAY) % DAY);
  const length = rng.int(2, 9) * DAY + rng.int(-6, 6) * HOUR;
  const hotels = networksOf('residential', destination.code);
  const hotelNetwork = rng.pick(hotels);
  const mobiles = networksOf('mobile', destination.code);
  return {
    country: destination,
    tz: destTz,
    departAt,
    arriveAt: departAt + flight,
    returnDepartAt: departAt + length,
    returnArriveAt: departAt + length + flight,
    hotelNetwork,
    hotelIp: randomIp(rng, hotelNetwork),
    localMobile: mobiles.length > 0 && rng.chance(0.3) ? rng.pick(mobiles) : null,
  };
}

function makeDraft(
  rng: Random,
  person: Person,
  tag: AccountTag,
  role: 'work' | 'personal',
  taken: Map<string, Set<string>>,
): Draft {
  const domain = role === 'work' ? TAG_DOMAIN[tag] : PROVIDER_DOMAIN;
  const email =
    role === 'work'
      ? workAddress(rng, person, domain, taken)
      : personalAddress(rng, person, domain, taken);
  const mfaRate = role === 'work' ? 0.5 : tag === 'diaspora' ? 0.3 : person.egress ? 0.14 : 0.16;
  const mfa: MfaKind[] = [];
  if (rng.chance(mfaRate)) {
    const kind = rng.weighted(
      MFA_KINDS,
      (k) => ({ push: 0.35, totp: 0.3, sms: 0.25, passkey: 0.1 })[k],
    );
    mfa.push(kind);
    if (kind !== 'passkey' && rng.chance(0.15)) mfa.push('passkey');
  }
  const median =
    tag === 'campaign-staff'
      ? 3
      : tag === 'government'
        ? 2.4
        : tag === 'journalist'
          ? 3.2
          : tag === 'diaspora'
            ? 1.4
            : role === 'personal' && person.egress
              ? 1.3
              : 0.9;
  const dormant = role === 'personal' && rng.chance(0.07);
  const activity = dormant ? 0.05 : Math.min(12, rng.logNormal(median, 0.6));
  const mailRate = role === 'work' ? 0.45 : tag === 'diaspora' ? 0.15 : 0.2;
  let mailClient: Device | null = null;
  if (!dormant && rng.chance(mailRate)) {
    const agent = rng.pick(MAIL_CLIENT_AGENTS);
    const form = /iOS|Android/.test(agent) ? 'mobile' : 'desktop';
    mailClient = {
      id: `d-${rng.hex(10)}`,
      form,
      family: null,
      lag: 0,
      fixedAgent: agent,
      sendsDeviceId: rng.chance(0.3),
      firstDay: -1,
    };
  }
  return {
    email,
    tag,
    role,
    person,
    recovery: [],
    mfa,
    activity,
    mailClient,
    mailClientRate: rng.real(0.8, 3.5),
  };
}

function claim(taken: Map<string, Set<string>>, domain: string, local: string): boolean {
  let set = taken.get(domain);
  if (!set) {
    set = new Set();
    taken.set(domain, set);
  }
  if (set.has(local)) return false;
  set.add(local);
  return true;
}

function workAddress(
  rng: Random,
  p: Person,
  domain: string,
  taken: Map<string, Set<string>>,
): string {
  const candidates = [
    `${p.first}.${p.last}`,
    `${p.first}.${String.fromCharCode(97 + rng.int(0, 25))}.${p.last}`,
    `${p.first[0]}${p.last}`,
  ];
  for (const c of candidates) if (claim(taken, domain, c)) return `${c}@${domain}`;
  for (let i = 2; ; i++)
    if (claim(taken, domain, `${p.first}.${p.last}${i}`))
      return `${p.first}.${p.last}${i}@${domain}`;
}

function personalAddress(
  rng: Random,
  p: Person,
  domain: string,
  taken: Map<string, Set<string>>,
): string {
  const yy = String(rng.int(60, 105) % 100).padStart(2, '0');
  const variants = [
    `${p.first}.${p.last}`,
    `${p.first}${p.last}`,
    `${p.first}.${p.last[0]}`,
    `${p.first[0]}${p.last}`,
    `${p.first}_${p.last}`,
    `${p.first}.${p.last[0]}.home`,
    `${p.first}${p.last}${yy}`,
    `${p.last}.${p.first}`,
  ];
  for (const v of rng.shuffle(variants).slice(0, 3))
    if (claim(taken, domain, v)) return `${v}@${domain}`;
  for (;;) {
    const v = `${p.first}.${p.last}${rng.int(1, 9999)}`;
    if (claim(taken, domain, v)) return `${v}@${domain}`;
  }
}

function externalAddress(rng: Random, p: Person, taken: Map<string, Set<string>>): string {
  const domain = rng.pick(EXTERNAL_DOMAINS);
  return personalAddress(rng, p, domain, taken);
}
