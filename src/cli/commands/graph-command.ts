import { parseArgs } from 'node:util';
import { openTripline } from '../../app.js';
import {
  accountGraph,
  cyclesDoc,
  dotLines,
  footholdGraph,
  jsonLines,
  wholeGraphDot,
} from '../../graph/graph-export.js';
import type { AccountGraphDoc } from '../../graph/graph-export.js';
import type { CliIo, Command } from '../command.js';
import { parseIntegerOption, UsageError } from '../command.js';

export const graphCommand: Command = {
  name: 'graph',
  summary: 'Show who can recover an account, and what it can recover',
  usage: `tripline graph ACCOUNT [--json|--dot] [--depth N] [--at TIME] [--tenant T] [--db …]
tripline graph --all [--json|--dot] [--db …]
tripline graph --cycles [--json] [--at TIME] [--db …]

  The account-recovery graph around ACCOUNT: every mailbox, phone, security
  question set or account that can recover it (directly or through a chain,
  with the path), every account it can recover (blast radius), and its
  weakest recovery path. Built from the directory and the
  recovery.channel.added / removed events; --at asks about a moment in the
  past (ISO-8601), when a recovery address since removed still counted.

  --depth N  hops to follow (1-8, default 4)
  --json     the documented JSON object (docs/RECOVERY-GRAPH.md)
  --dot      Graphviz DOT (tripline graph u-42 --dot | dot -Tsvg > u-42.svg)
  --all      the whole graph, streamed: NDJSON node and edge lines, or DOT
  --cycles   every loop of accounts that recover one another

  ACCOUNT may also be mailbox:ADDRESS or phone:NUMBER, a foothold outside the
  provider: then the accounts whoever holds it can reach (its blast radius).`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        tenant: { type: 'string', default: 'default' },
        depth: { type: 'string' },
        at: { type: 'string' },
        json: { type: 'boolean', default: false },
        dot: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        cycles: { type: 'boolean', default: false },
      },
    });
    if (values.json && values.dot) throw new UsageError('graph: choose --json or --dot');
    const whole = values.all || values.cycles;
    if (values.all && values.cycles) throw new UsageError('graph: choose --all or --cycles');
    if (whole && positionals.length > 0)
      throw new UsageError(`graph: --${values.all ? 'all' : 'cycles'} goes without ACCOUNT`);
    if (!whole && positionals.length !== 1)
      throw new UsageError('graph: name one ACCOUNT (or --all, or --cycles)');
    const depth = parseIntegerOption(values.depth, '--depth', { min: 1, max: 8 }) ?? 4;
    const time = parseTime(values.at);
    const app = await openTripline(values.db ? { db: values.db } : {});
    try {
      const graph = app.engine!.graph;
      if (values.cycles) {
        const loops = cyclesDoc(graph, time);
        if (values.json) io.stdout.write(`${JSON.stringify(loops)}\n`);
        else {
          io.stdout.write(`${loops.length} recovery loop(s)\n`);
          for (const l of loops)
            io.stdout.write(`  ${l.map((r) => r.replace(/^account:[^/]*\//, '')).join(' <-> ')}\n`);
        }
        return 0;
      }
      if (values.all) {
        await writeLines(io, values.dot ? wholeGraphDot(graph) : jsonLines(graph));
        return 0;
      }
      const id = positionals[0]!;
      const foothold = /^(mailbox|phone):(.+)$/.exec(id);
      if (foothold) {
        const kind = foothold[1] as 'mailbox' | 'phone';
        const f = footholdGraph(graph, values.tenant, kind, foothold[2]!, {
          depth,
          ...(time !== undefined ? { time } : {}),
        });
        if (!f) {
          io.stderr.write(`graph: no account can be recovered through ${kind} ${foothold[2]}\n`);
          return 1;
        }
        if (values.json) io.stdout.write(`${JSON.stringify(f)}\n`);
        else {
          io.stdout.write(`Whoever holds ${f.node} can recover (${f.blast_radius.length}):\n`);
          for (const r of f.blast_radius)
            io.stdout.write(
              `  ${r.node.replace(/^account:[^/]*\//, '')}  (${r.depth} hop${r.depth === 1 ? '' : 's'})\n`,
            );
        }
        return 0;
      }
      const doc = accountGraph(graph, values.tenant, id, {
        depth,
        ...(time !== undefined ? { time } : {}),
      });
      if (!doc) {
        io.stderr.write(
          `graph: account "${id}" is not in the directory of tenant "${values.tenant}" (tripline directory import FILE)\n`,
        );
        return 1;
      }
      if (values.json) io.stdout.write(`${JSON.stringify(doc)}\n`);
      else if (values.dot) await writeLines(io, dotLines(doc.nodes, doc.edges, doc.account.ref));
      else io.stdout.write(renderText(doc));
      return 0;
    } finally {
      await app.close();
    }
  },
};

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
    throw new UsageError(
      `--at: expected an ISO-8601 time such as 2026-10-01T12:00:00Z, got "${value}"`,
    );
  return t;
}

/** Writes lines with backpressure: a huge export never sits in memory. */
export async function writeLines(io: CliIo, lines: Iterable<string>): Promise<void> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length < 65_536) continue;
    if (!io.stdout.write(chunk)) await new Promise((r) => io.stdout.once('drain', r));
    chunk = '';
  }
  if (chunk) io.stdout.write(chunk);
}

function renderText(doc: AccountGraphDoc): string {
  const label = (ref: string) =>
    ref.replace(/^(\w+):[^/]*\//, (_m, kind: string) => (kind === 'account' ? '' : `${kind} `));
  const path = (p: { nodes: readonly string[]; channels: readonly string[] }) =>
    p.nodes.map((n, i) => (i === 0 ? label(n) : ` -(${p.channels[i - 1]})-> ${label(n)}`)).join('');
  const lines = [
    `${doc.account.id}${doc.account.tags?.length ? ` [${doc.account.tags.join(', ')}]` : ''}` +
      ` — MFA: ${doc.account.mfa?.length ? doc.account.mfa.join(', ') : 'none'}` +
      (doc.at ? ` — as of ${doc.at}` : ''),
    '',
    `Can be recovered by (${doc.recoverers.length}, depth ≤ ${doc.depth}):`,
    ...doc.recoverers.map(
      (r) =>
        `  ${label(r.node)}  (${r.depth} hop${r.depth === 1 ? '' : 's'}, strength ${r.path.strength}): ${path(r.path)}`,
    ),
    '',
    `Weakest path: ${doc.weakest_path ? `${path(doc.weakest_path)} (strength ${doc.weakest_path.strength})` : 'none'}`,
    '',
    `In a recovery loop with: ${doc.cycle.length ? doc.cycle.map(label).join(', ') : 'none'}`,
    `Paths from outside the provider: ${doc.leaves_provider.length}`,
    ...doc.leaves_provider.map((p) => `  ${path(p)}`),
    '',
    `Can recover (${doc.blast_radius.length}):`,
    ...doc.blast_radius.map(
      (r) => `  ${label(r.node)}  (${r.depth} hop${r.depth === 1 ? '' : 's'})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
