import { parseArgs } from 'node:util';
import type { ActorExplanation, ActorResolution, AliasProvenance } from '../../domain/actor.js';
import { ActorKnowledgeBase } from '../../intel/actor-knowledge-base.js';
import { entryLabel } from '../../intel/actor-merge.js';
import { existsSync } from 'node:fs';
import { openTripline } from '../../app.js';
import type { ActorOverride } from '../../domain/actor.js';
import { ActorOverrideError, checkOverride } from '../../intel/actor-overrides.js';
import { DEFAULT_DB, parseDbTarget } from '../../store/open-store.js';
import type { CliIo, Command } from '../command.js';
import { parseIntegerOption, UsageError } from '../command.js';

/** Exit code when the name belongs to several actors (the candidates are listed). */
export const AMBIGUOUS_EXIT = 3;

export const actorsCommand: Command = {
  name: 'actors',
  summary: 'Look up a threat actor by any of its names: aliases, ATT&CK techniques, evidence',
  usage: `tripline actors QUERY… [--json] [--explain] [--db …]
tripline actors --sources
tripline actors overrides [--json] [--db …]
tripline actors override split ENTRY --reason TEXT [--author NAME] [--db …]
tripline actors override merge ACTOR ACTOR --reason TEXT [--author NAME]
tripline actors override detach-alias ACTOR ALIAS… --reason TEXT [--author NAME]
tripline actors override remove SEQ

  Finds the actor that QUERY names in the actor knowledge base (MITRE ATT&CK
  and the MISP galaxy, merged on evidence; docs/ACTORS.md). Several words are
  one name (tripline actors charming kitten); case, spaces, hyphens and
  punctuation are ignored and a typo or two is forgiven. QUERY may also be an
  ATT&CK id (G0059) or an actor id (misp:<uuid>).

  Prints the actor's aliases with their sources and vendor naming schemes, its
  ATT&CK techniques, country, targeting and related (not merged) actors.

  --explain  also the evidence each merge rests on, and evidence set aside
  --json     the resolution as JSON ({ kind: actor | ambiguous | none, … })
  --sources  the data's sources, versions, licences and notices
  --db       the store whose analyst overrides apply (default sqlite:./tripline.db,
             read only if it exists)

  override   records an analyst's correction in the store (docs/ACTORS.md):
             split an entry (attack:G0058, misp:<uuid>) off its actor, merge
             two actors, or detach an alias; it is checked first and applies
             to lookups, the API and attribution from then on. remove SEQ
             takes one back (refused while a later override needs it).

  Exit 0: one actor; 1: no actor (with suggestions); 3: the name belongs to
  several actors (the candidates are listed; ask again by id).`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        explain: { type: 'boolean', default: false },
        sources: { type: 'boolean', default: false },
        db: { type: 'string' },
        reason: { type: 'string' },
        author: { type: 'string' },
      },
    });
    if (positionals[0] === 'override' || positionals[0] === 'overrides')
      return overrideCommand(positionals, values, io);
    if (values.reason !== undefined || values.author !== undefined)
      throw new UsageError('--reason and --author go with: tripline actors override …');
    const kb = await knowledgeBase(values.db, io);
    if (values.sources) {
      if (positionals.length > 0) throw new UsageError('--sources takes no QUERY');
      io.stdout.write(values.json ? `${JSON.stringify(kb.sources)}\n` : renderSources(kb.sources));
      return 0;
    }
    const query = positionals.join(' ').trim();
    if (query.length === 0) throw new UsageError('name an actor: tripline actors QUERY');
    const resolution = kb.resolve(query);
    const explanation =
      values.explain && resolution.kind === 'actor' ? kb.explain(resolution.actor.id) : undefined;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(explanation ? { ...resolution, explanation } : resolution)}\n`,
      );
    } else if (resolution.kind === 'none') {
      io.stderr.write(`${renderNone(resolution)}\n`);
    } else {
      io.stdout.write(
        resolution.kind === 'actor'
          ? renderActor(resolution, explanation)
          : renderAmbiguous(resolution),
      );
    }
    return resolution.kind === 'actor' ? 0 : resolution.kind === 'ambiguous' ? AMBIGUOUS_EXIT : 1;
  },
};

function renderActor(
  r: Extract<ActorResolution, { kind: 'actor' }>,
  explanation: ActorExplanation | undefined,
): string {
  const a = r.actor;
  const others = a.attack_ids.filter((id) => id !== a.attack_id);
  const ids = [
    ...(a.id !== a.attack_id ? [a.id] : []),
    a.attack_id ? `ATT&CK ${a.attack_id}` : 'no ATT&CK group',
    ...(others.length > 0 ? [`also ${others.join(', ')}`] : []),
  ];
  const typos = r.matched.distance;
  const how = typos === 0 ? '' : ` (${typos} typo${typos > 1 ? 's' : ''})`;
  const lines = [
    `${a.name} (${ids.join(', ')})`,
    `matched '${r.query.trim()}' as ${r.matched.alias}${how}`,
    `country: ${a.country ?? 'unknown'}${a.state_sponsor ? ` · suspected state sponsor: ${a.state_sponsor}` : ''}`,
  ];
  if (a.description) lines.push('', wrap(a.description, 78, ''));
  lines.push('', `Aliases (${a.aliases.length}) — who gives each name, [naming scheme]:`);
  const width = Math.min(28, Math.max(...a.aliases.map((x) => x.name.length)));
  for (const alias of a.aliases)
    lines.push(`  ${alias.name.padEnd(width)}  ${provenanceText(alias.provenance)}`);
  const t = a.targeting;
  if (t.categories.length + t.sectors.length + t.victims.length > 0) {
    lines.push('', 'Targeting (MISP):');
    if (t.categories.length) lines.push(wrap(`categories: ${t.categories.join(', ')}`, 78, '  '));
    if (t.sectors.length) lines.push(wrap(`sectors: ${t.sectors.join(', ')}`, 78, '  '));
    if (t.victims.length) lines.push(wrap(`victims: ${t.victims.join(', ')}`, 78, '  '));
  }
  lines.push('', `ATT&CK techniques (${a.techniques.length}):`);
  if (a.techniques.length === 0) lines.push('  none recorded');
  for (const technique of a.techniques)
    lines.push(`  ${technique.id.padEnd(10)} ${technique.name}`);
  if (a.campaigns.length > 0)
    lines.push(
      '',
      wrap(`Campaigns: ${a.campaigns.map((c) => `${c.id} ${c.name}`).join(', ')}`, 78, ''),
    );
  lines.push('', `Related actors, not merged (${a.related.length}):`);
  if (a.related.length === 0) lines.push('  none');
  for (const rel of a.related) {
    const [first, ...rest] = rel.links;
    lines.push(
      `  ${rel.id} ${rel.name}: ${first!.text}${rest.length ? ` (+${rest.length} more)` : ''}`,
    );
  }
  if (explanation) {
    lines.push('', `Merge evidence (${explanation.merges.length}):`);
    if (explanation.merges.length === 0) lines.push('  none: a single source entry');
    for (const m of explanation.merges) lines.push(`  - ${m.text}`);
    if (explanation.set_aside.length > 0) {
      lines.push('', `Evidence set aside (${explanation.set_aside.length}):`);
      for (const m of explanation.set_aside) lines.push(`  - ${m.text}: ${m.reason}`);
    }
    if (explanation.overrides.length > 0) {
      lines.push('', 'Analyst overrides:');
      for (const o of explanation.overrides) lines.push(`  - ${JSON.stringify(o)}`);
    }
  }
  lines.push(
    '',
    'Data: MITRE ATT&CK® (© The MITRE Corporation) and the MISP galaxy (CC0 or BSD-2-Clause); tripline actors --sources',
  );
  return `${lines.join('\n')}\n`;
}

function renderAmbiguous(r: Extract<ActorResolution, { kind: 'ambiguous' }>): string {
  const lines = [
    `'${r.query.trim()}' names ${r.candidates.length} actors; ask again by id (tripline actors ID):`,
  ];
  const width = Math.max(...r.candidates.map((c) => c.actor.id.length));
  for (const { actor, matched } of r.candidates)
    lines.push(
      `  ${actor.id.padEnd(width)}  ${actor.name} — as ${matched.alias}: ${provenanceText(matched.provenance)}`,
    );
  return `${lines.join('\n')}\n`;
}

function renderNone(r: Extract<ActorResolution, { kind: 'none' }>): string {
  const names = r.suggestions.map((s) =>
    s.alias === s.actor.name ? s.actor.name : `${s.alias} (${s.actor.name}, ${s.actor.id})`,
  );
  return `no actor matches '${r.query.trim()}'${names.length ? `; did you mean ${names.join(', ')}?` : ''}`;
}

function renderSources(sources: ActorKnowledgeBase['sources']): string {
  return `${sources
    .map((s) =>
      [
        `${s.name}, ${s.version} (${s.date})`,
        `  ${s.url}`,
        `  commit: ${s.commit}`,
        `  licence: ${s.license}`,
        ...s.notices.map((n) => n.replace(/^/gm, '  | ')),
      ].join('\n'),
    )
    .join('\n\n')}\n`;
}

/** "MISP threat-actor APT35 [Microsoft]; ATT&CK G0059 (Magic Hound)". */
function provenanceText(provenance: readonly AliasProvenance[]): string {
  const byEntry = new Map<
    string,
    { label: string; schemes: Set<string>; spellings: Set<string> }
  >();
  for (const p of provenance) {
    let row = byEntry.get(p.entry);
    if (!row) {
      const label = entryLabel({ ref: p.entry, source: p.source, name: p.entry_name });
      byEntry.set(p.entry, (row = { label, schemes: new Set(), spellings: new Set() }));
    }
    if (p.scheme) row.schemes.add(p.scheme);
    if (p.spelling) row.spellings.add(p.spelling);
  }
  return [...byEntry.values()]
    .map(
      (r) =>
        `${r.label}${r.schemes.size ? ` [${[...r.schemes].join(', ')}]` : ''}${r.spellings.size ? ` as ${[...r.spellings].map((s) => `"${s}"`).join(', ')}` : ''}`,
    )
    .join('; ');
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + word.length + 1 > width) {
      lines.push(line);
      line = `${indent}  ${word}`;
    } else {
      line = line.length > indent.length ? `${line} ${word}` : `${line}${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** The knowledge base with the store's overrides, when there is a store to read. */
async function knowledgeBase(db: string | undefined, io: CliIo): Promise<ActorKnowledgeBase> {
  const target = db ?? DEFAULT_DB;
  const parsed = parseDbTarget(target);
  if (db === undefined && parsed.dialect === 'sqlite' && !existsSync(parsed.path))
    return ActorKnowledgeBase.load();
  const app = await openTripline({ db: target, score: false, snapshot: false });
  try {
    const kb = app.actors();
    for (const p of app.actorOverrideProblems())
      io.stderr.write(`warning: stored override ${p.seq} no longer applies: ${p.problem}\n`);
    return kb;
  } finally {
    await app.close();
  }
}

async function overrideCommand(
  positionals: readonly string[],
  values: { json?: boolean; db?: string; reason?: string; author?: string },
  io: CliIo,
): Promise<number> {
  const app = await openTripline({
    ...(values.db ? { db: values.db } : {}),
    score: false,
    snapshot: false,
  });
  try {
    if (positionals[0] === 'overrides') {
      if (positionals.length > 1) throw new UsageError('overrides: takes no arguments');
      const list = await app.listActorOverrides();
      if (values.json) {
        io.stdout.write(`${JSON.stringify(list)}\n`);
        return 0;
      }
      const broken = new Map(app.actorOverrideProblems().map((p) => [p.seq, p.problem]));
      for (const o of list) {
        io.stdout.write(
          `${String(o.seq).padStart(4)}  ${o.created_at.slice(0, 19)}  ${o.author}  ${overrideText(o.override)}\n`,
        );
        if (broken.has(o.seq)) io.stdout.write(`      not applied: ${broken.get(o.seq)}\n`);
      }
      io.stderr.write(`${list.length} override(s)\n`);
      return 0;
    }
    const [, op, ...args] = positionals;
    if (op === 'remove') {
      if (args.length !== 1) throw new UsageError('override remove: name one SEQ');
      const seq = parseIntegerOption(args[0], 'SEQ', { min: 1, max: Number.MAX_SAFE_INTEGER })!;
      const r = await app.removeActorOverride(seq);
      if (!r.found) {
        io.stderr.write(`no override ${seq}\n`);
        return 1;
      }
      if (!r.removed) {
        io.stderr.write(`override ${seq} not removed: ${r.problem}\n`);
        return 1;
      }
      io.stdout.write(`removed override ${seq}\n`);
      return 0;
    }
    if (values.reason === undefined) throw new UsageError(`override ${op ?? ''}: give --reason`);
    const input =
      op === 'split'
        ? { op, entry: one(args, 'split ENTRY'), reason: values.reason }
        : op === 'merge'
          ? { op, actors: two(args), reason: values.reason }
          : op === 'detach-alias'
            ? { op, actor: args[0], alias: args.slice(1).join(' '), reason: values.reason }
            : undefined;
    if (!input)
      throw new UsageError(
        `override: unknown operation "${op ?? ''}" (expected split, merge, detach-alias or remove)`,
      );
    const checked = checkOverride(input);
    if (!checked.ok) throw new UsageError(`override ${checked.error}`);
    try {
      const stored = await app.addActorOverride(
        checked.override,
        values.author ?? process.env.USER ?? 'cli',
      );
      io.stdout.write(
        values.json
          ? `${JSON.stringify(stored)}\n`
          : `override ${stored.seq} recorded: ${overrideText(stored.override)}\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ActorOverrideError)) throw error;
      io.stderr.write(`override not recorded: ${error.problem}\n`);
      return 1;
    }
  } finally {
    await app.close();
  }
}

function one(args: readonly string[], what: string): string {
  if (args.length !== 1) throw new UsageError(`override ${what}: name exactly one`);
  return args[0]!;
}

function two(args: readonly string[]): [string, string] {
  if (args.length !== 2) throw new UsageError('override merge: name two actors (ids)');
  return [args[0]!, args[1]!];
}

function overrideText(o: ActorOverride): string {
  const what =
    o.op === 'split'
      ? `split ${o.entry}`
      : o.op === 'merge'
        ? `merge ${o.actors[0]} + ${o.actors[1]}`
        : `detach '${o.alias}' from ${o.actor}`;
  return `${what} — ${o.reason}`;
}
