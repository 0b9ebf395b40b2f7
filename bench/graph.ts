/**
 * `npm run bench:graph`: the recovery graph at scale — build time, query
 * latency (recoverers and blast radius at depth 4) and memory, for two
 * adjacency structures: the compressed sparse row index the graph uses, and
 * per-node arrays (the graph's overlay alone, never indexed).
 *
 *   npm run bench:graph                         # 1,000,000 accounts, ~2M edges
 *   npm run bench:graph -- --accounts 100000
 *
 * Each structure runs in its own process so its memory is its own. Accounts
 * get a plausible recovery set-up (deterministic): a backup mailbox that is
 * often another hosted account (sometimes in a loop), else external; a phone;
 * sometimes security questions or an authenticator.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { DirectoryRecord, RecoveryMethod } from '../src/domain/directory-record.js';
import { RecoveryGraph } from '../src/graph/recovery-graph.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '2000' },
    structure: { type: 'string' },
  },
});
const accounts = Number(values.accounts);
const queries = Number(values.queries);

if (!values.structure) {
  process.stdout.write(
    `Recovery graph, ${accounts.toLocaleString('en-US')} accounts, ${queries} queries of each kind at depth 4, Node ${process.version}\n\n` +
      '| structure | nodes | edges | build s | recoverers p50 / p99 ms | blast radius p50 / p99 ms | heap+buffers MiB (graph) | peak RSS MiB |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n',
  );
  for (const structure of ['csr', 'arrays']) {
    const r = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        import.meta.filename,
        '--accounts',
        String(accounts),
        '--queries',
        String(queries),
        '--structure',
        structure,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`bench child failed (${structure})`);
    process.stdout.write(r.stdout);
  }
  process.exit(0);
}

const gc = (globalThis as { gc?: () => void }).gc!;
let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const records: DirectoryRecord[] = [];
for (let i = 0; i < accounts; i++) {
  const recovery: RecoveryMethod[] = [];
  const r = rand();
  if (r < 0.55) {
    // A hosted backup: a neighbour (families, colleagues) — chains and loops.
    const j = (i + 1 + Math.floor(rand() * 50)) % accounts;
    recovery.push({ channel: 'email', address: `u${j}@mail.example` });
  } else if (r < 0.9) {
    recovery.push({ channel: 'email', address: `x${i}@elsewhere.example` });
  }
  if (rand() < 0.75)
    recovery.push({ channel: 'phone', address: `+1555${String(i).padStart(7, '0')}` });
  if (rand() < 0.2) recovery.push({ channel: 'kba' });
  if (rand() < 0.15) recovery.push({ channel: 'authenticator' });
  records.push({
    tenant: 'default',
    account: { id: `u${i}`, email: `u${i}@mail.example` },
    recovery,
    mfa: rand() < 0.4 ? ['totp'] : [],
  });
}
gc();
const before = usage();
const t0 = performance.now();
const graph = new RecoveryGraph();
graph.loadDirectory(records, { index: values.structure === 'csr' });
const buildSeconds = (performance.now() - t0) / 1000;
gc();
const memory = usage() - before;

const time = (fn: (id: string) => unknown): [number, number] => {
  const ts: number[] = [];
  for (let q = 0; q < queries; q++) {
    const id = `u${Math.floor(rand() * accounts)}`;
    const t = performance.now();
    fn(id);
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return [ts[Math.floor(ts.length / 2)]!, ts[Math.floor(ts.length * 0.99)]!];
};
const up = time((id) => graph.recoverers('default', id, { depth: 4 }));
const down = time((id) => graph.blastRadius('default', id, { depth: 4 }));
const ms = ([a, b]: [number, number]) => `${a.toFixed(3)} / ${b.toFixed(3)}`;
process.stdout.write(
  `| ${values.structure === 'csr' ? 'CSR index (used)' : 'per-node arrays'} | ${graph.nodeCount.toLocaleString('en-US')} | ${graph.edgeCount.toLocaleString('en-US')} | ${buildSeconds.toFixed(1)} | ${ms(up)} | ${ms(down)} | ${Math.round(memory / 1048576)} | ${Math.round(process.resourceUsage().maxRSS / 1024)} |\n`,
);
if (records.length < 0) process.exit(1); // records stay alive until measured

function usage(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
