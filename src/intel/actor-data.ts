/**
 * The shapes of data/actors.json and data/attack-techniques.json, and their
 * validation on load. Both files are written by scripts/derive-actors.ts from
 * the shared intel (MITRE ATT&CK, MISP galaxy); the product reads only these
 * files. Validating here, at the edge, lets the rest of src/intel trust them.
 *
 * @example
 * const data = parseActorData(JSON.parse(readFileSync(file, 'utf8')), file);
 * data.entries.length; // 1,400 or so
 */
import { ACTOR_SOURCES } from '../domain/actor.js';
import type { ActorSource } from '../domain/actor.js';

/** Versions of the file formats; a reader refuses any other. */
export const ACTOR_DATA_FORMAT = 'tripline-actors/1';
export const ATTACK_TECHNIQUES_FORMAT = 'tripline-attack-techniques/1';

/**
 * Where the data comes from and under which terms; carried inside each file
 * (the licences ask for it) and printed by `tripline actors --sources`.
 *
 * @example
 * const s: SourceAttribution = { id: 'misp-galaxy', name: 'MISP galaxy', … };
 */
export interface SourceAttribution {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  /** The release or the galaxy cluster versions the data was taken from. */
  readonly version: string;
  readonly commit: string;
  readonly date: string;
  readonly license: string;
  /** Copyright statements and notices the licence asks to reproduce. */
  readonly notices: readonly string[];
}

/** A MISP link from an entry to another entry (`similar`, `overlaps`, …); never a merge. */
export type EntryLink = readonly [type: string, ref: string, likelihood: string | null];

/**
 * One source entry as shipped: an ATT&CK intrusion set or a MISP cluster.
 * Optional fields are left out of the file when empty.
 */
export interface ActorDataEntry {
  /** `attack:G0059` or `misp:<uuid>`. */
  readonly ref: string;
  readonly source: ActorSource;
  readonly name: string;
  readonly status?: 'revoked' | 'deprecated';
  /** Other names the entry lists (MISP synonyms and name-attribution, ATT&CK aliases); not `name`. */
  readonly aliases?: readonly string[];
  /** Naming scheme of a name (the entry's own or an alias): the vendors the source credits it to. */
  readonly schemes?: Readonly<Record<string, readonly string[]>>;
  /** ATT&CK group ids a MISP entry lists (`G0058`). */
  readonly attack_ids?: readonly string[];
  /** The ATT&CK group that revoked this one. */
  readonly revoked_by?: string;
  readonly techniques?: readonly string[];
  readonly campaigns?: readonly (readonly [id: string, name: string])[];
  readonly links?: readonly EntryLink[];
  readonly country?: string;
  readonly state_sponsor?: string;
  readonly categories?: readonly string[];
  readonly sectors?: readonly string[];
  readonly victims?: readonly string[];
  readonly description?: string;
}

/** data/actors.json. */
export interface ActorData {
  readonly format: typeof ACTOR_DATA_FORMAT;
  readonly generated_by: string;
  readonly sources: readonly SourceAttribution[];
  /** Sorted by `ref`. */
  readonly entries: readonly ActorDataEntry[];
}

/** One ATT&CK technique; `full_name` only for sub-techniques (`Parent: Sub`). */
export interface AttackTechniqueData {
  readonly name: string;
  readonly full_name?: string;
  readonly tactics: readonly string[];
  readonly status?: 'revoked' | 'deprecated';
}

/** data/attack-techniques.json. */
export interface AttackTechniquesData {
  readonly format: typeof ATTACK_TECHNIQUES_FORMAT;
  readonly generated_by: string;
  readonly source: SourceAttribution;
  /** Keyed by technique id (`T1110.003`), in id order. */
  readonly techniques: Readonly<Record<string, AttackTechniqueData>>;
}

const REGENERATE = 'regenerate it with scripts/derive-actors.ts';
const ENTRY_REF =
  /^(attack:G\d{4}|misp:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const GROUP_ID = /^G\d{4}$/;
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/**
 * Checks that a parsed data/actors.json has the documented shape; throws an
 * Error naming the file and the first bad field.
 *
 * @example
 * parseActorData({ format: 'tripline-actors/1', generated_by: 'x', sources: [], entries: [] }, 'mem');
 */
export function parseActorData(value: unknown, file: string): ActorData {
  const check = new Checker(file);
  const root = check.object(value, '');
  check.equal(root.format, ACTOR_DATA_FORMAT, 'format');
  check.string(root.generated_by, 'generated_by');
  check.list(root.sources, 'sources').forEach((s, i) => check.source(s, `sources[${i}]`));
  const refs = new Set<string>();
  check.list(root.entries, 'entries').forEach((raw, i) => {
    const at = `entries[${i}]`;
    const e = check.object(raw, at);
    const ref = check.string(e.ref, `${at}.ref`);
    if (!ENTRY_REF.test(ref)) check.fail(`${at}.ref: expected attack:G0000 or misp:<uuid>`);
    if (refs.has(ref)) check.fail(`${at}.ref: ${ref} is listed twice`);
    refs.add(ref);
    if (!(ACTOR_SOURCES as readonly unknown[]).includes(e.source))
      check.fail(`${at}.source: expected one of ${ACTOR_SOURCES.join(', ')}`);
    check.string(e.name, `${at}.name`);
    if (e.status !== undefined && e.status !== 'revoked' && e.status !== 'deprecated')
      check.fail(`${at}.status: expected revoked or deprecated`);
    check.strings(e.aliases, `${at}.aliases`);
    if (e.schemes !== undefined) {
      for (const [name, producers] of Object.entries(check.object(e.schemes, `${at}.schemes`)))
        check.strings(producers, `${at}.schemes[${JSON.stringify(name)}]`);
    }
    check.strings(e.attack_ids, `${at}.attack_ids`, GROUP_ID);
    if (e.revoked_by !== undefined) check.string(e.revoked_by, `${at}.revoked_by`, GROUP_ID);
    check.strings(e.techniques, `${at}.techniques`, TECHNIQUE_ID);
    if (e.campaigns !== undefined)
      check.list(e.campaigns, `${at}.campaigns`).forEach((c, j) => {
        if (
          !Array.isArray(c) ||
          c.length !== 2 ||
          typeof c[0] !== 'string' ||
          typeof c[1] !== 'string'
        )
          check.fail(`${at}.campaigns[${j}]: expected [id, name]`);
      });
    if (e.links !== undefined)
      check.list(e.links, `${at}.links`).forEach((l, j) => {
        const ok =
          Array.isArray(l) &&
          l.length === 3 &&
          typeof l[0] === 'string' &&
          typeof l[1] === 'string' &&
          ENTRY_REF.test(l[1]) &&
          (l[2] === null || typeof l[2] === 'string');
        if (!ok) check.fail(`${at}.links[${j}]: expected [type, entry ref, likelihood or null]`);
      });
    for (const key of ['country', 'state_sponsor', 'description'] as const)
      if (e[key] !== undefined) check.string(e[key], `${at}.${key}`);
    for (const key of ['categories', 'sectors', 'victims'] as const)
      check.strings(e[key], `${at}.${key}`);
  });
  return value as ActorData;
}

/**
 * Checks that a parsed data/attack-techniques.json has the documented shape.
 *
 * @example
 * parseAttackTechniques(JSON.parse(text), 'data/attack-techniques.json').techniques['T1078']?.name;
 */
export function parseAttackTechniques(value: unknown, file: string): AttackTechniquesData {
  const check = new Checker(file);
  const root = check.object(value, '');
  check.equal(root.format, ATTACK_TECHNIQUES_FORMAT, 'format');
  check.string(root.generated_by, 'generated_by');
  check.source(root.source, 'source');
  for (const [id, raw] of Object.entries(check.object(root.techniques, 'techniques'))) {
    const at = `techniques.${id}`;
    if (!TECHNIQUE_ID.test(id)) check.fail(`${at}: not a technique id like T1110.003`);
    const t = check.object(raw, at);
    check.string(t.name, `${at}.name`);
    if (t.full_name !== undefined) check.string(t.full_name, `${at}.full_name`);
    check.strings(t.tactics, `${at}.tactics`);
    if (t.status !== undefined && t.status !== 'revoked' && t.status !== 'deprecated')
      check.fail(`${at}.status: expected revoked or deprecated`);
  }
  return value as AttackTechniquesData;
}

/** Small typed checks that fail with `file: path: problem; regenerate …`. */
class Checker {
  readonly #file: string;
  constructor(file: string) {
    this.#file = file;
  }
  fail(problem: string): never {
    throw new Error(`${this.#file}: ${problem}; ${REGENERATE}`);
  }
  object(v: unknown, at: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(`${at || 'the file'} must be an object`);
    return v as Record<string, unknown>;
  }
  list(v: unknown, at: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${at} must be a list`);
    return v;
  }
  string(v: unknown, at: string, pattern?: RegExp): string {
    if (typeof v !== 'string' || v.length === 0 || (pattern && !pattern.test(v)))
      this.fail(
        `${at} must be a ${pattern ? `string like ${pattern.source}` : 'non-empty string'}`,
      );
    return v;
  }
  strings(v: unknown, at: string, pattern?: RegExp): void {
    if (v === undefined) return;
    this.list(v, at).forEach((s, i) => this.string(s, `${at}[${i}]`, pattern));
  }
  equal(v: unknown, want: string, at: string): void {
    if (v !== want) this.fail(`${at} must be ${JSON.stringify(want)}, got ${JSON.stringify(v)}`);
  }
  source(v: unknown, at: string): void {
    const s = this.object(v, at);
    for (const key of ['id', 'name', 'url', 'version', 'commit', 'date', 'license'] as const)
      this.string(s[key], `${at}.${key}`);
    this.strings(s.notices, `${at}.notices`);
  }
}
