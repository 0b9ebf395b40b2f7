/**
 * What a campaign report says, before it is Markdown or HTML: the facts,
 * counted and masked once, so both formats say exactly the same thing.
 * Strings here are plain text; the renderers escape them.
 *
 * @example
 * const model = buildReportModel({ campaign, events, now });
 * model.summary; // 'One actor tried 30 accounts over 27 days from 12 addresses in 3 networks and got into 3.'
 */
import { isIP } from 'node:net';
import type { Campaign, CampaignEvent } from '../domain/campaign.js';
import type { ActionFacts, ActionGroup } from './campaign-report-actions.js';
import { recommendedActions } from './campaign-report-actions.js';
import type { CampaignReportInput } from './campaign-report.js';
import { accountRedactor, targetsByTag } from '../intel/stix-targets.js';
import { isFragmentEvidence, isWeakAttribution } from '../intel/attribution.js';

/** Lists longer than this end with "and N more". */
export const LIST_LIMIT = 50;

export interface TagRow {
  readonly tag: string;
  readonly targeted: number;
  readonly compromised: number;
}

export interface TimelineDay {
  /** `2019-08-01` (UTC). */
  readonly day: string;
  /** Events that day; absent when the timeline is built from targets. */
  readonly events?: number;
  /** Accounts with events that day, or first targeted that day. */
  readonly accounts: number;
  /** Compromises that day, or (from targets) accounts first targeted that day and later compromised. */
  readonly compromises: number;
}

export interface Moment {
  /** `2019-08-01 06:12 UTC`. */
  readonly time: string;
  readonly text: string;
}

export interface TechniqueRow {
  readonly id: string;
  readonly name: string;
  /** Only for well-formed ATT&CK ids. */
  readonly url?: string;
  readonly events?: number;
}

export interface ValueList {
  readonly label: string;
  readonly total: number;
  /** At most {@link LIST_LIMIT}. */
  readonly items: readonly string[];
}

export interface AttributionView {
  readonly actor: string;
  /** Percent, 0–100. */
  readonly confidence: number;
  readonly aliases: readonly string[];
  readonly evidence: readonly string[];
  readonly actorId?: string;
  readonly url?: string;
  /** Technique and targeting overlap only: a lead, not an attribution. */
  readonly weak: boolean;
}

export interface TargetRow {
  /** `account 7` when masked, else the account id. */
  readonly label: string;
  readonly tags: readonly string[];
  readonly compromised: boolean;
  readonly firstSeen: string;
  readonly events: number;
}

export interface ReportModel {
  readonly title: string;
  readonly campaignId: string;
  readonly status: string;
  readonly organisation?: string;
  readonly prepared: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** The one-sentence account of what happened. */
  readonly summary: string;
  readonly attributionSentence: string;
  /** How many accounts are masked as `account 1…N` (0 when not anonymised). */
  readonly maskedAccounts: number;
  readonly tags: readonly TagRow[];
  readonly totals: TagRow;
  /** Set when `targets` lists fewer accounts than were targeted. */
  readonly tagNote?: string;
  readonly timeline: {
    readonly basis: 'events' | 'targets';
    readonly days: readonly TimelineDay[];
    readonly moments: readonly Moment[];
    /** Compromise moments left out beyond {@link LIST_LIMIT}. */
    readonly momentsOmitted: number;
  };
  readonly techniques: readonly TechniqueRow[];
  readonly infrastructure: readonly ValueList[];
  readonly joinedBy: readonly {
    readonly link: string;
    readonly value: string;
    readonly events: number;
  }[];
  readonly attribution: readonly AttributionView[];
  readonly targets: readonly TargetRow[];
  readonly actions: readonly ActionGroup[];
  readonly notes: readonly {
    readonly time: string;
    readonly author: string;
    readonly text: string;
  }[];
  /** Whether ATT&CK names or ids appear, so the report carries MITRE's notice. */
  readonly usesAttack: boolean;
}

const ATTACK_TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const ATTACK_GROUP_ID = /^G\d{4}$/;
const DAY_MS = 86_400_000;

/** Builds the model. Throws a RangeError when `now` or a campaign time is not a time (a caller bug). */
export function buildReportModel(input: CampaignReportInput): ReportModel {
  const { campaign } = input;
  const events = [...(input.events ?? [])].sort((a, b) => ms(a.time) - ms(b.time));
  const anonymised = input.anonymiseTargets ?? true;
  const labels = accountLabels(campaign, events, anonymised);
  const label = (accountId: string) => labels.get(accountId) ?? accountId;
  const redact = anonymised ? redactor(labels) : (text: string) => text;

  const tags = tagRows(campaign);
  const compromisedLabels = campaign.targets
    .filter((t) => t.compromised)
    .map((t) => label(t.account_id));
  const infra = campaign.infrastructure;
  const ipEvents = countBy(events.flatMap((e) => (e.source_ip === undefined ? [] : [e.source_ip])));
  const techniqueEvents = countBy(events.flatMap((e) => e.techniques));
  const attribution = [...campaign.attribution]
    .sort((a, b) => b.confidence - a.confidence)
    .map((a) => {
      const actorId = a.actor_id;
      return {
        actor: a.actor,
        confidence: percent(a.confidence),
        aliases: a.aliases,
        evidence: a.evidence.map(redact),
        weak: isWeakAttribution(a),
        ...(actorId !== undefined ? { actorId } : {}),
        ...(actorId !== undefined && ATTACK_GROUP_ID.test(actorId)
          ? { url: `https://attack.mitre.org/groups/${actorId}/` }
          : {}),
      };
    });

  const facts: ActionFacts = {
    campaignId: campaign.id,
    since: formatTime(campaign.first_seen),
    compromised: compromisedLabels,
    targetedNotCompromised: Math.max(0, campaign.targeted_count - campaign.compromised_count),
    techniques: new Set(
      campaign.techniques.map((t) => t.id).concat(events.flatMap((e) => e.techniques)),
    ),
    eventTypes: new Set(events.map((e) => e.type)),
    failedMfaChallenges: events.filter((e) => e.type === 'mfa.challenge' && e.outcome === 'failure')
      .length,
    ips: infra.ips.length,
    networks: infra.networks?.length ?? 0,
    asns: infra.asns.length,
    dropAddresses: infra.emails?.length ?? 0,
    ...(attribution[0] && !attribution[0].weak ? { actor: attribution[0].actor } : {}),
  };

  return {
    title: redact(campaign.name ?? `Campaign ${campaign.id}`),
    campaignId: campaign.id,
    status: campaign.status,
    ...(input.organisation !== undefined ? { organisation: input.organisation } : {}),
    prepared: formatTime(input.now),
    firstSeen: formatTime(campaign.first_seen),
    lastSeen: formatTime(campaign.last_seen),
    summary: summarySentence(campaign),
    attributionSentence: attributionSentence(attribution),
    maskedAccounts: anonymised ? labels.size : 0,
    tags,
    totals: {
      tag: 'All accounts',
      targeted: campaign.targeted_count,
      compromised: campaign.compromised_count,
    },
    ...(campaign.targets.length < campaign.targeted_count
      ? {
          tagNote:
            `The target list holds ${campaign.targets.length} of the ${campaign.targeted_count} targeted accounts; ` +
            'compromised counts per tag come from that list.',
        }
      : {}),
    timeline: events.length > 0 ? eventTimeline(events, label) : targetTimeline(campaign, label),
    techniques: campaign.techniques.map((t) => ({
      id: t.id,
      name: t.name,
      ...(ATTACK_TECHNIQUE_ID.test(t.id)
        ? { url: `https://attack.mitre.org/techniques/${t.id.replace('.', '/')}/` }
        : {}),
      ...(events.length > 0 ? { events: techniqueEvents.get(t.id) ?? 0 } : {}),
    })),
    infrastructure: [
      valueList(
        'IP addresses',
        infra.ips.map((ip) => {
          const n = ipEvents.get(ip);
          return n === undefined ? ip : `${ip} (${plural(n, 'event')})`;
        }),
      ),
      valueList('Networks', infra.networks ?? []),
      valueList(
        'Autonomous systems',
        infra.asns.map((asn) => `AS${asn}`),
      ),
      valueList('User agents', infra.user_agents),
      valueList('Drop addresses', infra.emails ?? []),
    ].filter((list) => list.total > 0),
    joinedBy: (campaign.joined_by ?? []).map((j) => ({
      link: j.link,
      value: j.link === 'account' ? label(j.value) : redact(j.value),
      events: j.events,
    })),
    attribution,
    targets: [...campaign.targets]
      .sort((a, b) => ms(a.first_seen) - ms(b.first_seen) || compare(a.account_id, b.account_id))
      .map((t) => ({
        label: label(t.account_id),
        tags: t.tags,
        compromised: t.compromised,
        firstSeen: formatTime(t.first_seen),
        events: t.events,
      })),
    actions: recommendedActions(facts),
    notes: (campaign.notes ?? []).map((n) => ({
      time: formatTime(n.time),
      author: n.author,
      text: redact(n.text),
    })),
    usesAttack: campaign.techniques.length > 0 || attribution.some((a) => a.url !== undefined),
  };
}

/** "One actor tried 241 accounts over 30 days from 57 addresses in 12 networks and got into 4." */
function summarySentence(campaign: Campaign): string {
  const days = Math.round((utcDay(campaign.last_seen) - utcDay(campaign.first_seen)) / DAY_MS) + 1;
  const when = days <= 1 ? 'in one day' : `over ${days} days`;
  const ips = campaign.infrastructure.ips.length;
  const from =
    ips > 0
      ? ` from ${plural(ips, 'address', 'addresses')} in ${plural(networkCount(campaign), 'network')}`
      : '';
  const got =
    campaign.compromised_count === 0
      ? campaign.targeted_count === 1
        ? 'did not get in'
        : 'got into none of them'
      : `got into ${campaign.compromised_count}`;
  return `One actor tried ${plural(campaign.targeted_count, 'account')} ${when}${from} and ${got}.`;
}

function attributionSentence(attribution: readonly AttributionView[]): string {
  const [top, ...others] = attribution;
  if (!top) return 'Tripline has not attributed the campaign to a known actor.';
  if (top.weak) {
    const fragment = attribution.some((o) => o.evidence.some(isFragmentEvidence));
    return (
      'Tripline has not attributed the campaign to a known actor: ' +
      (fragment
        ? 'the only indicators naming one reach a small fragment of it. The closest '
        : 'no indicator names one. By techniques and targeting alone the closest ') +
      `${attribution.length > 1 ? 'are' : 'is'} ` +
      `${attribution.map((o) => `${o.actor} (${o.confidence}%)`).join(', ')} — a lead to check, not an attribution.`
    );
  }
  const aka = top.aliases.filter((a) => a !== top.actor);
  return (
    `Tripline attributes the campaign to ${top.actor}` +
    (aka.length > 0 ? ` (also known as ${aka.join(', ')})` : '') +
    ` with ${top.confidence}% confidence` +
    (others.length > 0
      ? `; other candidates: ${others.map((o) => `${o.actor} (${o.confidence}%)`).join(', ')}.`
      : '.')
  );
}

/** Networks listed by the campaign, plus the /24 (IPv4) or /48 (IPv6) of each address. */
function networkCount(campaign: Campaign): number {
  const networks = new Set(campaign.infrastructure.networks ?? []);
  for (const ip of campaign.infrastructure.ips) {
    const net = networkOf(ip);
    if (net !== undefined) networks.add(net);
  }
  return networks.size;
}

function networkOf(ip: string): string | undefined {
  const version = isIP(ip);
  if (version === 4) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (version !== 6) return undefined;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [
    ...left,
    ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'),
    ...right,
  ];
  const prefix = groups.slice(0, 3).map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, '')));
  return `${prefix.join(':')}::/48`;
}

/** Targeted per tag (the larger of `by_tag` and the list), compromised counted from the list. */
function tagRows(campaign: Campaign): readonly TagRow[] {
  return targetsByTag(campaign, { untagged: '(no tag)', fillEmpty: false }).map(
    ({ tag, targeted, compromised }) => ({ tag, targeted, compromised }),
  );
}

/**
 * `account 1…N` in order of first sighting (targets first, then accounts
 * seen only in events), or the ids themselves when not anonymised.
 */
function accountLabels(
  campaign: Campaign,
  events: readonly CampaignEvent[],
  anonymised: boolean,
): ReadonlyMap<string, string> {
  const order = [...campaign.targets]
    .sort((a, b) => ms(a.first_seen) - ms(b.first_seen) || compare(a.account_id, b.account_id))
    .map((t) => t.account_id)
    .concat(events.map((e) => e.account_id));
  const labels = new Map<string, string>();
  for (const id of order) {
    if (!labels.has(id)) labels.set(id, anonymised ? `account ${labels.size + 1}` : id);
  }
  return labels;
}

/** Replaces account ids in free text by their labels; longest ids first. */
function redactor(labels: ReadonlyMap<string, string>): (text: string) => string {
  return accountRedactor(labels.keys(), (id) => labels.get(id) ?? id);
}

function eventTimeline(
  events: readonly CampaignEvent[],
  label: (accountId: string) => string,
): ReportModel['timeline'] {
  const days = new Map<string, { events: number; accounts: Set<string>; compromises: number }>();
  for (const e of events) {
    const day = formatTime(e.time).slice(0, 10);
    let d = days.get(day);
    if (!d) days.set(day, (d = { events: 0, accounts: new Set(), compromises: 0 }));
    d.events += 1;
    d.accounts.add(e.account_id);
    if (e.compromise) d.compromises += 1;
  }
  const from = (e: CampaignEvent) => (e.source_ip !== undefined ? ` from ${e.source_ip}` : '');
  const describe = (e: CampaignEvent) =>
    `${e.type} (${e.outcome}) against ${label(e.account_id)}${from(e)}`;
  const first = events[0]!;
  const last = events.at(-1)!;
  const compromises = events.filter((e) => e.compromise);
  const moments: Moment[] = [
    { time: formatTime(first.time), text: `First event: ${describe(first)}.` },
    ...compromises.slice(0, LIST_LIMIT).map((e) => ({
      time: formatTime(e.time),
      text: `Compromise of ${label(e.account_id)}: ${e.type} (${e.outcome})${from(e)}.`,
    })),
  ];
  if (last !== first)
    moments.push({ time: formatTime(last.time), text: `Last event: ${describe(last)}.` });
  return {
    basis: 'events',
    days: [...days]
      .sort(([a], [b]) => compare(a, b))
      .map(([day, d]) => ({
        day,
        events: d.events,
        accounts: d.accounts.size,
        compromises: d.compromises,
      })),
    moments,
    momentsOmitted: Math.max(0, compromises.length - LIST_LIMIT),
  };
}

function targetTimeline(
  campaign: Campaign,
  label: (accountId: string) => string,
): ReportModel['timeline'] {
  const days = new Map<string, { accounts: number; compromises: number }>();
  for (const t of campaign.targets) {
    const day = formatTime(t.first_seen).slice(0, 10);
    let d = days.get(day);
    if (!d) days.set(day, (d = { accounts: 0, compromises: 0 }));
    d.accounts += 1;
    if (t.compromised) d.compromises += 1;
  }
  const compromised = [...campaign.targets]
    .filter((t) => t.compromised)
    .sort((a, b) => ms(a.first_seen) - ms(b.first_seen));
  const moments: Moment[] = [
    { time: formatTime(campaign.first_seen), text: 'Campaign first seen.' },
    ...compromised.slice(0, LIST_LIMIT).map((t) => ({
      time: formatTime(t.first_seen),
      text: `First sighting of ${label(t.account_id)}, later compromised.`,
    })),
    { time: formatTime(campaign.last_seen), text: 'Campaign last seen.' },
  ];
  return {
    basis: 'targets',
    days: [...days].sort(([a], [b]) => compare(a, b)).map(([day, d]) => ({ day, ...d })),
    moments: moments.sort((a, b) => compare(a.time, b.time)),
    momentsOmitted: Math.max(0, compromised.length - LIST_LIMIT),
  };
}

function valueList(label: string, values: readonly string[]): ValueList {
  return { label, total: values.length, items: values.slice(0, LIST_LIMIT) };
}

function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`campaign report: not a time: ${iso}`);
  return t;
}

function utcDay(iso: string): number {
  const t = ms(iso);
  return t - (t % DAY_MS);
}

/** `2019-08-01 06:12 UTC`. */
function formatTime(iso: string): string {
  return `${new Date(ms(iso)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function percent(confidence: number): number {
  return Number.isFinite(confidence) ? Math.min(100, Math.max(0, Math.round(confidence * 100))) : 0;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
