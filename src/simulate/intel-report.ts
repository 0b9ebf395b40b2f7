/**
 * threat-intel.json: the report a threat-intelligence vendor would publish
 * about the actor behind an attributed campaign, as a STIX 2.1 bundle.
 *
 * It is what an analyst would really have, not the ground truth: published
 * half-way through the campaign, so it knows only infrastructure first used
 * in the first half of the campaign's activity, and only part of that (about
 * half of the addresses, about half of the drop mailboxes); it adds 2–4
 * addresses of the actor's *other* infrastructure that never appear in the
 * events; and it names the actor by a vendor alias ("Mint Sandstorm"), never
 * by the primary name truth.json uses, and lists no aliases.
 *
 * Written by hand (the simulator shares no code with src/intel). Ids and
 * choices come from the seeded {@link Random}, so the same seed gives the same
 * file; the decoy addresses come from the documentation ranges of RFC 5737,
 * which networks.ts never draws from.
 *
 * @example
 * const bundle = intelReport([{ id: 'c1', scenario: 'recovery-abuse', actor: 'APT35', first, last, ipFirstUse, dropAddresses }], rng);
 * await writeFile(path, `${JSON.stringify(bundle, null, 2)}\n`);
 */
import { type ActorName, VENDOR_ALIASES } from './actor-name.js';
import { DAY, MINUTE } from './durations.js';
import { isoTime } from '../domain/iso-time.js';
import type { Random } from './random.js';
import type { AttackName } from './scenario-name.js';

/** What the report needs to know of one attributed campaign. */
export interface IntelCampaign {
  readonly id: string;
  readonly scenario: AttackName;
  readonly actor: ActorName;
  /** Times of the campaign's first and last written event. */
  readonly first: number;
  readonly last: number;
  /** Every address it used → time of first use. */
  readonly ipFirstUse: ReadonlyMap<string, number>;
  /** Every drop mailbox it used → time of first use. */
  readonly dropAddresses: ReadonlyMap<string, number>;
}

/** Common properties of the STIX domain and relationship objects written here. */
interface StixCommon {
  readonly id: string;
  readonly spec_version: '2.1';
  readonly created: string;
  readonly modified: string;
}

interface StixIdentity extends StixCommon {
  readonly type: 'identity';
  readonly created_by_ref: string;
  readonly name: string;
  readonly identity_class: 'organization';
  readonly description: string;
}

interface StixIntrusionSet extends StixCommon {
  readonly type: 'intrusion-set';
  readonly created_by_ref: string;
  readonly name: string;
  readonly description: string;
}

interface StixIndicator extends StixCommon {
  readonly type: 'indicator';
  readonly created_by_ref: string;
  readonly name: string;
  readonly description: string;
  readonly indicator_types: readonly ['malicious-activity'];
  readonly pattern: string;
  readonly pattern_type: 'stix';
  readonly pattern_version: '2.1';
  readonly valid_from: string;
}

interface StixRelationship extends StixCommon {
  readonly type: 'relationship';
  readonly created_by_ref: string;
  readonly relationship_type: 'indicates';
  readonly source_ref: string;
  readonly target_ref: string;
}

interface StixReport extends StixCommon {
  readonly type: 'report';
  readonly created_by_ref: string;
  readonly name: string;
  readonly description: string;
  readonly report_types: readonly ['threat-actor'];
  readonly published: string;
  readonly object_refs: readonly string[];
}

/** One object of the bundle. */
export type IntelObject =
  StixIdentity | StixIntrusionSet | StixIndicator | StixRelationship | StixReport;

/** The whole file. */
export interface IntelBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly IntelObject[];
}

/** The publishing vendor. */
export const INTEL_VENDOR = 'Simulated Threat Research';

/** How the report's title and text describe each kind of campaign. */
const COVERAGE: Readonly<
  Record<AttackName, { readonly title: string; readonly activity: string }>
> = {
  'recovery-abuse': {
    title: 'targets mailbox recovery',
    activity: 'password-reset and account-recovery abuse against high-value mailboxes',
  },
  'password-spray': {
    title: 'sprays passwords at organisation mailboxes',
    activity: 'low-and-slow password spraying through residential proxies',
  },
  'mfa-fatigue': {
    title: 'floods users with MFA prompts',
    activity: 'MFA push bombing after password theft',
  },
  'aitm-phishing': {
    title: 'relays sign-ins through phishing proxies',
    activity: 'adversary-in-the-middle phishing that steals session cookies',
  },
  'credential-stuffing': {
    title: 'replays breached passwords against mailboxes',
    activity: 'credential stuffing through residential proxies',
  },
};

/** RFC 5737 documentation networks: routed nowhere, and never drawn by networks.ts. */
const DECOY_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'] as const;

/**
 * Build the vendor's bundle for the attributed campaigns (see the file
 * comment). Campaigns of one actor share one intrusion set; each campaign gets
 * its own indicators and report. Objects are in a fixed order: the vendor's
 * identity, the intrusion sets, then per campaign its indicators, their
 * `indicates` relationships and the report.
 *
 * @example
 * intelReport(campaigns, new Random(deriveSeed(seed, 'intel'))).objects[0].name; // "Simulated Threat Research"
 */
export function intelReport(campaigns: readonly IntelCampaign[], rng: Random): IntelBundle {
  const bundleId = stixId(rng, 'bundle');
  const vendorId = stixId(rng, 'identity');
  const published = campaigns.map((c) => Math.floor((c.first + c.last) / 2));
  const vendorSince = isoTime(Math.min(...published));
  const vendor: StixIdentity = {
    type: 'identity',
    spec_version: '2.1',
    id: vendorId,
    created: vendorSince,
    modified: vendorSince,
    created_by_ref: vendorId,
    name: INTEL_VENDOR,
    identity_class: 'organization',
    description: 'Threat research team that tracks state-backed intrusion sets.',
  };

  const sets = new Map<ActorName, StixIntrusionSet>();
  const perCampaign: IntelObject[][] = [];
  const decoys = new Set<string>();
  campaigns.forEach((c, i) => {
    const at = published[i] as number;
    const stamp = isoTime(at);
    // The properties every object of this report starts with, after its type.
    const head = (type: IntelObject['type']) =>
      ({
        spec_version: '2.1',
        id: stixId(rng, type),
        created: stamp,
        modified: stamp,
        created_by_ref: vendorId,
      }) as const;
    const coverage = COVERAGE[c.scenario];

    let set = sets.get(c.actor);
    if (!set) {
      const alias = rng.pick(VENDOR_ALIASES[c.actor]);
      set = {
        type: 'intrusion-set',
        ...head('intrusion-set'),
        name: alias,
        description: `${alias} is a state-backed group conducting ${coverage.activity}.`,
      };
      sets.set(c.actor, set);
    }
    const alias = set.name;

    const indicator = (
      kind: 'ipv4-addr' | 'email-addr',
      value: string,
      since: number,
    ): StixIndicator => ({
      type: 'indicator',
      ...head('indicator'),
      name:
        kind === 'ipv4-addr'
          ? `${alias} infrastructure ${value}`
          : `${alias} drop mailbox ${value}`,
      description:
        kind === 'ipv4-addr'
          ? `Address ${alias} used for ${coverage.activity}, first seen ${isoTime(since).slice(0, 10)}.`
          : `Mailbox controlled by ${alias}: victims' mail is forwarded to it or it is added as their recovery address.`,
      indicator_types: ['malicious-activity'],
      pattern: `[${kind}:value = '${patternString(value)}']`,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: isoTime(since),
    });

    // What was in use by the time of publication, and a part of it that the vendor saw.
    const known = (used: ReadonlyMap<string, number>) =>
      [...used].filter(([, t]) => t <= at).sort(([a, ta], [b, tb]) => ta - tb || (a < b ? -1 : 1));
    const part = <T>(items: readonly T[]) =>
      items.length === 0
        ? []
        : rng.sample(items, Math.max(1, Math.round(items.length * rng.real(0.35, 0.65))));
    const seen = [
      ...part(known(c.ipFirstUse)).map(([value, t]) => ({ kind: 'ipv4-addr' as const, value, t })),
      ...Array.from({ length: rng.int(2, 4) }, () => ({
        kind: 'ipv4-addr' as const,
        value: decoyIp(rng, decoys),
        t: at - rng.int(24 * 60, 60 * 24 * 60) * MINUTE - rng.int(0, 59_999),
      })),
      ...part(known(c.dropAddresses)).map(([value, t]) => ({
        kind: 'email-addr' as const,
        value,
        t,
      })),
    ];
    // Ordered by first sighting, so the decoys are not told apart by their place.
    seen.sort((a, b) => a.t - b.t || (a.value < b.value ? -1 : 1));
    const indicators = seen.map((s) => indicator(s.kind, s.value, s.t));
    const relationships = indicators.map((ind): StixRelationship => ({
      type: 'relationship',
      ...head('relationship'),
      relationship_type: 'indicates',
      source_ref: ind.id,
      target_ref: set.id,
    }));
    const days = Math.max(1, Math.round((at - c.first) / DAY));
    const report: StixReport = {
      type: 'report',
      ...head('report'),
      name: `${alias} ${coverage.title}`,
      description:
        `For the past ${days} day(s) ${alias} has been engaged in ${coverage.activity}. ` +
        'This report lists the infrastructure we have attributed to the activity so far.',
      report_types: ['threat-actor'],
      published: stamp,
      object_refs: [set.id, ...indicators.map((x) => x.id), ...relationships.map((x) => x.id)],
    };
    perCampaign.push([...indicators, ...relationships, report]);
  });

  return {
    type: 'bundle',
    id: bundleId,
    objects: [vendor, ...sets.values(), ...perCampaign.flat()],
  };
}

/** `<type>--<uuid>` with a random (version 4, RFC 4122 variant) uuid from the seeded stream. */
function stixId(rng: Random, type: string): string {
  const h = rng.hex(32);
  const variant = '89ab'[rng.int(0, 3)] as string;
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

/** A documentation address not handed out before in this file. */
function decoyIp(rng: Random, taken: Set<string>): string {
  for (;;) {
    const ip = `${rng.pick(DECOY_PREFIXES)}${rng.int(1, 254)}`;
    if (!taken.has(ip)) {
      taken.add(ip);
      return ip;
    }
  }
}

/** A value inside a single-quoted STIX pattern string. */
function patternString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
