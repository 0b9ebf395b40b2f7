/**
 * `npm run bench:correlate`: does correlation keep up with the engine's
 * ingest rate? (issue #5: 1M events, about 1 % of them from attacks.)
 *
 *   npm run bench:correlate                       # mixed, 17,000 accounts × 30 days, seed 37
 *   npm run bench:correlate -- --accounts 3000    # quicker
 *
 * The data set is the simulator's `mixed` scenario (a recovery-abuse
 * campaign, a password spray, MFA fatigue and AiTM phishing among the
 * organisation's ordinary traffic), simulated once into bench/out/. Seed 37
 * at 17,000 accounts gives about a million events, of which about 1 % are
 * labelled as attack events in truth.json.
 *
 * Everything runs in one process, on the same events: the lines are kept in
 * memory, parsed and validated in batches of 10,000 as `tripline ingest` does,
 * and each batch is scored in event-time order. Only the scoring is timed
 * (enrichment → detectors → policy → learning, plus the correlate stage when
 * it is on); nothing is stored. Each round scores the events three times, on
 * a fresh engine each, the order rotating from round to round: without the
 * correlate stage; with a sink that takes the signals and drops them (what
 * building them costs the engine); with the correlator. Then:
 *
 * - one more run with the correlator's `observe` wrapped in a timer: signals
 *   sent, time per signal in place, the signals recorded;
 * - the recorded signals replayed into a fresh correlator alone: its own
 *   throughput in signals/s;
 * - the campaigns found, matched against truth.json;
 * - memory: the heap (after a full GC) that each engine holds beyond the
 *   loaded data, and the process's peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Correlator } from '../src/correlate/correlator.js';
import { RiskEngine } from '../src/detect/risk-engine.js';
import type { DirectoryRecord } from '../src/domain/directory-record.js';
import type { NativeEvent } from '../src/domain/event.js';
import type { CorrelationSignal, SignalSink } from '../src/domain/signal.js';
import { AsnDatabase } from '../src/enrich/asn-database.js';
import { Enricher } from '../src/enrich/enricher.js';
import { GeoDatabase } from '../src/enrich/geo-database.js';
import { NetworkClassifier } from '../src/enrich/network-classifier.js';
import { UserAgentParser } from '../src/enrich/user-agent-parser.js';
import { campaignMetrics } from '../src/evaluate/campaign-metrics.js';
import { parseTruth } from '../src/evaluate/truth-file.js';
import { RecoveryGraph } from '../src/graph/recovery-graph.js';
import { parseDirectoryLine } from '../src/ingest/parse-directory-line.js';
import { parseEventLine } from '../src/ingest/parse-event-line.js';
import { simulate } from '../src/simulate/index.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '17000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '37' },
    runs: { type: 'string', default: '3' },
    child: { type: 'boolean', default: false },
  },
});
const accounts = Number(values.accounts);
const days = Number(values.days);
const seed = Number(values.seed);
const RUNS = Math.max(1, Number(values.runs));
const out = join(import.meta.dirname, 'out');
const dataDir = join(out, `mixed-${accounts}x${days}-s${seed}`);

if (!values.child) {
  mkdirSync(out, { recursive: true });
  if (!existsSync(join(dataDir, 'truth.json'))) {
    process.stderr.write(`simulating ${accounts} accounts × ${days} days into ${dataDir}…\n`);
    await simulate({ scenario: 'mixed', seed, outDir: dataDir, accounts, days });
  }
  // The young generation `tripline ingest` runs with (bin/tripline); a GC on demand for memory.
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=4096',
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

const gc = (globalThis as { gc?: () => void }).gc!;
const BATCH = 10_000;

const log = (text: string) => process.stderr.write(`${text}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const usage = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const MiB = 1048576;

// The data, loaded once: directory records, the raw event lines, the truth.
const directory: DirectoryRecord[] = [];
for (const line of readFileSync(join(dataDir, 'directory.ndjson'), 'utf8').split('\n')) {
  if (!line) continue;
  const r = parseDirectoryLine(line, 'default');
  if (!r.ok) throw new Error(`directory line rejected: ${line.slice(0, 80)}`);
  directory.push(r.value);
}
const byAccount = new Map(directory.map((r) => [r.account.id, r]));
const eventsFile = join(dataDir, 'events.ndjson');
const lines = readFileSync(eventsFile, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const truth = parseTruth(JSON.parse(readFileSync(join(dataDir, 'truth.json'), 'utf8')));
const enrichmentData = {
  geo: GeoDatabase.load(),
  asn: AsnDatabase.load(),
  networks: NetworkClassifier.load(),
};

/** A fresh engine, wired as openTripline wires it (directory in enrichment and graph). */
function newEngine(correlator: SignalSink | undefined): RiskEngine {
  const graph = new RecoveryGraph();
  graph.loadDirectory(directory);
  const enricher = new Enricher({
    ...enrichmentData,
    userAgents: new UserAgentParser(),
    directory: (_tenant, id) => byAccount.get(id),
  });
  return new RiskEngine({ enricher, graph, ...(correlator ? { correlator } : {}) });
}

/** Scores every event in batches, in event-time order within each; returns the scoring seconds. */
/** The timed stretches of the last {@link score}: [start, end] pairs, performance.now() ms. */
let timedSpans: number[] = [];

function score(engine: RiskEngine, limit = lines.length): number {
  let elapsed = 0;
  timedSpans = [];
  for (let at = 0; at < limit; at += BATCH) {
    const rows: { event: NativeEvent; timeMs: number }[] = [];
    for (const line of lines.slice(at, Math.min(limit, at + BATCH))) {
      const r = parseEventLine(line);
      if (!r.ok) throw new Error(`event line rejected: ${line.slice(0, 80)}`);
      rows.push(r.value);
    }
    // Stable: ties keep file order, as the writer's inTimeOrder does.
    rows.sort((a, b) => a.timeMs - b.timeMs);
    const t = performance.now();
    for (const row of rows) engine.process(row.event, row.timeMs);
    const end = performance.now();
    elapsed += end - t;
    timedSpans.push(t, end);
  }
  return elapsed / 1000;
}

// Garbage-collection pauses on the main thread, to see how much of the scoring time they take.
const pauses: PerformanceEntry[] = [];
new PerformanceObserver((list) => pauses.push(...list.getEntries())).observe({
  entryTypes: ['gc'],
});

/** Seconds of GC pauses that started inside the last score's timed stretches. */
async function gcSecondsInScoring(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20)); // the observer reports on the event loop
  let ms = 0;
  for (const p of pauses) {
    for (let i = 0; i < timedSpans.length; i += 2)
      if (p.startTime >= timedSpans[i]! && p.startTime < timedSpans[i + 1]!) ms += p.duration;
  }
  pauses.length = 0;
  return ms / 1000;
}

/** Times each `observe` and keeps the signals for the replay. */
class TimedSink implements SignalSink {
  readonly version: string;
  readonly signals: CorrelationSignal[] = [];
  readonly times: number[] = [];
  constructor(readonly inner: Correlator) {
    this.version = inner.version;
  }
  observe(signal: CorrelationSignal): string | undefined {
    const t = performance.now();
    const campaign = this.inner.observe(signal);
    this.times.push(performance.now() - t);
    this.signals.push(signal);
    return campaign;
  }
  capture(): unknown {
    return this.inner.capture();
  }
  restore(state: unknown): void {
    this.inner.restore(state);
  }
}

/** Takes the signals and drops them: what building them costs the engine, without correlating. */
class DiscardingSink implements SignalSink {
  readonly version = 'discard';
  observe(): undefined {
    return undefined;
  }
  capture(): unknown {
    return null;
  }
  restore(): void {}
}

type Mode = 'off' | 'discard' | 'on';
const MODES: readonly Mode[] = ['off', 'discard', 'on'];
const sinkFor = (mode: Mode): SignalSink | undefined =>
  mode === 'on' ? new Correlator() : mode === 'discard' ? new DiscardingSink() : undefined;

// The baseline: data and enrichment databases loaded and opened (they open lazily).
const first = parseEventLine(lines[0]!);
if (!first.ok) throw new Error('first event line rejected');
newEngine(undefined).process(first.value.event, first.value.timeMs);
// Warm-up, not counted: the first tenth of the events through each configuration.
for (const mode of MODES) score(newEngine(sinkFor(mode)), lines.length / 10);
gc();
gc();
const baseline = usage();

interface Run {
  seconds: number;
  gcSeconds: number;
  heapMiB: number;
}
const runs: Record<Mode, Run[]> = { off: [], discard: [], on: [] };
for (let i = 1; i <= RUNS; i++) {
  // In turn, each mode first in one round: none always runs right after another's garbage.
  for (let k = 0; k < MODES.length; k++) {
    const mode = MODES[(k + i - 1) % MODES.length]!;
    gc();
    const before = usage();
    let engine: RiskEngine | undefined = newEngine(sinkFor(mode));
    pauses.length = 0;
    const seconds = score(engine);
    const gcSeconds = await gcSecondsInScoring();
    gc();
    gc();
    const heapMiB = (usage() - before) / MiB;
    if (engine.accounts === 0) throw new Error('nothing scored');
    engine = undefined;
    runs[mode].push({ seconds, gcSeconds, heapMiB });
    log(
      `run ${i}/${RUNS}, ${mode}: ${fmt(lines.length / seconds)} events/s, GC ${gcSeconds.toFixed(2)} s, ${fmt(heapMiB)} MiB held`,
    );
  }
}

// Signals and time per signal, in place.
const correlator = new Correlator();
const timed = new TimedSink(correlator);
const timedSeconds = score(newEngine(timed));
const signals = timed.signals;
const observeSeconds = timed.times.reduce((a, b) => a + b, 0) / 1000;
const sortedTimes = [...timed.times].sort((a, b) => a - b);
const at = (q: number) =>
  sortedTimes[Math.min(sortedTimes.length - 1, Math.floor(q * sortedTimes.length))]!;
log(`timed run: ${fmt(signals.length)} signals, ${fmt(observeSeconds, 2)} s in observe`);

// The correlator alone, on the recorded signals.
const replays: number[] = [];
for (let i = 0; i < Math.max(10, RUNS); i++) {
  const alone = new Correlator();
  const t = performance.now();
  for (const s of signals) alone.observe(s);
  replays.push((performance.now() - t) / 1000);
  if (alone.campaigns().length !== correlator.campaigns().length)
    throw new Error('the replay found other campaigns');
}
const replaySeconds = median(replays);

// Campaigns found, against the truth.
const labelled = truth.labels.size;
const signalsFromAttacks = signals.filter((s) => truth.labels.has(s.eventId)).length;
const found = correlator.campaigns('default');
const truthEvents = (c: (typeof found)[number]) =>
  c.members.filter((m) => truth.labels.has(m.id)).length;
const unmatched = found
  .filter((c) => truthEvents(c) === 0)
  .map(
    (c) => `${c.campaignId} (${fmt(c.accounts.size)} accounts, ${fmt(c.members.length)} events)`,
  );
const metrics = campaignMetrics(
  truth,
  found.map((c) => ({
    id: c.campaignId!,
    targets: [...c.accounts.keys()].map((account_id) => ({ account_id, compromised: false })),
    event_ids: c.members.map((m) => m.id),
  })),
);

const seconds = (mode: Mode) => median(runs[mode].map((r) => r.seconds));
const rate = (mode: Mode) => lines.length / seconds(mode);
/** Against the run without signals of the same round, the median over the rounds (%). */
const slower = (mode: Mode) =>
  100 * (median(runs[mode].map((r, i) => r.seconds / runs.off[i]!.seconds)) - 1);
const share = signals.length / lines.length;
const aloneRate = signals.length / replaySeconds;
const inPlaceRate = signals.length / observeSeconds;
const range = (rs: Run[]) => {
  const rates = rs.map((r) => lines.length / r.seconds);
  return `${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}`;
};
const mib = statSync(eventsFile).size / MiB;
const LABEL: Readonly<Record<Mode, string>> = {
  off: 'without correlator',
  discard: 'signals built, dropped',
  on: 'with correlator',
};

process.stdout.write(
  `Correlation vs scoring: ${fmt(lines.length)} events (${fmt(mib)} MiB NDJSON, mixed, ${fmt(accounts)} accounts × ${days} days, seed ${seed}), ` +
    `${fmt(labelled)} of them attack events (${fmt((100 * labelled) / lines.length, 2)} %), Node ${process.version}\n\n` +
    `Scoring only (parse and validate untimed), median of ${RUNS} rounds, the three engines in turn in each:\n\n` +
    '| engine | events/s | range of runs | seconds | of which GC pauses | more time than without (paired median) | heap held MiB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
    MODES.map(
      (mode) =>
        `| ${LABEL[mode]} | **${fmt(rate(mode))}** | ${range(runs[mode])} | ${seconds(mode).toFixed(1)} | ${median(runs[mode].map((r) => r.gcSeconds)).toFixed(2)} | ${mode === 'off' ? '—' : `${fmt(slower(mode), 1)} %`} | ${fmt(median(runs[mode].map((r) => r.heapMiB)))} |\n`,
    ).join('') +
    '\n' +
    '| signals | share of events | from attack events | observe µs/signal (mean · p50 · p99 · max) | in place, signals/s | alone (replay), signals/s | alone ÷ share, events/s |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
    `| ${fmt(signals.length)} | ${fmt(100 * share, 2)} % | ${fmt(signalsFromAttacks)} | ${fmt((observeSeconds * 1e6) / signals.length, 1)} · ${fmt(at(0.5) * 1000, 1)} · ${fmt(at(0.99) * 1000, 1)} · ${fmt(at(1) * 1000, 0)} | ${fmt(inPlaceRate)} | ${fmt(aloneRate)} | **${fmt(aloneRate / share)}** |\n\n` +
    `Timed run: ${fmt(lines.length / timedSeconds)} events/s with the timer around observe (${fmt((100 * observeSeconds) / timedSeconds, 1)} % of scoring time in observe).\n\n` +
    `Campaigns found: ${metrics.found} (${metrics.benignOnly} of benign events only${unmatched.length ? `: ${unmatched.join(', ')}` : ''}; ${metrics.merged} merging two real ones)\n\n` +
    '| real campaign | scenario | targets | found campaign | its accounts | target recall | target precision | pieces |\n| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |\n' +
    metrics.perCampaign
      .map(
        (c) =>
          `| ${c.truth} | ${c.scenario} | ${fmt(c.targets)} | ${c.found ?? '—'} | ${fmt(c.foundTargets)} | ${c.targetRecall.toFixed(3)} | ${c.targetPrecision.toFixed(3)} | ${c.pieces} |`,
      )
      .join('\n') +
    `\n\nPeak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB (the process holds the ${fmt(mib)} MiB of lines throughout); ` +
    `baseline heap (lines, directory, enrichment databases) ${fmt(baseline / MiB)} MiB.\n`,
);
