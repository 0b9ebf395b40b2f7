// Tests for the scenario simulator (src/simulate): determinism, consistency of
// the ground truth with the events, the behaviour each scenario must show, and
// option validation. Small runs (400 accounts × 10 days) keep the file fast.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AUTH_METHODS, EVENT_TYPES, OUTCOMES, RECOVERY_CHANNELS } from '../src/domain/event.js';
import {
  SCENARIOS,
  type ScenarioName,
  type SimulateOptions,
  type SimulateSummary,
  type Truth,
  simulate,
} from '../src/simulate/index.js';

const SMALL = { accounts: 400, days: 10 } as const;
const SEED = 11;

interface SimEvent {
  id: string;
  time: string;
  tenant: string;
  type: string;
  outcome: string;
  account: { id: string; email: string; tags: string[] };
  source: { ip: string; user_agent?: string; device_id?: string; country?: string; asn?: number };
  auth?: { method: string };
  recovery?: { channel: string; address?: string };
  mailbox?: { forward_to?: string; rule_name?: string };
  actor?: { id: string; kind: string };
  session: { id: string };
  vendor_risk?: { level: string; signals: string[] };
}

interface DirectoryLine {
  account: { id: string; email: string; tags: string[] };
  recovery: { channel: string; address?: string }[];
  mfa: string[];
}

interface Run {
  dir: string;
  summary: SimulateSummary;
  raw: { directory: string; events: string; truth: string };
  events: SimEvent[];
  byId: Map<string, SimEvent>;
  directory: DirectoryLine[];
  truth: Truth;
}

const root = await mkdtemp(join(tmpdir(), 'tripline-simulate-'));
after(() => rm(root, { recursive: true, force: true }));

let counter = 0;
async function run(options: Omit<SimulateOptions, 'outDir'>): Promise<Run> {
  const dir = join(root, `run-${counter++}`);
  const summary = await simulate({ ...options, outDir: dir });
  const raw = {
    directory: await readFile(join(dir, 'directory.ndjson'), 'utf8'),
    events: await readFile(join(dir, 'events.ndjson'), 'utf8'),
    truth: await readFile(join(dir, 'truth.json'), 'utf8'),
  };
  const events = raw.events
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SimEvent);
  const directory = raw.directory
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as DirectoryLine);
  return {
    dir,
    summary,
    raw,
    events,
    byId: new Map(events.map((e) => [e.id, e])),
    directory,
    truth: JSON.parse(raw.truth) as Truth,
  };
}

// One run per scenario, shared by the tests below.
const runs = new Map<ScenarioName, Promise<Run>>();
function scenarioRun(scenario: ScenarioName): Promise<Run> {
  let r = runs.get(scenario);
  if (!r) {
    r = run({ scenario, seed: SEED, ...SMALL });
    runs.set(scenario, r);
  }
  return r;
}

/** Labelled events of one campaign, with their kinds. */
function labelled(
  r: Run,
  campaign?: string,
): { event: SimEvent; kind: string; campaign: string }[] {
  return r.truth.labels
    .filter((l) => campaign === undefined || l.campaign === campaign)
    .map((l) => ({
      event: r.byId.get(l.event_id) as SimEvent,
      kind: l.kind,
      campaign: l.campaign,
    }));
}

test('same seed and options give identical bytes in all three files', async () => {
  const a = await run({ scenario: 'mixed', seed: 3, ...SMALL });
  const b = await run({ scenario: 'mixed', seed: 3, ...SMALL });
  assert.equal(a.raw.directory, b.raw.directory);
  assert.equal(a.raw.events, b.raw.events);
  assert.equal(a.raw.truth, b.raw.truth);
  assert.deepEqual(a.summary.events, b.summary.events);
});

test('a different seed gives different files', async () => {
  const a = await run({ scenario: 'mixed', seed: 3, ...SMALL });
  const c = await run({ scenario: 'mixed', seed: 4, ...SMALL });
  assert.notEqual(a.raw.directory, c.raw.directory);
  assert.notEqual(a.raw.events, c.raw.events);
  assert.notEqual(a.raw.truth, c.raw.truth);
});

test('the benign background of a seed does not depend on the scenario', async () => {
  // Directory and organisation come from the seed alone.
  const spray = await scenarioRun('password-spray');
  const fatigue = await scenarioRun('mfa-fatigue');
  assert.equal(spray.raw.directory, fatigue.raw.directory);
});

for (const scenario of SCENARIOS) {
  test(`${scenario}: events are well-formed, ordered, unique and match the directory`, async () => {
    const r = await scenarioRun(scenario);
    assert.equal(r.summary.scenario, scenario);
    assert.equal(r.summary.events, r.events.length);
    assert.equal(r.directory.length, SMALL.accounts);
    assert.ok(r.events.length > 5000, `only ${r.events.length} events`);

    const accounts = new Map(r.directory.map((d) => [d.account.id, d]));
    assert.equal(accounts.size, r.directory.length, 'account ids are unique');
    assert.equal(
      new Set(r.directory.map((d) => d.account.email)).size,
      r.directory.length,
      'emails are unique',
    );
    for (const d of r.directory) {
      assert.deepEqual(Object.keys(d), ['account', 'recovery', 'mfa']);
      for (const m of d.mfa) assert.ok(['totp', 'push', 'sms', 'passkey'].includes(m), m);
      for (const rec of d.recovery)
        assert.ok((RECOVERY_CHANNELS as readonly string[]).includes(rec.channel));
    }

    const order = [
      'id',
      'time',
      'tenant',
      'type',
      'outcome',
      'account',
      'source',
      'auth',
      'recovery',
      'mailbox',
      'actor',
      'session',
      'vendor_risk',
    ];
    const ids = new Set<string>();
    let previous = '';
    for (const e of r.events) {
      assert.match(e.id, /^evt-\d{8,}$/);
      assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
      ids.add(e.id);
      assert.match(e.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.ok(e.time >= previous, `${e.id} at ${e.time} is before ${previous}`);
      previous = e.time;
      const keys = Object.keys(e);
      assert.deepEqual(
        keys,
        order.filter((k) => keys.includes(k)),
        `key order of ${e.id}`,
      );
      assert.equal(e.tenant, 'default');
      assert.ok((EVENT_TYPES as readonly string[]).includes(e.type), e.type);
      assert.ok((OUTCOMES as readonly string[]).includes(e.outcome), e.outcome);
      if (e.auth)
        assert.ok((AUTH_METHODS as readonly string[]).includes(e.auth.method), e.auth.method);
      if (e.recovery)
        assert.ok((RECOVERY_CHANNELS as readonly string[]).includes(e.recovery.channel));
      assert.match(e.source.ip, /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
      assert.match(e.session.id, /^s-[0-9a-f]{12}$/);
      const d = accounts.get(e.account.id);
      assert.ok(d, `event ${e.id} names unknown account ${e.account.id}`);
      assert.deepEqual(e.account, d.account);
    }
    assert.ok(r.events[0]!.time >= '2026-10-01T00:00:00.000Z');
    assert.ok(r.events.at(-1)!.time < '2026-10-11T00:00:00.000Z');
  });

  test(`${scenario}: truth.json is consistent with the events`, async () => {
    const r = await scenarioRun(scenario);
    const t = r.truth;
    assert.deepEqual(
      {
        scenario: t.scenario,
        seed: t.seed,
        start: t.start,
        days: t.days,
        accounts: t.accounts,
        events: t.events,
      },
      {
        scenario,
        seed: SEED,
        start: '2026-10-01T00:00:00.000Z',
        days: SMALL.days,
        accounts: SMALL.accounts,
        events: r.events.length,
      },
    );
    assert.equal(r.summary.maliciousEvents, t.labels.length);
    assert.equal(r.summary.campaigns, t.campaigns.length);
    assert.ok(t.labels.length > 0, 'no malicious events');

    const campaignIds = new Set(t.campaigns.map((c) => c.id));
    const seen = new Set<string>();
    for (const l of t.labels) {
      assert.ok(r.byId.has(l.event_id), `label for missing event ${l.event_id}`);
      assert.ok(!seen.has(l.event_id), `two labels for ${l.event_id}`);
      seen.add(l.event_id);
      assert.ok(campaignIds.has(l.campaign), l.campaign);
      assert.ok(['probe', 'success', 'persistence'].includes(l.kind), l.kind);
    }

    for (const c of t.campaigns) {
      const mine = labelled(r, c.id);
      assert.ok(mine.length > 0, `${c.id} has no events`);
      const touched = new Set(mine.map((x) => x.event.account.id));
      const succeeded = new Set(
        mine.filter((x) => x.kind === 'success').map((x) => x.event.account.id),
      );
      assert.deepEqual(
        new Set(c.targets),
        touched,
        `${c.id}: targets are exactly the accounts it touched`,
      );
      for (const id of c.compromised)
        assert.ok(c.targets.includes(id), `${c.id}: compromised ${id} is not a target`);
      assert.deepEqual(
        new Set(c.compromised),
        succeeded,
        `${c.id}: compromised are exactly the accounts with a success`,
      );
      const times = mine.map((x) => x.event.time).sort();
      assert.equal(c.first_seen, times[0]);
      assert.equal(c.last_seen, times.at(-1));
      for (const x of mine)
        assert.ok(
          c.infrastructure.ips.includes(x.event.source.ip),
          `${c.id}: ip ${x.event.source.ip} missing`,
        );
      for (const id of c.compromised) {
        // Persistence, if any, comes after getting in.
        const firstSuccess = mine.find((x) => x.kind === 'success' && x.event.account.id === id)!
          .event.time;
        for (const x of mine) {
          if (x.kind === 'persistence' && x.event.account.id === id)
            assert.ok(x.event.time >= firstSuccess);
        }
      }
    }

    if (scenario === 'mixed') {
      const kinds = t.campaigns.map((c) => c.scenario);
      assert.ok(kinds.includes('recovery-abuse') && kinds.includes('password-spray'), kinds.join());
      assert.ok(kinds.includes('mfa-fatigue') || kinds.includes('aitm-phishing'), kinds.join());
      // Overlapping in time.
      const spans = t.campaigns.map((c) => [c.first_seen!, c.last_seen!] as const);
      assert.ok(
        spans.some(([a0, a1], i) => spans.some(([b0, b1], j) => i !== j && a0 < b1 && b0 < a1)),
      );
    } else {
      assert.equal(t.campaigns.length, 1);
      assert.equal(t.campaigns[0]!.scenario, scenario);
    }
  });

  test(`${scenario}: every event and directory record passes the ingest validators`, async (t) => {
    // Optional: the ingest stage is written in parallel; skip what is not there yet.
    const events = await import('../src/ingest/validate-event.js').catch(() => null);
    const records = await import('../src/ingest/validate-directory-record.js').catch(() => null);
    if (!events && !records) {
      t.skip('src/ingest validators not available');
      return;
    }
    const r = await scenarioRun(scenario);
    if (events) {
      for (const e of r.events) {
        const v = events.validateEvent(e);
        assert.ok(v.ok, `${e.id}: ${v.ok ? '' : JSON.stringify(v.problems)}`);
      }
    }
    if (records) {
      for (const d of r.directory) {
        const v = records.validateDirectoryRecord(d);
        assert.ok(v.ok, `${d.account.id}: ${v.ok ? '' : JSON.stringify(v.problems)}`);
      }
    }
  });
}

test('recovery-abuse: APT35 probes many high-value accounts and pivots through backup mailboxes', async () => {
  const r = await scenarioRun('recovery-abuse');
  const c = r.truth.campaigns[0]!;
  assert.equal(c.actor, 'APT35');
  const mine = labelled(r, c.id);
  const accounts = new Map(r.directory.map((d) => [d.account.id, d]));
  const emails = new Map(r.directory.map((d) => [d.account.email, d]));

  assert.ok(c.targets.length >= 15, `${c.targets.length} targets`);
  const highValue = c.targets.filter((id) => accounts.get(id)!.account.tags[0] !== 'general');
  assert.ok(highValue.length >= 0.8 * c.targets.length - c.compromised.length);
  const probes = mine.filter((x) => x.kind === 'probe');
  assert.ok(probes.length > 0.7 * mine.length, 'mostly failing probes');
  assert.ok(probes.some((x) => x.event.type === 'password.reset.requested'));
  assert.ok(
    probes.some((x) => x.event.type === 'recovery.challenge' && x.event.outcome === 'failure'),
  );
  assert.ok(mine.some((x) => x.kind === 'persistence'));
  // A small infrastructure: a handful of addresses and browser strings.
  assert.ok(c.infrastructure.ips.length <= 20, `${c.infrastructure.ips.length} ips`);
  assert.ok(c.infrastructure.user_agents.length <= 4);

  // The pivot: the primary is reset through an email code sent to a backup
  // mailbox that is itself a directory account the attacker took over first.
  const pivots = mine.filter(
    (x) =>
      x.kind === 'success' &&
      x.event.type === 'recovery.challenge' &&
      x.event.auth?.method === 'email_code',
  );
  assert.ok(pivots.length >= 1, 'no pivot');
  for (const p of pivots) {
    const backup = emails.get(p.event.recovery!.address!);
    assert.ok(backup, 'backup mailbox is a directory account');
    assert.ok(c.compromised.includes(backup.account.id));
    assert.ok(c.compromised.includes(p.event.account.id));
    const backupIn = mine.find(
      (x) =>
        x.kind === 'success' &&
        x.event.account.id === backup.account.id &&
        x.event.type === 'signin',
    );
    assert.ok(backupIn && backupIn.event.time < p.event.time, 'backup taken before the primary');
    assert.ok(
      accounts.get(p.event.account.id)!.recovery.some((x) => x.address === backup.account.email),
    );
  }
});

test('password-spray: many accounts, many residential addresses, at most a couple of attempts per account per day', async () => {
  const r = await scenarioRun('password-spray');
  const c = r.truth.campaigns[0]!;
  const mine = labelled(r, c.id);
  assert.ok(c.targets.length >= 30, `${c.targets.length} targets`);
  const failures = mine.filter(
    (x) => x.kind === 'probe' && x.event.type === 'signin' && x.event.outcome === 'failure',
  );
  assert.ok(failures.length > 0.9 * mine.length, 'failures dominate');
  assert.ok(c.infrastructure.ips.length >= 30, `${c.infrastructure.ips.length} ips`);
  const perDay = new Map<string, number>();
  for (const x of failures) {
    const key = `${x.event.account.id} ${x.event.time.slice(0, 10)}`;
    perDay.set(key, (perDay.get(key) ?? 0) + 1);
  }
  assert.ok(Math.max(...perDay.values()) <= 3, 'low rate per account');
  assert.ok(c.compromised.length >= 1);
});

test('mfa-fatigue: bursts of rejected pushes after a correct password, some victims approve', async () => {
  const r = await scenarioRun('mfa-fatigue');
  const c = r.truth.campaigns[0]!;
  const mine = labelled(r, c.id);
  const accounts = new Map(r.directory.map((d) => [d.account.id, d]));
  for (const id of c.targets) assert.ok(accounts.get(id)!.mfa.includes('push'));
  const pushesPerSession = new Map<string, number>();
  for (const x of mine) {
    if (x.event.type === 'mfa.challenge' && x.event.outcome === 'failure') {
      assert.equal(x.event.auth?.method, 'mfa_push');
      pushesPerSession.set(x.event.session.id, (pushesPerSession.get(x.event.session.id) ?? 0) + 1);
    }
  }
  assert.ok(Math.max(...pushesPerSession.values()) >= 4, 'a burst of pushes');
  assert.ok(
    mine.some(
      (x) => x.kind === 'probe' && x.event.type === 'signin' && x.event.outcome === 'success',
    ),
  );
  assert.ok(c.compromised.length >= 1);
  for (const id of c.compromised) {
    assert.ok(
      mine.some(
        (x) =>
          x.event.account.id === id && x.kind === 'success' && x.event.type === 'mfa.challenge',
      ),
    );
    assert.ok(mine.some((x) => x.event.account.id === id && x.kind === 'persistence'));
  }
});

test('aitm-phishing: relayed password and MFA from the proxy with a new device, then persistence in the stolen session', async () => {
  const r = await scenarioRun('aitm-phishing');
  const c = r.truth.campaigns[0]!;
  const mine = labelled(r, c.id);
  assert.ok(c.compromised.length >= 1);
  for (const id of c.compromised) {
    const signin = mine.find(
      (x) => x.event.account.id === id && x.kind === 'success' && x.event.type === 'signin',
    )!;
    assert.ok(signin);
    const earlierDevices = new Set(
      r.events
        .filter(
          (e) =>
            e.account.id === id &&
            e.time < signin.event.time &&
            !r.truth.labels.some((l) => l.event_id === e.id),
        )
        .map((e) => e.source.device_id),
    );
    if (signin.event.source.device_id)
      assert.ok(!earlierDevices.has(signin.event.source.device_id), 'new device id');
    const persistence = mine.filter((x) => x.event.account.id === id && x.kind === 'persistence');
    assert.ok(persistence.length >= 1);
    for (const p of persistence)
      assert.equal(p.event.session.id, signin.event.session.id, 'stolen session is replayed');
  }
});

test('benign life: typos, a shared corporate egress, backup mailboxes inside the directory, travel and MFA', async () => {
  const r = await scenarioRun('password-spray');
  const malicious = new Set(r.truth.labels.map((l) => l.event_id));
  const benign = r.events.filter((e) => !malicious.has(e.id));
  const emails = new Set(r.directory.map((d) => d.account.email));
  // Many backup mailboxes are themselves accounts of the directory.
  const internalBackups = r.directory.filter((d) =>
    d.recovery.some((x) => x.channel === 'email' && emails.has(x.address!)),
  );
  assert.ok(internalBackups.length >= 20, `${internalBackups.length} internal backups`);
  // A typo: failure then success in the same session.
  const bySession = new Map<string, SimEvent[]>();
  for (const e of benign) bySession.set(e.session.id, [...(bySession.get(e.session.id) ?? []), e]);
  assert.ok(
    [...bySession.values()].some(
      (s) =>
        s[0]!.type === 'signin' &&
        s[0]!.outcome === 'failure' &&
        s.some((x) => x.type === 'signin' && x.outcome === 'success'),
    ),
  );
  // The corporate egress: one address used by many accounts.
  const accountsPerIp = new Map<string, Set<string>>();
  for (const e of benign) {
    let set = accountsPerIp.get(e.source.ip);
    if (!set) accountsPerIp.set(e.source.ip, (set = new Set()));
    set.add(e.account.id);
  }
  assert.ok(Math.max(...[...accountsPerIp.values()].map((s) => s.size)) >= 10, 'a shared egress');
  assert.ok(benign.some((e) => e.type === 'mfa.challenge' && e.outcome === 'success'));
  // Some fields are missing now and then, as in real logs.
  assert.ok(benign.some((e) => e.source.user_agent === undefined));
  assert.ok(benign.some((e) => e.source.device_id === undefined));
  assert.ok(benign.some((e) => e.source.asn !== undefined));
  assert.ok(benign.some((e) => e.vendor_risk !== undefined));
});

test('onProgress reports every day and the running event count', async () => {
  const seen: { day: number; days: number; events: number }[] = [];
  const r = await run({
    scenario: 'aitm-phishing',
    seed: 2,
    accounts: 60,
    days: 3,
    onProgress: (p) => seen.push(p),
  });
  assert.deepEqual(
    seen.map((p) => p.day),
    [1, 2, 3],
  );
  assert.ok(seen.every((p) => p.days === 3));
  assert.equal(seen.at(-1)!.events, r.events.length);
});

test('accepts a date-only start and a one-day window', async () => {
  const r = await run({
    scenario: 'recovery-abuse',
    seed: 9,
    accounts: 50,
    days: 1,
    start: '2019-09-03',
  });
  assert.equal(r.truth.start, '2019-09-03T00:00:00.000Z');
  for (const e of r.events) assert.equal(e.time.slice(0, 10), '2019-09-03');
});

const invalid: { name: string; options: Record<string, unknown>; wantErr: string }[] = [
  {
    name: 'unknown scenario',
    options: { scenario: 'phishing' },
    wantErr:
      'simulate: unknown scenario "phishing" (expected one of: recovery-abuse, password-spray, mfa-fatigue, aitm-phishing, mixed)',
  },
  {
    name: 'fractional seed',
    options: { seed: 1.5 },
    wantErr: 'simulate: seed must be an integer, got 1.5',
  },
  {
    name: 'string seed',
    options: { seed: '7' },
    wantErr: 'simulate: seed must be an integer, got "7"',
  },
  {
    name: 'empty outDir',
    options: { outDir: '' },
    wantErr: 'simulate: outDir must be a non-empty path',
  },
  {
    name: 'too few accounts',
    options: { accounts: 10 },
    wantErr: 'simulate: accounts must be an integer from 50 to 1000000, got 10',
  },
  {
    name: 'fractional accounts',
    options: { accounts: 100.5 },
    wantErr: 'simulate: accounts must be an integer from 50 to 1000000, got 100.5',
  },
  {
    name: 'zero days',
    options: { days: 0 },
    wantErr: 'simulate: days must be an integer from 1 to 366, got 0',
  },
  {
    name: 'fractional days',
    options: { days: 2.5 },
    wantErr: 'simulate: days must be an integer from 1 to 366, got 2.5',
  },
  {
    name: 'bad start',
    options: { start: 'yesterday' },
    wantErr: 'simulate: start must be an ISO-8601 date or date-time with zone, got "yesterday"',
  },
  {
    name: 'start without zone',
    options: { start: '2026-10-01T00:00:00' },
    wantErr:
      'simulate: start must be an ISO-8601 date or date-time with zone, got "2026-10-01T00:00:00"',
  },
];

for (const { name, options, wantErr } of invalid) {
  test(`rejects invalid options: ${name}`, async () => {
    const opts = {
      scenario: 'mixed',
      seed: 1,
      outDir: join(root, 'never'),
      accounts: 50,
      days: 1,
      ...options,
    };
    await assert.rejects(simulate(opts as unknown as SimulateOptions), { message: wantErr });
  });
}
