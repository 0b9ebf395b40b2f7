/**
 * `npm run bench:http`: POST /v1/events on loopback — latency at a fixed
 * 1,000 requests/s, then the maximum sustained rate. Each request is a real
 * simulated event (enriched, scored, committed before the 2xx).
 *
 *   npm run bench:http [-- --rate 1000 --seconds 15]
 *
 * The fixed rate is an open-loop pacer of our own: one request every
 * 1000/rate ms on keep-alive connections, latency counted from when each
 * request was *due*, so a stall delays the requests behind it and shows in the
 * figures (no coordinated omission). autocannon's own rate limit is not used
 * for it: it lets each connection send its quota as fast as it can at the
 * start of every second, then idles — a burst at full speed, not a rate.
 * It runs twice: on raw sockets (raw-pacer.ts), whose own work per request is
 * small, and with Node's `http` client, which sends late more often on a
 * machine whose cores it shares with the server (both rows are printed).
 * The maximum rate is autocannon with 50 connections.
 *
 *   npm run bench:http -- --pin
 *
 * `--pin` puts the server on core 0 and this load generator on core 1
 * (`taskset`, Linux), as when clients are other machines: otherwise the
 * generator's own work competes with the server for the same two cores and
 * shows as server latency. On one core the server writes SQLite on its main
 * thread (the `auto` writer mode).
 */
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { simulate } from '../src/simulate/index.js';
import { pacedPosts } from './raw-pacer.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '15' },
    pin: { type: 'boolean', default: false },
  },
});
if (values.pin) {
  // This process's every thread on core 1; the server is started on core 0 below.
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}
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

const serverArgs = [
  process.execPath,
  '--import',
  'tsx',
  join(import.meta.dirname, '..', 'src', 'cli', 'run.ts'),
  'serve',
  '--port',
  '0',
  '--db',
  `sqlite:${db}`,
  '--insecure-no-auth',
];
const child = values.pin
  ? spawn('taskset', ['-c', '0', ...serverArgs], { stdio: ['ignore', 'ignore', 'pipe'] })
  : spawn(serverArgs[0]!, serverArgs.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
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

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Collects this process's garbage before a paced run, so that the previous
 * phase's (autocannon's) is not collected in the middle of it: a full
 * collection here paused the generator for tens of milliseconds, and the
 * requests due meanwhile showed it as latency.
 */
async function settleGenerator(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** Open loop on raw sockets (raw-pacer.ts): the generator's own work kept small. */
async function pacedRaw(title: string): Promise<void> {
  const r = await pacedPosts(new URL('/v1/events', url), lines, rate, seconds);
  const at = (q: number) =>
    r.latencies[Math.min(r.latencies.length - 1, Math.floor(q * r.latencies.length))]!;
  const ms = (x: number) => x.toFixed(1);
  const late = r.lateness[Math.floor(0.99 * r.lateness.length)]!;
  process.stdout.write(
    `| ${title} | ${Math.round(r.latencies.length / r.elapsed)} | ${ms(at(0.5))} | ${ms(at(0.9))} | ${ms(at(0.99))} | ${ms(at(1 - 1e-9))} | ${r.non2xx} | ${r.errors} |\n`,
  );
  lateNote = `The raw-socket generator sent its requests up to ${ms(late)} ms late at the 99th percentile (counted in its latencies), on ${r.connections} connections.`;
}
let lateNote = '';

/** Open loop: a request due every 1000/rate ms, latency from when it was due. */
async function paced(title: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  const target = new URL('/v1/events', url);
  const start = performance.now();
  await new Promise<void>((finish) => {
    let sent = 0;
    const settle = () => {
      if (++done === total) finish();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < due; sent++) {
        const dueAt = start + sent * interval;
        const body = lines[next++ % lines.length]!;
        const req = http.request(
          target,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - dueAt);
              if (res.statusCode! >= 300) non2xx++;
              settle();
            });
          },
        );
        req.on('error', () => {
          errors++;
          settle();
        });
        req.end(body);
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const ms = (x: number) => x.toFixed(1);
  process.stdout.write(
    `| ${title} | ${Math.round(total / elapsed)} | ${ms(at(0.5))} | ${ms(at(0.9))} | ${ms(at(0.99))} | ${ms(at(1 - 1e-9))} | ${non2xx} | ${errors} |\n`,
  );
}

try {
  process.stdout.write(
    `POST /v1/events on loopback, ${seconds} s each after a 10 s paced warm-up, real simulated events (enriched, scored, committed), SQLite, Node ${process.version}` +
      `${values.pin ? ', server pinned to core 0 and the load generator to core 1' : ', server and load generator sharing the cores'}\n\n` +
      '| load | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n',
  );
  // Warm-up, not reported: JIT, and the IP databases load on the first
  // lookups. Paced as the measured runs are: after a warm-up by autocannon's
  // bursts, the first paced run was the slowest whichever generator ran it.
  await pacedPosts(new URL('/v1/events', url), lines, rate, 10);
  await settleGenerator();
  await pacedRaw(`fixed ${rate} req/s (raw sockets)`);
  await settleGenerator();
  await paced(`fixed ${rate} req/s (node:http client)`);
  await run('maximum (50 connections)', { connections: 50 });
  process.stdout.write(`\n${lateNote}\n`);
} finally {
  child.kill('SIGTERM');
}
