import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { ingestEventFiles, openTripline } from '../../app.js';
import { INGEST_FORMATS } from '../../ingest/ingest-records.js';
import type { RecordFormat } from '../../ingest/ingest-records.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { formatCount, ProgressBar } from '../progress-bar.js';
import { printIngestSummary, progressText } from './ingest-output.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Ingest event files: native or vendor logs (plain or .gz; - for stdin)',
  usage: `tripline ingest FILE… [--format auto|native|entra|okta|workspace|ocsf|m365]
                [--db sqlite:PATH|postgres://…] [--decisions OUT] [--policy FILE] [--tenant T] [--json]

  Reads native v1 events or a vendor's identity logs (NDJSON, JSON arrays or
  API responses such as Graph's {"value": […]}, as streams, in constant
  memory) and scores every step (allow, challenge or deny, with reasons).
  Vendor records are adapted to native events (docs/adapters/); records of
  kinds Tripline does not use are counted and skipped; bad records are
  reported with their position and written to a quarantine file beside the
  database; the rest goes on. Re-ingesting a file stores nothing twice.

  --format F        auto (default): each file's format told from its first
                    records, and said; native; entra (Microsoft Entra ID sign-in
                    and audit logs); okta (System Log); workspace (Google
                    Workspace login and user accounts reports); ocsf (OCSF 1.x
                    Authentication and Account Change); m365 (Microsoft 365
                    unified audit log: inbox rules, forwarding, sign-ins)
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
        format: { type: 'string', default: 'auto' },
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
        'fail-on-reject': { type: 'boolean', default: false },
      },
    });
    if (positionals.length === 0)
      throw new UsageError('ingest: name at least one FILE (or - for stdin)');
    const format = INGEST_FORMATS.find((f) => f === values.format);
    if (!format)
      throw new UsageError(
        `--format: unknown format "${values.format}" (expected ${INGEST_FORMATS.join(', ')})`,
      );
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
        format,
        onFormat: (f) => {
          if (values.json || (!f.detected && f.format === 'native')) return;
          bar.done();
          io.stderr.write(
            `${f.file}: ${f.detected ? 'detected ' : ''}${FORMAT_LABELS[f.format]}\n`,
          );
        },
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
      if (!values.json && summary.formats.some((f) => f.format !== 'native')) {
        io.stdout.write(
          `${formatCount(summary.records)} vendor record(s) gave ${formatCount(summary.events)} event(s)` +
            (summary.skipped.length
              ? `; skipped ${formatCount(summary.skipped.reduce((n, s) => n + s.count, 0))} of kinds Tripline does not use:\n`
              : '\n'),
        );
        for (const k of summary.skipped.slice(0, 15))
          io.stdout.write(`  ${formatCount(k.count).padStart(8)}  ${k.reason}\n`);
        if (summary.skipped.length > 15)
          io.stdout.write(`  … and ${summary.skipped.length - 15} more kinds (--json lists all)\n`);
      }
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

const FORMAT_LABELS: Readonly<Record<RecordFormat, string>> = {
  native: 'native events',
  entra: 'Microsoft Entra ID logs (entra)',
  okta: 'Okta System Log (okta)',
  workspace: 'Google Workspace reports (workspace)',
  ocsf: 'OCSF events (ocsf)',
  m365: 'Microsoft 365 unified audit log (m365)',
};
