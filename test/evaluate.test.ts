import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { campaignMetrics } from '../src/evaluate/campaign-metrics.js';
import { evaluateDecisions } from '../src/evaluate/evaluate.js';
import { prAuc, rocAuc } from '../src/evaluate/metrics.js';
import { parseTruth } from '../src/evaluate/truth-file.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-eval-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ranking metrics', () => {
  const cases: { name: string; scores: number[]; positive: boolean[]; roc: number; pr: number }[] =
    [
      { name: 'perfect', scores: [0.9, 0.1], positive: [true, false], roc: 1, pr: 1 },
      { name: 'inverted', scores: [0.1, 0.9], positive: [true, false], roc: 0, pr: 0.5 },
      {
        name: 'mixed',
        scores: [0.9, 0.8, 0.7, 0.6],
        positive: [true, false, true, false],
        roc: 0.75,
        pr: (1 + 2 / 3) / 2,
      },
      {
        name: 'all tied',
        scores: [0.5, 0.5, 0.5],
        positive: [true, false, false],
        roc: 0.5,
        pr: 1 / 3,
      },
      {
        name: 'partial tie',
        scores: [0.9, 0.5, 0.5, 0.1],
        positive: [true, true, false, false],
        roc: 0.875,
        pr: (1 + 2 / 3) / 2,
      },
    ];
  for (const c of cases) {
    test(c.name, () => {
      assert.ok(
        Math.abs(rocAuc(c.scores, c.positive) - c.roc) < 1e-12,
        `roc ${rocAuc(c.scores, c.positive)}`,
      );
      assert.ok(
        Math.abs(prAuc(c.scores, c.positive) - c.pr) < 1e-12,
        `pr ${prAuc(c.scores, c.positive)}`,
      );
    });
  }
  test('undefined without both classes', () => {
    assert.ok(Number.isNaN(rocAuc([0.1], [true])));
    assert.ok(Number.isNaN(prAuc([0.1], [false])));
  });
});

describe('truth file', () => {
  test('labels take their campaign’s scenario', () => {
    const t = parseTruth({
      campaigns: [
        { id: 'c1', scenario: 'recovery-abuse' },
        { id: 'c2', scenario: 'password-spray' },
      ],
      labels: [
        { event_id: 'a', campaign: 'c1', kind: 'probe' },
        { event_id: 'b', campaign: 'c2', kind: 'success' },
      ],
    });
    assert.deepEqual(t.scenarios, ['password-spray', 'recovery-abuse']);
    assert.deepEqual(t.labels.get('a'), {
      campaign: 'c1',
      kind: 'probe',
      scenario: 'recovery-abuse',
    });
  });
  const bad: [unknown, string][] = [
    [[], 'truth: must be a JSON object'],
    [{}, 'truth: labels: must be an array'],
    [{ labels: [{ event_id: 1 }] }, 'truth: labels[0].event_id: must be a string'],
    [
      { labels: [{ event_id: 'a', campaign: 'c', kind: 'maybe' }] },
      'truth: labels[0].kind: must be one of probe, success, persistence',
    ],
  ];
  for (const [input, message] of bad) {
    test(`rejects: ${message}`, () => assert.throws(() => parseTruth(input), { message }));
  }
});

describe('evaluateDecisions', () => {
  const truth = parseTruth({
    campaigns: [
      { id: 'c1', scenario: 'recovery-abuse' },
      { id: 'c2', scenario: 'password-spray' },
    ],
    labels: [
      { event_id: 'p1', campaign: 'c1', kind: 'probe' },
      { event_id: 'p2', campaign: 'c1', kind: 'probe' },
      { event_id: 's1', campaign: 'c1', kind: 'success' },
      { event_id: 'x1', campaign: 'c1', kind: 'persistence' },
      { event_id: 'q1', campaign: 'c2', kind: 'probe' },
      { event_id: 'gone', campaign: 'c2', kind: 'success' },
    ],
  });
  const decision = (event_id: string, decision: string, score: number) =>
    JSON.stringify({ event_id, decision, score, reasons: [] });

  test('counts, rates and AUCs per scenario and overall', async () => {
    const path = join(dir, 'decisions.ndjson');
    writeFileSync(
      path,
      [
        decision('p1', 'challenge', 0.7),
        decision('p2', 'allow', 0.2),
        decision('s1', 'deny', 0.95),
        decision('x1', 'challenge', 0.8),
        decision('q1', 'challenge', 0.6),
        ...Array.from({ length: 98 }, (_, i) => decision(`b${i}`, 'allow', 0.1)),
        decision('b98', 'challenge', 0.65),
        decision('b99', 'allow', 0.3),
        decision('p1', 'allow', 0),
      ].join('\n') + '\n',
    );
    const r = await evaluateDecisions(truth, path);
    assert.equal(r.decisions, 105);
    assert.equal(r.benign, 100);
    assert.equal(r.benignChallenged, 1);
    assert.equal(r.benignChallengeRate, 0.01);
    assert.equal(r.missing, 1);
    assert.equal(r.repeated, 1);
    const [spray, recovery] = r.scenarios;
    assert.equal(recovery!.scenario, 'recovery-abuse');
    assert.deepEqual(
      [
        recovery!.malicious,
        recovery!.flagged,
        recovery!.successSteps,
        recovery!.successStopped,
        recovery!.probes,
        recovery!.probesFlagged,
      ],
      [4, 3, 2, 2, 2, 1],
    );
    assert.equal(recovery!.precision, 3 / 4);
    assert.equal(recovery!.recall, 3 / 4);
    assert.equal(spray!.scenario, 'password-spray');
    assert.deepEqual(
      [spray!.malicious, spray!.successSteps, spray!.successStopped],
      [2, 1, 0],
      'the missing success counts as allowed',
    );
    assert.equal(spray!.probesFlaggedRate, 1);
    assert.equal(r.overall.successStoppedRate, 2 / 3);
    assert.equal(r.overall.probesFlaggedRate, 2 / 3);
    // recovery-abuse: 4 positives against 100 benign; p2 (0.2) beats only the 98 at 0.1, the others beat all.
    assert.ok(
      Math.abs(recovery!.rocAuc - (100 + 98 + 100 + 100) / 400) < 1e-12,
      `${recovery!.rocAuc}`,
    );
  });

  const broken: [string, RegExp][] = [
    ['{oops', /decisions-bad\.ndjson:2: invalid JSON/],
    [
      '{"event_id":"a","decision":"maybe","score":0.5}',
      /:2: decision: must be allow, challenge or deny/,
    ],
    ['{"event_id":"a","decision":"allow","score":2}', /:2: score: must be a number from 0 to 1/],
    ['{"decision":"allow","score":0.2}', /:2: event_id: must be a string/],
  ];
  for (const [line, message] of broken) {
    test(`a bad decision line is an error naming it: ${line}`, async () => {
      const path = join(dir, 'decisions-bad.ndjson');
      writeFileSync(path, `${decision('a', 'allow', 0)}\n${line}\n`);
      await assert.rejects(evaluateDecisions(truth, path), message);
    });
  }
});

test('tripline eval on a folder: table, --json and --check', async () => {
  const run = join(dir, 'run1');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(run);
  writeFileSync(
    join(run, 'truth.json'),
    JSON.stringify({
      campaigns: [{ id: 'c1', scenario: 'mfa-fatigue' }],
      labels: [
        { event_id: 'a', campaign: 'c1', kind: 'success' },
        { event_id: 'b', campaign: 'c1', kind: 'probe' },
      ],
    }),
  );
  writeFileSync(
    join(run, 'decisions.ndjson'),
    ['a deny 0.9', 'b challenge 0.7', 'c allow 0.1', 'd allow 0.2']
      .map((l) => l.split(' '))
      .map(([event_id, decision, score]) =>
        JSON.stringify({ event_id, decision, score: Number(score), reasons: [] }),
      )
      .join('\n'),
  );
  const table = await runCli(['eval', run]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    /\| run1 \| mfa-fatigue \| 0\.0% \| 100\.0% \(1\/1\) \| 100\.0% \(1\/1\) \| 1\.000 \| 1\.000 \| 1\.000 \| 1\.000 \|/,
  );
  const json = await runCli(['eval', run, '--json', '--check']);
  assert.equal(json.code, 0);
  assert.equal(JSON.parse(json.stdout)[0].report.overall.successStoppedRate, 1);

  writeFileSync(
    join(run, 'decisions.ndjson'),
    JSON.stringify({ event_id: 'c', decision: 'deny', score: 1, reasons: [] }),
  );
  const failing = await runCli(['eval', run, '--check']);
  assert.equal(failing.code, 4);
  assert.match(failing.stdout, /✗/);
  const usage = await runCli(['eval']);
  assert.equal(usage.code, 2);
});

test('tripline eval over several runs: a mean row and a pooled row per scenario', async () => {
  const { mkdirSync } = await import('node:fs');
  const write = (name: string, lines: string[], labels: [string, string][]) => {
    const run = join(dir, name);
    mkdirSync(run);
    writeFileSync(
      join(run, 'truth.json'),
      JSON.stringify({
        campaigns: [{ id: 'c1', scenario: 'password-spray' }],
        labels: labels.map(([event_id, kind]) => ({ event_id, campaign: 'c1', kind })),
      }),
    );
    writeFileSync(
      join(run, 'decisions.ndjson'),
      lines
        .map((l) => l.split(' '))
        .map(([event_id, decision, score]) =>
          JSON.stringify({ event_id, decision, score: Number(score), reasons: [] }),
        )
        .join('\n'),
    );
    return run;
  };
  // Run A: 1 of 1 success stopped, 1 benign of 2 challenged. Run B: 2 of 4 stopped, 0 of 2.
  const a = write(
    'pool-a',
    ['s1 deny 0.9', 'b1 challenge 0.6', 'b2 allow 0.1'],
    [['s1', 'success']],
  );
  const b = write(
    'pool-b',
    ['s1 deny 0.9', 's2 deny 0.9', 's3 allow 0.1', 's4 allow 0.2', 'b1 allow 0.1', 'b2 allow 0'],
    [
      ['s1', 'success'],
      ['s2', 'success'],
      ['s3', 'success'],
      ['s4', 'success'],
    ],
  );
  const table = await runCli(['eval', a, b]);
  assert.equal(table.code, 0, table.stderr);
  // Mean of the runs' rates: (100% + 50%) / 2; pooled: 3 of 5.
  assert.match(table.stdout, /\| \*\*mean of 2\*\* \| password-spray \| 25\.0% \| 75\.0% \|/);
  assert.match(
    table.stdout,
    /\| \*\*pooled, 2\*\* \| password-spray \| 25\.0% \(1\/4\) \| 60\.0% \(3\/5\) \| — \(0\/0\) \| 0\.750 \| 0\.600 \| — \| — \|/,
  );
});

describe('campaign metrics: attribution', () => {
  const truth = parseTruth({
    labels: [
      { event_id: 'a1', campaign: 'c1', kind: 'probe' },
      { event_id: 'b1', campaign: 'c2', kind: 'probe' },
    ],
    campaigns: [
      { id: 'c1', scenario: 'recovery-abuse', actor: 'APT35', targets: ['u1'], compromised: [] },
      { id: 'c2', scenario: 'password-spray', targets: ['u2'], compromised: [] },
    ],
  });
  const ALIASES: Record<string, string[]> = {
    APT35: ['APT35', 'Charming Kitten'],
    'Charming Kitten': ['Charming Kitten', 'APT35'],
    APT28: ['APT28', 'Fancy Bear'],
  };
  const found = (id: string, event: string, actor?: string, confidence = 0.9) => ({
    id,
    targets: [{ account_id: event === 'a1' ? 'u1' : 'u2', compromised: false }],
    event_ids: [event],
    ...(actor ? { attribution: [{ actor, aliases: ALIASES[actor] ?? [actor], confidence }] } : {}),
  });
  const cases: {
    name: string;
    c1?: [string?, number?];
    c2?: [string?, number?];
    want: [string | undefined, boolean, string | undefined, boolean];
  }[] = [
    {
      name: 'right actor; none where none',
      c1: ['APT35'],
      c2: [],
      want: ['APT35', true, undefined, true],
    },
    { name: 'by alias', c1: ['Charming Kitten'], want: ['Charming Kitten', true, undefined, true] },
    { name: 'wrong actor', c1: ['APT28'], want: ['APT28', false, undefined, true] },
    {
      name: 'a lead is not an attribution',
      c1: ['APT35', 0.3],
      want: [undefined, false, undefined, true],
    },
    {
      name: 'attributing a campaign with no actor',
      c1: ['APT35'],
      c2: ['APT28', 0.5],
      want: ['APT35', true, 'APT28', false],
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const m = campaignMetrics(truth, [
        found('f1', 'a1', ...(c.c1 ?? [])),
        found('f2', 'b1', ...(c.c2 ?? [])),
      ]);
      const [one, two] = m.perCampaign;
      assert.deepEqual(
        [one!.attributedTo, one!.attributionOk, two!.attributedTo, two!.attributionOk],
        c.want,
      );
    });
});
