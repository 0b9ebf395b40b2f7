/**
 * `npm run bench:campaign-http`: a campaign of 10,000+ targets over HTTP
 * (issue #5: it loads in under 200 ms).
 *
 *   npm run bench:campaign-http
 *   npm run bench:campaign-http -- --requests 200 --rebuild
 *
 * The store: the simulator's `password-spray` scenario, seed 47, 23,000
 * accounts × 7 days — one spray against 45 % of the organisation (10,319
 * accounts) from up to 2,000 residential-proxy addresses, among everyone's
 * ordinary traffic — ingested and scored into SQLite under bench/out/ once
 * (`tripline ingest` does the same), then reopened from its saved state.
 *
 * The server runs in this process (buildServer, as `tripline serve` does,
 * with API keys on) and is asked over loopback HTTP, one request at a time on
 * a keep-alive connection; a request is timed from when it is sent to the
 * last byte of the response. For each route:
 *
 * - first: the first request of the route in the process — the views
 *   computed, by code not yet optimised by the JIT (the API key is verified
 *   beforehand by one request elsewhere: scrypt, once per key and process);
 * - cold: the cached views dropped (`CampaignBook.invalidate`, what a change
 *   of attribution knowledge does) before each request; the clusters'
 *   running tallies (campaign-tally.ts) stay, as they do when new events
 *   arrive (a restore builds them, so the first request has them too);
 * - warm: the same request again, the view cached (as long as no event
 *   arrives; any new event makes the next request cold).
 */
import http from 'node:http';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importDirectoryFiles, ingestEventFiles, openTripline } from '../src/app.js';
import { buildServer } from '../src/api/server.js';
import { Correlator } from '../src/correlate/correlator.js';
import type { Campaign } from '../src/domain/campaign.js';
import { simulate } from '../src/simulate/index.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '23000' },
    days: { type: 'string', default: '7' },
    seed: { type: 'string', default: '47' },
    requests: { type: 'string', default: '50' },
    cold: { type: 'string', default: '10' },
    rebuild: { type: 'boolean', default: false },
  },
});
const accounts = Number(values.accounts);
const days = Number(values.days);
const seed = Number(values.seed);
const WARM = Math.max(1, Number(values.requests));
const COLD = Math.max(1, Number(values.cold));
const MIN_TARGETS = 10_000;
const TARGET_MS = 200;

const out = join(import.meta.dirname, 'out');
const name = `spray-${accounts}x${days}-s${seed}`;
const dataDir = join(out, name);
const dbPath = join(out, `campaign-http-${accounts}x${days}-s${seed}.db`);
const db = `sqlite:${dbPath}`;
const log = (text: string) => process.stderr.write(`${text}\n`);
mkdirSync(out, { recursive: true });

if (!existsSync(join(dataDir, 'truth.json'))) {
  log(`simulating password-spray, ${accounts} accounts × ${days} days into ${dataDir}…`);
  await simulate({ scenario: 'password-spray', seed, outDir: dataDir, accounts, days });
}
if (values.rebuild || !existsSync(dbPath)) {
  for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
  log(`ingesting into ${dbPath}…`);
  const t = performance.now();
  const app = await openTripline({ db });
  try {
    await importDirectoryFiles(app, [join(dataDir, 'directory.ndjson')]);
    const s = await ingestEventFiles(app, [join(dataDir, 'events.ndjson')]);
    log(
      `  ${s.accepted.toLocaleString('en-US')} events in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  } finally {
    await app.close();
  }
}

const opened = performance.now();
const app = await openTripline({ db });
const openSeconds = (performance.now() - opened) / 1000;
const server = await buildServer(app);
const { key, row } = await app.keys.create({ scope: 'read', name: 'campaign-http-bench' });
const base = await server.listen({ port: 0, host: '127.0.0.1' });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET: status, body and milliseconds from sending to the last byte. */
function get(path: string): Promise<{ status: number; body: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(
      new URL(path, base),
      { agent, headers: { authorization: `Bearer ${key}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

async function ok(path: string): Promise<{ body: Buffer; ms: number }> {
  const r = await get(path);
  if (r.status !== 200)
    throw new Error(`GET ${path}: ${r.status} ${r.body.toString().slice(0, 200)}`);
  return r;
}

const book = app.campaigns!;
// The largest campaign, read from the correlator so no view is computed before the first request.
const correlator = app.engine!.correlator;
if (!(correlator instanceof Correlator)) throw new Error('no correlator');
const largest = correlator
  .campaigns('default')
  .reduce((a, b) => (b.accounts.size > a.accounts.size ? b : a));
const id = largest.campaignId!;

// Verifies the API key (scrypt, ~50 ms, then cached) on a route that reads no campaign.
await get('/v1/actors');

const ROUTES = [
  { label: '`GET /v1/campaigns/:id`', path: `/v1/campaigns/${id}` },
  { label: '`GET /v1/campaigns?view=summary`', path: '/v1/campaigns?view=summary' },
  { label: '`GET /v1/campaigns` (full)', path: '/v1/campaigns' },
  { label: '`GET /v1/campaigns/:id/stix`', path: `/v1/campaigns/${id}/stix` },
] as const;

const pct = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (x: number) => x.toFixed(1);
const rows: string[] = [];
let campaign: Campaign | undefined;
let oneWarmP99 = Infinity;
let oneFirst = Infinity;
let oneColdMax = Infinity;
for (const route of ROUTES) {
  book.invalidate();
  const first = await ok(route.path);
  const cold: number[] = [];
  for (let i = 0; i < COLD; i++) {
    book.invalidate();
    cold.push((await ok(route.path)).ms);
  }
  const warm: number[] = [];
  for (let i = 0; i < WARM; i++) warm.push((await ok(route.path)).ms);
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  if (route.path === `/v1/campaigns/${id}`) {
    campaign = JSON.parse(first.body.toString()) as Campaign;
    oneFirst = first.ms;
    oneWarmP99 = pct(warm, 0.99);
    oneColdMax = cold[cold.length - 1]!;
  }
  rows.push(
    `| ${route.label} | ${(first.body.length / 1048576).toFixed(2)} | ${ms(first.ms)} | ${ms(pct(cold, 0.5))} / ${ms(cold[cold.length - 1]!)} | ${ms(pct(warm, 0.5))} / ${ms(pct(warm, 0.99))} / ${ms(warm[warm.length - 1]!)} |`,
  );
  log(`${route.path}: first ${ms(first.ms)} ms, warm p50 ${ms(pct(warm, 0.5))} ms`);
}

await app.keys.revoke(row.id);
agent.destroy();
await server.close();
await app.close();

if (!campaign || campaign.targeted_count < MIN_TARGETS || campaign.targets.length < MIN_TARGETS)
  throw new Error(
    `campaign ${id} has ${campaign?.targeted_count} targets, expected ≥ ${MIN_TARGETS}`,
  );

const fmt = (n: number) => n.toLocaleString('en-US');
process.stdout.write(
  `Campaign over HTTP: ${id} (${campaign.name}), ${fmt(campaign.targeted_count)} targets, ${fmt(campaign.compromised_count)} compromised, ` +
    `${fmt(campaign.events ?? 0)} events, ${fmt(campaign.infrastructure.ips.length)} addresses; store ${name} (SQLite), ` +
    `opened in ${openSeconds.toFixed(1)} s (${app.restored?.from}, ${fmt(app.restored?.replayed ?? 0)} events replayed); Node ${process.version}\n\n` +
    `Loopback HTTP, server in process, API key on, one request at a time; cold: views dropped before each of ${COLD}; warm: ${WARM} requests.\n\n` +
    '| request | response MiB | first ms | cold p50 / max ms | warm p50 / p99 / max ms |\n| --- | ---: | ---: | ---: | ---: |\n' +
    rows.join('\n') +
    `\n\nTarget: the campaign object in < ${TARGET_MS} ms — ${Math.max(oneFirst, oneColdMax, oneWarmP99) < TARGET_MS ? 'met' : '**missed**'} ` +
    `(first ${ms(oneFirst)} ms, cold max ${ms(oneColdMax)} ms, warm p99 ${ms(oneWarmP99)} ms). Peak RSS ${fmt(Math.round(process.resourceUsage().maxRSS / 1024))} MiB.\n`,
);
