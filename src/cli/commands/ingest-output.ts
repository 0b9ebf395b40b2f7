import type { IngestProgress, IngestSummary } from '../../ingest/ingest-ndjson.js';
import type { CliIo } from '../command.js';
import { formatCount } from '../progress-bar.js';

export function progressText(p: IngestProgress): string {
  const file = p.files > 1 ? `file ${p.fileIndex + 1}/${p.files} · ` : '';
  const done = p.accepted + p.duplicates + p.rejected;
  const rate = p.seconds > 0.5 ? ` · ${formatCount(Math.round(done / p.seconds))}/s` : '';
  let eta = '';
  if (p.bytesTotal && p.bytesRead > 0 && p.seconds > 1 && p.files === 1) {
    const left = (p.seconds * (p.bytesTotal - p.bytesRead)) / p.bytesRead;
    eta = ` · ${Math.ceil(left)} s left`;
  }
  return `${file}${formatCount(p.accepted)} new · ${formatCount(p.duplicates)} dup · ${formatCount(p.rejected)} bad${rate}${eta}`;
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
