import type { IngestProgress, IngestSummary } from '../../ingest/ingest-ndjson.js';
import type { CliIo } from '../command.js';
import { formatCount } from '../progress-bar.js';

export function progressText(p: IngestProgress): string {
  const file = p.files > 1 ? `${p.fileIndex + 1}/${p.files} ` : '';
  return `${file}${formatCount(p.accepted)} accepted, ${formatCount(p.duplicates)} duplicates, ${formatCount(p.rejected)} rejected`;
}

export function printIngestSummary(
  io: CliIo,
  summary: IngestSummary,
  json: boolean | undefined,
  labels: { noun: string; where: string; duplicates?: string },
): void {
  if (json) {
    io.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  const rate = summary.seconds > 0 ? Math.round(summary.lines / summary.seconds) : 0;
  io.stdout.write(
    `${formatCount(summary.accepted)} accepted, ${formatCount(summary.duplicates)} ${labels.duplicates ?? 'duplicates'}, ` +
      `${formatCount(summary.rejected)} rejected ${labels.noun} from ${summary.files} file(s) ` +
      `in ${summary.seconds.toFixed(1)} s (${formatCount(rate)}/s) into ${labels.where}\n`,
  );
}
