import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import {
  adapterCases,
  assertValidEvents,
  conformanceDir,
  sampleFiles,
  sampleRecords,
  eventsOf,
  emittedTypes,
} from './helpers/adapter-samples.js';
import type { AdaptedEvent } from '../src/ingest/adapters/adapter.js';
import { workspaceAdapter } from '../src/ingest/adapters/workspace-adapter.js';

const context = { tenant: 'default' };
const { dir: conformanceRoot, skip: noConformance } = conformanceDir('google-workspace');
const cases = adapterCases('workspace');
const assertValid = assertValidEvents;
const readRecords = sampleRecords;

describe('workspace adapter: fixture cases', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = workspaceAdapter.adapt(c.record, context);
      assert.deepEqual(got, c.want);
      if (got.kind === 'events') assertValid(got.events, c.record, c.name);
    });
  }

  test('the fixtures cover every native type the adapter emits', () => {
    assert.deepEqual(emittedTypes(cases), [
      'mailbox.forwarding.set',
      'mfa.challenge',
      'mfa.enrolled',
      'mfa.removed',
      'password.changed',
      'recovery.channel.added',
      'risk.detected',
      'signin',
    ]);
  });
});

describe('workspace adapter: detect', () => {
  const table: { name: string; record: unknown; want: boolean }[] = [
    { name: 'API activity', record: cases[0]?.record, want: true },
    {
      name: 'Panther flattened, no kind',
      record: { id: { applicationName: 'login' }, name: 'login_success', type: 'login' },
      want: true,
    },
    {
      name: 'Okta LogEvent',
      record: { uuid: 'x', eventType: 'user.session.start', published: '2024-01-01T00:00:00Z' },
      want: false,
    },
    {
      name: 'Entra sign-in',
      record: { id: 'a', createdDateTime: '2024-01-01T00:00:00Z', userPrincipalName: 'a@b' },
      want: false,
    },
    {
      name: 'a Reports API page',
      record: { kind: 'admin#reports#activities', items: [] },
      want: false,
    },
    { name: 'null', record: null, want: false },
    { name: 'array', record: [], want: false },
  ];
  for (const row of table) {
    test(row.name, () => assert.equal(workspaceAdapter.detect(row.record), row.want));
  }
});

describe('workspace adapter: hostile input is malformed, never thrown', () => {
  const cyclic: Record<string, unknown> = {
    kind: 'admin#reports#activity',
    id: { time: '2024-03-05T09:14:02Z', uniqueQualifier: '1', applicationName: 'login' },
    actor: { email: 'a@campaign.example' },
  };
  cyclic.events = cyclic;
  const throwing = {
    kind: 'admin#reports#activity',
    get id(): unknown {
      throw new Error('boom');
    },
  };
  let deep: unknown = { name: 'login_success' };
  for (let i = 0; i < 100_000; i++) deep = { parameters: deep, name: 'login_success' };
  const base = {
    kind: 'admin#reports#activity',
    id: { time: '2024-03-05T09:14:02Z', uniqueQualifier: '1', applicationName: 'login' },
    actor: { email: 'a@campaign.example' },
  };
  const table: { name: string; input: unknown; want: string }[] = [
    { name: 'null', input: null, want: 'a Workspace activity must be a JSON object, got null' },
    { name: 'number', input: 42, want: 'a Workspace activity must be a JSON object, got a number' },
    {
      name: 'string',
      input: 'login_success',
      want: 'a Workspace activity must be a JSON object, got a string',
    },
    { name: 'array', input: [], want: 'a Workspace activity must be a JSON object, got an array' },
    {
      name: 'empty object',
      input: {},
      want: 'the activity has no id object (id.time, id.applicationName)',
    },
    {
      name: '__proto__ as the only key',
      input: JSON.parse('{"__proto__":{"id":{"applicationName":"login"}}}'),
      want: 'the activity has no id object (id.time, id.applicationName)',
    },
    {
      name: 'id from the prototype only',
      input: Object.create({ id: base.id, events: [{ name: 'login_success' }] }),
      want: 'the activity has no id object (id.time, id.applicationName)',
    },
    {
      name: 'id an array',
      input: { ...base, id: ['login'] },
      want: 'the activity has no id object (id.time, id.applicationName)',
    },
    {
      name: 'applicationName a number',
      input: { ...base, id: { time: '2024-03-05T09:14:02Z', applicationName: 7 } },
      want: 'the activity has no id.applicationName',
    },
    {
      name: 'events a number',
      input: { ...base, events: 3 },
      want: 'events must be an array or an object, got a number',
    },
    {
      name: 'no events at all',
      input: base,
      want: 'the activity has no events (neither events[] nor a flattened name)',
    },
    {
      name: 'events of wrong types',
      input: { ...base, events: [null, 5, 'login_success', []] },
      want: 'an event of the activity has no name',
    },
    {
      name: 'name a number',
      input: { ...base, events: [{ name: 12 }] },
      want: 'an event of the activity has no name',
    },
    {
      name: 'time a number',
      input: { ...base, id: { ...base.id, time: 1709629500 }, events: [{ name: 'login_success' }] },
      want: 'the activity has no id.time',
    },
    {
      name: 'time far too long',
      input: {
        ...base,
        id: { ...base.id, time: 'x'.repeat(10_000) },
        events: [{ name: 'login_success' }],
      },
      want: 'id.time is too long to be a timestamp',
    },
    {
      name: 'time in the year 1066',
      input: {
        ...base,
        id: { ...base.id, time: '1066-10-14T09:00:00Z' },
        events: [{ name: 'login_success' }],
      },
      want: 'id.time: year 1066 out of range 1970-2999',
    },
    {
      name: 'actor email an object',
      input: { ...base, actor: { email: { $ne: '' } }, events: [{ name: 'login_success' }] },
      want: 'the activity names no user (actor.email, or affected_email_address for an account warning)',
    },
    {
      name: 'actor email far too long',
      input: {
        ...base,
        actor: { email: `${'a'.repeat(300)}@x.example` },
        events: [{ name: 'login_success' }],
      },
      want: "the user's address is longer than 256 characters",
    },
    {
      name: 'uniqueQualifier an object',
      input: {
        ...base,
        id: { ...base.id, uniqueQualifier: { a: 1 } },
        events: [{ name: 'login_success' }],
      },
      want: 'id.uniqueQualifier must be a string of up to 64 characters or an integer',
    },
    {
      // `events` is the activity itself: an object holding no name.
      name: 'a cycle',
      input: cyclic,
      want: 'an event of the activity has no name',
    },
    {
      name: 'a getter that throws',
      input: throwing,
      want: 'unreadable Workspace activity: Error: boom',
    },
  ];
  for (const row of table) {
    test(row.name, () => {
      assert.deepEqual(workspaceAdapter.adapt(row.input, context), {
        kind: 'malformed',
        message: row.want,
      });
    });
  }

  test('an over-long account_disabled_ name is cut to a valid signal', () => {
    const name = `account_disabled_${'x'.repeat(500)}`;
    const got = workspaceAdapter.adapt({ ...base, events: [{ name }] }, context);
    const events = eventsOf(got, 'long name');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.vendor_risk, { level: 'medium', signals: [name.slice(0, 128)] });
    assertValid(events, base, 'long name');
    assert.deepEqual(
      workspaceAdapter.adapt({ ...base, events: [{ name: 'y'.repeat(500) }] }, context),
      {
        kind: 'skip',
        reason: `workspace login ${'y'.repeat(96)}`,
      },
    );
  });

  test('a deeply nested record does not throw', () => {
    const got = workspaceAdapter.adapt({ ...base, events: deep }, context);
    assert.ok(got.kind === 'events' || got.kind === 'malformed', JSON.stringify(got).slice(0, 200));
  });

  test('odd parameters are ignored, not fatal', () => {
    const got = workspaceAdapter.adapt(
      {
        ...base,
        events: [
          {
            name: 'login_success',
            parameters: [
              null,
              { name: 5, value: 'x' },
              { name: 'login_challenge_method', multiValue: [1, {}, 'password'] },
              { name: 'is_suspicious', boolValue: 'yes' },
              { name: 'constructor', value: 'x' },
            ],
          },
        ],
      },
      context,
    );
    assert.deepEqual(got, {
      kind: 'events',
      events: [
        {
          id: 'workspace:2024-03-05T09:14:02.000Z:1:0',
          time: '2024-03-05T09:14:02.000Z',
          type: 'signin',
          outcome: 'success',
          auth: { method: 'password' },
          account: { id: 'a@campaign.example', email: 'a@campaign.example' },
        },
      ],
    });
  });
});

describe('workspace adapter: determinism', () => {
  test('the same record gives the same events, with ids unique within a record', () => {
    for (const c of cases) {
      const a = workspaceAdapter.adapt(c.record, context);
      assert.deepEqual(workspaceAdapter.adapt(structuredClone(c.record), context), a, c.name);
      if (a.kind !== 'events') continue;
      const ids = a.events.map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, c.name);
    }
  });

  test('split records of one activity (Elastic, Panther) keep distinct ids', () => {
    const base = {
      kind: 'admin#reports#activity',
      id: { time: '2024-03-05T09:14:02Z', uniqueQualifier: '9', applicationName: 'login' },
      actor: { email: 'a@campaign.example' },
    };
    const ids = [
      { type: 'login', name: 'login_success', parameters: [{ name: 'login_type', value: 'saml' }] },
      { type: 'login', name: 'login_success', parameters: [] },
      { type: 'login', name: 'login_failure' },
    ].map(
      (events) =>
        eventsOf(workspaceAdapter.adapt({ ...base, events }, context), events.name)[0]?.id,
    );
    assert.deepEqual(ids, [
      'workspace:2024-03-05T09:14:02.000Z:9:login_success:c979d0c7d133',
      'workspace:2024-03-05T09:14:02.000Z:9:login_success:6a9aac24718c',
      'workspace:2024-03-05T09:14:02.000Z:9:login_failure:47903feddb46',
    ]);
  });
});

describe('workspace adapter: public samples', { skip: noConformance }, () => {
  const files = noConformance ? [] : sampleFiles(conformanceRoot);
  const name = (path: string): string => relative(conformanceRoot, path);

  /**
   * Panther's rule tests drop fields a rule does not read; these lines lack
   * what any event needs (a time, a user, an event), so they are truly
   * malformed. Every other line must give events or a skip.
   */
  const noTime = 'the activity has no id.time';
  const noUser =
    'the activity names no user (actor.email, or affected_email_address for an account warning)';
  const pantherMalformed = new Map<number, string>([
    ...[16, 17, 19, 20, 21, 23, 24, 25, 26, 28, 29, 30, 31, 38, 39, 40, 41, 42, 43, 44, 45].map(
      (line) => [line, noTime] as const,
    ),
    [22, 'the activity has no events (neither events[] nor a flattened name)'],
    [69, noUser],
    [71, noUser],
  ]);

  test('the sample files are there', () => {
    assert.deepEqual(files.map(name), [
      'elastic-integrations/login/test-login.log',
      'elastic-integrations/user_accounts/test-user-accounts.log',
      'panther-analysis/rule-tests.GSuite.ActivityEvent.events.jsonl',
    ]);
  });

  for (const file of files) {
    test(`${name(file)}: every record gives valid events or a skip`, () => {
      const panther = file.includes('panther-analysis');
      const counts = { events: 0, skip: 0, malformed: 0 };
      const ids = new Map<string, string>();
      for (const { line, record } of readRecords(file)) {
        const where = `${name(file)}:${line}`;
        const got = workspaceAdapter.adapt(record, context);
        counts[got.kind]++;
        assert.deepEqual(workspaceAdapter.adapt(record, context), got, `${where} is deterministic`);
        if (got.kind !== 'malformed')
          assert.ok(workspaceAdapter.detect(record), `${where} detected`);
        if (got.kind === 'malformed') {
          assert.equal(panther ? pantherMalformed.get(line) : undefined, got.message, where);
          continue;
        }
        if (panther)
          assert.equal(pantherMalformed.has(line), false, `${where} should be malformed`);
        if (got.kind !== 'events') continue;
        assertValid(got.events, record, where);
        for (const e of got.events) {
          // Panther repeats whole records across rule tests; a repeat keeps its id.
          const text = JSON.stringify(record);
          const before = ids.get(String(e.id));
          assert.ok(before === undefined || before === text, `${where}: id ${String(e.id)} reused`);
          ids.set(String(e.id), text);
        }
      }
      assert.ok(counts.events > 0, `${name(file)}: ${JSON.stringify(counts)}`);
    });
  }

  const loginFile = join(conformanceRoot, 'elastic-integrations', 'login', 'test-login.log');
  const userAccountsFile = join(
    conformanceRoot,
    'elastic-integrations',
    'user_accounts',
    'test-user-accounts.log',
  );
  const pantherFile = join(
    conformanceRoot,
    'panther-analysis',
    'rule-tests.GSuite.ActivityEvent.events.jsonl',
  );
  const line = (path: string, n: number): unknown =>
    readRecords(path).find((r) => r.line === n)?.record;

  test('representative records map as expected', () => {
    const pick = (e: AdaptedEvent): unknown => ({
      type: e.type,
      time: e.time,
      outcome: e.outcome,
      account: e.account,
      source: e.source,
      auth: e.auth,
      vendor_risk: e.vendor_risk,
    });
    const table: { where: string; record: unknown; want: unknown }[] = [
      {
        where: 'login:1 account_disabled_password_leak (about the affected user, not the actor)',
        record: line(loginFile, 1),
        want: {
          type: 'risk.detected',
          time: '2020-10-02T15:00:00.000Z',
          outcome: 'success',
          account: { id: 'foo@elastic.co', email: 'foo@elastic.co' },
          source: { ip: '67.43.156.13' },
          auth: undefined,
          vendor_risk: { level: 'high', signals: ['account_disabled_password_leak'] },
        },
      },
      {
        where: 'login:9 gov_attack_warning',
        record: line(loginFile, 9),
        want: {
          type: 'risk.detected',
          time: '2020-10-02T15:00:00.000Z',
          outcome: 'success',
          account: { id: 'foo@bar.com', email: 'foo@bar.com' },
          source: { ip: '67.43.156.13' },
          auth: undefined,
          vendor_risk: { level: 'high', signals: ['gov_attack_warning'] },
        },
      },
      {
        where: 'login:10 login_failure',
        record: line(loginFile, 10),
        want: {
          type: 'signin',
          time: '2020-10-02T15:00:00.000Z',
          outcome: 'failure',
          account: { id: 'foo@bar.com', email: 'foo@bar.com' },
          source: { ip: '67.43.156.13' },
          auth: undefined,
          vendor_risk: undefined,
        },
      },
      {
        where: 'login:15 login_success flagged is_suspicious',
        record: line(loginFile, 15),
        want: {
          type: 'signin',
          time: '2020-10-02T15:00:00.000Z',
          outcome: 'success',
          account: { id: 'foo@bar.com', email: 'foo@bar.com' },
          source: { ip: '67.43.156.13' },
          auth: { method: 'password' },
          vendor_risk: { level: 'medium', signals: ['is_suspicious'] },
        },
      },
      {
        where: 'login:17 login_verification with a security key (multiValue)',
        record: line(loginFile, 17),
        want: {
          type: 'mfa.challenge',
          time: '2025-02-27T05:59:58.481Z',
          outcome: 'success',
          account: { id: 'tl.zeous.daclitan@company.com', email: 'tl.zeous.daclitan@company.com' },
          source: { ip: '81.2.69.144' },
          auth: { method: 'passkey' },
          vendor_risk: undefined,
        },
      },
      {
        where: 'panther:3 recovery_email_edit (flattened, zone-less time, parameters null)',
        record: line(pantherFile, 3),
        want: {
          type: 'recovery.channel.added',
          time: '2022-12-29T22:42:44.467Z',
          outcome: 'success',
          account: { id: 'user@example.io', email: 'user@example.io' },
          source: { ip: '2600:2600:2600:2600:2600:2600:2600:2600' },
          auth: undefined,
          vendor_risk: undefined,
        },
      },
      {
        where: 'panther:70 login_failure (time from p_event_time)',
        record: line(pantherFile, 70),
        want: {
          type: 'signin',
          time: '2021-06-04T09:59:53.650Z',
          outcome: 'failure',
          account: { id: 'bob@example.com', email: 'bob@example.com' },
          source: { ip: '111.111.111.111' },
          auth: undefined,
          vendor_risk: undefined,
        },
      },
    ];
    for (const row of table) {
      const events = eventsOf(workspaceAdapter.adapt(row.record, context), row.where);
      assert.equal(events.length, 1, row.where);
      assert.deepEqual(pick(events[0]!), row.want, row.where);
    }
    assert.deepEqual(
      eventsOf(workspaceAdapter.adapt(line(userAccountsFile, 9), context), 'user_accounts:9')[0]
        ?.mailbox,
      { forward_to: 'user@email.com' },
    );
    assert.deepEqual(workspaceAdapter.adapt(line(loginFile, 13), context), {
      kind: 'skip',
      reason: 'workspace login logout',
    });
  });

  test("user_accounts: agrees with every doc of Elastic's expected ECS output", () => {
    const expectedPath = `${userAccountsFile}-expected.json`;
    const docs = (JSON.parse(readFileSync(expectedPath, 'utf8')) as { expected: EcsDoc[] })
      .expected;
    assert.equal(docs.length, 8);
    // Elastic keeps the vendor's event name as event.action; this is what we make of each.
    const nativeType: Readonly<Record<string, string>> = {
      '2sv_disable': 'mfa.removed',
      '2sv_enroll': 'mfa.enrolled',
      password_edit: 'password.changed',
      recovery_email_edit: 'recovery.channel.added',
      recovery_phone_edit: 'recovery.channel.added',
      recovery_secret_qa_edit: 'recovery.channel.added',
      titanium_enroll: 'mfa.enrolled',
      titanium_unenroll: 'mfa.removed',
    };
    docs.forEach((doc, i) => {
      const where = `user_accounts:${i + 1}`;
      const record = line(userAccountsFile, i + 1) as { events: { name: string } };
      const [event] = eventsOf(workspaceAdapter.adapt(record, context), where);
      assert.ok(event, where);
      assert.equal(event.time, doc['@timestamp'], `${where} time`);
      const user = `${doc.user.name}@${doc.user.domain}`.toLowerCase();
      assert.deepEqual(event.account, { id: user, email: user }, `${where} account`);
      assert.equal(doc.source.user.email.toLowerCase(), user, `${where} source.user.email`);
      assert.deepEqual(event.source, { ip: doc.source.ip }, `${where} source.ip`);
      // ECS leaves event.outcome out for these changes; the native default is success.
      assert.equal(event.outcome, doc.event.outcome ?? 'success', `${where} outcome`);
      assert.equal(record.events.name, doc.event.action, `${where} action`);
      assert.equal(event.type, nativeType[doc.event.action], `${where} type`);
    });
  });
});

interface EcsDoc {
  readonly '@timestamp': string;
  readonly user: { readonly name: string; readonly domain: string };
  readonly source: { readonly ip: string; readonly user: { readonly email: string } };
  readonly event: { readonly action: string; readonly outcome?: string };
}
