/**
 * Derives data/actors.json (the actor knowledge base's source entries) and
 * data/attack-techniques.json (ATT&CK technique names) from shared intel:
 * the MITRE ATT&CK Enterprise bundle and the MISP galaxy clusters. The
 * product never reads shared intel at run time, so this script is the only
 * bridge; it carries each source's version, licence and notices into both
 * files.
 *
 * It extracts and does not merge: the merge rules live in
 * src/intel/actor-merge.ts, so analyst overrides can be replayed on the same
 * entries. Output is sorted and formatted with the repo's Prettier settings;
 * it holds no timestamp but the sources' own, so re-running on the same
 * snapshot gives identical bytes (test/actors.test.ts checks it).
 *
 * @example
 * // node --import tsx scripts/derive-actors.ts
 * // node --import tsx scripts/derive-actors.ts --intel /path/to/shared/intel --out /tmp/data
 * // TRIPLINE_INTEL=/path/to/shared/intel node --import tsx scripts/derive-actors.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import type { ActorSource } from '../src/domain/actor.js';
import { ACTOR_DATA_FORMAT, ATTACK_TECHNIQUES_FORMAT } from '../src/intel/actor-data.js';
import type {
  ActorData,
  ActorDataEntry,
  AttackTechniqueData,
  AttackTechniquesData,
  EntryLink,
  SourceAttribution,
} from '../src/intel/actor-data.js';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DEFAULT_OUT = join(REPO_ROOT, 'data');
const GENERATED_BY = 'scripts/derive-actors.ts';

const FILES = {
  attack: join('attack', 'enterprise-attack-subset.json'),
  attackLicense: join('attack', 'LICENSE.txt'),
  threatActor: join('misp-galaxy', 'clusters', 'threat-actor.json'),
  microsoft: join('misp-galaxy', 'clusters', 'microsoft-activity-group.json'),
  producer: join('misp-galaxy', 'clusters', 'producer.json'),
  mispLicense: join('misp-galaxy', 'LICENSE.md'),
} as const;

// Provenance of the snapshot (shared/intel/SOURCES.md, sections 1 and 2). The
// script checks the bundle id and cluster versions against these, so a new
// snapshot cannot go out under the old provenance: update them together.
const ATTACK_SOURCE = {
  id: 'attack',
  name: 'MITRE ATT&CK Enterprise',
  url: 'https://attack.mitre.org/',
  version: '18.1',
  commit:
    'mitre/cti 421deacb77191b38bdd1bf63268954e93da91365 (the release of mitre-attack/attack-stix-data 7ad8a86f41edc91dd37de0487b0c2f44ae3a3af7)',
  date: '2025-11-13',
  license: 'ATT&CK Terms of Use, https://attack.mitre.org/resources/terms-of-use/',
} as const;
const ATTACK_BUNDLE_ID = 'bundle--9e841b1a-9953-5b8b-a84b-8b106dbc71f6';
const ATTACK_COPYRIGHT =
  '© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.';
const ATTACK_TRADEMARK = 'ATT&CK® is a registered trademark of The MITRE Corporation.';

const MISP_SOURCE = {
  id: 'misp-galaxy',
  name: 'MISP galaxy (threat-actor, microsoft-activity-group and producer clusters)',
  url: 'https://github.com/MISP/misp-galaxy',
  commit: '9434ace4eb925c9a1c9b3bccf014a25f9d14f0b0',
  date: '2026-08-06',
  license: 'CC0-1.0 OR BSD-2-Clause (dual-licensed; the BSD-2-Clause notice is kept below)',
} as const;
const MISP_VERSIONS = {
  'threat-actor': 349,
  'microsoft-activity-group': 23,
  producer: 26,
} as const;
/** The producer whose naming scheme the microsoft-activity-group galaxy is. */
const MICROSOFT_PRODUCER = 'd0c33595-b684-45ef-91c3-e2f5ce1a8191';

const GROUP_ID = /^G\d{4}$/;
const MAX_DESCRIPTION = 300;

/** A malformed input: reported and nothing is written. */
class InputError extends Error {}

interface StixObject {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly aliases?: readonly string[];
  readonly external_references?: readonly { source_name: string; external_id?: string }[];
  readonly revoked?: boolean;
  readonly x_mitre_deprecated?: boolean;
  readonly x_mitre_is_subtechnique?: boolean;
  readonly kill_chain_phases?: readonly { kill_chain_name: string; phase_name: string }[];
  readonly relationship_type?: string;
  readonly source_ref?: string;
  readonly target_ref?: string;
  readonly definition?: { statement?: string };
}

interface MispCluster {
  readonly uuid: string;
  readonly value: string;
  readonly description?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly related?: readonly { 'dest-uuid': string; type: string; tags?: readonly string[] }[];
}

interface MispGalaxyFile {
  readonly type: string;
  readonly version: number;
  readonly values: readonly MispCluster[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { intel: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(
      'usage: node --import tsx scripts/derive-actors.ts [--intel DIR] [--out DIR]\n' +
        '  --intel DIR  shared intel folder (default: $TRIPLINE_INTEL, else ../shared/intel from the repo root)\n' +
        '  --out DIR    where actors.json and attack-techniques.json go (default: data/)',
    );
    return;
  }
  const fromEnv = process.env.TRIPLINE_INTEL;
  const intel = values.intel
    ? resolve(values.intel)
    : fromEnv
      ? resolve(fromEnv)
      : resolve(REPO_ROOT, '../shared/intel');
  const out = values.out ? resolve(values.out) : DEFAULT_OUT;
  const missing = Object.values(FILES)
    .map((file) => join(intel, file))
    .filter((path) => !existsSync(path));
  if (missing.length > 0)
    fail([
      ...missing.map((path) => `input file not found: ${path}`),
      'pass --intel DIR (or TRIPLINE_INTEL) pointing at the shared/intel folder',
    ]);

  let actors: ActorData;
  let techniques: AttackTechniquesData;
  try {
    ({ actors, techniques } = derive(intel));
  } catch (error) {
    if (error instanceof InputError) fail([error.message, 'nothing written']);
    throw error;
  }
  const written: string[] = [];
  for (const [name, data] of [
    ['actors.json', actors],
    ['attack-techniques.json', techniques],
  ] as const) {
    const path = join(out, name);
    try {
      written.push(
        `${relative(process.cwd(), path) || path} (${await write(path, name, data)} bytes)`,
      );
    } catch (error) {
      fail([`cannot write ${path}: ${(error as Error).message}`]);
    }
  }
  const count = (source: ActorSource) => actors.entries.filter((e) => e.source === source).length;
  console.log(
    `wrote ${written.join(', ')}: ${count('attack')} ATT&CK groups, ` +
      `${count('misp-threat-actor')} MISP threat actors, ` +
      `${count('misp-microsoft-activity-group')} Microsoft activity groups, ` +
      `${Object.keys(techniques.techniques).length} techniques`,
  );
}

/** Reads the inputs and builds both files' contents. Throws InputError on bad input. */
function derive(intel: string): { actors: ActorData; techniques: AttackTechniquesData } {
  const read = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(intel, file), 'utf8'));
    } catch (error) {
      throw new InputError(`${join(intel, file)}: ${(error as Error).message}`);
    }
  };
  const bundle = read(FILES.attack) as { id?: string; objects?: readonly StixObject[] };
  if (bundle.id !== ATTACK_BUNDLE_ID || !Array.isArray(bundle.objects))
    throw new InputError(
      `${FILES.attack}: expected STIX bundle ${ATTACK_BUNDLE_ID} (ATT&CK ${ATTACK_SOURCE.version}); ` +
        'for a new release, update ATTACK_SOURCE and ATTACK_BUNDLE_ID in the script',
    );
  const galaxy = (file: string, type: keyof typeof MISP_VERSIONS): MispGalaxyFile => {
    const g = read(file) as Partial<MispGalaxyFile>;
    if (g.type !== type || !Array.isArray(g.values))
      throw new InputError(`${file}: not a MISP ${type} cluster file`);
    if (g.version !== MISP_VERSIONS[type])
      throw new InputError(
        `${file}: cluster version ${g.version}, the script records ${MISP_VERSIONS[type]}; ` +
          'for a new snapshot, update MISP_SOURCE and MISP_VERSIONS in the script',
      );
    return g as MispGalaxyFile;
  };
  const threatActors = galaxy(FILES.threatActor, 'threat-actor');
  const microsoft = galaxy(FILES.microsoft, 'microsoft-activity-group');
  const producers = new Map(
    galaxy(FILES.producer, 'producer').values.map((p) => [p.uuid, p.value] as const),
  );

  const marking = bundle.objects.find((o) => o.type === 'marking-definition');
  const statement = marking?.definition?.statement;
  if (!statement) throw new InputError(`${FILES.attack}: no marking-definition statement`);
  const attackSource: SourceAttribution = {
    ...ATTACK_SOURCE,
    notices: [
      ATTACK_COPYRIGHT,
      statement,
      ATTACK_TRADEMARK,
      readFileSync(join(intel, FILES.attackLicense), 'utf8').trim(),
    ],
  };
  const mispSource: SourceAttribution = {
    ...MISP_SOURCE,
    version: Object.entries(MISP_VERSIONS)
      .map(([type, version]) => `${type} ${version}`)
      .join(', '),
    notices: [readFileSync(join(intel, FILES.mispLicense), 'utf8').trim()],
  };

  const attack = attackEntries(bundle.objects);
  // MISP links point at MISP clusters or at ATT&CK intrusion sets by their STIX uuid.
  const refByUuid = new Map<string, string>(attack.refByUuid);
  for (const c of [...threatActors.values, ...microsoft.values])
    refByUuid.set(c.uuid, `misp:${c.uuid}`);
  const misp = [
    ...threatActors.values.map((c) =>
      mispEntry(c, 'misp-threat-actor', producers, refByUuid, FILES.threatActor),
    ),
    ...microsoft.values.map((c) =>
      mispEntry(c, 'misp-microsoft-activity-group', producers, refByUuid, FILES.microsoft),
    ),
  ];
  const microsoftName = producers.get(MICROSOFT_PRODUCER);
  if (!microsoftName) throw new InputError(`${FILES.producer}: no producer ${MICROSOFT_PRODUCER}`);
  const entries = [...attack.entries, ...misp.map((e) => withOwnScheme(e, microsoftName))];
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.ref)) throw new InputError(`entry ${e.ref} appears twice in the sources`);
    seen.add(e.ref);
  }
  entries.sort((a, b) => compare(a.ref, b.ref));
  return {
    actors: {
      format: ACTOR_DATA_FORMAT,
      generated_by: GENERATED_BY,
      sources: [attackSource, mispSource],
      entries,
    },
    techniques: {
      format: ATTACK_TECHNIQUES_FORMAT,
      generated_by: GENERATED_BY,
      source: attackSource,
      techniques: attack.techniques,
    },
  };
}

function attackEntries(objects: readonly StixObject[]): {
  entries: ActorDataEntry[];
  techniques: Record<string, AttackTechniqueData>;
  refByUuid: Map<string, string>;
} {
  const externalId = (o: StixObject): string => {
    const id = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (!id) throw new InputError(`${FILES.attack}: ${o.id} has no ATT&CK id`);
    return id;
  };
  const status = (o: StixObject): 'revoked' | 'deprecated' | undefined =>
    o.revoked ? 'revoked' : o.x_mitre_deprecated ? 'deprecated' : undefined;

  const groups = objects.filter((o) => o.type === 'intrusion-set');
  const groupIds = new Map(groups.map((g) => [g.id, externalId(g)] as const));
  const patterns = objects.filter((o) => o.type === 'attack-pattern');
  const patternIds = new Map(patterns.map((p) => [p.id, externalId(p)] as const));
  const activePatterns = new Set(patterns.filter((p) => !status(p)).map((p) => p.id));
  const campaigns = new Map(
    objects
      .filter((o) => o.type === 'campaign')
      .map((c) => [c.id, [externalId(c), c.name ?? externalId(c)] as const] as const),
  );

  const uses = new Map<string, Set<string>>();
  const attributed = new Map<string, Map<string, string>>();
  const revokedBy = new Map<string, string>();
  for (const r of objects) {
    if (r.type !== 'relationship' || status(r) || !r.source_ref || !r.target_ref) continue;
    const group = groupIds.get(r.source_ref);
    if (r.relationship_type === 'uses' && group && activePatterns.has(r.target_ref)) {
      getOrAdd(uses, group, () => new Set()).add(patternIds.get(r.target_ref)!);
    } else if (r.relationship_type === 'revoked-by' && group) {
      const target = groupIds.get(r.target_ref);
      if (target) revokedBy.set(group, target);
    } else if (r.relationship_type === 'attributed-to') {
      const campaign = campaigns.get(r.source_ref);
      const target = groupIds.get(r.target_ref);
      if (campaign && target) getOrAdd(attributed, target, () => new Map()).set(...campaign);
    }
  }

  const entries = groups.map((g): ActorDataEntry => {
    const id = groupIds.get(g.id)!;
    const name = requireName(g, FILES.attack);
    const techniques = [...(uses.get(id) ?? [])].sort(compare);
    const campaignList = [...(attributed.get(id) ?? [])].sort((a, b) => compare(a[0], b[0]));
    const description = g.description ? shortDescription(g.description) : '';
    return compact({
      ref: `attack:${id}`,
      source: 'attack',
      name,
      status: status(g),
      aliases: uniqueNames((g.aliases ?? []).filter((a) => a !== name)),
      revoked_by: revokedBy.get(id),
      techniques,
      campaigns: campaignList,
      description,
    });
  });

  const names = new Map(patterns.map((p) => [patternIds.get(p.id)!, p] as const));
  const techniques: Record<string, AttackTechniqueData> = {};
  for (const id of [...names.keys()].sort(compare)) {
    const p = names.get(id)!;
    const name = requireName(p, FILES.attack);
    const parent = id.includes('.') ? names.get(id.split('.')[0]!) : undefined;
    if (id.includes('.') && !parent)
      throw new InputError(`${FILES.attack}: sub-technique ${id} has no parent technique`);
    techniques[id] = compact({
      name,
      full_name: parent ? `${requireName(parent, FILES.attack)}: ${name}` : undefined,
      tactics: (p.kill_chain_phases ?? [])
        .filter((k) => k.kill_chain_name === 'mitre-attack')
        .map((k) => k.phase_name)
        .sort(compare),
      status: status(p),
    }) as AttackTechniqueData;
  }
  const refByUuid = new Map(
    groups.map((g) => [g.id.replace(/^intrusion-set--/, ''), `attack:${groupIds.get(g.id)}`]),
  );
  return { entries, techniques, refByUuid };
}

function mispEntry(
  c: MispCluster,
  source: ActorSource,
  producers: ReadonlyMap<string, string>,
  refByUuid: ReadonlyMap<string, string>,
  file: string,
): ActorDataEntry {
  const at = `${file}: ${c.uuid}`;
  const meta = c.meta ?? {};
  const name = c.value.trim();
  if (!name) throw new InputError(`${at}: empty value`);
  const strings = (key: string): string[] => {
    const v = meta[key];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((s): s is string => typeof s === 'string'))
      throw new InputError(`${at}: meta.${key} must be strings`);
    return list.map((s) => s.trim()).filter((s) => s.length > 0);
  };

  const schemes = new Map<string, Set<string>>();
  const attributed: string[] = [];
  for (const credit of strings('name-attribution')) {
    // "Mint Sandstorm:d0c33595-…": the name, credited to a producer (a vendor's naming scheme).
    const colon = credit.lastIndexOf(':');
    const alias = credit.slice(0, colon).trim();
    const producer = producers.get(credit.slice(colon + 1));
    if (colon <= 0 || !alias || !producer)
      throw new InputError(
        `${at}: name-attribution ${JSON.stringify(credit)} names no known producer`,
      );
    attributed.push(alias);
    getOrAdd(schemes, alias, () => new Set()).add(producer);
  }
  const names = [...strings('synonyms'), ...attributed];
  const attackIds = uniqueNames(names.filter((n) => GROUP_ID.test(n)));
  const links: EntryLink[] = [];
  for (const r of c.related ?? []) {
    const ref = refByUuid.get(r['dest-uuid']);
    if (!ref) continue; // a tool, a malware family, or a cluster of another galaxy
    const likelihood = (r.tags ?? [])
      .map((t) => /^estimative-language:likelihood-probability="(.+)"$/.exec(t)?.[1])
      .find((l) => l !== undefined);
    links.push([r.type, ref, likelihood ?? null]);
  }
  links.sort((a, b) => compare(a[1], b[1]) || compare(a[0], b[0]));
  const country = strings('country')[0];
  return compact({
    ref: `misp:${c.uuid}`,
    source,
    name,
    aliases: uniqueNames(names.filter((n) => n !== name && !GROUP_ID.test(n))),
    schemes: Object.fromEntries(
      [...schemes]
        .filter(([alias]) => !GROUP_ID.test(alias))
        .sort((a, b) => compare(a[0], b[0]))
        .map(([alias, set]) => [alias, [...set].sort(compare)]),
    ),
    attack_ids: attackIds,
    links: uniqueLinks(links),
    country: country ? country.toUpperCase() : undefined,
    state_sponsor: strings('cfr-suspected-state-sponsor')[0],
    categories: uniqueNames(strings('cfr-target-category')),
    sectors: uniqueNames(strings('targeted-sector')),
    victims: uniqueNames(strings('cfr-suspected-victims')),
    // Microsoft's galaxy descriptions are one boilerplate line ("Microsoft threat actor profile…").
    description:
      source === 'misp-threat-actor' && c.description ? shortDescription(c.description) : '',
  });
}

/** The Microsoft activity-group galaxy is Microsoft's naming: its names are in that scheme. */
function withOwnScheme(e: ActorDataEntry, microsoft: string): ActorDataEntry {
  if (e.source !== 'misp-microsoft-activity-group') return e;
  const schemes = { ...e.schemes, [e.name]: [microsoft] };
  return {
    ...e,
    schemes: Object.fromEntries(Object.entries(schemes).sort((a, b) => compare(a[0], b[0]))),
  };
}

/**
 * The first sentence, without citations and markdown links, at most 300
 * characters: enough to recognise the actor; the sources hold the rest.
 */
function shortDescription(text: string): string {
  const plain = text
    .replace(/\(Citation:[^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:])/g, '$1')
    .replace(/^[•\s]+/, '')
    .trim();
  // A sentence ends at ". " before a capital letter, not at "e.g. " or "U.S. government".
  const end = /(?<!\b(?:e\.g|i\.e|[A-Z]|[A-Z]\.[A-Z]|vs|etc|Inc|Ltd|Co|al))\.(?=\s+[A-Z"(])/.exec(
    plain,
  );
  const sentence = end ? plain.slice(0, end.index + 1) : plain;
  if (sentence.length <= MAX_DESCRIPTION) return sentence;
  return `${sentence.slice(0, sentence.lastIndexOf(' ', MAX_DESCRIPTION - 1))}…`;
}

function requireName(o: StixObject, file: string): string {
  const name = o.name?.trim();
  if (!name) throw new InputError(`${file}: ${o.id} has no name`);
  return name;
}

/** Trimmed, de-duplicated (exact spelling), sorted. */
function uniqueNames(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))].sort(compare);
}

function uniqueLinks(links: readonly EntryLink[]): EntryLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = JSON.stringify(l);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Drops undefined fields, empty lists and empty objects, so the file stays small. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) =>
        v !== undefined &&
        v !== '' &&
        !(Array.isArray(v) && v.length === 0) &&
        !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0),
    ),
  ) as T;
}

/** Code-point order: independent of the locale, so every machine writes the same bytes. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/**
 * Writes the data formatted exactly as `prettier --check .` expects, so the
 * generated file passes lint and re-running produces identical bytes.
 */
async function write(path: string, name: string, data: unknown): Promise<number> {
  // The config is resolved for the committed path, so a temp --out formats the same way.
  const config = (await resolveConfig(join(DEFAULT_OUT, name))) ?? {};
  const text = await format(JSON.stringify(data), { ...config, parser: 'json' });
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

function fail(lines: readonly string[]): never {
  for (const line of lines) console.error(line);
  process.exit(1);
}

await main();
