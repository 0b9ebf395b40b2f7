/**
 * Where a scored file ingest allocates: V8's sampling heap profiler with
 * collected objects included (what the young-generation collector copies and
 * frees), summed by function, per event. One process, one file:
 *
 *   node --import tsx bench/alloc-profile.ts sqlite:/tmp/a.db FILE [TOP]
 */
import { Session } from 'node:inspector/promises';
import { ingestEventFiles, openTripline } from '../src/app.js';

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

const [db, file, top = '30'] = process.argv.slice(2);
if (!db || !file) throw new Error('usage: alloc-profile DB FILE [TOP]');
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 16_384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const app = await openTripline({ db });
const summary = await ingestEventFiles(app, [file]);
await app.close();
const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
  profile: { head: SampleNode };
};
const bytes = new Map<string, number>();
let total = 0;
const walk = (n: SampleNode): void => {
  const { functionName, url, lineNumber } = n.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}`;
  bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize);
  total += n.selfSize;
  for (const c of n.children) walk(c);
};
walk(profile.head);
const perEvent = (b: number) => Math.round(b / summary.lines);
process.stdout.write(`${summary.lines} events, ${perEvent(total)} bytes allocated per event\n`);
for (const [key, b] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  process.stdout.write(`${String(perEvent(b)).padStart(7)} B/event  ${key}\n`);
