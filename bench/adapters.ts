/**
 * `npm run bench:adapters` (also `npm run bench -- --only adapters`): vendor
 * adapter throughput and memory (issue #6: ≥ 50k records/s per adapter on one
 * core, from files of ≥ 200k records).
 *
 *   npm run bench:adapters                                  # 200,000 records per file, median of 3
 *   npm run bench:adapters -- --records 50000 --runs 1      # quicker
 *   npm run bench:adapters -- --formats okta,entra --skip-ingest
 *
 * The records are the team's own: every `record` of
 * test/fixtures/adapters/<format>/cases.json whose expected outcome gives
 * events, with one record in ten taken from the cases skipped by kind (an
 * Okta group change, an OCSF logoff…); malformed cases are left out. They are
 * replicated with varied ids, times (spread over 30 days), users (20,000
 * accounts, emails rewritten consistently within a record) and IPv4
 * addresses, into bench/out/ once: NDJSON for every format, and the Entra
 * records also as one Graph response (`{"value": […]}` on a single line) to
 * show the scanner on one huge document.
 *
 * For each file, each run in its own process:
 *
 * 1. **adapter alone**: the file's text chunks through the record scanner and
 *    `recordRows` (parse, adapt, validate, the event's JSON) into a sink that
 *    drops the rows, pinned to one core (`taskset -c 0`, when there is one),
 *    with the young generation `tripline ingest` uses; then once more with
 *    V8's default young generation and the old generation capped at 64 MiB,
 *    heap and RSS sampled every 1,000 records (memory must not grow with
 *    the file);
 * 2. **end to end**: `ingestEventFiles(app, [file], { format })` into a fresh
 *    SQLite file with scoring on, as `tripline ingest --format <format>` runs
 *    (64 MiB young generation, 1 GiB heap cap, both cores).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VENDOR_FORMATS } from '../src/ingest/adapters/adapter.js';
import type { VendorFormat } from '../src/ingest/adapters/adapter.js';
import { ADAPTERS } from '../src/ingest/adapters/registry.js';
import { recordRows } from '../src/ingest/ingest-records.js';
import { openNdjson } from '../src/ingest/ndjson-reader.js';
import { RecordScanner } from '../src/ingest/record-scanner.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
    formats: { type: 'string', default: VENDOR_FORMATS.join(',') },
    users: { type: 'string', default: '20000' },
    'skip-ingest': { type: 'boolean', default: false },
    // Internal: one measured run (the parent spawns these).
    child: { type: 'string' },
    file: { type: 'string' },
    format: { type: 'string' },
    db: { type: 'string' },
  },
});

/** The young generation `tripline ingest` runs with (bin/tripline). */
const YOUNG_GENERATION = '--max-semi-space-size=64';
/** …and the scored file-ingest bench's heap cap (bench/run.ts). */
const INGEST_FLAGS = ['--max-old-space-size=1024', YOUNG_GENERATION];
/**
 * The memory run: V8's default young generation and the old generation capped
 * well below the file's size, so a run that completes shows memory does not
 * grow with the file.
 */
const MEMORY_FLAGS = ['--max-old-space-size=64'];
const SKIP_SHARE = 10; // one record in ten is of a kind the adapter skips
const SPREAD_SECONDS = 30 * 24 * 3600;
const MIB = 1024 * 1024;

interface AdaptResult {
  readonly records: number;
  readonly events: number;
  readonly skipped: number;
  readonly malformed: number;
  readonly invalid: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakHeapMiB: number;
  readonly peakRssMiB: number;
  /** Heap used when a tenth, and half, of the file was read: the constant-memory claim. */
  readonly heapAtTenthMiB: number;
  readonly heapAtHalfMiB: number;
}

interface IngestResult {
  readonly records: number;
  readonly events: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

async function main(): Promise<void> {
  const records = Number(values.records);
  const runs = Math.max(1, Number(values.runs));
  const users = Number(values.users);
  const formats = values.formats.split(',').map((f) => {
    if (!(VENDOR_FORMATS as readonly string[]).includes(f)) throw new Error(`unknown format ${f}`);
    return f as VendorFormat;
  });
  const root = join(import.meta.dirname, '..');
  const cases = Object.fromEntries(
    formats.map((f) => [
      f,
      readFileSync(join(root, 'test', 'fixtures', 'adapters', f, 'cases.json'), 'utf8'),
    ]),
  ) as Record<VendorFormat, string>;
  // The folder is named after the fixtures it was made from: edited fixtures give new files.
  const digest = createHash('sha256')
    .update(formats.map((f) => cases[f]).join('\n'))
    .digest('hex')
    .slice(0, 8);
  const dir = join(import.meta.dirname, 'out', `adapters-${records}-u${users}-${digest}`);
  mkdirSync(dir, { recursive: true });

  const files: { label: string; format: VendorFormat; path: string; mix: string }[] = [];
  for (const format of formats) {
    const plan = replicationPlan(format, JSON.parse(cases[format]) as FixtureCase[]);
    const ndjson = join(dir, `${format}.ndjson`);
    if (!existsSync(ndjson)) writeRecords(ndjson, plan, records, users, 'ndjson');
    files.push({ label: `${format} NDJSON`, format, path: ndjson, mix: plan.mix });
    if (format === 'entra') {
      const wrapped = join(dir, 'entra-graph-value.json');
      if (!existsSync(wrapped)) writeRecords(wrapped, plan, records, users, 'graph');
      files.push({
        label: 'entra `{"value": […]}`',
        format,
        path: wrapped,
        mix: plan.mix,
      });
    }
  }

  const pin = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
  const adaptRows: string[] = [];
  const ingestRows: string[] = [];
  const memoryRows: string[] = [];
  for (const f of files) {
    const mib = statSync(f.path).size / MIB;
    const adapt: AdaptResult[] = [];
    for (let i = 1; i <= runs; i++) {
      process.stderr.write(`${f.label}: adapter alone (run ${i}/${runs})…\n`);
      adapt.push(
        child<AdaptResult>(
          pin ? ['taskset', '-c', '0'] : [],
          [YOUNG_GENERATION],
          ['--child', 'adapt', '--file', f.path, '--format', f.format],
        ),
      );
    }
    const a = medianBy(adapt, (r) => r.records / r.seconds);
    const rates = adapt.map((r) => r.records / r.seconds);
    adaptRows.push(
      `| ${f.label} | ${int(a.records)} | ${mib.toFixed(0)} | ${int(a.events)} | ${int(a.skipped)} | ${a.seconds.toFixed(2)} | **${int(a.records / a.seconds)}** | ${int(Math.min(...rates))}–${int(Math.max(...rates))} | ${int(a.events / a.seconds)} | ${((a.cpuSeconds / a.records) * 1e6).toFixed(1)} |`,
    );
    process.stderr.write(`${f.label}: adapter alone, memory run…\n`);
    const m = child<AdaptResult>(pin ? ['taskset', '-c', '0'] : [], MEMORY_FLAGS, [
      '--child',
      'adapt',
      '--file',
      f.path,
      '--format',
      f.format,
    ]);
    memoryRows.push(
      `| ${f.label} | ${mib.toFixed(0)} | ${m.heapAtTenthMiB} | ${m.heapAtHalfMiB} | ${m.peakHeapMiB} | ${m.peakRssMiB} | ${int(m.records / m.seconds)} |`,
    );
    if (a.malformed + a.invalid > 0)
      process.stderr.write(
        `  note: ${a.malformed} malformed, ${a.invalid} unreadable records in ${f.path}\n`,
      );
    if (values['skip-ingest']) continue;
    const ingest: IngestResult[] = [];
    const db = join(dir, 'bench.db');
    const clean = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
      rmSync(join(dir, 'bench.quarantine.ndjson'), { force: true });
    };
    for (let i = 1; i <= runs; i++) {
      clean();
      process.stderr.write(`${f.label}: ingest into SQLite, scored (run ${i}/${runs})…\n`);
      ingest.push(
        child<IngestResult>([], INGEST_FLAGS, [
          '--child',
          'ingest',
          '--file',
          f.path,
          '--format',
          f.format,
          '--db',
          db,
        ]),
      );
    }
    clean();
    const e = medianBy(ingest, (r) => r.events / r.seconds);
    const erates = ingest.map((r) => r.events / r.seconds);
    ingestRows.push(
      `| ${f.label} | ${int(e.records)} | ${int(e.accepted)} | ${int(e.duplicates)} | ${int(e.rejected)} | ${e.seconds.toFixed(1)} | **${int(e.events / e.seconds)}** | ${int(Math.min(...erates))}–${int(Math.max(...erates))} | ${e.cpuSeconds.toFixed(1)} | ${e.peakRssMiB} |`,
    );
  }

  process.stdout.write(
    `Vendor adapters, ${int(records)} records per file (fixture records replicated over ${int(users)} users and 30 days; ` +
      `1 in ${SKIP_SHARE} of a skipped kind), Node ${process.version}, median of ${runs} runs, each in its own process\n\n` +
      files.map((f) => `- ${f.label}: ${f.mix}`).join('\n') +
      `\n\nAdapter alone (scanner → adapt → validate → event JSON, rows dropped)${pin ? ', pinned to one core (taskset -c 0)' : ''}:\n\n` +
      '| file | records | MiB | events | skipped | seconds | records/s | range of runs | events/s | CPU µs/record |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
      adaptRows.join('\n') +
      `\n\nMemory: one more adapter-alone run per file with ${MEMORY_FLAGS.join(' ')} and V8's default young generation (heap sampled every 1,000 records):\n\n` +
      '| file | MiB | heap MiB at 10% of the file | at 50% | peak heap MiB | peak RSS MiB | records/s |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
      memoryRows.join('\n') +
      '\n',
  );
  if (ingestRows.length > 0)
    process.stdout.write(
      '\nEnd to end: `ingestEventFiles(app, [file], { format })` into a fresh SQLite file, scoring on (enrich → score → decide → store):\n\n' +
        '| file | records | accepted | duplicates | rejected | seconds | events/s | range of runs | CPU s (Node) | peak RSS MiB |\n' +
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        ingestRows.join('\n') +
        '\n',
    );
}

function child<T>(wrapper: readonly string[], nodeFlags: readonly string[], args: string[]): T {
  const command = [
    ...wrapper,
    process.execPath,
    ...nodeFlags,
    '--import',
    'tsx',
    import.meta.filename,
    ...args,
  ];
  const r = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child failed (${args.join(' ')}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as T;
}

function medianBy<T>(runs: readonly T[], key: (r: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)]!;
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

// ── One measured run ────────────────────────────────────────────────────────

async function adaptChild(file: string, format: VendorFormat): Promise<void> {
  const size = statSync(file).size;
  let records = 0;
  let events = 0;
  let skipped = 0;
  let malformed = 0;
  let invalid = 0;
  let jsonChars = 0; // keeps the rows' work observable
  let peakHeap = 0;
  let peakRss = 0;
  let heapAtTenth = 0;
  let heapAtHalf = 0;
  let bytes = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.rss > peakRss) peakRss = m.rss;
    if (heapAtTenth === 0 && bytes >= size / 10) heapAtTenth = m.heapUsed;
    if (heapAtHalf === 0 && bytes >= size / 2) heapAtHalf = m.heapUsed;
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const source = await openNdjson(file);
  const scanner = new RecordScanner();
  const take = (found: ReturnType<RecordScanner['push']>) => {
    for (const r of found) {
      records++;
      if (records % 1000 === 0) sample();
      if (r.error !== undefined) {
        invalid++;
        continue;
      }
      const result = recordRows(r.value, r.text, format, ADAPTERS, 'default');
      if (result.kind === 'skip') skipped++;
      else if (result.kind === 'malformed') malformed++;
      else {
        malformed += result.rejected.length;
        for (const row of result.rows) {
          events++;
          jsonChars += row.eventJson.length;
        }
      }
    }
  };
  for await (const text of source.text()) {
    bytes += Buffer.byteLength(text);
    take(scanner.push(text));
  }
  take(scanner.end());
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  sample();
  if (jsonChars === 0 && events > 0) throw new Error('no event JSON');
  const result: AdaptResult = {
    records,
    events,
    skipped,
    malformed,
    invalid,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakHeapMiB: Math.round(peakHeap / MIB),
    peakRssMiB: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / MIB),
    heapAtTenthMiB: Math.round(heapAtTenth / MIB),
    heapAtHalfMiB: Math.round(heapAtHalf / MIB),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function ingestChild(file: string, format: VendorFormat, db: string): Promise<void> {
  // Imported here so the adapter-alone runs do not load the app and its databases.
  const { ingestEventFiles, openTripline } = await import('../src/app.js');
  const app = await openTripline({ db: `sqlite:${db}` });
  const cpuBefore = process.cpuUsage();
  const summary = await ingestEventFiles(app, [file], { format });
  const cpu = process.cpuUsage(cpuBefore);
  await app.close();
  const result: IngestResult = {
    records: summary.records,
    events: summary.events,
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
    seconds: summary.seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ── The generated files ─────────────────────────────────────────────────────

interface FixtureCase {
  readonly name: string;
  readonly record: unknown;
  readonly want: { readonly kind: 'events' | 'skip' | 'malformed'; readonly events?: unknown[] };
}

/** How one fixture record is varied: everything, or (when that changes its outcome) less. */
type Variation = 'full' | 'keep-emails' | 'ids-and-times';

interface Template {
  readonly name: string;
  readonly record: unknown;
  readonly variation: Variation;
}

interface Plan {
  readonly events: readonly Template[];
  readonly skips: readonly Template[];
  /** For the report: what the file is made of. */
  readonly mix: string;
}

/**
 * The records to replicate, each with the strongest variation that keeps its
 * outcome (kind and number of events) what the fixture expects.
 */
function replicationPlan(format: VendorFormat, cases: readonly FixtureCase[]): Plan {
  const adapter = ADAPTERS[format];
  const outcomeOf = (record: unknown) => {
    const o = adapter.adapt(record, { tenant: 'default' });
    return o.kind === 'events' ? `events:${o.events.length}` : o.kind;
  };
  const templates = (kind: 'events' | 'skip'): Template[] =>
    cases
      .filter((c) => c.want.kind === kind)
      .flatMap((c): Template[] => {
        const want = kind === 'events' ? `events:${c.want.events?.length ?? 0}` : 'skip';
        const variation = (['full', 'keep-emails', 'ids-and-times'] as const).find((v) =>
          [1, 77_777, 123_456].every(
            (i) => outcomeOf(vary(c.record, i, 200_000, 4321, v)) === want,
          ),
        );
        if (variation === undefined) {
          process.stderr.write(`  ${format}: left out (varied, its outcome changes): ${c.name}\n`);
          return [];
        }
        return [{ name: c.name, record: c.record, variation }];
      });
  const events = templates('events');
  const skips = templates('skip');
  const held = (ts: readonly Template[]) => ts.filter((t) => t.variation !== 'full').length;
  const mix =
    `${events.length} event cases, ${skips.length} skip cases` +
    (held(events) + held(skips) > 0
      ? ` (${held(events) + held(skips)} with their emails or users kept, as varying them changes the outcome)`
      : '');
  return { events, skips, mix };
}

/** Writes `count` varied records: NDJSON, or one Graph response on a single line. */
function writeRecords(
  path: string,
  plan: Plan,
  count: number,
  users: number,
  shape: 'ndjson' | 'graph',
): void {
  process.stderr.write(`writing ${path}…\n`);
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  let buffer =
    shape === 'graph'
      ? '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":['
      : '';
  let e = 0;
  let s = 0;
  for (let i = 0; i < count; i++) {
    const template =
      plan.skips.length > 0 && i % SKIP_SHARE === SKIP_SHARE - 1
        ? plan.skips[s++ % plan.skips.length]!
        : plan.events[e++ % plan.events.length]!;
    const user = mix32(i) % users;
    const shift = Math.floor((i * SPREAD_SECONDS) / count);
    const text = JSON.stringify(vary(template.record, i, users, shift, template.variation, user));
    buffer += shape === 'graph' ? (i > 0 ? ',' : '') + text : `${text}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  buffer += shape === 'graph' ? ']}\n' : '';
  writeSync(fd, buffer);
  closeSync(fd);
  renameSync(partial, path);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
// Not inside version strings (`Chrome/124.0.0.0`) nor IPv6 (`::ffff:…`).
const IPV4 = /(?<![\w.:/-])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w.])/g;
const ISO_TIME = /(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2}):(\d{2})/g;
/** Networks the users' addresses are drawn from (public, assigned, not documentation ranges). */
const FIRST_OCTETS = [81, 91, 102, 145, 185, 213];

/**
 * Record `i` of the file from a fixture record: its own id (uuids and the
 * record-id fields), time shifted by `shiftSeconds`, emails rewritten to
 * users near `user` (consistently within the record, so "by the owner" stays
 * "by the owner"), IPv4 addresses in the user's network.
 */
function vary(
  record: unknown,
  i: number,
  users: number,
  shiftSeconds: number,
  variation: Variation,
  user = mix32(i) % users,
): unknown {
  const emails = new Map<string, string>();
  const text = (s: string): string => {
    let out = s.replace(UUID, (u) => u.slice(0, 24) + i.toString(16).padStart(12, '0'));
    if (variation === 'full')
      out = out.replace(EMAIL, (whole, domain: string) => {
        const key = whole.toLowerCase();
        let mapped = emails.get(key);
        if (mapped === undefined) {
          mapped = `user${(user + emails.size * 7919) % users}@${domain.toLowerCase()}`;
          emails.set(key, mapped);
        }
        return mapped;
      });
    if (variation !== 'ids-and-times')
      out = out.replace(IPV4, (whole, _a, _b, _c, d: string) =>
        Number(d) > 255
          ? whole
          : `${FIRST_OCTETS[user % FIRST_OCTETS.length]}.${(user >> 8) & 255}.${user & 255}.${d}`,
      );
    return out.replace(ISO_TIME, (whole, y: string, mo: string, d: string, sep: string) => {
      const t = Date.UTC(
        +y,
        +mo - 1,
        +d,
        +whole.slice(11, 13),
        +whole.slice(14, 16),
        +whole.slice(17, 19),
      );
      if (Number.isNaN(t)) return whole;
      const iso = new Date(t + shiftSeconds * 1000).toISOString();
      return `${iso.slice(0, 10)}${sep}${iso.slice(11, 19)}`;
    });
  };
  const walk = (value: unknown, key: string, parent: string, depth: number): unknown => {
    if (typeof value === 'string') {
      const isRecordId =
        ((key === 'id' || key === 'Id') && (depth === 1 || parent === 'properties')) ||
        (key === 'uid' && parent === 'metadata');
      // Google's event id is its time and this number: both vary (fixed width keeps them apart).
      if (key === 'uniqueQualifier') return `${value}${String(i).padStart(8, '0')}`;
      const varied = text(value);
      return isRecordId && varied === value ? `${value}-${i}` : varied;
    }
    if (typeof value === 'number' && key === 'uniqueQualifier') return value * 1e8 + i;
    if (typeof value === 'number' && /time$/i.test(key) && value > 1e9)
      return value > 1e11 ? value + shiftSeconds * 1000 : value + shiftSeconds;
    if (Array.isArray(value)) return value.map((v) => walk(v, key, parent, depth + 1));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, k, key, depth + 1)]),
      );
    return value;
  };
  return walk(record, '', '', 0);
}

/** A well-spread 32-bit hash of `i` (users are drawn by it, not in sequence). */
function mix32(i: number): number {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// Last, so every constant above is initialised before a run starts.
if (values.child === 'adapt') await adaptChild(values.file!, values.format as VendorFormat);
else if (values.child === 'ingest')
  await ingestChild(values.file!, values.format as VendorFormat, values.db!);
else await main();
