/**
 * The actor knowledge base: threat actors merged from MITRE ATT&CK and the MISP
 * galaxy (data/actors.json), found by any of their names — case, spacing and
 * punctuation ignored, a typo or two forgiven — with every alias's provenance,
 * ATT&CK techniques by name, country and targeting, related actors kept apart,
 * the evidence for each merge, and analyst overrides on top.
 *
 * Read-only after construction and cheap to query: build it once (`load()`,
 * tens of milliseconds) and share it.
 *
 * @example
 * const kb = ActorKnowledgeBase.load();
 * const r = kb.resolve('Phosphorus');
 * if (r.kind === 'actor') console.log(r.actor.name, r.actor.attack_id); // APT35 G0059
 * kb.techniqueName('T1110.003'); // 'Brute Force: Password Spraying'
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  Actor,
  ActorAlias,
  ActorEntryRef,
  ActorExplanation,
  ActorOverride,
  ActorResolution,
  ActorSummary,
  AliasMatch,
  AliasProvenance,
  MergeEvidence,
  RelatedActor,
  RelationKind,
} from '../domain/actor.js';
import { MERGE_EVIDENCE_KINDS } from '../domain/actor.js';
import { parseActorData, parseAttackTechniques } from './actor-data.js';
import type {
  ActorData,
  ActorDataEntry,
  AttackTechniquesData,
  SourceAttribution,
} from './actor-data.js';
import { entryLabel, mergeEntries } from './actor-merge.js';
import type { MergeOutcome, SetAsideEvidence } from './actor-merge.js';
import { ActorOverrideError, applyOverride, NO_OVERRIDES } from './actor-overrides.js';
import type { OverrideState, OverrideView, ViewActor } from './actor-overrides.js';
import { AliasIndex } from './alias-index.js';
import { nameKey } from './name-key.js';
import { TechniqueCatalog } from './technique-catalog.js';
import type { Technique } from './technique-catalog.js';

const DEFAULT_ACTORS = new URL('../../data/actors.json', import.meta.url);
const DEFAULT_TECHNIQUES = new URL('../../data/attack-techniques.json', import.meta.url);

/** Where `load()` reads from, and overrides to apply on top. */
export interface ActorKnowledgeBaseOptions {
  /** Default: data/actors.json of the package. */
  readonly actorsFile?: string | URL;
  /** Default: data/attack-techniques.json of the package. */
  readonly techniquesFile?: string | URL;
  readonly overrides?: readonly ActorOverride[];
}

/**
 * A match of `search()`: the actor, the alias that matched, and how.
 *
 * @example
 * kb.search('kitten', 3).map((h) => `${h.actor.name} (${h.alias}, ${h.match})`);
 */
export interface ActorSearchHit {
  readonly actor: ActorSummary;
  readonly alias: string;
  readonly match: 'exact' | 'prefix' | 'contains' | 'typo';
}

/** One alias of one actor, as the name index holds it. */
interface Posting {
  readonly actor: number;
  readonly alias: number;
}

/** Source entries grouped into actors, before the actors are assembled. */
interface Grouping {
  readonly entries: readonly ActorDataEntry[];
  readonly outcome: MergeOutcome;
  /** Per actor: its id and its entries in display order. */
  readonly groups: readonly { readonly id: string; readonly members: readonly ActorDataEntry[] }[];
  /** Entry ref → index in `groups`. */
  readonly groupOf: ReadonlyMap<string, number>;
}

const MATCH_RANK = ['exact', 'prefix', 'contains', 'typo'] as const;
const SUGGESTIONS = 5;

export class ActorKnowledgeBase {
  readonly #data: ActorData;
  readonly #techniqueData: AttackTechniquesData;
  readonly #catalog: TechniqueCatalog;
  readonly #overrides: readonly ActorOverride[];
  readonly #state: OverrideState;
  readonly #grouping: Grouping;
  /** Sorted by name (case-insensitive), then id. */
  readonly #actors: readonly Actor[];
  /** Actor ids, entry refs and ATT&CK ids → actor. */
  readonly #byId: ReadonlyMap<string, Actor>;
  readonly #index: AliasIndex<Posting>;

  /**
   * Builds the knowledge base from parsed (and validated) data files, then
   * applies the overrides in order.
   *
   * @throws ActorOverrideError when an override cannot be applied.
   * @example
   * const kb = new ActorKnowledgeBase(parseActorData(json, file), parseAttackTechniques(json2, file2));
   */
  constructor(
    actors: ActorData,
    techniques: AttackTechniquesData,
    overrides: readonly ActorOverride[] = [],
  ) {
    this.#data = actors;
    this.#techniqueData = techniques;
    this.#catalog = new TechniqueCatalog(techniques);
    let state = NO_OVERRIDES;
    overrides.forEach((override, i) => {
      state = applyOverride(state, override, overrideView(group(actors.entries, state)), i);
    });
    this.#overrides = Object.freeze([...overrides]);
    this.#state = state;
    this.#grouping = group(actors.entries, state);
    const assembled = assemble(this.#grouping, this.#catalog);
    this.#actors = assembled.actors;
    this.#byId = assembled.byId;
    this.#index = assembled.index;
  }

  /**
   * Reads and validates the data files (by default the ones shipped in data/)
   * and builds the knowledge base.
   *
   * @example
   * const kb = ActorKnowledgeBase.load();
   * const test = ActorKnowledgeBase.load({ actorsFile: '/tmp/actors.json' });
   */
  static load(options: ActorKnowledgeBaseOptions = {}): ActorKnowledgeBase {
    const read = (file: string | URL, what: string): unknown => {
      const path = file instanceof URL ? fileURLToPath(file) : file;
      try {
        return JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new Error(`cannot read ${what} ${path}: ${(error as Error).message}`);
      }
    };
    const actorsFile = options.actorsFile ?? DEFAULT_ACTORS;
    const techniquesFile = options.techniquesFile ?? DEFAULT_TECHNIQUES;
    return new ActorKnowledgeBase(
      parseActorData(read(actorsFile, 'actor data'), String(actorsFile)),
      parseAttackTechniques(read(techniquesFile, 'ATT&CK techniques'), String(techniquesFile)),
      options.overrides ?? [],
    );
  }

  /**
   * A new knowledge base with these overrides applied after the current
   * ones; this one is unchanged.
   *
   * @throws ActorOverrideError naming the override (its index in `overrides`)
   *   and the problem.
   * @example
   * const kb2 = kb.withOverrides([{ op: 'merge', actors: ['G0059', 'G1044'], reason: 'one cluster in our data' }]);
   */
  withOverrides(overrides: readonly ActorOverride[]): ActorKnowledgeBase {
    const base = this.#overrides.length;
    try {
      return new ActorKnowledgeBase(this.#data, this.#techniqueData, [
        ...this.#overrides,
        ...overrides,
      ]);
    } catch (error) {
      // The overrides already applied passed before: the problem is in the new ones.
      if (error instanceof ActorOverrideError)
        throw new ActorOverrideError(error.index - base, error.problem);
      throw error;
    }
  }

  /** The overrides applied, in order. */
  get overrides(): readonly ActorOverride[] {
    return this.#overrides;
  }

  /** Where the data comes from: versions, licences and the notices to reproduce. */
  get sources(): readonly SourceAttribution[] {
    return this.#data.sources;
  }

  /**
   * What a name, an ATT&CK id (`G0058`) or an actor id stands for. An exact
   * name (case, spaces and punctuation ignored) always wins over a typo; a
   * name that the sources give to several actors, or a typo as close to
   * several, is `ambiguous` with the candidates; nothing is `none` with
   * suggestions.
   *
   * @example
   * kb.resolve('APT 35'); // { kind: 'actor', actor: { id: 'G0059', name: 'APT35', … }, matched: { alias: 'APT35', … } }
   * kb.resolve('charmng kitten').kind; // 'actor' (distance 1)
   */
  resolve(query: string): ActorResolution {
    const text = query.trim();
    const direct = text.length > 0 ? this.get(text) : undefined;
    if (direct) {
      return {
        kind: 'actor',
        query,
        actor: direct,
        matched: { alias: canonicalId(text), provenance: [], distance: 0 },
      };
    }
    const key = nameKey(text);
    if (key.length === 0) return { kind: 'none', query, suggestions: [] };
    const exact = this.#index.exact(key);
    if (exact.length > 0) return this.#resolution(query, exact, 0);
    const near = this.#index.nearest(key);
    if (near)
      return this.#resolution(
        query,
        near.matches.flatMap((m) => m.values),
        near.distance,
      );
    return { kind: 'none', query, suggestions: this.#suggestions(key) };
  }

  /**
   * The actor with this id; ATT&CK ids (also revoked ones, `G0058`) and
   * entry refs (`misp:<uuid>`) find the actor they are part of.
   *
   * @example
   * kb.get('G0058')?.id; // 'G0059'
   */
  get(id: string): Actor | undefined {
    return this.#byId.get(canonicalId(id));
  }

  /**
   * Every actor, sorted by name (case-insensitive), then id.
   *
   * @example
   * kb.all().length; // about 1,000
   */
  all(): readonly Actor[] {
    return this.#actors;
  }

  /**
   * Actors with a name that matches the query: the exact name first, then
   * names that start with it, names that contain it, and near misspellings.
   *
   * @example
   * kb.search('sandstorm', 5).map((h) => h.actor.name);
   */
  search(query: string, limit = 20): readonly ActorSearchHit[] {
    const key = nameKey(query);
    if (key.length === 0 || limit <= 0) return [];
    const best = new Map<number, { rank: number; alias: number }>();
    const note = (postings: readonly Posting[], rank: number) => {
      for (const p of postings) {
        const seen = best.get(p.actor);
        if (!seen || rank < seen.rank) best.set(p.actor, { rank, alias: p.alias });
      }
    };
    for (const hit of this.#index.partial(key)) note(hit.values, hit.rank);
    const near = this.#index.nearest(key);
    if (near)
      note(
        near.matches.flatMap((m) => m.values),
        3,
      );
    return [...best]
      .sort((a, b) => a[1].rank - b[1].rank || a[0] - b[0])
      .slice(0, limit)
      .map(([i, { rank, alias }]) => {
        const actor = this.#actors[i]!;
        return {
          actor: summarize(actor),
          alias: actor.aliases[alias]!.name,
          match: MATCH_RANK[rank]!,
        };
      });
  }

  /**
   * The ATT&CK technique's name, full form for a sub-technique; undefined
   * for an id ATT&CK does not have.
   *
   * @example
   * kb.techniqueName('T1586.002'); // 'Compromise Accounts: Email Accounts'
   */
  techniqueName(id: string): string | undefined {
    return this.#catalog.name(id);
  }

  /**
   * The ATT&CK technique with its short name, tactics and status.
   *
   * @example
   * kb.technique('T1110.003')?.short_name; // 'Password Spraying'
   */
  technique(id: string): Technique | undefined {
    return this.#catalog.get(id);
  }

  /**
   * Why the actor holds the entries it holds: the evidence between them, the
   * overrides that changed it, and evidence touching it that was set aside.
   *
   * @example
   * kb.explain('G0059')?.merges.find((m) => m.kind === 'revoked-by')?.text;
   * // 'ATT&CK G0058 (Charming Kitten) is revoked-by G0059 (Magic Hound)'
   */
  explain(id: string): ActorExplanation | undefined {
    const actor = this.get(id);
    if (!actor) return undefined;
    const refs = new Set(actor.entries.map((e) => e.ref));
    const { accepted, setAside } = this.#grouping.outcome;
    const byKind = (a: MergeEvidence, b: MergeEvidence) =>
      MERGE_EVIDENCE_KINDS.indexOf(a.kind) - MERGE_EVIDENCE_KINDS.indexOf(b.kind) ||
      compare(a.text, b.text);
    const merges = accepted.filter((m) => refs.has(m.from) && refs.has(m.to)).sort(byKind);
    const aside = setAside.filter((m) => refs.has(m.from) || refs.has(m.to)).sort(byKind);
    const overrides = this.#state.applied
      .filter(
        ({ override, refs: touched }) =>
          touched.some((r) => refs.has(r)) ||
          (override.op === 'split' &&
            aside.some((m) => m.from === override.entry || m.to === override.entry)),
      )
      .map((a) => a.override);
    return { actor: summarize(actor), entries: actor.entries, merges, set_aside: aside, overrides };
  }

  #resolution(query: string, postings: readonly Posting[], distance: number): ActorResolution {
    const byActor = new Map<number, Posting>();
    for (const p of postings) if (!byActor.has(p.actor)) byActor.set(p.actor, p);
    const match = (p: Posting): AliasMatch => {
      const alias = this.#actors[p.actor]!.aliases[p.alias]!;
      return { alias: alias.name, provenance: alias.provenance, distance };
    };
    if (byActor.size === 1) {
      const p = [...byActor.values()][0]!;
      return { kind: 'actor', query, actor: this.#actors[p.actor]!, matched: match(p) };
    }
    // Actors with an entry of that very name first: the name is theirs, the others list it.
    const own = (p: Posting): number => {
      const alias = this.#actors[p.actor]!.aliases[p.alias]!;
      const key = nameKey(alias.name);
      return alias.provenance.some((q) => nameKey(q.entry_name) === key) ? 0 : 1;
    };
    return {
      kind: 'ambiguous',
      query,
      candidates: [...byActor.values()]
        .sort((a, b) => own(a) - own(b) || a.actor - b.actor)
        .map((p) => ({ actor: summarize(this.#actors[p.actor]!), matched: match(p) })),
    };
  }

  #suggestions(key: string): { readonly actor: ActorSummary; readonly alias: string }[] {
    const found = new Map<number, number>();
    const add = (postings: readonly Posting[]) => {
      for (const p of postings) if (!found.has(p.actor)) found.set(p.actor, p.alias);
    };
    for (const hit of this.#index.partial(key)) add(hit.values);
    const reach = Math.min(4, Math.max(2, Math.ceil(key.length / 3)));
    for (const hit of this.#index.suggest(key, reach)) add(hit.values);
    return [...found].slice(0, SUGGESTIONS).map(([i, alias]) => {
      const actor = this.#actors[i]!;
      return { actor: summarize(actor), alias: actor.aliases[alias]!.name };
    });
  }
}

/**
 * An actor in a list.
 *
 * @example
 * summarize(kb.get('G0059')!); // { id: 'G0059', name: 'APT35', attack_id: 'G0059', country: 'IR', aliases: 19 }
 */
export function summarize(actor: Actor): ActorSummary {
  return {
    id: actor.id,
    name: actor.name,
    attack_id: actor.attack_id,
    country: actor.country,
    aliases: actor.aliases.length,
  };
}

/** `g0059` → `G0059`, `ATTACK:g0058` → `attack:G0058`, `MISP:ABC…` → `misp:abc…`. */
function canonicalId(text: string): string {
  const t = text.trim();
  if (/^g\d{4}$/i.test(t)) return t.toUpperCase();
  if (/^attack:g\d{4}$/i.test(t)) return `attack:${t.slice(7).toUpperCase()}`;
  if (/^misp:/i.test(t)) return t.toLowerCase();
  return t;
}

/** Entries with detached aliases removed, grouped into actors with their ids. */
function group(source: readonly ActorDataEntry[], state: OverrideState): Grouping {
  const entries = source.map((e) => {
    const detached = state.detached.get(e.ref);
    if (!detached || !e.aliases) return e;
    const aliases = e.aliases.filter((a) => !detached.has(nameKey(a)));
    return { ...e, aliases };
  });
  const outcome = mergeEntries(entries, {
    isolated: state.isolated,
    analystEdges: state.analystEdges,
  });
  const groups = outcome.groups.map((indices) => {
    const members = indices.map((i) => entries[i]!).sort(entryOrder);
    // The first entry's id, unless a merge asked for another id of the same rank
    // (two ATT&CK groups, or two MISP-only actors): an ATT&CK id always wins over a MISP one.
    const top = rank(members[0]!);
    const ids = members.filter((e) => rank(e) === top).map(entryId);
    const id = state.preferredIds.find((p) => ids.includes(p)) ?? ids[0]!;
    return { id, members };
  });
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.members.forEach((e) => groupOf.set(e.ref, i)));
  return { entries, outcome, groups, groupOf };
}

/** The actors as overrides see them: ids, entries and their aliases. */
function overrideView(grouping: Grouping): OverrideView {
  const views = new Map<string, ViewActor>();
  const byKey = new Map<string, ViewActor>();
  for (const g of grouping.groups) {
    const view: ViewActor = {
      id: g.id,
      name: displayName(g.id, g.members),
      entries: g.members.map((e) => ({ ref: e.ref, name: e.name, aliases: e.aliases ?? [] })),
    };
    views.set(g.id, view);
    for (const e of g.members) {
      byKey.set(e.ref, view);
      if (e.source === 'attack') byKey.set(entryId(e), view);
    }
  }
  return {
    actor: (id) => views.get(canonicalId(id)) ?? byKey.get(canonicalId(id)),
    hasEntry: (ref) => grouping.groupOf.has(canonicalId(ref)),
  };
}

/** Live ATT&CK groups, deprecated ones, revoked ones, MISP threat actors, Microsoft's groups. */
function rank(e: ActorDataEntry): number {
  if (e.source === 'attack') return e.status === undefined ? 0 : e.status === 'deprecated' ? 1 : 2;
  return e.source === 'misp-threat-actor' ? 3 : 4;
}

/** By rank, then by ref. */
function entryOrder(a: ActorDataEntry, b: ActorDataEntry): number {
  return rank(a) - rank(b) || compare(a.ref, b.ref);
}

/**
 * The name people use: MISP's threat-actor name where it carries the actor's
 * ATT&CK id (APT35 for G0059, which ATT&CK calls Magic Hound), else the name
 * of the entry the id comes from.
 */
function displayName(id: string, members: readonly ActorDataEntry[]): string {
  const idEntry = members.find((e) => entryId(e) === id)!;
  if (idEntry.source !== 'attack') return idEntry.name;
  const carrying = members.filter(
    (e) => e.source === 'misp-threat-actor' && e.attack_ids?.includes(id),
  );
  const named =
    carrying.find((e) => nameKey(e.name) === nameKey(idEntry.name)) ?? carrying[0] ?? idEntry;
  return named.name;
}

/** An entry's id as an actor id: `G0059` for ATT&CK, the ref for MISP. */
function entryId(e: ActorDataEntry): string {
  return e.source === 'attack' ? e.ref.slice('attack:'.length) : e.ref;
}

function assemble(
  grouping: Grouping,
  catalog: TechniqueCatalog,
): { actors: Actor[]; byId: Map<string, Actor>; index: AliasIndex<Posting> } {
  const drafts = grouping.groups.map((g) => draftActor(g.id, g.members, catalog));
  const order = drafts
    .map((_, i) => i)
    .sort(
      (a, b) =>
        compareNames(drafts[a]!.name, drafts[b]!.name) || compare(drafts[a]!.id, drafts[b]!.id),
    );
  const related = relations(grouping, drafts);
  const actors = order.map((i) => ({ ...drafts[i]!, related: related.get(drafts[i]!.id) ?? [] }));
  const byId = new Map<string, Actor>();
  for (const actor of actors) {
    for (const e of actor.entries) byId.set(e.ref, actor);
    for (const id of actor.attack_ids) byId.set(id, actor);
    byId.set(actor.id, actor);
  }
  const postings: [string, Posting][] = [];
  actors.forEach((actor, i) =>
    actor.aliases.forEach((alias, j) =>
      postings.push([nameKey(alias.name), { actor: i, alias: j }]),
    ),
  );
  return { actors, byId, index: new AliasIndex(postings) };
}

/** An actor without its relations, from its entries in display order. */
function draftActor(
  id: string,
  members: readonly ActorDataEntry[],
  catalog: TechniqueCatalog,
): Omit<Actor, 'related'> {
  const idEntry = members.find((e) => entryId(e) === id)!;
  const attack = members.filter((e) => e.source === 'attack');
  const name = displayName(id, members);
  return {
    id,
    name,
    attack_id: idEntry.source === 'attack' ? id : attack[0] ? entryId(attack[0]) : null,
    attack_ids: attack.map(entryId).sort(compare),
    aliases: aliasesOf(members, name),
    country: countryOf(members),
    state_sponsor: members.find((e) => e.state_sponsor)?.state_sponsor ?? null,
    targeting: {
      categories: union(members.map((e) => e.categories)),
      sectors: union(members.map((e) => e.sectors)),
      victims: union(members.map((e) => e.victims)),
    },
    techniques: [...new Set(attack.flatMap((e) => e.techniques ?? []))]
      .sort(compare)
      .map((t) => ({ id: t, name: catalog.name(t) ?? t })),
    campaigns: [
      ...new Map(attack.flatMap((e) => e.campaigns ?? []).map(([c, n]) => [c, n] as const)),
    ]
      .sort((a, b) => compare(a[0], b[0]))
      .map(([c, n]) => ({ id: c, name: n })),
    description: members.find((e) => e.description)?.description ?? null,
    entries: members.map((e): ActorEntryRef => ({
      ref: e.ref,
      source: e.source,
      name: e.name,
      status: e.status ?? 'active',
    })),
  };
}

/** Every name of the entries, grouped by key, each with the entries that give it. */
function aliasesOf(members: readonly ActorDataEntry[], name: string): ActorAlias[] {
  interface Row {
    readonly spelling: string;
    readonly entry: ActorDataEntry;
    readonly scheme: string | undefined;
  }
  const rows = new Map<string, Row[]>();
  for (const entry of members) {
    for (const spelling of [entry.name, ...(entry.aliases ?? [])]) {
      const key = nameKey(spelling);
      if (key.length === 0) continue;
      let list = rows.get(key);
      if (!list) rows.set(key, (list = []));
      const schemes = entry.schemes?.[spelling];
      if (!schemes) list.push({ spelling, entry, scheme: undefined });
      else for (const scheme of schemes) list.push({ spelling, entry, scheme });
    }
  }
  const nameAsKey = nameKey(name);
  const aliases: ActorAlias[] = [];
  for (const [key, list] of rows) {
    const display = key === nameAsKey ? name : commonest(list.map((r) => r.spelling));
    const schemes = new Set<string>();
    const provenance = list.map((r): AliasProvenance => {
      const row: { -readonly [K in keyof AliasProvenance]: AliasProvenance[K] } = {
        source: r.entry.source,
        entry: r.entry.ref,
        entry_name: r.entry.name,
      };
      if (r.scheme !== undefined) {
        row.scheme = r.scheme;
        schemes.add(r.scheme);
      }
      if (r.spelling !== display) row.spelling = r.spelling;
      return row;
    });
    aliases.push({ name: display, schemes: [...schemes].sort(compare), provenance });
  }
  return aliases.sort((a, b) => compareNames(a.name, b.name));
}

/** The spelling most entries use; the first one seen on a tie. */
function commonest(spellings: readonly string[]): string {
  let best = spellings[0]!;
  if (spellings.every((s) => s === best)) return best;
  const counts = new Map<string, number>();
  for (const s of spellings) counts.set(s, (counts.get(s) ?? 0) + 1);
  for (const [s, n] of counts) if (n > counts.get(best)!) best = s;
  return best;
}

/** The country most entries state; the first one seen on a tie. */
function countryOf(members: readonly ActorDataEntry[]): string | null {
  const stated = members.flatMap((e) => (e.country ? [e.country] : []));
  return stated.length > 0 ? commonest(stated) : null;
}

/** The union of lists, case-insensitively unique, sorted. */
function union(lists: readonly (readonly string[] | undefined)[]): string[] {
  const byKey = new Map<string, string>();
  for (const list of lists)
    for (const s of list ?? []) if (!byKey.has(s.toLowerCase())) byKey.set(s.toLowerCase(), s);
  return [...byKey.values()].sort(compareNames);
}

/**
 * Links between actors kept apart: evidence set aside (contested, or split
 * by an analyst), MISP links between their entries, and aliases they share.
 */
function relations(
  grouping: Grouping,
  drafts: readonly Omit<Actor, 'related'>[],
): Map<string, RelatedActor[]> {
  const links = new Map<number, Map<number, Map<string, RelationKind>>>();
  const add = (a: number, b: number, kind: RelationKind, text: string) => {
    if (a === b) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let to = links.get(x);
      if (!to) links.set(x, (to = new Map()));
      let texts = to.get(y);
      if (!texts) to.set(y, (texts = new Map()));
      if (!texts.has(text)) texts.set(text, kind);
    }
  };
  const groupOf = (ref: string) => grouping.groupOf.get(ref)!;
  for (const m of grouping.outcome.setAside as readonly SetAsideEvidence[]) {
    const kind: RelationKind = m.reason.startsWith('split off') ? 'split' : 'contested';
    add(groupOf(m.from), groupOf(m.to), kind, `${m.text} (set aside: ${m.reason})`);
  }
  const byRef = new Map(grouping.entries.map((e) => [e.ref, e] as const));
  for (const e of grouping.entries) {
    for (const [type, ref, likelihood] of e.links ?? []) {
      const target = byRef.get(ref);
      if (!target) continue;
      const how = likelihood ? ` (${likelihood})` : '';
      add(
        groupOf(e.ref),
        groupOf(ref),
        'misp-link',
        `${entryLabel(e)}: ${type === 'similar' ? 'similar to' : type} ${entryLabel(target)}${how}`,
      );
    }
  }
  const holders = new Map<string, Map<number, string>>();
  drafts.forEach((d, i) => {
    for (const alias of d.aliases) {
      const key = nameKey(alias.name);
      let map = holders.get(key);
      if (!map) holders.set(key, (map = new Map()));
      map.set(i, alias.name);
    }
  });
  for (const map of holders.values()) {
    if (map.size < 2) continue;
    const ids = [...map.keys()];
    for (const a of ids)
      for (const b of ids) if (a < b) add(a, b, 'shared-alias', `both are called '${map.get(a)}'`);
  }
  const kindOrder = (k: RelationKind) =>
    ['contested', 'split', 'misp-link', 'shared-alias'].indexOf(k);
  const result = new Map<string, RelatedActor[]>();
  for (const [a, to] of links) {
    result.set(
      drafts[a]!.id,
      [...to]
        .map(([b, texts]) => ({
          id: drafts[b]!.id,
          name: drafts[b]!.name,
          links: [...texts]
            .map(([text, kind]) => ({ kind, text }))
            .sort((x, y) => kindOrder(x.kind) - kindOrder(y.kind) || compare(x.text, y.text)),
        }))
        .sort((x, y) => compare(x.id, y.id)),
    );
  }
  return result;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Case-insensitive, then exact: a stable order for names. */
function compareNames(a: string, b: string): number {
  return compare(a.toLowerCase(), b.toLowerCase()) || compare(a, b);
}
