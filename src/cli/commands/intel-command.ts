import { parseArgs } from 'node:util';
import { importIndicatorFile, openTripline } from '../../app.js';
import { INDICATOR_FORMATS } from '../../intel/indicator-import.js';
import type { IndicatorFormat } from '../../intel/indicator-import.js';
import type { IndicatorFileImport } from '../../app.js';
import type { Indicator } from '../../detect/indicator-set.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { formatCount, ProgressBar } from '../progress-bar.js';

export const intelCommand: Command = {
  name: 'intel',
  summary: 'Import threat-intel indicators (STIX 2.1, MISP, CSV) and re-examine stored events',
  usage: `tripline intel import FILE… [--format auto|stix|misp|csv] [--source NAME]
                     [--no-reexamine] [--db …] [--json]
tripline intel list [--type T] [--actor NAME] [--source NAME] [--json] [--db …]

  import  reads STIX 2.1 bundles (indicators on ipv4-addr, ipv6-addr,
          domain-name, email-addr, url, autonomous-system, linked to intrusion
          sets by relationships), MISP event JSON and CSV (type,value[,actor,
          source,valid_from,valid_until,description,confidence]); docs/INTEL.md.
          Indicators are stored, matched against every new event (ioc-match)
          and weighed by attribution. Stored events are re-examined: when any
          matches, the engine's state is rebuilt from the stored events so
          campaigns take the matches in (--no-reexamine skips this).
          Records that cannot be imported are listed with their position; the
          rest of the file is imported.
  list    the stored indicators.

  --format   the file's format (default auto: told from its content)
  --source   the name indicators are credited to (default: the file's own
             producer — STIX identity, MISP organisation — or its file name)

  Exit 0: imported; 1: a file could not be read or held no usable indicator.`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'import') return importFiles(rest, io);
    if (sub === 'list') return list(rest, io);
    throw new UsageError(`intel: unknown subcommand "${sub ?? ''}" (expected import or list)`);
  },
};

async function importFiles(argv: readonly string[], io: Parameters<Command['run']>[1]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      source: { type: 'string' },
      'no-reexamine': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('intel import: name at least one FILE');
  const format = values.format;
  if (format !== 'auto' && !(INDICATOR_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `--format: expected auto, ${INDICATOR_FORMATS.join(', ')}; got "${format}"`,
    );
  if (values.source !== undefined && values.source.trim() === '')
    throw new UsageError('--source: must not be empty');
  const app = await openTripline(values.db ? { db: values.db } : {});
  const bar = new ProgressBar(io);
  const results: IndicatorFileImport[] = [];
  let failed = false;
  try {
    for (const file of positionals) {
      let result: IndicatorFileImport;
      try {
        result = await importIndicatorFile(app, file, {
          format: format as IndicatorFormat | 'auto',
          ...(values.source ? { source: values.source } : {}),
          reexamine: !values['no-reexamine'],
          onProgress: (p) =>
            bar.update(
              p.total > 0 ? p.done / p.total : undefined,
              `${p.phase === 'scan' ? 'matching stored events' : 'rebuilding engine state'} ${formatCount(p.done)}/${formatCount(p.total)}`,
            ),
        });
      } catch (error) {
        bar.done();
        io.stderr.write(`${file}: ${(error as Error).message}\n`);
        failed = true;
        continue;
      }
      bar.done();
      results.push(result);
      if (result.parsed.indicators.length === 0) failed = true;
      if (!values.json) printImport(io, result, app.store.location);
    }
    if (values.json) io.stdout.write(`${JSON.stringify(results.map(jsonOf))}\n`);
    return failed ? 1 : 0;
  } finally {
    bar.done();
    await app.close();
  }
}

function jsonOf(r: IndicatorFileImport) {
  return {
    file: r.file,
    format: r.parsed.format,
    actors: r.parsed.actors,
    skipped: r.parsed.skipped,
    problems: r.parsed.problems,
    ...r.result,
  };
}

function printImport(
  io: Parameters<Command['run']>[1],
  r: IndicatorFileImport,
  where: string,
): void {
  const p = r.parsed;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  out(
    `${r.file}: ${FORMAT_NAMES[p.format]}, ${formatCount(p.indicators.length)} indicator(s)` +
      (p.actors.length ? ` naming ${p.actors.join(', ')}` : ''),
  );
  for (const s of p.skipped) out(`  skipped ${formatCount(s.count)}: ${s.reason}`);
  for (const q of p.problems.slice(0, 20)) io.stderr.write(`  ${q.position}: ${q.message}\n`);
  if (p.problems.length > 20)
    io.stderr.write(`  … and ${formatCount(p.problems.length - 20)} more problem(s)\n`);
  if (p.indicators.length === 0) {
    io.stderr.write(`${r.file}: no indicator to import\n`);
    return;
  }
  const res = r.result;
  out(
    `Stored ${formatCount(res.indicators)} indicator(s) (${formatCount(res.created)} new, ${formatCount(res.updated)} updated) in ${where}`,
  );
  const x = res.reexamined;
  if (!x) {
    out('Stored events not re-examined (--no-reexamine); new events are matched from now on');
    return;
  }
  out(
    `Re-examined ${formatCount(x.scanned)} stored event(s): ${formatCount(x.matched)} matched, on ${formatCount(x.accounts)} account(s)`,
  );
  for (const h of x.hits.slice(0, 10))
    out(
      `  ${describe(h.indicator)}: ${formatCount(h.events)} event(s), ${formatCount(h.accounts)} account(s), ${h.first.slice(0, 10)} – ${h.last.slice(0, 10)}`,
    );
  if (x.hits.length > 10) out(`  … and ${formatCount(x.hits.length - 10)} more indicator(s)`);
  if (x.replayed > 0)
    out(`Rebuilt the engine's state from ${formatCount(x.replayed)} stored event(s)`);
  if (x.campaigns.length > 0)
    out(
      `Campaigns holding matched events: ${x.campaigns.map((c) => (c.tenant === 'default' ? c.id : `${c.tenant}/${c.id}`)).join(', ')}`,
    );
}

const FORMAT_NAMES = { stix: 'STIX 2.1 bundle', misp: 'MISP event', csv: 'CSV' } as const;

function describe(i: Indicator): string {
  return `${i.type} ${i.value} (${i.source}${i.actor ? `, ${i.actor}` : ''})`;
}

async function list(argv: readonly string[], io: Parameters<Command['run']>[1]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      type: { type: 'string' },
      actor: { type: 'string' },
      source: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError('intel list: takes no FILE');
  const app = await openTripline({ ...(values.db ? { db: values.db } : {}), score: false });
  try {
    const rows = app.listIndicators({
      ...(values.type !== undefined ? { type: values.type } : {}),
      ...(values.actor !== undefined ? { actor: values.actor } : {}),
      ...(values.source !== undefined ? { source: values.source } : {}),
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify(rows)}\n`);
      return 0;
    }
    for (const i of rows)
      io.stdout.write(
        `${i.type.padEnd(10)} ${i.value.padEnd(40)} ${i.source}${i.actor ? `  (${i.actor})` : ''}\n`,
      );
    io.stderr.write(`${formatCount(rows.length)} indicator(s)\n`);
    return 0;
  } finally {
    await app.close();
  }
}
