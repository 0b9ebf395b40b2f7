/**
 * Attribution: which known actors a campaign may be the work of, each with a
 * confidence in [0, 1] and the evidence a person can check. Three kinds of
 * evidence, strongest first (docs/ATTRIBUTION.md has the formula and a worked
 * example):
 *
 * 1. indicators of the campaign's infrastructure that a feed or report
 *    credits to an actor (the caller matches them: {@link IndicatorSighting});
 * 2. overlap of the campaign's ATT&CK techniques with an actor's profile,
 *    weighted by how rare each technique is ({@link TechniqueRarity});
 * 3. who the campaign targets against whom the actor is known to target
 *    ({@link targetKindsOf}) — a small boost, never a reason on its own.
 *
 * Techniques and targeting alone never give more than
 * `ATTRIBUTION_SCORING.withoutIndicatorsMax` (0.35): many groups spray
 * passwords and reset mailboxes. An actor named by an indicator the campaign
 * matched always ranks above every actor that is not — when those indicators
 * reach at least `minShare` (5%) of the campaign's targets; a few events from
 * an actor's address inside a far larger campaign are a fragment of it, and
 * weigh less.
 *
 * @example
 * const kb = ActorKnowledgeBase.load();
 * attributeCampaign(campaign, [
 *   { type: 'email', value: 'drop@evil.example', source: 'ACME CTI', actor: 'Mint Sandstorm', events: 9, accounts: 3 },
 * ], kb);
 * // [{ actor: 'APT35', actor_id: 'G0059', aliases: ['APT35', 'Agent Serpens', …], confidence: 0.72, evidence: [
 * //    '1 indicator from "ACME CTI" names Mint Sandstorm (= APT35): drop@evil.example (9 events, 3 accounts)', … ] }]
 */
import type { Actor } from '../domain/actor.js';
import type { Attribution, Campaign } from '../domain/campaign.js';
import type { IndicatorType } from '../domain/indicator.js';
import type { ActorKnowledgeBase } from './actor-knowledge-base.js';
import { nameKey } from './name-key.js';
import { TARGET_KIND_RULES, targetKindOfTag, targetKindsOf } from './target-kinds.js';
import type { TargetKind } from './target-kinds.js';
import { TechniqueRarity, techniqueFamily } from './technique-rarity.js';

/**
 * An indicator the campaign's infrastructure matched (the caller computes
 * these).
 *
 * @example
 * const s: IndicatorSighting = { type: 'ip', value: '203.0.113.0/24', source: 'ACME CTI 2026-05',
 *   actor: 'Charming Kitten', events: 41, accounts: 12 };
 */
export interface IndicatorSighting {
  readonly type: IndicatorType;
  /** The indicator's value (may be a CIDR network). */
  readonly value: string;
  /** Feed or report name. */
  readonly source: string;
  /** Any vendor's name for the actor, as the source wrote it. */
  readonly actor?: string;
  /** Campaign events that matched it. */
  readonly events: number;
  /** Distinct targeted accounts among them. */
  readonly accounts: number;
}

/**
 * How many candidates to return and the least confidence worth showing.
 *
 * @example
 * attributeCampaign(campaign, sightings, kb, { maxCandidates: 5, minConfidence: 0.2 });
 */
export interface AttributionOptions {
  /** Default 3. */
  readonly maxCandidates?: number;
  /** Default 0.1: drops actors that share one common technique and nothing else. */
  readonly minConfidence?: number;
}

/**
 * The constants of the scoring, as docs/ATTRIBUTION.md states them.
 *
 * @example
 * ATTRIBUTION_SCORING.withoutIndicatorsMax; // 0.35
 */
export const ATTRIBUTION_SCORING = {
  /** Confidence an actor named by any matched indicator starts from. */
  indicatorFloor: 0.4,
  /** What indicator evidence tends to, however much of it there is. */
  indicatorCeiling: 0.95,
  /** Most that technique overlap gives. */
  techniqueMax: 0.3,
  /** Most that targeting adds. */
  targetingMax: 0.07,
  /** Most that techniques and targeting give together, without an indicator. */
  withoutIndicatorsMax: 0.35,
  /**
   * Share of the campaign's targets an actor's indicators must reach for
   * their full weight; below it, indicator evidence is scaled by
   * √(share / minShare). A few events from an actor's address inside a
   * campaign of a thousand targets are a fragment of it, not its author.
   */
  minShare: 0.05,
  /** Credit of a technique match: same id, parent and sub-technique, two sub-techniques of one parent. */
  exactCredit: 1,
  parentCredit: 0.5,
  siblingCredit: 0.25,
  /** A technique listed by at most this share of profiled actors is called rare in evidence. */
  rareShare: 0.05,
  defaultMaxCandidates: 3,
  defaultMinConfidence: 0.1,
} as const;

/**
 * What one indicator of a type says about who runs the infrastructure,
 * before reach: a drop address or a URL is the attacker's own; an exact IP
 * nearly so (but may be a VPN exit); a domain may be a shared service; a
 * user agent or an ASN is shared by many. An `ip` value that is a network
 * weighs 0.3 (a /24 or /48 and narrower) or 0.1 (wider).
 *
 * @example
 * INDICATOR_WEIGHT.email > INDICATOR_WEIGHT.asn; // true
 */
export const INDICATOR_WEIGHT: Readonly<Record<IndicatorType, number>> = {
  email: 0.7,
  url: 0.6,
  ip: 0.55,
  domain: 0.5,
  user_agent: 0.15,
  asn: 0.1,
};
/** An IPv4 /24–/31 or IPv6 /48–/127 network. */
const NETWORK_WEIGHT = 0.3;
/** A network wider than that. */
const WIDE_NETWORK_WEIGHT = 0.1;

/** Values shown per evidence line before `+N more`. */
const SHOWN_VALUES = 6;
/** Target strings shown per evidence line. */
const SHOWN_TARGETS = 8;

/**
 * Whether a candidate rests on technique and targeting overlap alone (no
 * indicator the campaign matched names it): a lead for an analyst to check,
 * which displays and reports must not present as an attribution.
 *
 * @example
 * isWeakAttribution({ actor: 'APT28', aliases: [], confidence: 0.19, evidence: [] }); // true
 */
export function isWeakAttribution(a: Attribution): boolean {
  return a.confidence < ATTRIBUTION_SCORING.indicatorFloor;
}

/**
 * The best candidate in a few words: `APT35 (95%)`, or for a weak one
 * `unattributed (closest by technique: APT28, 19%)`, or `unattributed (closest: APT35, 27%)`
 * for one whose indicators reach only a fragment of the campaign.
 *
 * @example
 * attributionLabel(campaign.attribution); // 'APT35 (95%)'
 */
export function attributionLabel(attribution: readonly Attribution[]): string {
  const top = attribution[0];
  if (!top) return 'unattributed';
  const pct = Math.round(top.confidence * 100);
  return isWeakAttribution(top)
    ? `unattributed (closest${top.evidence.some(isIndicatorLine) ? '' : ' by technique'}: ${top.actor}, ${pct}%)`
    : `${top.actor} (${pct}%)`;
}

/** An evidence line about indicators (`1 indicator from "…" names …`), not techniques or targeting. */
function isIndicatorLine(line: string): boolean {
  return /^\d+ indicators? from "/.test(line);
}

/** How the evidence line of a fragment ({@link ATTRIBUTION_SCORING}.minShare) begins. */
const FRAGMENT_LINE = 'the indicators reach ';

/** Whether an evidence line says the actor's indicators reach only a fragment of the campaign. */
export function isFragmentEvidence(line: string): boolean {
  return line.startsWith(FRAGMENT_LINE);
}

/**
 * Ranks the actors the campaign may be the work of: at most `maxCandidates`
 * (default 3), each at least `minConfidence` (default 0.1), by confidence,
 * then knowledge-base actors before names the knowledge base does not know,
 * then id or name. Pure and deterministic: the same campaign, sightings and
 * knowledge base give the same list, whatever the order of the sightings.
 *
 * A sighting's actor name counts only when it is exactly one actor's name
 * (case, spaces and punctuation ignored): a name several actors carry gives
 * evidence to none of them, and a name the knowledge base does not have —
 * even one a typo away from a known name — becomes a candidate of its own,
 * named as the source wrote it, with no aliases and no `actor_id`.
 *
 * @example
 * const [top] = attributeCampaign(campaign, sightings, ActorKnowledgeBase.load());
 * top && `${top.actor} ${top.confidence}`; // 'APT35 0.91'
 */
export function attributeCampaign(
  campaign: Campaign,
  sightings: readonly IndicatorSighting[],
  kb: ActorKnowledgeBase,
  options: AttributionOptions = {},
): Attribution[] {
  const maxCandidates = Math.max(
    0,
    Math.floor(options.maxCandidates ?? ATTRIBUTION_SCORING.defaultMaxCandidates),
  );
  const minConfidence = options.minConfidence ?? ATTRIBUTION_SCORING.defaultMinConfidence;
  if (maxCandidates === 0) return [];
  const rarity = TechniqueRarity.of(kb);
  const candidates = new Map<string, Candidate>();
  collectIndicators(sightings, kb, candidates);
  const observed = observedTechniques(campaign, rarity, kb);
  for (const technique of observed)
    for (const actor of rarity.actorsInFamily(technique.id)) candidateOf(candidates, actor);
  const tags = mappedTags(campaign);
  const scored: Scored[] = [];
  for (const candidate of candidates.values()) {
    const s = score(campaign, candidate, observed, tags, rarity, kb);
    if (s.confidence > 0 && s.confidence >= minConfidence) scored.push(s);
  }
  return scored
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        Number(a.attribution.actor_id === undefined) -
          Number(b.attribution.actor_id === undefined) ||
        compare(a.order, b.order),
    )
    .slice(0, maxCandidates)
    .map((s) => s.attribution);
}

/** Everything known about one candidate before scoring. */
interface Candidate {
  /** Undefined for a name the knowledge base does not know. */
  readonly actor: Actor | undefined;
  /**
   * Indicator key → its strength and the most accounts any source's sighting
   * of it reached; one indicator counts once, however many sources name it.
   */
  readonly indicators: Map<string, { strength: number; accounts: number }>;
  /** Per source and written name (by key): what the evidence line says. */
  readonly lines: Map<string, IndicatorLine>;
  /** How the sources wrote an unknown name: spelling → sightings. */
  readonly spellings: Map<string, number>;
  /** For an unknown name a typo away from a known one: that name. */
  nearest: string | undefined;
}

interface IndicatorLine {
  readonly source: string;
  readonly written: Set<string>;
  /** Indicator key → how it is shown and its strength. */
  readonly values: Map<string, { readonly shown: string; readonly strength: number }>;
  events: number;
  accounts: number;
}

interface Scored {
  readonly confidence: number;
  readonly order: string;
  readonly attribution: Attribution;
}

/** What a sighting's actor name stands for. */
type Naming =
  | { readonly kind: 'actor'; readonly actor: Actor }
  | { readonly kind: 'unknown'; readonly key: string; readonly nearest: string | undefined }
  | { readonly kind: 'skip' };

function candidateOf(candidates: Map<string, Candidate>, actor: Actor): Candidate {
  return candidateAt(candidates, actor.id, actor);
}

function candidateAt(
  candidates: Map<string, Candidate>,
  key: string,
  actor: Actor | undefined,
): Candidate {
  let c = candidates.get(key);
  if (!c) {
    c = {
      actor,
      indicators: new Map(),
      lines: new Map(),
      spellings: new Map(),
      nearest: undefined,
    };
    candidates.set(key, c);
  }
  return c;
}

function collectIndicators(
  sightings: readonly IndicatorSighting[],
  kb: ActorKnowledgeBase,
  candidates: Map<string, Candidate>,
): void {
  const namings = new Map<string, Naming>();
  for (const s of sightings) {
    const written = s.actor?.trim() ?? '';
    if (written === '' || !(s.events >= 1)) continue;
    let naming = namings.get(written);
    if (!naming) namings.set(written, (naming = nameOf(written, kb)));
    if (naming.kind === 'skip') continue;
    const candidate =
      naming.kind === 'actor'
        ? candidateOf(candidates, naming.actor)
        : candidateAt(candidates, `unknown:${naming.key}`, undefined);
    if (naming.kind === 'unknown') {
      candidate.spellings.set(written, (candidate.spellings.get(written) ?? 0) + 1);
      candidate.nearest = naming.nearest;
    }
    const key = indicatorKey(s);
    const strength = indicatorStrength(s);
    const known = candidate.indicators.get(key);
    if (!known) candidate.indicators.set(key, { strength, accounts: s.accounts });
    else {
      known.strength = Math.max(known.strength, strength);
      known.accounts = Math.max(known.accounts, s.accounts);
    }
    const lineKey = `${s.source}\u0000${nameKey(written)}`;
    let line = candidate.lines.get(lineKey);
    if (!line) {
      line = { source: s.source, written: new Set(), values: new Map(), events: 0, accounts: 0 };
      candidate.lines.set(lineKey, line);
    }
    line.written.add(written);
    const seen = line.values.get(key);
    if (!seen || strength > seen.strength) line.values.set(key, { shown: shownValue(s), strength });
    line.events += s.events;
    line.accounts = Math.max(line.accounts, s.accounts);
  }
}

/**
 * Only an exact name of exactly one actor is evidence. A name several actors
 * carry picks none; a typo match is a suggestion, never an attribution
 * ("Mint Sandstone" is not Mint Sandstorm).
 */
function nameOf(written: string, kb: ActorKnowledgeBase): Naming {
  const r = kb.resolve(written);
  if (r.kind === 'actor' && r.matched.distance === 0) return { kind: 'actor', actor: r.actor };
  if (r.kind === 'ambiguous' && r.candidates.some((c) => c.matched.distance === 0))
    return { kind: 'skip' };
  const key = nameKey(written);
  if (key === '') return { kind: 'skip' };
  const nearest = r.kind === 'actor' ? `${r.matched.alias} (${r.actor.name})` : undefined;
  return { kind: 'unknown', key, nearest };
}

function indicatorKey(s: IndicatorSighting): string {
  return `${s.type}\u0000${normalValue(s)}`;
}

function normalValue(s: IndicatorSighting): string {
  const v = s.value.trim();
  switch (s.type) {
    case 'asn':
      return v.replace(/^as/i, '');
    case 'email':
    case 'domain':
    case 'ip':
      return v.toLowerCase();
    case 'url':
    case 'user_agent':
      return v;
  }
}

function shownValue(s: IndicatorSighting): string {
  const v = normalValue(s);
  switch (s.type) {
    case 'asn':
      return `AS${v}`;
    case 'user_agent':
      return `user agent "${v.length > 48 ? `${v.slice(0, 47)}…` : v}"`;
    default:
      return v;
  }
}

/**
 * One indicator's strength in [0, 1]: its type's weight, scaled from half
 * (one account, or none) to all of it as it reaches more accounts.
 */
function indicatorStrength(s: IndicatorSighting): number {
  const reach = 1 - 2 ** (-Math.max(0, s.accounts) / 2);
  return typeWeight(s) * (0.5 + 0.5 * reach);
}

function typeWeight(s: IndicatorSighting): number {
  if (s.type !== 'ip') return INDICATOR_WEIGHT[s.type];
  const slash = s.value.indexOf('/');
  if (slash < 0) return INDICATOR_WEIGHT.ip;
  const bits = Number(s.value.slice(slash + 1));
  const v6 = s.value.includes(':');
  const full = v6 ? 128 : 32;
  const narrow = v6 ? 48 : 24;
  if (bits >= full) return INDICATOR_WEIGHT.ip;
  return bits >= narrow ? NETWORK_WEIGHT : WIDE_NETWORK_WEIGHT;
}

/** A technique the campaign showed, with what a perfect match would earn. */
interface ObservedTechnique {
  readonly id: string;
  readonly name: string;
  readonly potential: number;
}

function observedTechniques(
  campaign: Campaign,
  rarity: TechniqueRarity,
  kb: ActorKnowledgeBase,
): ObservedTechnique[] {
  const byId = new Map<string, ObservedTechnique>();
  for (const t of campaign.techniques) {
    const id = t.id.trim().toUpperCase();
    if (id === '' || byId.has(id)) continue;
    const potential = rarity.users(id) > 0 ? rarity.weight(id) : rarity.familyWeight(id);
    byId.set(id, { id, name: t.name || kb.techniqueName(id) || id, potential });
  }
  return [...byId.values()].sort((a, b) => compare(a.id, b.id));
}

interface TagCount {
  readonly tag: string;
  readonly kind: TargetKind;
  readonly count: number;
}

function mappedTags(campaign: Campaign): TagCount[] {
  const tags: TagCount[] = [];
  for (const [tag, count] of Object.entries(campaign.by_tag)) {
    const kind = targetKindOfTag(tag);
    if (kind && count > 0) tags.push({ tag, kind, count });
  }
  return tags.sort((a, b) => b.count - a.count || compare(a.tag, b.tag));
}

function score(
  campaign: Campaign,
  c: Candidate,
  observed: readonly ObservedTechnique[],
  tags: readonly TagCount[],
  rarity: TechniqueRarity,
  kb: ActorKnowledgeBase,
): Scored {
  const S = ATTRIBUTION_SCORING;
  const evidence: string[] = [];
  const name = c.actor ? c.actor.name : spellingOf(c);
  let indicator = 0;
  if (c.indicators.size > 0) {
    let miss = 1;
    for (const { strength } of c.indicators.values()) miss *= 1 - strength;
    indicator = S.indicatorFloor + (S.indicatorCeiling - S.indicatorFloor) * (1 - miss);
    evidence.push(...indicatorLines(c));
    const share = shareOf(c, campaign.targeted_count);
    if (share.factor < 1) {
      indicator *= share.factor;
      evidence.push(share.line!);
    }
  }
  let technique = 0;
  let targeting = 0;
  if (c.actor) {
    const overlap = techniqueOverlap(c.actor, observed, rarity, kb);
    technique = overlap.score;
    if (overlap.line) evidence.push(overlap.line);
    else if (indicator > 0 && observed.length > 0) evidence.push(noOverlapLine(c.actor, rarity));
    if (indicator > 0 || technique > 0) {
      const fit = targetingFit(c.actor, tags);
      targeting = fit.score;
      if (fit.line) evidence.push(fit.line);
    }
  } else if (c.nearest) {
    evidence.push(
      `the knowledge base does not know "${name}"; nearest known name: ${c.nearest} — not assumed to be the same actor`,
    );
  } else {
    evidence.push(`the knowledge base does not know "${name}"`);
  }
  let confidence = 1 - (1 - indicator) * (1 - technique) * (1 - targeting);
  if (indicator === 0) confidence = Math.min(confidence, S.withoutIndicatorsMax);
  confidence = Math.round(confidence * 100) / 100;
  const attribution: Attribution = c.actor
    ? {
        actor: c.actor.name,
        aliases: aliasesOf(c.actor),
        confidence,
        evidence,
        actor_id: c.actor.id,
      }
    : { actor: name, aliases: [], confidence, evidence };
  return { confidence, order: c.actor ? c.actor.id : nameKey(name), attribution };
}

/**
 * How much of the campaign the actor's indicators reach: the accounts each
 * distinct indicator reached, summed (different addresses of one operation
 * mostly reach different accounts), against the campaign's targets. Under
 * `minShare`, indicator evidence counts for √(share / minShare) of itself.
 */
function shareOf(c: Candidate, targeted: number): { factor: number; line?: string } {
  const S = ATTRIBUTION_SCORING;
  if (!(targeted > 0)) return { factor: 1 };
  let reached = 0;
  for (const { accounts } of c.indicators.values()) reached += Math.max(0, accounts);
  reached = Math.min(reached, targeted);
  const share = reached / targeted;
  if (share >= S.minShare) return { factor: 1 };
  const factor = Math.sqrt(share / S.minShare);
  const pct = share * 100;
  return {
    factor,
    line:
      `${FRAGMENT_LINE}${reached} of the campaign's ${plural(targeted, 'target')} ` +
      `(${pct < 1 ? pct.toFixed(1) : Math.round(pct)}%), under ${S.minShare * 100}%: ` +
      `a fragment of the campaign, counted at ${Math.round(factor * 100)}% of their weight`,
  };
}

/** The spelling the sources used most; the first in code-point order on a tie. */
function spellingOf(c: Candidate): string {
  let best = '';
  let most = 0;
  for (const [spelling, n] of [...c.spellings].sort((a, b) => compare(a[0], b[0])))
    if (n > most) [best, most] = [spelling, n];
  return best;
}

function indicatorLines(c: Candidate): string[] {
  const lines = [...c.lines.values()].map((line) => {
    const written = [...line.written].sort(compare)[0]!;
    const named = !c.actor
      ? written
      : nameKey(written) === nameKey(c.actor.name)
        ? c.actor.name
        : `${written} (= ${c.actor.name})`;
    const values = [...line.values.values()].sort(
      (a, b) => b.strength - a.strength || compare(a.shown, b.shown),
    );
    const shown = values.slice(0, SHOWN_VALUES).map((v) => v.shown);
    if (values.length > SHOWN_VALUES) shown.push(`+${values.length - SHOWN_VALUES} more`);
    const n = values.length;
    return {
      sort: `${line.source}\u0000${written}`,
      text:
        `${n} ${n === 1 ? 'indicator' : 'indicators'} from "${line.source}" ` +
        `${n === 1 ? 'names' : 'name'} ${named}: ${shown.join(', ')} ` +
        `(${plural(line.events, 'event')}, ${plural(line.accounts, 'account')})`,
    };
  });
  return lines.sort((a, b) => compare(a.sort, b.sort)).map((l) => l.text);
}

/**
 * Rarity-weighted overlap of the observed techniques with the actor's
 * profile: `coverage × (1 − e^(−earned))`, scaled to `techniqueMax`.
 */
function techniqueOverlap(
  actor: Actor,
  observed: readonly ObservedTechnique[],
  rarity: TechniqueRarity,
  kb: ActorKnowledgeBase,
): { score: number; line?: string } {
  const S = ATTRIBUTION_SCORING;
  if (observed.length === 0 || rarity.profile(actor).size === 0) return { score: 0 };
  let potential = 0;
  let earned = 0;
  const matched: { id: string; text: string; earned: number }[] = [];
  const rare: string[] = [];
  for (const o of observed) {
    potential += o.potential;
    const listed = rarity.listedInFamily(actor, o.id);
    if (listed.length === 0) continue;
    const family = techniqueFamily(o.id);
    let credit: number;
    let note = '';
    if (listed.includes(o.id)) {
      credit = S.exactCredit * rarity.weight(o.id);
      const users = rarity.users(o.id);
      if (users / rarity.profiled <= S.rareShare)
        rare.push(`${o.id} (${users} of ${rarity.profiled} profiled actors)`);
    } else if (o.id !== family && listed.includes(family)) {
      credit = S.parentCredit * rarity.familyWeight(o.id);
      const parent = kb.techniqueName(family);
      note = ` (partial: ${actor.name} lists the parent ${family}${parent ? ` ${parent}` : ''})`;
    } else if (o.id === family) {
      credit = S.parentCredit * rarity.familyWeight(o.id);
      note = ` (partial: ${actor.name} lists the sub-technique ${listed.join(', ')})`;
    } else {
      credit = S.siblingCredit * rarity.familyWeight(o.id);
      note = ` (partial: ${actor.name} lists ${listed.join(', ')}, not this sub-technique)`;
    }
    earned += credit;
    matched.push({ id: o.id, text: `${o.id} ${o.name}${note}`, earned: credit });
  }
  if (matched.length === 0 || potential === 0) return { score: 0 };
  const coverage = earned / potential;
  const score = S.techniqueMax * coverage * (1 - Math.exp(-earned));
  matched.sort((a, b) => b.earned - a.earned || compare(a.id, b.id));
  let line =
    `technique overlap ${matched.length}/${observed.length}, weighted ${coverage.toFixed(2)}: ` +
    matched.map((m) => m.text).join('; ');
  if (rare.length > 0) line += `; rare in the knowledge base: ${rare.join(', ')}`;
  return { score, line };
}

function noOverlapLine(actor: Actor, rarity: TechniqueRarity): string {
  const size = rarity.profile(actor).size;
  return size === 0
    ? `the knowledge base has no ATT&CK technique profile for ${actor.name} to compare with`
    : `no technique overlap: ${actor.name}'s ATT&CK profile (${plural(size, 'technique')}) lists none of the campaign's techniques or their parents`;
}

/** Share of the campaign's tagged accounts whose kind the actor is known to target. */
function targetingFit(actor: Actor, tags: readonly TagCount[]): { score: number; line?: string } {
  if (tags.length === 0) return { score: 0 };
  const kinds = kindsOf(actor);
  let total = 0;
  let fit = 0;
  const matched: string[] = [];
  const shown = new Set<string>();
  for (const t of tags) {
    total += t.count;
    const strings = kinds.get(t.kind);
    if (!strings) continue;
    fit += t.count;
    matched.push(`${t.tag} → ${TARGET_KIND_RULES[t.kind].label}`);
    for (const s of strings) shown.add(s);
  }
  if (fit === 0) return { score: 0 };
  for (const s of [...actor.targeting.categories, ...actor.targeting.sectors]) shown.add(s);
  const list = [...shown].map((s) => s.replace(/, /g, ' / '));
  const more = list.length > SHOWN_TARGETS ? ', …' : '';
  return {
    score: ATTRIBUTION_SCORING.targetingMax * (fit / total),
    line:
      `targeting: ${fit} of ${plural(total, 'tagged account')} are of a kind ${actor.name} is known to target ` +
      `(${matched.join(', ')}); ${actor.name} targets: ${list.slice(0, SHOWN_TARGETS).join(', ')}${more}`,
  };
}

const kindCache = new WeakMap<Actor, ReadonlyMap<TargetKind, readonly string[]>>();
function kindsOf(actor: Actor): ReadonlyMap<TargetKind, readonly string[]> {
  let kinds = kindCache.get(actor);
  if (!kinds) kindCache.set(actor, (kinds = targetKindsOf(actor.targeting)));
  return kinds;
}

const aliasCache = new WeakMap<Actor, readonly string[]>();
/** The actor's names: the primary name first, then the others, one per key. */
function aliasesOf(actor: Actor): string[] {
  let names = aliasCache.get(actor);
  if (!names) {
    const byKey = new Map<string, string>([[nameKey(actor.name), actor.name]]);
    for (const a of actor.aliases)
      if (!byKey.has(nameKey(a.name))) byKey.set(nameKey(a.name), a.name);
    aliasCache.set(actor, (names = Object.freeze([...byKey.values()])));
  }
  return [...names];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
