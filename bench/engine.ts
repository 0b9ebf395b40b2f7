/**
 * `npm run bench:engine`: the risk engine alone — scoring cost per event and
 * memory per tracked account — at 100,000 and 1,000,000 accounts.
 *
 *   npm run bench:engine                        # 100k and 1M accounts
 *   npm run bench:engine -- --accounts 100000   # one size
 *
 * Each size runs in its own process. Accounts get a synthetic but plausible
 * life (deterministic by seed): a home network and a mobile carrier address
 * drawn from real routed IPv4 space, one or two devices, a browser, sign-ins
 * on most days, the occasional failed password, reset and MFA step. Events
 * go through the full engine (enrichment → detectors → policy → learning) in
 * time order, as `tripline ingest` runs them; nothing is stored.
 *
 * Memory per account is the heap (after a full GC) plus typed-array backing
 * stores, minus the same engine before any event (databases open), divided by
 * the accounts: it includes what grows with sources rather than accounts
 * (cross-account source statistics, population tables, the address cache).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NativeEvent } from '../src/domain/event.js';
import { RiskEngine } from '../src/detect/risk-engine.js';
import { Enricher } from '../src/enrich/enricher.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', multiple: true },
    days: { type: 'string', default: '14' },
    child: { type: 'boolean', default: false },
    restore: { type: 'string' },
  },
});
const days = Number(values.days);

if (values.restore) {
  const data = readFileSync(values.restore);
  const engine = new RiskEngine({ enricher: Enricher.load() });
  const t = performance.now();
  engine.restore(data);
  process.stdout.write(`${(performance.now() - t) / 1000}\n`);
  process.exit(0);
}

if (!values.child) {
  const sizes = values.accounts ?? ['100000', '1000000'];
  process.stdout.write(
    '| accounts | events | µs/event | events/s | heap+buffers MiB | bytes/account | peak RSS MiB | snapshot MiB | capture s | save s | restore s |\n' +
      '| -------: | -----: | -------: | -------: | ---------------: | ------------: | -----------: | -----------: | --------: | -----: | --------: |\n',
  );
  for (const n of sizes) {
    const r = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        import.meta.filename,
        '--child',
        '--accounts',
        n,
        '--days',
        String(days),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`bench child failed for ${n} accounts`);
    process.stderr.write(r.stdout);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    process.stdout.write(
      `| ${fmt(m.accounts!)} | ${fmt(m.events!)} | ${m.usPerEvent!.toFixed(2)} | ${fmt(m.eventsPerSecond!)} | ${fmt(m.stateMiB!)} | ${fmt(m.bytesPerAccount!)} | ${fmt(m.peakRssMiB!)} | ${fmt(m.snapshotMiB!)} | ${m.captureSeconds!.toFixed(1)} | ${m.snapshotSeconds!.toFixed(1)} | ${m.restoreSeconds!.toFixed(1)} |\n`,
    );
  }
  process.exit(0);
}

const accounts = Number(values.accounts?.[0] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc!;

/** Mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);

// Real, routed space: residential ISPs and mobile carriers (first two octets).
const HOME_NETS = [
  [73, 74],
  [24, 6],
  [98, 210],
  [71, 192],
  [76, 103],
  [79, 211],
  [84, 56],
  [86, 10],
  [91, 64],
  [109, 40],
  [151, 40],
  [176, 0],
  [2, 84],
  [90, 116],
  [81, 164],
  [62, 195],
] as const;
const MOBILE_NETS = [
  [172, 56],
  [174, 192],
  [100, 128],
  [31, 94],
  [37, 200],
  [46, 114],
] as const;
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const ip = (net: readonly [number, number]) =>
  `${net[0]}.${net[1]}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;

interface Life {
  home: string;
  mobile: string;
  devices: string[];
  ua: string;
}
const lives: Life[] = [];
for (let i = 0; i < accounts; i++) {
  lives.push({
    home: ip(pick(HOME_NETS)),
    mobile: ip(pick(MOBILE_NETS)),
    devices: rand() < 0.4 ? [`d${i}a`, `d${i}b`] : [`d${i}a`],
    ua: pick(UAS),
  });
}

const enricher = Enricher.load();
const engine = new RiskEngine({ enricher });
// The databases open on first use: open them before the baseline, so it holds them.
enricher.enrich({
  id: 'warm',
  time: '2026-10-01T00:00:00Z',
  tenant: 'default',
  type: 'signin',
  outcome: 'success',
  account: { id: 'warm' },
  source: { ip: '73.74.250.71', user_agent: UAS[0]! },
});
gc();
const before = usage();

const T0 = Date.UTC(2026, 9, 1);
let events = 0;
let elapsed = 0;
let seq = 0;
const batch: NativeEvent[] = [];
for (let d = 0; d < days; d++) {
  // One day of events, in time order, interleaved across accounts.
  batch.length = 0;
  const times: number[] = [];
  for (let i = 0; i < accounts; i++) {
    const life = lives[i]!;
    const n = rand() < 0.75 ? 1 + Math.floor(rand() * 2) : 0;
    for (let k = 0; k < n; k++) {
      const at = T0 + d * 86_400_000 + Math.floor(rand() * 86_400_000);
      const roll = rand();
      const type: NativeEvent['type'] =
        roll < 0.01 ? 'password.reset.requested' : roll < 0.06 ? 'mfa.challenge' : 'signin';
      batch.push({
        id: `e${++seq}`,
        time: new Date(at).toISOString(),
        tenant: 'default',
        type,
        outcome: rand() < 0.05 && type === 'signin' ? 'failure' : 'success',
        account: { id: `user-${i}@example.org` },
        source: {
          ip: rand() < 0.7 ? life.home : life.mobile,
          user_agent: life.ua,
          device_id: pick(life.devices),
        },
      } as NativeEvent);
      times.push(at);
    }
  }
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const t = performance.now();
  for (const i of order) engine.process(batch[i]!, times[i]!);
  elapsed += performance.now() - t;
  events += batch.length;
}
batch.length = 0;
gc();
gc();
const after = usage();
const state = after - before;
// What saving and restoring that state costs (tripline saves it on close).
const t = performance.now();
const captured = engine.capture(); // what tripline serve holds the writer for
const captureSeconds = (performance.now() - t) / 1000;
const snapshot = RiskEngine.encode(captured);
const snapshotSeconds = (performance.now() - t) / 1000;
// Restored in a fresh process, as a restart would.
const file = join(tmpdir(), `tripline-engine-bench-${process.pid}.snapshot`);
writeFileSync(file, snapshot);
const restored = spawnSync(
  process.execPath,
  ['--max-old-space-size=8192', '--import', 'tsx', import.meta.filename, '--restore', file],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
rmSync(file, { force: true });
if (restored.status !== 0) throw new Error('restore child failed');
const restoreSeconds = Number(restored.stdout.trim());
process.stdout.write(
  JSON.stringify({
    accounts,
    events,
    usPerEvent: (elapsed * 1000) / events,
    eventsPerSecond: Math.round((events / elapsed) * 1000),
    stateMiB: Math.round(state / 1048576),
    bytesPerAccount: Math.round(state / accounts),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    profiles: engine.accounts,
    profileArenaMiB: Math.round(engine.arena.bytes / 1048576),
    sources: engine.sources.size,
    snapshotMiB: Math.round(snapshot.length / 1048576),
    captureSeconds,
    snapshotSeconds,
    restoreSeconds,
  }) + '\n',
);
// Keep the engine and the synthetic lives alive until measured.
if (engine.accounts < 0 || lives.length < 0) process.exit(1);

function usage(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
