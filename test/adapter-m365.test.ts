import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import {
  adapterCases,
  assertValidEvents,
  conformanceDir,
  sampleFiles,
  sampleRecords,
  eventsOf,
} from './helpers/adapter-samples.js';
import type { AdaptOutcome } from '../src/ingest/adapters/adapter.js';
import { m365Adapter } from '../src/ingest/adapters/m365-adapter.js';

const context = { tenant: 'default' };
const { dir: conformanceRoot, skip: noConformance } = conformanceDir('m365');
const cases = adapterCases('m365');
const assertValid = assertValidEvents;
const readRecords = sampleRecords;

describe('m365 adapter: fixture cases', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = m365Adapter.adapt(c.record, context);
      assert.deepEqual(got, c.want);
      if (got.kind === 'events') assertValid(got.events, c.record, c.name);
    });
  }

  test('the fixtures cover every native type the adapter emits, and skips and malformed records', () => {
    const kinds = new Set<string>();
    for (const c of cases) {
      if (c.want.kind === 'events') for (const e of c.want.events) kinds.add(String(e.type));
      else kinds.add(c.want.kind);
    }
    assert.deepEqual([...kinds].sort(), [
      'mailbox.forwarding.set',
      'mailbox.rule.created',
      'malformed',
      'mfa.enrolled',
      'mfa.removed',
      'password.changed',
      'password.reset.completed',
      'signin',
      'skip',
    ]);
  });
});

describe('m365 adapter: detect', () => {
  const yes: readonly [string, unknown][] = [
    ...cases
      .filter((c) => c.want.kind !== 'malformed')
      .map((c): [string, unknown] => [c.name, c.record]),
  ];
  for (const [name, record] of yes) {
    test(`detects: ${name}`, () => assert.equal(m365Adapter.detect(record), true));
  }
  const no: readonly [string, unknown][] = [
    ['null', null],
    ['an array', [{ Operation: 'UserLoggedIn' }]],
    [
      'an Okta LogEvent',
      { uuid: 'u-1', published: '2026-03-02T09:00:00Z', eventType: 'user.session.start' },
    ],
    [
      'an Entra sign-in (Azure Monitor diagnostic form)',
      { time: '2026-03-02T09:00:00Z', operationName: 'Sign-in activity', category: 'SignInLogs' },
    ],
    [
      'a Sentinel AuditLogs row',
      { TimeGenerated: '2026-03-02T09:00:00Z', OperationName: 'Update user', Category: 'x' },
    ],
    ['a native Tripline event', { time: '2026-03-02T09:00:00Z', type: 'signin', account: {} }],
  ];
  for (const [name, record] of no) {
    test(`does not detect ${name}`, () => assert.equal(m365Adapter.detect(record), false));
  }
});

describe('m365 adapter: hostile input never throws', () => {
  const throwing = new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('boom');
      },
    },
  );
  const hostile: readonly { name: string; input: unknown; want: AdaptOutcome }[] = [
    {
      name: 'null',
      input: null,
      want: {
        kind: 'malformed',
        message: 'a Microsoft 365 audit record must be a JSON object, got null',
      },
    },
    {
      name: 'an array',
      input: [],
      want: {
        kind: 'malformed',
        message: 'a Microsoft 365 audit record must be a JSON object, got an array',
      },
    },
    {
      name: 'a string',
      input: 'UserLoggedIn',
      want: {
        kind: 'malformed',
        message: 'a Microsoft 365 audit record must be a JSON object, got a string',
      },
    },
    {
      name: 'a number',
      input: 15,
      want: {
        kind: 'malformed',
        message: 'a Microsoft 365 audit record must be a JSON object, got a number',
      },
    },
    {
      name: 'an empty object',
      input: {},
      want: { kind: 'malformed', message: 'record has no Operation' },
    },
    {
      name: 'fields hidden behind a __proto__ key',
      input: JSON.parse(
        '{"__proto__":{"Operation":"UserLoggedIn","CreationTime":"2026-03-02T09:00:00","UserId":"a@b.example"},"RecordType":15}',
      ) as unknown,
      want: { kind: 'malformed', message: 'record has no Operation' },
    },
    {
      name: 'Operation as a number',
      input: { Operation: 42, CreationTime: '2026-03-02T09:00:00', UserId: 'a@b.example' },
      want: { kind: 'malformed', message: 'record has no Operation' },
    },
    {
      name: 'CreationTime as an object',
      input: { Operation: 'UserLoggedIn', CreationTime: { $date: 1 }, UserId: 'a@b.example' },
      want: { kind: 'malformed', message: 'record has no CreationTime' },
    },
    {
      name: 'CreationTime with an impossible zone',
      input: { Operation: 'UserLoggedIn', CreationTime: '2026-03-02T09:00:00+25:00', UserId: 'a' },
      want: {
        kind: 'malformed',
        message: 'CreationTime is not a date-time: "2026-03-02T09:00:00+25:00"',
      },
    },
    {
      name: 'CreationTime in 1969',
      input: { Operation: 'UserLoggedIn', CreationTime: '1969-12-31T23:59:59', UserId: 'a' },
      want: {
        kind: 'malformed',
        message: 'CreationTime is not a date-time: "1969-12-31T23:59:59"',
      },
    },
    {
      name: 'UserId as an object',
      input: { Operation: 'UserLoggedIn', CreationTime: '2026-03-02T09:00:00', UserId: { a: 1 } },
      want: { kind: 'malformed', message: 'UserLoggedIn has no UserId' },
    },
    {
      name: 'AuditData as a number',
      input: { CreationDate: '2026-03-02T09:00:00Z', Operations: 'UserLoggedIn', AuditData: 7 },
      want: {
        kind: 'malformed',
        message: 'AuditData is not a JSON object (nor a JSON string of one)',
      },
    },
    {
      name: 'AuditData as a JSON array',
      input: { CreationDate: '2026-03-02T09:00:00Z', Operations: 'UserLoggedIn', AuditData: '[1]' },
      want: {
        kind: 'malformed',
        message: 'AuditData is not a JSON object (nor a JSON string of one)',
      },
    },
    {
      name: 'New-InboxRule with neither Mailbox nor UserId, garbage Parameters',
      input: { Operation: 'New-InboxRule', CreationTime: '2026-03-02T09:00:00', Parameters: 'x' },
      want: {
        kind: 'malformed',
        message: 'New-InboxRule names no mailbox (no Mailbox parameter and no UserId)',
      },
    },
    {
      name: 'Set-Mailbox forwarding without Identity or ObjectId',
      input: {
        Operation: 'Set-Mailbox',
        CreationTime: '2026-03-02T09:00:00',
        UserId: 'admin@b.example',
        Parameters: [{ Name: 'ForwardingSmtpAddress', Value: 'smtp:x@y.example' }, null, 5],
      },
      want: {
        kind: 'malformed',
        message: 'Set-Mailbox names no mailbox (no Identity parameter and no ObjectId)',
      },
    },
    {
      name: 'an object whose keys cannot be read',
      input: throwing,
      want: { kind: 'malformed', message: 'record could not be read: boom' },
    },
  ];
  for (const h of hostile) {
    test(h.name, () => {
      assert.deepEqual(m365Adapter.adapt(h.input, context), h.want);
      assert.doesNotThrow(() => m365Adapter.detect(h.input === throwing ? {} : h.input));
    });
  }

  test('broken JSON inside lists is ignored, not thrown', () => {
    const got = m365Adapter.adapt(
      {
        Id: 'r-1',
        CreationTime: '2026-03-02T09:00:00',
        Operation: 'Update user.',
        Workload: 'AzureActiveDirectory',
        UserId: 'admin@b.example',
        ObjectId: 'a@b.example',
        ModifiedProperties: [
          { Name: 'StrongAuthenticationMethod', NewValue: '[{"MethodType":', OldValue: '{}' },
          { Name: { x: 1 } },
        ],
        ExtendedProperties: '[not json',
      },
      context,
    );
    assert.deepEqual(got, { kind: 'skip', reason: 'm365 AzureActiveDirectory Update user.' });
  });
});

describe('m365 adapter: determinism', () => {
  test('the same record gives the same outcome and is not changed', () => {
    for (const c of cases) {
      const before = structuredClone(c.record);
      const first = m365Adapter.adapt(c.record, context);
      const second = m365Adapter.adapt(structuredClone(c.record), context);
      assert.deepEqual(first, second, c.name);
      assert.deepEqual(c.record, before, c.name);
    }
  });
});

describe('m365 adapter: conformance samples', { skip: noConformance }, () => {
  const files = noConformance ? [] : sampleFiles(conformanceRoot);
  const name = (path: string): string => relative(conformanceRoot, path);

  test('every sample record gives valid events or a skip', () => {
    let records = 0;
    for (const file of files) {
      for (const { line, record } of readRecords(file)) {
        records += 1;
        const where = `${name(file)}:${line}`;
        const got = m365Adapter.adapt(record, context);
        assert.notEqual(got.kind, 'malformed', `${where}: ${JSON.stringify(got)}`);
        assert.equal(m365Adapter.detect(record), true, `${where}: not detected`);
        if (got.kind === 'events') assertValid(got.events, record, where);
      }
    }
    assert.equal(records, 24);
  });

  test('the outcome of every sample record, by file', () => {
    const summary: Record<string, string[]> = {};
    for (const file of files) {
      summary[name(file)] = readRecords(file).map(({ record }) => {
        const got = m365Adapter.adapt(record, context);
        return got.kind === 'events'
          ? got.events.map((e) => String(e.type)).join('+')
          : got.kind === 'skip'
            ? `skip: ${got.reason}`
            : got.kind;
      });
    }
    assert.deepEqual(summary, {
      'elastic-integrations/audit/test-azuread-sts-logon-events.json.first-3-event.original.excerpt.ndjson':
        ['signin', 'signin', 'signin'],
      'elastic-integrations/audit/test-exchange-admin.log.first-6-lines.excerpt.ndjson': [
        'skip: m365 Exchange Set-Mailbox',
        'skip: m365 Exchange Set-Mailbox',
        'skip: m365 Exchange Set-Mailbox',
        'skip: m365 Exchange Install-DefaultSharingPolicy',
        'skip: m365 Exchange Install-AdminAuditLogConfig',
        'skip: m365 Exchange Set-TransportConfig',
      ],
      'otrf-security-datasets/OfficeActivityEvents.json': ['skip: m365 Exchange MailItemsAccessed'],
      'panther-analysis/rule-tests.Microsoft365.Audit.events.jsonl': [
        'mailbox.forwarding.set',
        'mailbox.forwarding.set',
        'mailbox.rule.created',
        'mailbox.rule.created',
        'mailbox.forwarding.set',
        'mailbox.forwarding.set',
        'mailbox.forwarding.set',
        'mailbox.forwarding.set',
        'mailbox.forwarding.set',
        'mailbox.rule.created',
        'signin',
        'signin',
        'mfa.enrolled',
        'mfa.removed',
      ],
    });
  });

  const sample = (file: string, line: number): unknown => {
    const found = readRecords(join(conformanceRoot, file)).find((r) => r.line === line);
    assert.ok(found, `${file}:${line}`);
    return found.record;
  };
  const panther = 'panther-analysis/rule-tests.Microsoft365.Audit.events.jsonl';

  test('Elastic UserLoggedIn (AzureActiveDirectoryStsLogon): signin with address and user agent', () => {
    const [e] = eventsOf(
      m365Adapter.adapt(
        sample(
          'elastic-integrations/audit/test-azuread-sts-logon-events.json.first-3-event.original.excerpt.ndjson',
          1,
        ),
        context,
      ),
    );
    assert.deepEqual(e, {
      id: 'm365:ca0efc24-1b89-4962-8fef-a3ac5437302f',
      time: '2020-02-10T15:13:13.000Z',
      type: 'signin',
      outcome: 'success',
      account: { id: 'asr@testsiem.onmicrosoft.com', email: 'asr@testsiem.onmicrosoft.com' },
      source: {
        ip: '67.43.156.15',
        user_agent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0',
      },
    });
  });

  test('Panther Set-Mailbox with ForwardingSmtpAddress (lower-cased keys): forwarding set by the owner', () => {
    const [e] = eventsOf(m365Adapter.adapt(sample(panther, 1), context));
    assert.deepEqual(e, {
      id: 'm365:111-22-33',
      time: '2022-12-12T22:19:00.000Z',
      type: 'mailbox.forwarding.set',
      outcome: 'success',
      account: {
        id: 'homer.simpson@simpsons.onmicrosoft.com',
        email: 'homer.simpson@simpsons.onmicrosoft.com',
      },
      source: { ip: '1.2.3.4' },
      mailbox: { forward_to: 'peter.griffin@familyguy.com' },
      actor: { id: 'homer.simpson@simpsons.onmicrosoft.com', kind: 'self' },
    });
  });

  test('Panther Set-Mailbox on another mailbox: the mailbox is the account, the caller an admin', () => {
    const [e] = eventsOf(m365Adapter.adapt(sample(panther, 2), context));
    assert.deepEqual(
      [e?.account, e?.actor, e?.mailbox],
      [
        {
          id: 'marge.simpson@simpsons.onmicrosoft.com',
          email: 'marge.simpson@simpsons.onmicrosoft.com',
        },
        { id: 'homer.simpson@simpsons.com', kind: 'admin' },
        { forward_to: 'marge.simpson@simpsons.com' },
      ],
    );
  });

  test('Panther New-InboxRule with several ForwardTo addresses: the first one', () => {
    const [e] = eventsOf(m365Adapter.adapt(sample(panther, 4), context));
    assert.deepEqual(e?.mailbox, {
      forward_to: 'external1@example.com',
      rule_name: 'Multiple Forward Rule',
    });
  });

  test('Panther New-InboxRule moving mail, ClientIP with a port, nanosecond time', () => {
    const [e] = eventsOf(m365Adapter.adapt(sample(panther, 10), context));
    assert.deepEqual(
      [e?.time, e?.source, e?.mailbox],
      [
        '2025-07-07T09:11:11.000Z',
        { ip: '1.2.3.4' },
        { rule_name: 'Move emails to another folder' },
      ],
    );
  });

  test('Panther UserLoginFailed: a failed signin whatever ResultStatus says', () => {
    const [e] = eventsOf(m365Adapter.adapt(sample(panther, 11), context));
    assert.deepEqual(
      [e?.type, e?.outcome, e?.account],
      [
        'signin',
        'failure',
        { id: 'sample.user@yourorg.onmicrosoft.com', email: 'sample.user@yourorg.onmicrosoft.com' },
      ],
    );
    assert.equal(e?.vendor_risk, undefined);
  });

  test('Panther "Update user." StrongAuthenticationMethod: enrolled then removed, by the MFA service', () => {
    const added = eventsOf(m365Adapter.adapt(sample(panther, 13), context));
    const removed = eventsOf(m365Adapter.adapt(sample(panther, 14), context));
    for (const [events, type] of [
      [added, 'mfa.enrolled'],
      [removed, 'mfa.removed'],
    ] as const) {
      assert.deepEqual(events, [
        {
          id: 'm365:123-abc-123',
          time: '2022-12-12T17:28:35.000Z',
          type,
          outcome: 'success',
          account: {
            id: 'sample.user@yourorg.onmicrosoft.com',
            email: 'sample.user@yourorg.onmicrosoft.com',
          },
          actor: { id: 'serviceprincipal_aa-bb-ccc', kind: 'service' },
        },
      ]);
    }
  });

  test('no Elastic *-expected.json sits beside the m365 samples (the excerpts have none)', () => {
    // Were one added, its ECS docs would be compared here like the other adapters do.
    assert.deepEqual(
      files.filter((f) => existsSync(`${f}-expected.json`)),
      [],
    );
  });
});
