/**
 * Actor — a threat actor of the knowledge base (DESIGN.md, "attribution"),
 * merged from source entries (MITRE ATT&CK intrusion sets, MISP galaxy
 * clusters) only where the sources give evidence that they are one group.
 *
 * Everything here is plain, JSON-serialisable data: the CLI prints it with
 * `--json` and `GET /v1/actors/:id` returns it as is.
 *
 * @example
 * const r = kb.resolve('charming kitten');
 * if (r.kind === 'actor') `${r.actor.name} (${r.actor.attack_id})`; // "APT35 (G0059)"
 */

/** Where an entry comes from: ATT&CK Enterprise, or one MISP galaxy. */
export const ACTOR_SOURCES = [
  'attack',
  'misp-threat-actor',
  'misp-microsoft-activity-group',
] as const;
export type ActorSource = (typeof ACTOR_SOURCES)[number];

/**
 * A source entry: one ATT&CK intrusion set (`attack:G0059`) or one MISP
 * galaxy cluster (`misp:<uuid>`).
 *
 * @example
 * const e: ActorEntryRef = { ref: 'attack:G0058', source: 'attack', name: 'Charming Kitten', status: 'revoked' };
 */
export interface ActorEntryRef {
  readonly ref: string;
  readonly source: ActorSource;
  /** The entry's own name: ATT&CK's `name`, MISP's `value`. */
  readonly name: string;
  /** ATT&CK groups may be `revoked` (folded into another) or `deprecated`. */
  readonly status: 'active' | 'revoked' | 'deprecated';
}

/**
 * Why an actor has an alias: one source entry lists it. `scheme` is the vendor
 * whose naming scheme the name belongs to, where the source says so (MISP's
 * `name-attribution` resolved through its producer galaxy, or the Microsoft
 * activity-group galaxy for its own names); absent when no source says.
 *
 * @example
 * const p: AliasProvenance = { source: 'misp-threat-actor', entry: 'misp:b8967b3c-3bc9-11e8-8701-8b1ead8c099e', entry_name: 'APT35', scheme: 'Microsoft' };
 */
export interface AliasProvenance {
  readonly source: ActorSource;
  readonly entry: string;
  readonly entry_name: string;
  readonly scheme?: string;
  /** The entry's spelling, when it differs from the alias's display form. */
  readonly spelling?: string;
}

/**
 * One name of an actor, with every entry that gives it.
 *
 * @example
 * const a: ActorAlias = { name: 'Mint Sandstorm', schemes: ['Microsoft'], provenance: [ … ] };
 */
export interface ActorAlias {
  readonly name: string;
  /** Vendors whose naming scheme this name belongs to, sorted; often empty. */
  readonly schemes: readonly string[];
  readonly provenance: readonly AliasProvenance[];
}

/**
 * An ATT&CK technique with its name from the ATT&CK data; a sub-technique's
 * name is the full `Parent: Sub` form.
 *
 * @example
 * const t: ActorTechnique = { id: 'T1110.003', name: 'Brute Force: Password Spraying' };
 */
export interface ActorTechnique {
  readonly id: string;
  readonly name: string;
}

/** Who or what an actor targets, as MISP's threat-actor galaxy records it. */
export interface ActorTargeting {
  /** `cfr-target-category`, e.g. `Government`, `Civil society`. */
  readonly categories: readonly string[];
  /** `targeted-sector`. */
  readonly sectors: readonly string[];
  /** `cfr-suspected-victims`: countries and kinds of victim. */
  readonly victims: readonly string[];
}

/** The kinds of evidence that merge source entries into one actor. */
export const MERGE_EVIDENCE_KINDS = [
  'revoked-by',
  'attack-id',
  'shared-attack-id',
  'names-entry',
  'same-name',
  'analyst-merge',
] as const;
export type MergeEvidenceKind = (typeof MERGE_EVIDENCE_KINDS)[number];

/**
 * One piece of evidence joining two source entries, with a sentence saying
 * which source claims what.
 *
 * @example
 * const e: MergeEvidence = { kind: 'revoked-by', from: 'attack:G0058', to: 'attack:G0059',
 *   text: 'ATT&CK G0058 (Charming Kitten) is revoked-by G0059 (Magic Hound)' };
 */
export interface MergeEvidence {
  readonly kind: MergeEvidenceKind;
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

/** How two actors that are kept apart are related. */
export const RELATION_KINDS = [
  /** A MISP link (`similar`, `overlaps`, `linked-to`, `part-of`, …): never a merge. */
  'misp-link',
  /** Both actors carry the same alias. */
  'shared-alias',
  /** Merge evidence that was set aside: it would join two ATT&CK groups, or competes with other evidence. */
  'contested',
  /** Merged by the sources, split by an analyst override. */
  'split',
] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/**
 * One reason two actors are related.
 *
 * @example
 * const l: RelationLink = { kind: 'misp-link', text: 'MISP threat-actor Flying Kitten: similar to Magic Hound (likely)' };
 */
export interface RelationLink {
  readonly kind: RelationKind;
  readonly text: string;
}

/**
 * An actor related to another but not merged with it.
 *
 * @example
 * const r: RelatedActor = { id: 'G0059', name: 'APT35', links: [ … ] };
 */
export interface RelatedActor {
  readonly id: string;
  readonly name: string;
  readonly links: readonly RelationLink[];
}

/**
 * A threat actor: its source entries merged on evidence.
 *
 * `id` is the ATT&CK id of its (non-revoked) ATT&CK group when it has one,
 * else `misp:<uuid>` of its first MISP entry (threat-actor galaxy before the
 * Microsoft one, then by uuid).
 *
 * @example
 * kb.get('G0059')?.aliases.map((a) => a.name); // ['APT35', 'Charming Kitten', 'Magic Hound', …]
 */
export interface Actor {
  readonly id: string;
  /** Display name; see docs/ACTORS.md for the rule ("APT35" for G0059). */
  readonly name: string;
  /** The ATT&CK group's id, or `null` when no ATT&CK group is merged in. */
  readonly attack_id: string | null;
  /** Every ATT&CK id merged in, revoked ones included (`['G0058', 'G0059']`). */
  readonly attack_ids: readonly string[];
  /** Sorted by display name (case-insensitive); `name` is one of them. */
  readonly aliases: readonly ActorAlias[];
  /** ISO 3166 alpha-2 country of origin as the sources state it, else `null`. */
  readonly country: string | null;
  /** MISP `cfr-suspected-state-sponsor`, else `null`. */
  readonly state_sponsor: string | null;
  readonly targeting: ActorTargeting;
  /** ATT&CK techniques of its ATT&CK groups, sorted by id. */
  readonly techniques: readonly ActorTechnique[];
  /** ATT&CK campaigns attributed to its ATT&CK groups. */
  readonly campaigns: readonly { readonly id: string; readonly name: string }[];
  /** A short description from the sources (ATT&CK first), at most 300 characters. */
  readonly description: string | null;
  readonly entries: readonly ActorEntryRef[];
  /** Actors kept apart from this one but linked to it, sorted by id. */
  readonly related: readonly RelatedActor[];
}

/**
 * An actor in a list: what a person needs to choose one.
 *
 * @example
 * const s: ActorSummary = { id: 'G0059', name: 'APT35', attack_id: 'G0059', country: 'IR', aliases: 19 };
 */
export interface ActorSummary {
  readonly id: string;
  readonly name: string;
  readonly attack_id: string | null;
  readonly country: string | null;
  /** How many aliases the actor has. */
  readonly aliases: number;
}

/**
 * The alias a query matched: the name, its provenance, and how far the query
 * was from it (0 = same name once case, spaces and punctuation are ignored).
 */
export interface AliasMatch {
  readonly alias: string;
  readonly provenance: readonly AliasProvenance[];
  readonly distance: number;
}

/**
 * What a name resolves to: one actor, several candidates (the name belongs to
 * more than one actor, or a misspelling is as close to several), or none (with
 * the nearest names as suggestions).
 *
 * @example
 * const r: ActorResolution = kb.resolve('APT 35');
 * switch (r.kind) { case 'actor': …; case 'ambiguous': …; case 'none': … }
 */
export type ActorResolution =
  | {
      readonly kind: 'actor';
      readonly query: string;
      readonly actor: Actor;
      readonly matched: AliasMatch;
    }
  | {
      readonly kind: 'ambiguous';
      readonly query: string;
      readonly candidates: readonly {
        readonly actor: ActorSummary;
        readonly matched: AliasMatch;
      }[];
    }
  | {
      readonly kind: 'none';
      readonly query: string;
      readonly suggestions: readonly { readonly actor: ActorSummary; readonly alias: string }[];
    };

/**
 * Why an actor is made of the entries it has: every piece of evidence between
 * its entries, the overrides that changed it, and evidence that touched it
 * but was set aside.
 *
 * @example
 * kb.explain('G0059')?.merges.map((m) => m.text);
 * // ['ATT&CK G0058 (Charming Kitten) is revoked-by G0059 (Magic Hound)', …]
 */
export interface ActorExplanation {
  readonly actor: ActorSummary;
  readonly entries: readonly ActorEntryRef[];
  readonly merges: readonly MergeEvidence[];
  readonly set_aside: readonly (MergeEvidence & { readonly reason: string })[];
  readonly overrides: readonly ActorOverride[];
}

/**
 * An analyst's correction, applied on top of the sources (`kb.withOverrides`):
 * - `split`: the entry (`attack:G0058`, `misp:<uuid>`) becomes an actor of its
 *   own; every merge evidence touching it is set aside;
 * - `merge`: two actors become one (it keeps the first one's id);
 * - `detach-alias`: the actor's entries stop listing the alias, and merges
 *   that rested on it are undone.
 *
 * Plain JSON, so it can be stored and replayed in order.
 *
 * @example
 * const o: ActorOverride = { op: 'split', entry: 'misp:c1d44f44-425e-48fd-b78b-84b988da8bc3', reason: 'TA453 tracked apart' };
 */
export type ActorOverride =
  | { readonly op: 'split'; readonly entry: string; readonly reason: string }
  | { readonly op: 'merge'; readonly actors: readonly [string, string]; readonly reason: string }
  | {
      readonly op: 'detach-alias';
      readonly actor: string;
      readonly alias: string;
      readonly reason: string;
    };
