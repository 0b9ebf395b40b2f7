import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { ingestEventFiles, openTripline } from '../../app.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { formatCount, ProgressBar } from '../progress-bar.js';
import { printIngestSummary, progressText } from './ingest-output.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Ingest NDJSON event files (plain or .gz; - for stdin)',
  usage: `tripline ingest FILE… [--db sqlite:PATH|postgres://…] [--decisions OUT] [--policy FILE] [--tenant T] [--json]

  Reads native v1 events, one JSON object a line, in constant memory, and
  scores every step (allow, challenge or deny, with reasons). Bad lines
  are reported with their line number and written to a quarantine file beside
  the database; the rest goes on. Re-ingesting a file stores nothing twice.

  --format native   the only format so far (vendor adapters come later)
  --decisions OUT   write one decision per event (allow/challenge/deny, score,
                    reasons; DESIGN.md's shape) to OUT as NDJSON, in input order
  --policy FILE     decision thresholds (docs/POLICY.md); the defaults otherwise
  --tenant T        tenant for events that name none (default "default")
  --quarantine F    where rejected lines go (default: beside the SQLite file,
                    ./tripline.quarantine.ndjson for PostgreSQL)
  --json            print the summary as JSON on stdout
  --fail-on-reject  exit with code 3 when any line was rejected`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        quarantine: { type: 'string' },
        decisions: { type: 'string' },
        policy: { type: 'string' },
        format: { type: 'string', default: 'native' },
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
        'fail-on-reject': { type: 'boolean', default: false },
      },
    });
    if (positionals.length === 0)
      throw new UsageError('ingest: name at least one FILE (or - for stdin)');
    if (values.format !== 'native') {
      throw new UsageError(`--format: unknown format "${values.format}" (supported: native)`);
    }
    const app = await openTripline({
      ...(values.db ? { db: values.db } : {}),
      ...(values.quarantine ? { quarantine: values.quarantine } : {}),
      ...(values.policy ? { policy: values.policy } : {}),
    });
    const bar = new ProgressBar(io);
    let shown = 0;
    try {
      const summary = await ingestEventFiles(app, positionals, {
        stdin: io.stdin as Readable,
        ...(values.tenant ? { defaultTenant: values.tenant } : {}),
        ...(values.decisions ? { decisions: values.decisions } : {}),
        onProgress: (p) =>
          bar.update(p.bytesTotal ? p.bytesRead / p.bytesTotal : undefined, progressText(p)),
        onReject: (r) => {
          if (shown++ < 10) {
            bar.done();
            io.stderr.write(`${r.source}:${r.line}: rejected: ${r.message}\n`);
          } else if (shown === 11) {
            io.stderr.write('… more rejected lines: see the quarantine file\n');
          }
        },
      });
      bar.done();
      printIngestSummary(io, summary, values.json, { noun: 'events', where: app.store.location });
      if (!values.json && summary.rejected > 0) {
        io.stderr.write(
          `${formatCount(summary.rejected)} rejected line(s) kept in ${summary.quarantine}\n`,
        );
      }
      return values['fail-on-reject'] && summary.rejected > 0 ? 3 : 0;
    } finally {
      bar.done();
      await app.close();
    }
  },
};
