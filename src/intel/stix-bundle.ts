/**
 * A campaign as a STIX 2.1 bundle, for threat-intelligence platforms
 * (OpenCTI, MISP, …): the campaign, its candidate actors, the ATT&CK
 * techniques it used, indicators for its infrastructure, who it targeted,
 * and who reports it. Pure: no I/O, no clock (`now` is passed in), and
 * deterministic — the same campaign and options give the same bundle, byte
 * for byte. docs/STIX-AND-REPORTS.md describes every object.
 *
 * @example
 * const bundle = campaignToStix(campaign, {
 *   organisation: { name: 'Example Mail', contact: 'security@mail.example' },
 *   now: '2019-10-04T09:00:00.000Z',
 * });
 * process.stdout.write(JSON.stringify(bundle, null, 2));
 */
import type { Attribution, Campaign, CampaignEvent } from '../domain/campaign.js';
import type { ActorKnowledgeBase } from './actor-knowledge-base.js';
import {
  ATTACK_MARKING_DEFINITION,
  ATTACK_MARKING_ID,
  MITRE_IDENTITY,
} from './stix-attack-marking.js';
import { stixId } from './stix-id.js';
import type {
  StixAttackPattern,
  StixBundle,
  StixCampaign,
  StixExternalReference,
  StixId,
  StixIdentity,
  StixIndicator,
  StixIntrusionSet,
  StixObject,
  StixRelationship,
  StixRelationshipType,
} from './stix-objects.js';
import { INDICATOR_KIND_NAMES, INDICATOR_KINDS } from './stix-pattern.js';
import { accountRedactor, targetsByTag } from './stix-targets.js';
import type { TagCount } from './stix-targets.js';

/** The organisation that reports the campaign: every object's `created_by_ref`. */
export interface StixOrganisation {
  readonly name: string;
  /** E-mail or URL, as STIX `contact_information`. */
  readonly contact?: string;
}

/** What the actor knowledge base says about an attributed actor. */
export interface StixActorInfo {
  /** Primary name, e.g. ATT&CK's `Magic Hound`. */
  readonly name: string;
  readonly aliases: readonly string[];
  /** ATT&CK group id, `G0059`. */
  readonly attack_id?: string;
  readonly description?: string;
  /**
   * Suspected origin, `IR` or `Iran`: written into the intrusion-set's
   * description. (Not a `location` object: the OASIS bundle schema does not
   * list `location`, so a bundle holding one fails validation.)
   */
  readonly country?: string;
}

export interface StixExportOptions {
  readonly organisation: StixOrganisation;
  /** ISO time of the export: every object's `modified`. */
  readonly now: string;
  /**
   * ISO time of this campaign's first export: every object's `created`
   * (default `now`). STIX keeps `created` fixed across versions of an
   * object, so a caller that re-exports a campaign passes the first time.
   */
  readonly created?: string;
  /** Default true: targets only as counts per tag, no account id anywhere. */
  readonly anonymiseTargets?: boolean;
  /** The campaign's events: event counts per IP address and technique. */
  readonly events?: readonly CampaignEvent[];
  /** Looks an attributed actor up in the knowledge base; without it (or on `undefined`) the Attribution's own fields are used. */
  readonly actors?: (attribution: Attribution) => StixActorInfo | undefined;
}

/**
 * An attribution at or above this confidence is "high" on the STIX scale
 * (Appendix A: High = 70–100), and only then do the campaign's strong
 * indicators (IPs, networks, drop addresses) also `indicates` the actor.
 */
export const ACTOR_INDICATOR_MIN_CONFIDENCE = 0.7;

const ATTACK_GROUP_ID = /^G\d{4}$/;
const ATTACK_TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/**
 * Builds the bundle. Throws a RangeError only when `now`, `created` or a
 * campaign time is not a time (a bug in the caller: the store validated them).
 */
export function campaignToStix(campaign: Campaign, options: StixExportOptions): StixBundle {
  const modified = stixTime(options.now, 'now');
  const created = options.created === undefined ? modified : stixTime(options.created, 'created');
  const anonymise = options.anonymiseTargets ?? true;
  const orgName = options.organisation.name;
  const events = options.events ?? [];
  // The organisation is in every key: two organisations' "cmp-7" are two campaigns.
  const campaignKey = [orgName, 'campaign', campaign.tenant ?? '', campaign.id];

  const organisationId = stixId('identity', ['organisation', orgName]);
  const organisation: StixIdentity = {
    type: 'identity',
    spec_version: '2.1',
    id: organisationId,
    created,
    modified,
    created_by_ref: organisationId,
    name: orgName,
    identity_class: 'organization',
    ...(options.organisation.contact ? { contact_information: options.organisation.contact } : {}),
  };
  const relationships: StixRelationship[] = [];
  const core = <T extends string>(type: T, id: StixId<T>) => ({
    type,
    spec_version: '2.1' as const,
    id,
    created,
    modified,
    created_by_ref: organisationId,
  });
  const redact = anonymise
    ? accountRedactor(
        [...campaign.targets.map((t) => t.account_id), ...events.map((e) => e.account_id)],
        () => '[account]',
      )
    : (text: string) => text;
  const x: ExportContext = {
    campaign,
    options,
    events,
    anonymise,
    orgName,
    campaignKey,
    campaignId: stixId('campaign', campaignKey),
    name: redact(campaign.name ?? `Campaign ${campaign.id}`),
    firstSeen: stixTime(campaign.first_seen, 'campaign.first_seen'),
    tags: targetsByTag(campaign),
    redact,
    core,
    relate: (relationship_type, source, target, extra = {}) => {
      relationships.push({
        ...core('relationship', stixId('relationship', [relationship_type, source, target])),
        relationship_type,
        source_ref: source,
        target_ref: target,
        ...extra,
      });
    },
  };

  const stixCampaign = campaignObject(x);
  const { intrusionSets, indicatedActor } = actorObjects(x);
  const attackPatterns = techniqueObjects(x);
  const indicators = indicatorObjects(x, indicatedActor);
  const targets = targetObjects(x);
  const carriesAttack =
    attackPatterns.length > 0 || intrusionSets.some((s) => s.object_marking_refs !== undefined);
  const objects: StixObject[] = [
    organisation,
    ...(carriesAttack ? [ATTACK_MARKING_DEFINITION, MITRE_IDENTITY] : []),
    stixCampaign,
    ...intrusionSets,
    ...attackPatterns,
    ...indicators,
    ...targets,
    ...relationships,
  ];
  return {
    type: 'bundle',
    id: stixId('bundle', [...campaignKey, modified, anonymise ? 'anonymised' : 'identified']),
    objects,
  };
}

/** What the object builders share. */
interface ExportContext {
  readonly campaign: Campaign;
  readonly options: StixExportOptions;
  readonly events: readonly CampaignEvent[];
  readonly anonymise: boolean;
  readonly orgName: string;
  readonly campaignKey: readonly string[];
  readonly campaignId: StixId<'campaign'>;
  /** The campaign's name, account ids redacted when anonymised. */
  readonly name: string;
  readonly firstSeen: string;
  readonly tags: readonly TagCount[];
  readonly redact: (text: string) => string;
  /** The common properties of an object we create. */
  readonly core: <T extends string>(
    type: T,
    id: StixId<T>,
  ) => {
    type: T;
    spec_version: '2.1';
    id: StixId<T>;
    created: string;
    modified: string;
    created_by_ref: StixId<'identity'>;
  };
  /** Adds a relationship (its id follows from its type and ends). */
  readonly relate: (
    type: StixRelationshipType,
    source: StixId<string>,
    target: StixId<string>,
    extra?: Pick<StixRelationship, 'confidence' | 'description' | 'start_time'>,
  ) => void;
}

function campaignObject(x: ExportContext): StixCampaign {
  const { campaign, events } = x;
  return {
    ...x.core('campaign', x.campaignId),
    name: x.name,
    description: x.redact(campaignDescription(campaign, x.orgName, x.tags, events)),
    first_seen: x.firstSeen,
    last_seen: stixTime(campaign.last_seen, 'campaign.last_seen'),
    external_references: [{ source_name: 'tripline', external_id: campaign.id }],
    x_tripline_status: campaign.status,
    x_tripline_targeted_count: campaign.targeted_count,
    x_tripline_compromised_count: campaign.compromised_count,
    x_tripline_by_tag: { ...campaign.by_tag },
    x_tripline_compromised_by_tag: Object.fromEntries(x.tags.map((t) => [t.tag, t.compromised])),
    ...(campaign.events !== undefined || events.length > 0
      ? { x_tripline_event_count: campaign.events ?? events.length }
      : {}),
  };
}

/**
 * One intrusion-set per distinct candidate, best first, each with an
 * `attributed-to` relationship; `indicatedActor` is the best one when its
 * confidence is high enough for indicators to point at it.
 */
function actorObjects(x: ExportContext): {
  intrusionSets: StixIntrusionSet[];
  indicatedActor: StixId<'intrusion-set'> | undefined;
} {
  const intrusionSets: StixIntrusionSet[] = [];
  let indicatedActor: StixId<'intrusion-set'> | undefined;
  const ranked = [...x.campaign.attribution].sort((a, b) => b.confidence - a.confidence);
  for (const attribution of ranked) {
    const info = x.options.actors?.(attribution) ?? {
      name: attribution.actor,
      aliases: attribution.aliases,
    };
    const attackId = [info.attack_id, attribution.actor_id].find(
      (id): id is string => id !== undefined && ATTACK_GROUP_ID.test(id),
    );
    // Not campaign-scoped: every campaign of the same actor points at the same object.
    const id = stixId('intrusion-set', [
      x.orgName,
      'actor',
      attackId ?? attribution.actor_id ?? info.name.toLowerCase(),
    ]);
    if (intrusionSets.some((s) => s.id === id)) continue;
    const description = [
      info.description ? x.redact(info.description) : '',
      info.country?.trim() ? `Suspected origin: ${info.country.trim()}.` : '',
    ]
      .filter((s) => s !== '')
      .join('\n\n');
    const aliases = uniqueValues(info.aliases).filter((a) => a !== info.name);
    intrusionSets.push({
      ...x.core('intrusion-set', id),
      ...(attackId
        ? {
            object_marking_refs: [ATTACK_MARKING_ID],
            external_references: [
              {
                source_name: 'mitre-attack',
                external_id: attackId,
                url: `https://attack.mitre.org/groups/${attackId}/`,
              },
            ],
          }
        : {}),
      name: info.name,
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(description !== '' ? { description } : {}),
    });
    const confidence = stixConfidence(attribution.confidence);
    x.relate('attributed-to', x.campaignId, id, {
      confidence,
      description: x.redact(
        [
          `Tripline attributes this campaign to ${attribution.actor} with ${confidence}% confidence.`,
          ...(attribution.evidence.length > 0 ? ['Evidence:'] : []),
          ...attribution.evidence.map((e) => `- ${e}`),
        ].join('\n'),
      ),
    });
    if (attribution === ranked[0] && attribution.confidence >= ACTOR_INDICATOR_MIN_CONFIDENCE) {
      indicatedActor = id;
    }
  }
  return { intrusionSets, indicatedActor };
}

/** One attack-pattern per technique, ATT&CK-marked, each with a `uses` from the campaign. */
function techniqueObjects(x: ExportContext): StixAttackPattern[] {
  const techniqueEvents = countBy(x.events.flatMap((e) => e.techniques));
  const attackPatterns: StixAttackPattern[] = [];
  for (const technique of x.campaign.techniques) {
    const id = stixId('attack-pattern', [x.orgName, 'technique', technique.id]);
    if (attackPatterns.some((p) => p.id === id)) continue;
    const reference: StixExternalReference = {
      source_name: 'mitre-attack',
      external_id: technique.id,
      ...(ATTACK_TECHNIQUE_ID.test(technique.id)
        ? { url: `https://attack.mitre.org/techniques/${technique.id.replace('.', '/')}/` }
        : {}),
    };
    attackPatterns.push({
      ...x.core('attack-pattern', id),
      object_marking_refs: [ATTACK_MARKING_ID],
      external_references: [reference],
      name: technique.name !== '' ? technique.name : technique.id,
    });
    const seen = techniqueEvents.get(technique.id);
    x.relate(
      'uses',
      x.campaignId,
      id,
      seen ? { description: `${plural(seen, 'event')} of the campaign.` } : {},
    );
  }
  return attackPatterns;
}

/**
 * One indicator per infrastructure value a pattern can express, each
 * `indicates` the campaign, and the strong kinds also the actor when the
 * attribution is high.
 */
function indicatorObjects(
  x: ExportContext,
  indicatedActor: StixId<'intrusion-set'> | undefined,
): StixIndicator[] {
  const indicators: StixIndicator[] = [];
  const ipEvents = eventsByIp(x.events);
  for (const kind of INDICATOR_KIND_NAMES) {
    const spec = INDICATOR_KINDS[kind];
    for (const value of uniqueValues(spec.values(x.campaign.infrastructure))) {
      const pattern = spec.pattern(value);
      if (pattern === undefined) continue;
      const label = spec.label(value);
      const seen = kind === 'ip' ? ipEvents.get(value) : undefined;
      const indicator: StixIndicator = {
        ...x.core('indicator', stixId('indicator', [...x.campaignKey, kind, value])),
        name: label,
        description:
          `${label}, used by the campaign "${x.name}" (reported by ${x.orgName}).` +
          (seen
            ? ` ${plural(seen.events, 'event')} against ${plural(seen.accounts.size, 'account')}, ${day(seen.first)} to ${day(seen.last)}.`
            : ''),
        indicator_types: [spec.indicatorType],
        pattern,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: x.firstSeen,
      };
      indicators.push(indicator);
      x.relate('indicates', indicator.id, x.campaignId);
      if (indicatedActor && spec.indicatesActor)
        x.relate('indicates', indicator.id, indicatedActor);
    }
  }
  return indicators;
}

/**
 * Who was targeted: an identity of class `class` per tag, always; one of
 * class `individual` per account only when targets are not anonymised.
 * Each with a `targets` relationship from the campaign.
 */
function targetObjects(x: ExportContext): StixIdentity[] {
  const identities: StixIdentity[] = [];
  for (const t of x.tags) {
    const id = stixId('identity', [...x.campaignKey, 'tag', t.tag]);
    const counts = `${plural(t.targeted, 'account')}, ${t.compromised} compromised`;
    identities.push({
      ...x.core('identity', id),
      name: `${t.tag} (${counts})`,
      identity_class: 'class',
      description:
        `Accounts tagged "${t.tag}" that the campaign targeted: ${counts}.` +
        (x.anonymise ? ' Individual accounts are withheld.' : ''),
      x_tripline_tag: t.tag,
      x_tripline_targeted_count: t.targeted,
      x_tripline_compromised_count: t.compromised,
    });
    x.relate('targets', x.campaignId, id, {
      description: `${counts}.`,
      ...(t.first_seen ? { start_time: stixTime(t.first_seen, 'target.first_seen') } : {}),
    });
  }
  if (x.anonymise) return identities;
  const seen = new Set<string>();
  for (const target of x.campaign.targets) {
    if (seen.has(target.account_id)) continue;
    seen.add(target.account_id);
    const id = stixId('identity', [...x.campaignKey, 'account', target.account_id]);
    const firstSeen = stixTime(target.first_seen, 'target.first_seen');
    identities.push({
      ...x.core('identity', id),
      name: target.account_id,
      identity_class: 'individual',
      x_tripline_account_id: target.account_id,
      x_tripline_compromised: target.compromised,
      ...(target.tags.length > 0 ? { x_tripline_tags: target.tags } : {}),
      x_tripline_first_seen: firstSeen,
      x_tripline_events: target.events,
    });
    x.relate('targets', x.campaignId, id, {
      description: target.compromised ? 'Targeted and compromised.' : 'Targeted.',
      start_time: firstSeen,
    });
  }
  return identities;
}

function campaignDescription(
  campaign: Campaign,
  orgName: string,
  tags: readonly TagCount[],
  events: readonly CampaignEvent[],
): string {
  const infra = campaign.infrastructure;
  const parts = [
    `Targeted account-takeover campaign reported by ${orgName} (Tripline), ${day(campaign.first_seen)} to ${day(campaign.last_seen)}: ` +
      `${plural(campaign.targeted_count, 'account')} targeted, ${campaign.compromised_count} compromised` +
      (campaign.events !== undefined || events.length > 0
        ? `, ${plural(campaign.events ?? events.length, 'event')}.`
        : '.'),
  ];
  if (tags.length > 0) {
    parts.push(
      `Targets by tag: ${tags.map((t) => `${t.tag} ${t.targeted} (${t.compromised} compromised)`).join(', ')}.`,
    );
  }
  if (campaign.techniques.length > 0) {
    parts.push(`Techniques: ${campaign.techniques.map((t) => t.id).join(', ')}.`);
  }
  const infraCounts = [
    [infra.ips.length, 'IP address', 'IP addresses'],
    [infra.networks?.length ?? 0, 'network', 'networks'],
    [infra.asns.length, 'ASN', 'ASNs'],
    [infra.user_agents.length, 'user agent', 'user agents'],
    [infra.emails?.length ?? 0, 'drop address', 'drop addresses'],
  ] as const;
  const present = infraCounts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  if (present.length > 0) parts.push(`Infrastructure: ${present.join(', ')}.`);
  const top = [...campaign.attribution].sort((a, b) => b.confidence - a.confidence)[0];
  if (top) {
    parts.push(
      `Attributed to ${top.actor} with ${stixConfidence(top.confidence)}% confidence` +
        (top.aliases.length > 0 ? ` (also known as ${top.aliases.join(', ')}).` : '.'),
    );
  }
  return parts.join(' ');
}

/** An ISO time as STIX wants it: UTC, millisecond precision, `Z`. */
function stixTime(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`campaignToStix: ${what} is not a time: ${value}`);
  return new Date(ms).toISOString();
}

/** [0, 1] → the integer 0–100 STIX uses. */
function stixConfidence(confidence: number): number {
  if (!Number.isFinite(confidence)) return 0;
  return Math.min(100, Math.max(0, Math.round(confidence * 100)));
}

function day(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function uniqueValues(values: readonly string[]): readonly string[] {
  return [...new Set(values)];
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function eventsByIp(events: readonly CampaignEvent[]) {
  const byIp = new Map<
    string,
    { events: number; accounts: Set<string>; first: string; last: string }
  >();
  for (const e of events) {
    if (e.source_ip === undefined) continue;
    const s = byIp.get(e.source_ip);
    if (!s) {
      byIp.set(e.source_ip, {
        events: 1,
        accounts: new Set([e.account_id]),
        first: e.time,
        last: e.time,
      });
      continue;
    }
    s.events += 1;
    s.accounts.add(e.account_id);
    if (Date.parse(e.time) < Date.parse(s.first)) s.first = e.time;
    if (Date.parse(e.time) > Date.parse(s.last)) s.last = e.time;
  }
  return byIp;
}

/**
 * The `actors` option from the actor knowledge base: an attributed actor's
 * primary name, every alias, ATT&CK id, description and country, so the
 * intrusion-set in a bundle says what the knowledge base knows.
 *
 * @example
 * campaignToStix(campaign, { organisation, now, actors: knowledgeBaseActors(kb) });
 */
export function knowledgeBaseActors(
  kb: ActorKnowledgeBase,
): (attribution: Attribution) => StixActorInfo | undefined {
  return (attribution) => {
    const actor = attribution.actor_id === undefined ? undefined : kb.get(attribution.actor_id);
    if (!actor) return undefined;
    return {
      name: actor.name,
      aliases: actor.aliases.map((a) => a.name),
      ...(actor.attack_id ? { attack_id: actor.attack_id } : {}),
      ...(actor.description ? { description: actor.description } : {}),
      ...(actor.country ? { country: actor.country } : {}),
    };
  };
}
