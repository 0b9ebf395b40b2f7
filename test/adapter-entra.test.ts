import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { AdaptedEvent } from '../src/ingest/adapters/adapter.js';
import { entraAdapter } from '../src/ingest/adapters/entra-adapter.js';
import { eventTime, riskLevel, sourceIp } from '../src/ingest/adapters/entra/entra-event-parts.js';
import {
  adapterCases,
  assertValidEvents,
  CONFORMANCE,
  conformanceDir,
  sampleFiles,
  sampleRecords,
  eventsOf,
  emittedTypes,
} from './helpers/adapter-samples.js';

const context = { tenant: 'default' };
const conformance = CONFORMANCE;
const { dir: entraSamples, skip } = conformanceDir('entra');
const noSamples: { readonly skip?: string } = skip ? { skip } : {};
const cases = adapterCases('entra');
const readRecords = (path: string): unknown[] => sampleRecords(path).map((r) => r.record);
const assertValid = (event: AdaptedEvent, raw: unknown, where: string): void =>
  assertValidEvents([event], raw, where);

describe('entra adapter: own fixtures', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = entraAdapter.adapt(c.record, context);
      assert.deepEqual(got, c.want);
      if (got.kind === 'events') {
        for (const e of got.events) assertValid(e, c.record, c.name);
        assert.equal(entraAdapter.detect(c.record), true, 'detect');
      }
    });
  }

  test('every mapped native type has a fixture', () => {
    assert.deepEqual(emittedTypes(cases), [
      'mfa.challenge',
      'mfa.enrolled',
      'mfa.removed',
      'password.changed',
      'password.reset.completed',
      'password.reset.requested',
      'recovery.challenge',
      'recovery.channel.added',
      'recovery.channel.removed',
      'risk.detected',
      'signin',
    ]);
  });
});

describe('entra adapter: field rules', () => {
  const times: readonly [unknown, string | undefined][] = [
    ['2019-10-18T04:45:48.0729893-05:00', '2019-10-18T09:45:48.072Z'],
    ['2025-01-15 09:30:45.123', '2025-01-15T09:30:45.123Z'],
    ['2023-07-26 22:58:30.983201900', '2023-07-26T22:58:30.983Z'],
    ['2022-01-22T18:22:41.5091873+00:00', '2022-01-22T18:22:41.509Z'],
    ['2026-02-30T00:00:00Z', undefined],
    ['yesterday', undefined],
    [1700000000, undefined],
  ];
  for (const [input, want] of times) {
    test(`time ${JSON.stringify(input)}`, () => assert.equal(eventTime(input), want));
  }

  const ips: readonly [unknown, string | undefined][] = [
    ['81.2.69.144', '81.2.69.144'],
    ['203.0.113.9:52311', '203.0.113.9'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['2001:db8:40::17', '2001:db8:40::17'],
    ['null', undefined],
    ['', undefined],
    ['0.0.0.0', undefined],
    ['not-an-ip', undefined],
    [42, undefined],
  ];
  for (const [input, want] of ips) {
    test(`ip ${JSON.stringify(input)}`, () => assert.equal(sourceIp(input), want));
  }

  test('risk level is the highest known level', () => {
    assert.equal(riskLevel('low', 'High'), 'high');
    assert.equal(riskLevel('hidden', 'none'), 'none');
    assert.equal(riskLevel('unknownFutureValue', undefined), undefined);
  });
});

describe('entra adapter: determinism and hostile input', () => {
  test('the same record gives the same events, ids included', () => {
    for (const c of cases) {
      const copy = JSON.parse(JSON.stringify(c.record)) as unknown;
      assert.deepEqual(entraAdapter.adapt(copy, context), entraAdapter.adapt(c.record, context));
    }
  });

  // `detect` answers "is this Entra's format", not "is it complete": a Graph sign-in
  // with a broken field still looks like one.
  const hostile: readonly { name: string; input: unknown; want: string; detect?: true }[] = [
    { name: 'null', input: null, want: 'An Entra record must be a JSON object.' },
    { name: 'number', input: 42, want: 'An Entra record must be a JSON object.' },
    { name: 'string', input: 'SignInLogs', want: 'An Entra record must be a JSON object.' },
    {
      name: 'array',
      input: [{ category: 'SignInLogs' }],
      want: 'An Entra record must be a JSON object.',
    },
    {
      name: 'empty object',
      input: {},
      want: 'Not an Entra ID record: no sign-in, audit or risk fields, and no Azure Monitor category.',
    },
    {
      name: '__proto__ carrying the user',
      input: JSON.parse(
        '{"__proto__":{"userPrincipalName":"x@y.example","status":{"errorCode":0}},"createdDateTime":"2026-03-02T08:15:30Z"}',
      ) as unknown,
      want: 'Not an Entra ID record: no sign-in, audit or risk fields, and no Azure Monitor category.',
    },
    {
      name: 'user principal name of the wrong type',
      input: {
        createdDateTime: '2026-03-02T08:15:30Z',
        userPrincipalName: 42,
        status: { errorCode: 0 },
      },
      detect: true,
      want: 'Entra sign-in has no userPrincipalName or userId.',
    },
    {
      name: 'sign-in time that is not a time',
      input: {
        createdDateTime: 'yesterday',
        userPrincipalName: 'a@b.example',
        status: { errorCode: 0 },
      },
      detect: true,
      want: 'Entra sign-in has no valid createdDateTime or time.',
    },
    {
      name: 'impossible sign-in date',
      input: {
        createdDateTime: '2026-02-30T08:00:00Z',
        userPrincipalName: 'a@b.example',
        status: {},
      },
      detect: true,
      want: 'Entra sign-in has no valid createdDateTime or time.',
    },
    {
      name: 'sign-in without any result',
      input: {
        createdDateTime: '2026-03-02T08:15:30Z',
        userPrincipalName: 'a@b.example',
        status: {},
      },
      detect: true,
      want: 'Entra sign-in has no status.errorCode or resultType, so its outcome is unknown.',
    },
    {
      name: 'azure monitor sign-in whose properties are not JSON',
      input: { category: 'SignInLogs', properties: '{not json', time: 'now' },
      want: 'Entra sign-in has no valid createdDateTime or time.',
    },
    {
      name: 'audit activity name of the wrong type',
      input: { activityDisplayName: { a: 1 }, activityDateTime: '2026-03-02T08:15:30Z' },
      want: 'Entra audit record has no activityDisplayName.',
    },
    {
      name: 'sspr audit without any user',
      input: {
        id: 'x',
        activityDisplayName: 'Reset password (self-service)',
        activityDateTime: '2026-03-02T08:15:30Z',
        targetResources: 'nope',
        initiatedBy: [1, 2],
      },
      want: 'Entra audit "Reset password (self-service)" names no target user or initiating user.',
    },
    {
      name: 'risk detection without user',
      input: { riskEventType: 'x', detectedDateTime: '2026-03-02T08:15:30Z', riskLevel: 'high' },
      want: 'Entra risk detection has no userPrincipalName or userId.',
    },
  ];
  for (const h of hostile) {
    test(`malformed: ${h.name}`, () => {
      assert.deepEqual(entraAdapter.adapt(h.input, context), {
        kind: 'malformed',
        message: h.want,
      });
      assert.equal(entraAdapter.detect(h.input), h.detect ?? false);
    });
  }

  test('never throws when any field of a fixture is replaced by a value of another type', () => {
    const replacements: readonly unknown[] = [
      null,
      42,
      -1.5,
      '',
      'null',
      '{"__proto__":{}}',
      '[[[',
      [],
      [null, 'x', 3],
      {},
      { __proto__: null },
      true,
    ];
    for (const c of cases) {
      const record = c.record as Record<string, unknown>;
      const props = (record.properties ?? {}) as Record<string, unknown>;
      for (const key of [...Object.keys(record), ...Object.keys(props)]) {
        for (const value of replacements) {
          const mutated = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
          if (key in mutated) mutated[key] = value;
          else (mutated.properties as Record<string, unknown>)[key] = value;
          const got = entraAdapter.adapt(mutated, context);
          entraAdapter.detect(mutated);
          assert.ok(['events', 'skip', 'malformed'].includes(got.kind));
          if (got.kind === 'events') {
            for (const e of got.events) assertValid(e, mutated, `${c.name} / ${key}`);
          }
        }
      }
    }
  });
});

describe('entra adapter: conformance samples', () => {
  test(
    'every sample record gives events or a counted skip, and every event is valid',
    noSamples,
    () => {
      let records = 0;
      let events = 0;
      let skips = 0;
      for (const path of sampleFiles(entraSamples)) {
        readRecords(path).forEach((record, i) => {
          const where = `${path.slice(entraSamples.length + 1)}:${i + 1}`;
          const got = entraAdapter.adapt(record, context);
          records++;
          assert.notEqual(got.kind, 'malformed', `${where}: ${JSON.stringify(got)}`);
          assert.equal(entraAdapter.detect(record), true, `${where}: detect`);
          if (got.kind === 'skip') skips++;
          if (got.kind === 'events') {
            for (const e of got.events) assertValid(e, record, where);
            events += got.events.length;
          }
        });
      }
      assert.deepEqual({ records, events, skips }, { records: 64, events: 20, skips: 44 });
    },
  );

  const sample = (file: string, line: number): unknown =>
    readRecords(join(entraSamples, file))[line - 1];

  test('representative sample records map as documented', noSamples, () => {
    // Elastic Event Hub SignInLogs: a "Keep me signed in" interrupt (50140) is a pending signin.
    const kmsi = eventsOf(
      entraAdapter.adapt(
        sample('elastic-integrations/signinlogs/test-signinlogs-raw.log', 1),
        context,
      ),
    );
    assert.deepEqual(kmsi, [
      {
        id: 'entra:8a4de8b5-095c-47d0-a96f-a75130c61d53',
        time: '2019-10-18T09:45:48.072Z',
        type: 'signin',
        outcome: 'pending',
        account: { id: 'test@elastic.co', email: 'test@elastic.co' },
        source: { ip: '81.2.69.144', country: 'FR' },
        session: { id: '8a4de8b5-095c-47d0-a96f-a75130c61d53' },
        vendor_risk: { level: 'none', signals: [] },
      },
    ]);
    const panther = 'panther-analysis/rule-tests.Azure.Audit.events.jsonl';
    // Panther form, zone-less time: a risky sign-in keeps every risk signal.
    const [risky] = eventsOf(entraAdapter.adapt(sample(panther, 17), context));
    assert.deepEqual(
      {
        type: risky?.type,
        time: risky?.time,
        account: risky?.account,
        source: risky?.source,
        outcome: risky?.outcome,
        vendor_risk: risky?.vendor_risk,
      },
      {
        type: 'signin',
        time: '2025-01-15T14:23:10.123Z',
        account: { id: 'john@justice.org', email: 'john@justice.org' },
        source: { ip: '4.4.4.4', country: 'RU' },
        outcome: 'success',
        vendor_risk: {
          level: 'high',
          signals: [
            'riskEventType:unfamiliarFeatures',
            'riskEventType:anonymizedIPAddress',
            'riskState:atRisk',
            'riskDetail:aiConfirmedSigninSafe',
          ],
        },
      },
    );
    // Smart lockout (50053) from a scripted client: a failed signin with ASN and country.
    const [locked] = eventsOf(entraAdapter.adapt(sample(panther, 9), context));
    assert.deepEqual(
      {
        type: locked?.type,
        outcome: locked?.outcome,
        account: locked?.account,
        source: locked?.source,
      },
      {
        type: 'signin',
        outcome: 'failure',
        account: { id: 'boromir@lotr.com', email: 'boromir@lotr.com' },
        source: { ip: '4.4.4.4', user_agent: 'python-requests/2.28.0', country: 'RU', asn: 12345 },
      },
    );
    // Lower-cased Panther keys, service principal: skipped by category.
    assert.deepEqual(entraAdapter.adapt(sample(panther, 12), context), {
      kind: 'skip',
      reason: 'entra category ServicePrincipalSignInLogs',
    });
    // Sentinel AuditLogs row (OTRF): app credential change, skipped by activity name.
    assert.deepEqual(
      entraAdapter.adapt(sample('otrf-security-datasets/AADAuditEvents.json', 1), context),
      { kind: 'skip', reason: 'entra Update application – Certificates and secrets management' },
    );
  });

  test(
    'Elastic expected docs: the audit sample is a skip named after event.action',
    noSamples,
    () => {
      const log = join(
        entraSamples,
        'elastic-integrations/auditlogs/test-auditlogs-result-reason.log',
      );
      const expected = JSON.parse(readFileSync(`${log}-expected.json`, 'utf8')) as {
        expected: { '@timestamp': string; event: { action: string; outcome: string } }[];
      };
      const records = readRecords(log);
      assert.equal(records.length, expected.expected.length);
      expected.expected.forEach((doc, i) => {
        // "Add member to role" is a role change Tripline does not use: nothing to
        // compare field by field, so the skip must name the same action.
        assert.deepEqual(entraAdapter.adapt(records[i], context), {
          kind: 'skip',
          reason: `entra ${doc.event.action}`,
        });
      });
    },
  );

  test('records of the m365 unified audit log are not taken for Entra', noSamples, () => {
    const m365 = join(conformance, 'm365');
    if (!existsSync(m365)) return;
    for (const path of sampleFiles(m365)) {
      for (const record of readRecords(path))
        assert.equal(entraAdapter.detect(record), false, path);
    }
  });
});
