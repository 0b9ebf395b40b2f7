import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { importDirectoryFiles, openTripline } from '../../app.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { formatCount, ProgressBar } from '../progress-bar.js';
import { printIngestSummary, progressText } from './ingest-output.js';

export const directoryCommand: Command = {
  name: 'directory',
  summary: 'Import directory records (accounts and their recovery set-up)',
  usage: `tripline directory import FILE… [--db …] [--tenant T] [--json]

  Loads NDJSON directory records (DESIGN.md); a record for an account already
  known replaces it ("updated" in the summary). Bad lines are quarantined.`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'import')
      throw new UsageError(`directory: unknown subcommand "${sub ?? ''}" (expected import)`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        quarantine: { type: 'string' },
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length === 0) throw new UsageError('directory import: name at least one FILE');
    const app = await openTripline({
      ...(values.db ? { db: values.db } : {}),
      ...(values.quarantine ? { quarantine: values.quarantine } : {}),
    });
    const bar = new ProgressBar(io);
    try {
      const summary = await importDirectoryFiles(app, positionals, {
        stdin: io.stdin as Readable,
        ...(values.tenant ? { defaultTenant: values.tenant } : {}),
        onProgress: (p) =>
          bar.update(p.bytesTotal ? p.bytesRead / p.bytesTotal : undefined, progressText(p)),
        onReject: (r) => io.stderr.write(`${r.source}:${r.line}: rejected: ${r.message}\n`),
      });
      bar.done();
      printIngestSummary(io, summary, values.json, {
        noun: 'directory records',
        where: app.store.location,
        duplicates: 'updated',
      });
      if (!values.json && summary.rejected > 0) {
        io.stderr.write(
          `${formatCount(summary.rejected)} rejected line(s) kept in ${summary.quarantine}\n`,
        );
      }
      return 0;
    } finally {
      bar.done();
      await app.close();
    }
  },
};
