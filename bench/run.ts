/**
 * `npm run bench`: file ingest of simulated events into SQLite and PostgreSQL,
 * then correlation against scoring (bench/correlate.ts), a 10k-target
 * campaign over HTTP (bench/campaign-http.ts) and the same campaign's view in
 * process (bench/campaign-view.ts, on the store the one before built).
 *
 *   npm run bench                      # 1M+ events (20,000 accounts × 30 days)
 *   npm run bench -- --accounts 3000   # quicker
 *   npm run bench -- --only sqlite     # one part: sqlite, postgres, correlate, campaign-http, campaign-view
 *   npm run bench -- --only adapters   # vendor adapters (bench/adapters.ts; not in the default run)
 *
 * The last two run with their own defaults (`npm run bench:correlate -- …`
 * and `npm run bench:campaign-http -- …` take their options).
 *
 * The data set is simulated once into bench/out/ and reused. Each run ingests
 * into a fresh database in a child process and reports events/s, CPU seconds
 * and peak RSS. Paste the table into docs/PERFORMANCE.md with the command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { simulate } from '../src/simulate/index.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '20000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1001' },
    pg: {
      type: 'string',
      default: process.env.TRIPLINE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});
/** Benches in files of their own, run after the ingest tables (or alone with --only). */
const SEPARATE = ['correlate', 'campaign-http', 'campaign-view'] as const;
/** Run only with --only (or `npm run bench:adapters`): they take several minutes. */
const ON_REQUEST = ['adapters'] as const;
function runSeparate(name: (typeof SEPARATE)[number] | (typeof ON_REQUEST)[number]): void {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, `${name}.ts`)],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`bench/${name}.ts failed`);
}
const separate = [...SEPARATE, ...ON_REQUEST].find((name) => name === values.only);
if (separate) {
  runSeparate(separate);
  process.exit(0);
}

const accounts = Number(values.accounts);
const days = Number(values.days);
const seed = Number(values.seed);
const RUNS = Math.max(1, Number(values.runs));
const out = join(import.meta.dirname, 'out');
const dataDir = join(out, `mixed-${accounts}x${days}-s${seed}`);
mkdirSync(out, { recursive: true });

if (!existsSync(join(dataDir, 'truth.json'))) {
  process.stderr.write(`simulating ${accounts} accounts × ${days} days into ${dataDir}…\n`);
  const t = performance.now();
  const s = await simulate({ scenario: 'mixed', seed, outDir: dataDir, accounts, days });
  process.stderr.write(
    `  ${s.events} events in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
}
const events = join(dataDir, 'events.ndjson');
const lines = Number(execFileSync('wc', ['-l', events]).toString().trim().split(/\s+/)[0]);
const mib = statSync(events).size / 1024 / 1024;

interface Result {
  accepted: number;
  seconds: number;
  eventsPerSecond: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

// The heap is capped: a run that completes shows ingest memory does not grow with the file.
const HEAP_MIB = 128;
// Scoring keeps state per account and per source (profiles, population, sources):
// it grows with the accounts, not with the file.
const SCORED_HEAP_MIB = 1024;

type Mode = 'store-only' | 'scored';

function runWorker(db: string, mode: Mode): Result {
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${mode === 'store-only' ? HEAP_MIB : SCORED_HEAP_MIB}`,
      // What `tripline ingest` runs with (bin/tripline): a 64 MiB young generation.
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      join(import.meta.dirname, 'ingest-worker.ts'),
      db,
      events,
      mode,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`ingest worker failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as Result;
}

const rows: string[] = [];
// store-only is the issue #2 path (validate → store); scored adds enrich → score → decide.
// Scoring runs are slower, so they run once.
const MODES: { mode: Mode; label: string; runs: number }[] = [
  { mode: 'store-only', label: 'store only', runs: RUNS },
  { mode: 'scored', label: 'score + store', runs: RUNS },
];

if (!values.only || values.only === 'sqlite') {
  const path = join(out, 'bench.db');
  const clean = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  for (const { mode, label, runs: n } of MODES) {
    const runs: Result[] = [];
    for (let i = 1; i <= n; i++) {
      clean();
      process.stderr.write(`ingesting into SQLite, ${label} (run ${i}/${n})…\n`);
      runs.push(runWorker(`sqlite:${path}`, mode));
    }
    rows.push(row(`SQLite, ${label}`, median(runs), runs));
  }
  clean();
}
if (!values.only || values.only === 'postgres') {
  const schema = `tl_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: values.pg });
  try {
    await admin.connect();
    const url = new URL(values.pg);
    url.searchParams.set('options', `-c search_path=${schema}`);
    for (const { mode, label, runs: n } of MODES) {
      const runs: Result[] = [];
      for (let i = 1; i <= n; i++) {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
        process.stderr.write(`ingesting into PostgreSQL, ${label} (run ${i}/${n})…\n`);
        runs.push(runWorker(url.toString(), mode));
      }
      rows.push(row(`PostgreSQL, ${label}`, median(runs), runs));
    }
  } catch (error) {
    process.stderr.write(`PostgreSQL skipped: ${(error as Error).message}\n`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

function median(runs: Result[]): Result {
  return [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[
    Math.floor(runs.length / 2)
  ]!;
}

function row(name: string, r: Result, runs: Result[]): string {
  const rates = runs.map((x) => x.eventsPerSecond);
  const range = `${Math.min(...rates).toLocaleString('en-US')}–${Math.max(...rates).toLocaleString('en-US')}`;
  return `| ${name} | ${r.accepted.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | **${r.eventsPerSecond.toLocaleString('en-US')}** | ${range} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMiB} |`;
}

process.stdout.write(
  `File ingest of ${lines.toLocaleString('en-US')} events (${mib.toFixed(0)} MiB NDJSON, mixed scenario, seed ${seed}), Node ${process.version}\n\n` +
    `V8 heap capped at ${HEAP_MIB} MiB for store-only, ${SCORED_HEAP_MIB} MiB with scoring (--max-old-space-size).\n\n` +
    `Median of ${RUNS} runs (each into a fresh database).\n\n` +
    '| store | events | seconds | events/s | range of runs | CPU s (Node) | peak RSS MiB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
    rows.join('\n') +
    '\n',
);
if (!values.only) {
  for (const name of SEPARATE) {
    process.stdout.write('\n');
    runSeparate(name);
  }
}
