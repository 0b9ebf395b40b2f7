/**
 * One pipeline: the same events give the same decisions through file ingest
 * and through HTTP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importDirectoryFiles, ingestEventFiles, openTripline } from '../src/app.js';
import { buildServer } from '../src/api/server.js';
import { simulate } from '../src/simulate/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-parity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An events file cut into parts at fractions of its lines, each written to its own file. */
function splitEvents(
  file: string,
  prefix: string,
  fractions: readonly number[],
): { lines: string[]; parts: string[]; cut: number[] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const cut = fractions.map((f) => Math.floor(lines.length * f));
  const bounds = [0, ...cut, lines.length];
  const parts = bounds.slice(1).map((end, i) => {
    const part = join(dir, `${prefix}${i}.ndjson`);
    writeFileSync(part, lines.slice(bounds[i], end).join('\n') + '\n');
    return part;
  });
  return { lines, parts, cut };
}

test('decisions are identical between file ingest and HTTP', { timeout: 120_000 }, async () => {
  const sim = await simulate({
    scenario: 'mixed',
    seed: 11,
    outDir: join(dir, 'sim'),
    accounts: 300,
    days: 6,
  });

  const fileApp = await openTripline({ db: `sqlite:${join(dir, 'file.db')}` });
  const decisionsPath = join(dir, 'decisions.ndjson');
  try {
    await importDirectoryFiles(fileApp, [sim.files.directory]);
    await ingestEventFiles(fileApp, [sim.files.events], { decisions: decisionsPath });
  } finally {
    await fileApp.close();
  }
  const fromFile = readFileSync(decisionsPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

  const httpApp = await openTripline({ db: `sqlite:${join(dir, 'http.db')}` });
  const server = await buildServer(httpApp, { auth: false });
  const fromHttp: unknown[] = [];
  try {
    await importDirectoryFiles(httpApp, [sim.files.directory]);
    const lines = readFileSync(sim.files.events, 'utf8').trim().split('\n');
    for (let i = 0; i < lines.length; i += 1000) {
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events:batch',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: lines.slice(i, i + 1000).join('\n'),
      });
      assert.equal(res.statusCode, 200);
      for (const r of res.json().results) {
        fromHttp.push({
          event_id: r.event_id,
          decision: r.decision,
          score: r.score,
          reasons: r.reasons,
          ...(r.campaign_id ? { campaign_id: r.campaign_id } : {}),
          ...(r.blast_radius ? { blast_radius: r.blast_radius } : {}),
        });
      }
    }
  } finally {
    await server.close();
    await httpApp.close();
  }

  assert.equal(fromFile.length, sim.events);
  assert.ok(
    fromFile.some((d) => d.decision !== 'allow'),
    'the scenario produces non-allow decisions',
  );
  assert.ok(
    fromFile.some((d) => d.campaign_id),
    'the attacks of the scenario are correlated into campaigns',
  );
  assert.deepEqual(fromHttp, fromFile);
});

test(
  'a restart keeps what the profiles learned: decisions after it are the same',
  { timeout: 120_000 },
  async () => {
    const sim = await simulate({
      scenario: 'mixed',
      seed: 12,
      outDir: join(dir, 'sim2'),
      accounts: 300,
      days: 6,
    });
    const { lines, parts, cut } = splitEvents(sim.files.events, 'a', [0.5]);
    const half = cut[0]!;
    const [partA, partB] = parts as [string, string];

    const decide = async (
      db: string,
      restart: 'none' | 'snapshot' | 'replay',
      out: string,
    ): Promise<string> => {
      const snapshot = restart !== 'replay';
      let app = await openTripline({ db, snapshot });
      await importDirectoryFiles(app, [sim.files.directory]);
      await ingestEventFiles(app, [partA]);
      if (restart !== 'none') {
        await app.close();
        app = await openTripline({ db, snapshot });
        assert.ok(app.engine!.accounts > 0, 'profiles rebuilt');
        if (restart === 'snapshot') {
          assert.equal(app.restored!.from, 'snapshot');
          assert.equal(app.restored!.replayed, 0, 'nothing to replay after a snapshot');
          assert.equal(app.restored!.snapshotSeq, half);
        } else {
          assert.equal(app.restored!.from, 'events');
          assert.equal(app.restored!.replayed, half);
        }
      }
      await ingestEventFiles(app, [partB], { decisions: out });
      // The campaigns too: the correlator's state is saved and restored with the engine's.
      const campaigns = JSON.stringify(app.campaigns!.list('default'));
      await app.close();
      return `${readFileSync(out, 'utf8')}\n${campaigns}`;
    };
    const continuous = await decide(`sqlite:${join(dir, 'c.db')}`, 'none', join(dir, 'c.ndjson'));
    const restarted = await decide(
      `sqlite:${join(dir, 'r.db')}`,
      'snapshot',
      join(dir, 'r.ndjson'),
    );
    const replayed = await decide(`sqlite:${join(dir, 'p.db')}`, 'replay', join(dir, 'p.ndjson'));
    assert.ok(continuous.includes('"challenge"') || continuous.includes('"deny"'));
    assert.ok(continuous.includes('"targeted_count"'), 'campaigns were found');
    assert.equal(restarted, continuous, 'restored from the snapshot');
    assert.equal(replayed, continuous, 'rebuilt by replaying every event');

    // A snapshot made under another policy is not used: the events are replayed.
    const policy = join(dir, 'strict.json');
    writeFileSync(policy, JSON.stringify({ watchlist: { tags: ['journalist'], factor: 0.5 } }));
    const other = await openTripline({ db: `sqlite:${join(dir, 'r.db')}`, policy });
    try {
      assert.equal(other.restored!.from, 'events');
      assert.match(other.restored!.note ?? '', /another engine version, policy or indicator set/);
      assert.equal(other.restored!.replayed, lines.length);
    } finally {
      await other.close();
    }
  },
);

test(
  'no snapshot is saved that would claim another writer’s events',
  { timeout: 60_000 },
  async () => {
    const sim = await simulate({
      scenario: 'recovery-abuse',
      seed: 13,
      outDir: join(dir, 'sim3'),
      accounts: 60,
      days: 3,
    });
    const { lines, parts } = splitEvents(sim.files.events, 'fa', [0.5]);
    const [partA, partB] = parts as [string, string];
    const db = `sqlite:${join(dir, 'two-writers.db')}`;
    const a = await openTripline({ db });
    const b = await openTripline({ db });
    await ingestEventFiles(a, [partA]);
    await ingestEventFiles(b, [partB]);
    await b.close(); // b saw a's events stored after it opened: it saves nothing
    assert.equal(await a.store.loadEngineState(), undefined);
    await a.close(); // a saw b's too
    const c = await openTripline({ db });
    try {
      assert.equal(c.restored!.from, 'events');
      assert.equal(c.restored!.replayed, lines.length);
    } finally {
      await c.close();
    }
    const d = await openTripline({ db });
    try {
      assert.equal(d.restored!.from, 'snapshot', 'c saved one: it replayed everything');
      assert.equal(d.restored!.replayed, 0);
    } finally {
      await d.close();
    }
  },
);

test(
  'a snapshot taken while events flow covers exactly what was stored: a crash after it loses nothing',
  { timeout: 120_000 },
  async () => {
    const sim = await simulate({
      scenario: 'mixed',
      seed: 14,
      outDir: join(dir, 'sim4'),
      accounts: 200,
      days: 6,
    });
    const { parts, cut } = splitEvents(sim.files.events, 'm', [0.4, 0.8]);
    // Uninterrupted: everything through one engine.
    const whole = await openTripline({ db: `sqlite:${join(dir, 'm-whole.db')}` });
    await importDirectoryFiles(whole, [sim.files.directory]);
    for (const p of parts.slice(0, 2)) await ingestEventFiles(whole, [p]);
    const out = join(dir, 'm-whole.ndjson');
    await ingestEventFiles(whole, [parts[2]!], { decisions: out });
    await whole.close();

    // Saved in the middle of the second part, then the process "dies".
    const db = `sqlite:${join(dir, 'm-crash.db')}`;
    const first = await openTripline({ db, writer: { maxBatch: 500 } });
    await importDirectoryFiles(first, [sim.files.directory]);
    await ingestEventFiles(first, [parts[0]!], { batchSize: 500 });
    const flowing = ingestEventFiles(first, [parts[1]!], { batchSize: 500 });
    await new Promise((r) => setTimeout(r, 20));
    const seq = await first.saveState();
    await flowing;
    assert.ok(seq !== undefined && seq >= cut[0]! && seq <= cut[1]!, `saved at #${seq}`);
    // No close: the next process starts from the saved state and the log after it.
    const second = await openTripline({ db });
    try {
      assert.equal(second.restored!.from, 'snapshot');
      assert.equal(second.restored!.snapshotSeq, seq);
      assert.equal(second.restored!.replayed, cut[1]! - seq!);
      const out2 = join(dir, 'm-crash.ndjson');
      await ingestEventFiles(second, [parts[2]!], { decisions: out2 });
      assert.equal(readFileSync(out2, 'utf8'), readFileSync(out, 'utf8'));
    } finally {
      await second.close();
      await first.close();
    }
  },
);
