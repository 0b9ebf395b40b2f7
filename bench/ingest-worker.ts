/**
 * One measured ingest run, in its own process so its peak memory is its own.
 * Prints a JSON line: the ingest summary plus peak RSS.
 */
import { ingestEventFiles, openTripline } from '../src/app.js';

const [db, file, mode] = process.argv.slice(2);
if (!db || !file) throw new Error('usage: ingest-worker DB FILE [store-only]');
// store-only: the issue #2 path (validate → store), without the score and decide stages.
const app = await openTripline({ db, score: mode !== 'store-only' });
const cpuBefore = process.cpuUsage();
const summary = await ingestEventFiles(app, [file]);
const cpu = process.cpuUsage(cpuBefore);
await app.close();
process.stdout.write(
  JSON.stringify({
    ...summary,
    eventsPerSecond: Math.round(summary.lines / summary.seconds),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
