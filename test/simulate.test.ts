// Tests for the scenario simulator (src/simulate): determinism, consistency of
// the ground truth with the events, the behaviour each scenario must show, the
// vendor's threat-intel report, and option validation. Small runs (400
// accounts × 10 days) keep the file fast.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
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
  raw: { directory: string; events: string; truth: string; intel: string | null };
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
    intel: summary.files.intel === undefined ? null : await readFile(summary.files.intel, 'utf8'),
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

test('same seed and options give identical bytes in every file', async () => {
  const a = await run({ scenario: 'mixed', seed: 3, ...SMALL });
  const b = await run({ scenario: 'mixed', seed: 3, ...SMALL });
  assert.equal(a.raw.directory, b.raw.directory);
  assert.equal(a.raw.events, b.raw.events);
  assert.equal(a.raw.truth, b.raw.truth);
  assert.ok(a.raw.intel !== null);
  assert.equal(a.raw.intel, b.raw.intel);
  assert.deepEqual(a.summary.events, b.summary.events);
});

test('a different seed gives different files', async () => {
  const a = await run({ scenario: 'mixed', seed: 3, ...SMALL });
  const c = await run({ scenario: 'mixed', seed: 4, ...SMALL });
  assert.notEqual(a.raw.directory, c.raw.directory);
  assert.notEqual(a.raw.events, c.raw.events);
  assert.notEqual(a.raw.truth, c.raw.truth);
  assert.notEqual(a.raw.intel, c.raw.intel);
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

// ─── threat-intel.json: a vendor's STIX 2.1 report on the attributed actor ──

interface Stix {
  type: string;
  id: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  created_by_ref?: string;
  name?: string;
  aliases?: string[];
  identity_class?: string;
  indicator_types?: string[];
  pattern?: string;
  pattern_type?: string;
  valid_from?: string;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  published?: string;
  object_refs?: string[];
}
interface StixBundle {
  type: string;
  id: string;
  objects: Stix[];
}

const APT35_ALIASES = ['Charming Kitten', 'Mint Sandstorm', 'TA453', 'Phosphorus'];
const STIX_ID =
  /^([a-z0-9-]+)--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DOCUMENTATION_NET = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

/** The report of a run, split the way the tests below look at it. */
function intelOf(r: Run) {
  assert.ok(r.raw.intel !== null, 'no threat-intel.json');
  const bundle = JSON.parse(r.raw.intel) as StixBundle;
  const ofType = (type: string) => bundle.objects.filter((o) => o.type === type);
  const indicators = ofType('indicator').map((o) => {
    const m = /^\[(ipv4-addr|email-addr):value = '([^']+)'\]$/.exec(o.pattern ?? '');
    assert.ok(m, `pattern ${o.pattern}`);
    return { object: o, kind: m[1] as 'ipv4-addr' | 'email-addr', value: m[2] as string };
  });
  const campaign = r.truth.campaigns.find((c) => c.actor !== null)!;
  const mine = labelled(r, campaign.id).map((x) => x.event);
  const firstUse = (values: (e: SimEvent) => (string | undefined)[]) => {
    const first = new Map<string, string>();
    for (const e of mine)
      for (const v of values(e)) if (v !== undefined && !first.has(v)) first.set(v, e.time);
    return first;
  };
  return {
    bundle,
    ofType,
    indicators,
    campaign,
    ipFirstUse: firstUse((e) => [e.source.ip]),
    dropFirstUse: firstUse((e) => [
      e.type === 'recovery.channel.added' && e.recovery?.channel === 'email'
        ? e.recovery.address
        : undefined,
      e.mailbox?.forward_to,
    ]),
  };
}

test('threat-intel.json is written only when a campaign is attributed to an actor', async () => {
  for (const scenario of SCENARIOS) {
    const r = await scenarioRun(scenario);
    const attributed = r.truth.campaigns.some((c) => c.actor !== null);
    assert.equal(r.summary.files.intel !== undefined, attributed, scenario);
    assert.equal(existsSync(join(r.dir, 'threat-intel.json')), attributed, scenario);
    if (attributed) assert.equal(r.summary.files.intel, join(r.dir, 'threat-intel.json'));
  }
  assert.ok((await scenarioRun('recovery-abuse')).raw.intel !== null);
  assert.ok((await scenarioRun('mixed')).raw.intel !== null);
  assert.equal((await scenarioRun('password-spray')).raw.intel, null);
});

test('threat-intel.json: a vendor report naming the actor by an alias, every indicator linked to it', async () => {
  for (const scenario of ['recovery-abuse', 'mixed'] as const) {
    const r = await scenarioRun(scenario);
    const { bundle, ofType, indicators, campaign } = intelOf(r);
    assert.equal(bundle.type, 'bundle');
    assert.match(bundle.id, STIX_ID);
    assert.equal(new Set(bundle.objects.map((o) => o.id)).size, bundle.objects.length);

    const [vendor, ...rest] = ofType('identity');
    assert.equal(rest.length, 0);
    assert.equal(vendor!.name, 'Simulated Threat Research');
    assert.equal(vendor!.identity_class, 'organization');
    for (const o of bundle.objects) {
      assert.equal(STIX_ID.exec(o.id)?.[1], o.type, o.id);
      assert.equal(o.spec_version, '2.1');
      assert.match(o.created!, ISO_MS);
      assert.match(o.modified!, ISO_MS);
      assert.equal(o.created_by_ref, vendor!.id, `${o.id} created by the vendor`);
    }

    const sets = ofType('intrusion-set');
    assert.equal(sets.length, 1);
    const set = sets[0]!;
    assert.ok(APT35_ALIASES.includes(set.name!), set.name);
    assert.equal(set.aliases, undefined, 'the importer resolves the name itself');
    assert.ok(!r.raw.intel!.includes('APT35'), 'the primary name appears nowhere');

    assert.ok(indicators.length >= 3);
    const relationships = ofType('relationship');
    assert.deepEqual(
      relationships.map((x) => x.source_ref).sort(),
      indicators.map((x) => x.object.id).sort(),
      'one relationship per indicator',
    );
    for (const rel of relationships) {
      assert.equal(rel.relationship_type, 'indicates');
      assert.equal(rel.target_ref, set.id);
    }
    for (const { object } of indicators) {
      assert.deepEqual(object.indicator_types, ['malicious-activity']);
      assert.equal(object.pattern_type, 'stix');
      assert.match(object.valid_from!, ISO_MS);
    }

    // Published in the middle of the campaign's activity, referring to everything above.
    const [report] = ofType('report');
    const mid = (Date.parse(campaign.first_seen!) + Date.parse(campaign.last_seen!)) / 2;
    assert.ok(Math.abs(Date.parse(report!.published!) - mid) <= 1, report!.published);
    assert.ok(report!.name!.startsWith(set.name!), report!.name);
    assert.deepEqual(
      new Set(report!.object_refs),
      new Set([set.id, ...indicators.map((x) => x.object.id), ...relationships.map((x) => x.id)]),
    );
  }
});

test('threat-intel.json: part of the first half of the campaign infrastructure, plus decoys seen nowhere', async () => {
  for (const r of [
    await scenarioRun('recovery-abuse'),
    await scenarioRun('mixed'),
    await run({ scenario: 'recovery-abuse', seed: 9, ...SMALL }),
  ]) {
    const { ofType, indicators, campaign, ipFirstUse, dropFirstUse } = intelOf(r);
    const published = ofType('report')[0]!.published!;
    const ips = indicators.filter((x) => x.kind === 'ipv4-addr');
    const decoys = ips.filter((x) => !campaign.infrastructure.ips.includes(x.value));
    const used = ips.filter((x) => campaign.infrastructure.ips.includes(x.value));

    // Decoys: 2–4 documentation addresses of the actor's other infrastructure, in no event at all.
    assert.ok(decoys.length >= 2 && decoys.length <= 4, `${decoys.length} decoys`);
    const everyIp = new Set(r.events.map((e) => e.source.ip));
    for (const d of decoys) {
      assert.match(d.value, DOCUMENTATION_NET);
      assert.ok(!everyIp.has(d.value), `decoy ${d.value} in an event`);
      assert.ok(!r.raw.events.includes(`"${d.value}"`), `decoy ${d.value} in events.ndjson`);
      assert.ok(d.object.valid_from! <= published);
    }

    // The rest: a strict part of what the campaign used, all of it first used by the publication.
    const firstHalf = [...ipFirstUse].filter(([, t]) => t <= published);
    assert.ok(used.length >= 1, 'at least one address of the campaign');
    assert.ok(used.length < campaign.infrastructure.ips.length, 'only part of it');
    assert.ok(
      used.length <= Math.ceil(firstHalf.length * 0.65),
      `${used.length} of ${firstHalf.length}`,
    );
    for (const x of used) {
      assert.equal(x.object.valid_from, ipFirstUse.get(x.value), `${x.value}: first use`);
      assert.ok(x.object.valid_from! <= published, `${x.value} first used after publication`);
    }

    const emails = indicators.filter((x) => x.kind === 'email-addr');
    const knownDrops = [...dropFirstUse].filter(([, t]) => t <= published);
    assert.equal(emails.length > 0, knownDrops.length > 0, 'drop mailboxes when there were any');
    for (const x of emails) {
      assert.equal(x.object.valid_from, dropFirstUse.get(x.value), `${x.value}: a drop mailbox`);
      assert.ok(x.object.valid_from! <= published);
    }
  }
});

test('threat-intel.json leaves the other files alone', async () => {
  const r = await scenarioRun('recovery-abuse');
  assert.deepEqual(Object.keys(r.truth), [
    'scenario',
    'seed',
    'start',
    'days',
    'accounts',
    'events',
    'labels',
    'campaigns',
  ]);
  for (const c of r.truth.campaigns)
    assert.deepEqual(Object.keys(c).sort(), [
      'actor',
      'compromised',
      'first_seen',
      'id',
      'infrastructure',
      'last_seen',
      'scenario',
      'targets',
    ]);
  assert.ok(!r.raw.truth.includes('intel') && !r.raw.truth.includes('Sandstorm'));
  assert.doesNotMatch(r.raw.events, /"(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+"/);
});

test('a run without an attributed campaign removes a stale threat-intel.json', async () => {
  const dir = join(root, 'reused');
  const first = await simulate({ scenario: 'recovery-abuse', seed: 1, outDir: dir, ...SMALL });
  assert.ok(first.files.intel !== undefined && existsSync(first.files.intel));
  const second = await simulate({ scenario: 'mfa-fatigue', seed: 1, outDir: dir, ...SMALL });
  assert.equal(second.files.intel, undefined);
  assert.ok(!existsSync(join(dir, 'threat-intel.json')));
});

// The OASIS STIX 2.1 schemas, as test/stix-export.test.ts loads them.
const STIX_SCHEMAS = fileURLToPath(
  new URL('../../shared/intel/stix2-schemas/schemas/', import.meta.url),
);
const STIX_SCHEMA_BASE =
  'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
const STIX_SCHEMA_OF: Readonly<Record<string, string>> = {
  identity: 'sdos/identity.json',
  indicator: 'sdos/indicator.json',
  'intrusion-set': 'sdos/intrusion-set.json',
  relationship: 'sros/relationship.json',
  report: 'sdos/report.json',
  bundle: 'common/bundle.json',
};

function stixValidators(): (type: string) => ValidateFunction {
  // The schemas write `\-` inside patterns, which a `u`-flag RegExp rejects.
  const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  ajv.addFormat('idn-hostname', true);
  for (const dir of readdirSync(STIX_SCHEMAS))
    for (const file of readdirSync(join(STIX_SCHEMAS, dir)))
      ajv.addSchema(JSON.parse(readFileSync(join(STIX_SCHEMAS, dir, file), 'utf8')) as object);
  return (type) => {
    const schema = STIX_SCHEMA_OF[type];
    assert.ok(schema, `no schema for ${type}`);
    return ajv.getSchema(STIX_SCHEMA_BASE + schema)!;
  };
}

test('threat-intel.json validates against the OASIS STIX 2.1 schemas', async (t) => {
  if (!existsSync(STIX_SCHEMAS)) return t.skip('../shared/intel absent');
  const validator = stixValidators();
  // Wired: a broken indicator is rejected.
  const { bundle } = intelOf(await scenarioRun('recovery-abuse'));
  const indicator = bundle.objects.find((o) => o.type === 'indicator')!;
  assert.equal(validator('indicator')({ ...indicator, pattern: undefined }), false);
  for (const scenario of ['recovery-abuse', 'mixed'] as const) {
    const { bundle } = intelOf(await scenarioRun(scenario));
    const errors: string[] = [];
    for (const o of [...bundle.objects, bundle]) {
      const { id, type } = o;
      const validate = validator(type);
      if (!validate(o))
        for (const e of validate.errors ?? []) errors.push(`${id}${e.instancePath} ${e.message}`);
    }
    assert.deepEqual(errors, [], scenario);
  }
});

const invalid: { name: string; options: Record<string, unknown>; wantErr: string }[] = [
  {
    name: 'unknown scenario',
    options: { scenario: 'phishing' },
    wantErr:
      'simulate: unknown scenario "phishing" (expected one of: recovery-abuse, password-spray, mfa-fatigue, aitm-phishing, credential-stuffing, mixed)',
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
