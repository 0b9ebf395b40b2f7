/**
 * Threat intel through the product: indicators imported after the events
 * re-examine what is stored, campaigns take the matches in and are
 * attributed through any vendor's name for the actor, the rebuilt state
 * survives a restart (and equals a full replay), and new events are matched
 * as they come.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  importDirectoryFiles,
  importIndicatorFile,
  ingestEventFiles,
  openTripline,
} from '../src/app.js';
import type { Campaign } from '../src/domain/campaign.js';
import type { Decision } from '../src/domain/decision.js';
import type { Truth } from '../src/simulate/truth.js';
import { simulate } from '../src/simulate/simulate.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-intel-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'i.db')}`;
let truth: Truth;
let events = 0;

before(async () => {
  const sim = await simulate({
    scenario: 'recovery-abuse',
    seed: 41,
    outDir: join(dir, 'sim'),
    accounts: 500,
    days: 10,
  });
  truth = JSON.parse(readFileSync(sim.files.truth, 'utf8')) as Truth;
  events = sim.events;
  const app = await openTripline({ db });
  try {
    await importDirectoryFiles(app, [sim.files.directory]);
    await ingestEventFiles(app, [sim.files.events]);
  } finally {
    await app.close();
  }
});

function attacked(): { ips: readonly string[] } {
  const c = truth.campaigns.find((x) => x.actor === 'APT35');
  assert.ok(c, 'the scenario has an attributed campaign');
  return { ips: c.infrastructure.ips };
}

const holding = (list: readonly Campaign[], ip: string) =>
  list.find((c) => c.infrastructure.ips.includes(ip));

test('a late indicator re-examines stored events, and the campaign is attributed by any vendor name', async () => {
  const { ips } = attacked();
  const csv = join(dir, 'feed.csv');
  writeFileSync(
    csv,
    `type,value,actor\nip,${ips[0]},Charming Kitten\nip,${ips[1] ?? ips[0]},TA453\nip,192.0.2.250,Charming Kitten\n`,
  );
  const app = await openTripline({ db });
  let before: Campaign[];
  try {
    before = app.campaigns!.list('default');
    const phases = new Set<string>();
    const { parsed, result } = await importIndicatorFile(app, csv, {
      source: 'test feed',
      onProgress: (p) => phases.add(p.phase),
    });
    assert.equal(parsed.format, 'csv');
    assert.equal(result.created, 3);
    const x = result.reexamined!;
    assert.equal(x.scanned, events);
    assert.ok(x.matched > 0, 'past events match');
    assert.equal(x.replayed, events, 'the state was rebuilt from every stored event');
    assert.deepEqual([...phases].sort(), ['replay', 'scan']);
    assert.ok(!x.hits.some((h) => h.indicator.value === '192.0.2.250'), 'a decoy matches nothing');
    const c = holding(app.campaigns!.list('default'), ips[0]!);
    assert.ok(c, 'a campaign holds the indicator address');
    assert.ok(x.campaigns.some((k) => k.id === c.id));
    const top = c.attribution[0];
    assert.ok(top, 'attributed');
    assert.equal(top.actor_id, 'G0059');
    assert.equal(top.actor, 'APT35');
    for (const alias of ['Charming Kitten', 'TA453', 'Phosphorus'])
      assert.ok(top.aliases.includes(alias), `aliases list ${alias}`);
    assert.ok(
      top.evidence.some((e) => e.includes('test feed')),
      top.evidence.join(' | '),
    );
    // The attribution uses the indicators; the campaigns themselves are as many or fewer.
    assert.ok(app.campaigns!.list('default').length <= before.length + 1);
  } finally {
    await app.close();
  }

  const again = await openTripline({ db });
  let afterRestart: Campaign[];
  try {
    assert.equal(again.restored!.from, 'snapshot', again.restored!.note);
    assert.equal(again.restored!.replayed, 0);
    afterRestart = again.campaigns!.list('default');
    assert.equal(holding(afterRestart, ips[0]!)!.attribution[0]!.actor_id, 'G0059');
  } finally {
    await again.close();
  }

  const replayed = await openTripline({ db, snapshot: false });
  try {
    const fresh = replayed.campaigns!.list('default');
    const shape = (l: readonly Campaign[]) =>
      l.map((c) => [c.id, c.targets.map((t) => t.account_id), c.compromised_count]);
    assert.deepEqual(shape(fresh), shape(afterRestart), 'a full replay gives the same campaigns');
  } finally {
    await replayed.close();
  }
});

test('an indicator no stored event matches leaves the state alone; new events are matched at once', async () => {
  const app = await openTripline({ db });
  try {
    const result = await app.importIndicators([
      { type: 'ip', value: '198.51.100.77', source: 'later feed', actor: 'Mint Sandstorm' },
    ]);
    assert.equal(result.reexamined!.matched, 0);
    assert.equal(result.reexamined!.replayed, 0);
    const file = join(dir, 'new.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({
        id: 'late-1',
        time: '2026-12-30T10:00:00Z',
        type: 'password.reset.requested',
        outcome: 'success',
        account: { id: 'late-user' },
        source: { ip: '198.51.100.77' },
      })}\n`,
    );
    const decisions = join(dir, 'late.decisions.ndjson');
    await ingestEventFiles(app, [file], { decisions });
    const d = JSON.parse(readFileSync(decisions, 'utf8').trim()) as Decision;
    assert.ok(
      d.reasons.some((r) => r.detector === 'ioc-match' && r.detail.includes('later feed')),
      JSON.stringify(d.reasons),
    );
  } finally {
    await app.close();
  }
  const again = await openTripline({ db });
  try {
    assert.equal(again.restored!.from, 'snapshot', again.restored!.note);
    // Asked not to re-examine: nothing is replayed now, nor on the next start.
    const { ips } = attacked();
    const r = await again.importIndicators(
      [{ type: 'ip', value: ips[ips.length - 1]!, source: 'quiet feed' }],
      { reexamine: false },
    );
    assert.equal(r.reexamined, undefined);
  } finally {
    await again.close();
  }
  const third = await openTripline({ db });
  try {
    assert.equal(third.restored!.from, 'snapshot', third.restored!.note);
  } finally {
    await third.close();
  }
});

test('a file that is not indicators is a clear error and stores nothing', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"hello": "world"}');
  const app = await openTripline({ db });
  try {
    const count = app.indicators.size;
    await assert.rejects(importIndicatorFile(app, bad), /STIX|MISP/);
    await assert.rejects(importIndicatorFile(app, join(dir, 'missing.csv')), /no such file/);
    assert.equal(app.indicators.size, count);
  } finally {
    await app.close();
  }
});
