/**
 * `npm run bench:http`: POST /v1/events on loopback — latency at a fixed
 * 1,000 requests/s, then the maximum sustained rate. Each request is a real
 * simulated event (enriched, scored, committed before the 2xx).
 *
 *   npm run bench:http [-- --rate 1000 --seconds 15]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { simulate } from '../src/simulate/index.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '15' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const out = join(import.meta.dirname, 'out');
const data = join(out, 'http-mixed-3000x30-s1002');
if (!existsSync(join(data, 'truth.json'))) {
  await simulate({ scenario: 'mixed', seed: 1002, outDir: data, accounts: 3000, days: 30 });
}
const lines = readFileSync(join(data, 'events.ndjson'), 'utf8').trim().split('\n');
const db = join(out, 'http-bench.db');
for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(import.meta.dirname, '..', 'src', 'cli', 'run.ts'),
    'serve',
    '--port',
    '0',
    '--db',
    `sqlite:${db}`,
    '--insecure-no-auth',
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
const url = await new Promise<string>((resolve, reject) => {
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
    const m = /listening on (http:\/\/\S+)/.exec(err);
    if (m) resolve(m[1]!);
  });
  child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
});

let next = 0;
const request: autocannon.Request = {
  method: 'POST',
  path: '/v1/events',
  headers: { 'content-type': 'application/json' },
  setupRequest: (req) => ({ ...req, body: lines[next++ % lines.length]! }),
};

async function run(title: string, options: Partial<autocannon.Options>) {
  const result = await autocannon({
    url,
    connections: 20,
    duration: seconds,
    requests: [request],
    ...options,
  });
  const l = result.latency;
  process.stdout.write(
    `| ${title} | ${Math.round(result.requests.average)} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} | ${result.non2xx} | ${result.errors} |\n`,
  );
}

try {
  process.stdout.write(
    `POST /v1/events on loopback, ${seconds} s each after a 5 s warm-up, real simulated events (enriched, scored, committed), SQLite, Node ${process.version}\n\n` +
      '| load | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n',
  );
  // Warm-up, not reported: JIT, and the IP databases load on the first lookups.
  await autocannon({ url, connections: 10, duration: 5, overallRate: rate, requests: [request] });
  await run(`fixed ${rate} req/s`, { overallRate: rate });
  await run('maximum (50 connections)', { connections: 50 });
} finally {
  child.kill('SIGTERM');
}
