import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import type { AdaptOutcome, AdaptedEvent } from '../src/ingest/adapters/adapter.js';
import { oktaAdapter } from '../src/ingest/adapters/okta-adapter.js';
import {
  adapterCases,
  assertValidEvents,
  CONFORMANCE,
  eventsOf,
  emittedTypes,
} from './helpers/adapter-samples.js';

const context = { tenant: 'default' };
const conformance = CONFORMANCE;
const cases = adapterCases('okta');
/** The event as the ingest job would store it: tenant and raw added, then validated. */
const assertValid = (event: AdaptedEvent, raw: unknown, where: string): void =>
  assertValidEvents([event], raw, where);

describe('okta adapter: fixture cases', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = oktaAdapter.adapt(c.record, context);
      assert.deepEqual(got, c.want);
      if (got.kind === 'events') {
        for (const e of got.events) assertValid(e, c.record, c.name);
      }
    });
  }

  test('the fixtures cover every native type the adapter emits', () => {
    assert.deepEqual(emittedTypes(cases), [
      'account.locked',
      'mfa.challenge',
      'mfa.enrolled',
      'mfa.removed',
      'password.changed',
      'password.reset.completed',
      'password.reset.requested',
      'recovery.challenge',
      'recovery.channel.added',
      'risk.detected',
      'signin',
    ]);
  });

  test('detect: Okta LogEvents and Panther Okta rows yes, other vendors no', () => {
    for (const c of cases.filter((c) => c.want.kind === 'events')) {
      assert.equal(oktaAdapter.detect(c.record), true, c.name);
    }
    const others: readonly unknown[] = [
      { time: '2024-05-02T09:15:00Z', type: 'signin', account: { id: 'u-1' } },
      { category: 'SignInLogs', properties: { userPrincipalName: 'ana@example.com' } },
      { kind: 'admin#reports#activity', id: { time: '2024-05-02T09:15:00Z' } },
      { Operation: 'UserLoggedIn', CreationTime: '2024-05-02T09:15:00' },
      { class_uid: 3002, time: 1714641300000 },
      null,
      'user.session.start',
      [],
    ];
    for (const other of others)
      assert.equal(oktaAdapter.detect(other), false, JSON.stringify(other));
    assert.equal(oktaAdapter.detect({ p_log_type: 'Okta.SystemLog', eventtype: 'x' }), true);
  });
});

// ---------------------------------------------------------------------------------------------

interface Sample {
  readonly file: string;
  /** 1-based position in the file (line for NDJSON, item for YAML `Logs:`). */
  readonly position: number;
  readonly record: unknown;
}

/**
 * js-yaml (a dev dependency) reads the Panther test scenarios, which are
 * YAML. Without it (a production install) those files are left out, and the
 * test says so.
 */
function yamlLoader(): ((text: string) => unknown) | undefined {
  try {
    const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
    return (text) => yaml.load(text);
  } catch {
    return undefined;
  }
}

/** Every sample record: NDJSON lines, JSON arrays or single objects, YAML `Logs:` lists. */
function readSamples(dir: string, loadYaml: ((text: string) => unknown) | undefined): Sample[] {
  const samples: Sample[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      // Panther's sidecar index and OCSF's mapped output are not Okta records.
      if (name.endsWith('.index.jsonl') || name.endsWith('.ocsf') || name.endsWith('.md')) continue;
      const file = relative(conformance, path);
      const text = readFileSync(path, 'utf8');
      if (name.endsWith('.yml') || name.endsWith('.yaml')) {
        if (!loadYaml) continue;
        const logs = (loadYaml(text) as { Logs?: unknown[] } | null)?.Logs ?? [];
        logs.forEach((record, i) => samples.push({ file, position: i + 1, record }));
      } else if (text.trimStart().startsWith('[')) {
        (JSON.parse(text) as unknown[]).forEach((record, i) =>
          samples.push({ file, position: i + 1, record }),
        );
      } else if (name.endsWith('.raw') || name.endsWith('.json')) {
        samples.push({ file, position: 1, record: JSON.parse(text) });
      } else {
        text.split('\n').forEach((line, i) => {
          if (line.trim() !== '') samples.push({ file, position: i + 1, record: JSON.parse(line) });
        });
      }
    }
  };
  walk(dir);
  return samples;
}

const PANTHER = 'okta/panther-analysis/rule-tests.Okta.SystemLog.events.jsonl';
const NO_PUBLISHED = 'Okta LogEvent has no published time';
const REDACTED =
  'Okta published time: not an ISO-8601 timestamp: "redacted" (expected e.g. 2019-09-03T14:22:31.120Z)';
const NO_EVENT_TYPE = 'Okta LogEvent has no eventType';

/**
 * The sample records that are truly malformed: Panther rule-test rows cut
 * down to what a rule reads (no `published`, or `"redacted"`), and rows that
 * hold only Panther enrichment (`p_enrichment`, no `eventType`).
 */
const MALFORMED: Readonly<Record<string, string>> = {
  [`${PANTHER}:41`]: REDACTED,
  [`${PANTHER}:42`]: REDACTED,
  [`${PANTHER}:43`]: REDACTED,
  [`${PANTHER}:44`]: REDACTED,
  [`${PANTHER}:53`]: NO_PUBLISHED,
  [`${PANTHER}:61`]: NO_PUBLISHED,
  [`${PANTHER}:71`]: NO_EVENT_TYPE,
  [`${PANTHER}:80`]: NO_PUBLISHED,
  [`${PANTHER}:81`]: NO_PUBLISHED,
  [`${PANTHER}:83`]: NO_EVENT_TYPE,
};

const conformanceSkip = existsSync(conformance)
  ? false
  : `no ../shared/conformance (${conformance}): the public vendor samples are not checked out`;

describe('okta adapter: conformance samples', { skip: conformanceSkip }, () => {
  const loadYaml = yamlLoader();
  const samples = conformanceSkip
    ? []
    : [
        ...readSamples(join(conformance, 'okta'), loadYaml),
        ...readSamples(join(conformance, 'ocsf', 'ocsf-examples', 'okta-v1.3.0'), loadYaml),
      ];
  const outcomes = new Map(
    samples.map((s) => [`${s.file}:${s.position}`, oktaAdapter.adapt(s.record, context)]),
  );
  const at = (file: string, position: number): AdaptOutcome => {
    const outcome = outcomes.get(`${file}:${position}`);
    assert.ok(outcome, `no sample ${file}:${position}`);
    return outcome;
  };
  const only = (file: string, position: number): AdaptedEvent => {
    const events = eventsOf(at(file, position), `${file}:${position}`);
    assert.equal(events.length, 1);
    return events[0]!;
  };

  test('every record gives valid events or a skip; malformed only where expected', () => {
    let events = 0;
    let skips = 0;
    for (const s of samples) {
      const where = `${s.file}:${s.position}`;
      const outcome = outcomes.get(where)!;
      if (Object.hasOwn(MALFORMED, where)) {
        assert.deepEqual(outcome, { kind: 'malformed', message: MALFORMED[where] }, where);
        continue;
      }
      if (outcome.kind === 'malformed') {
        assert.fail(`${where}: unexpectedly malformed: ${outcome.message}`);
      } else if (outcome.kind === 'skip') {
        assert.match(outcome.reason, /^okta \S+/, where);
        skips++;
      } else {
        for (const e of outcome.events) assertValid(e, s.record, where);
        events++;
      }
    }
    // 20 Elastic + 88 Panther rule rows + 6 OCSF raws, and 20 YAML scenario logs with js-yaml.
    assert.equal(samples.length, loadYaml ? 134 : 114);
    assert.equal(events + skips + Object.keys(MALFORMED).length, samples.length);
  });

  test(
    'the YAML scenarios are read (js-yaml available)',
    { skip: !loadYaml && 'js-yaml is not installed' },
    () => {
      const brute =
        'okta/panther-analysis/test_scenarios/okta-add-administrator/brute_force_logins.yml';
      const outcomes9 = Array.from({ length: 10 }, (_, i) => only(brute, i + 1));
      assert.deepEqual(
        outcomes9.map((e) => e.outcome),
        [...Array(9).fill('failure'), 'success'],
      );
      assert.deepEqual(outcomes9[0], {
        id: 'okta:85a5d008-e1dc-4a4e-8615-42903697579b',
        time: '2021-06-25T21:27:03.490Z',
        type: 'signin',
        outcome: 'failure',
        account: { id: 'jack.naglieri@runpanther.io', email: 'jack.naglieri@runpanther.io' },
        source: {
          ip: '195.154.58.200',
          user_agent:
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36',
          country: 'AR',
        },
      });
    },
  );

  test('Elastic: a sign-in with logOnlySecurityData risk HIGH', () => {
    const e = only('okta/elastic-integrations/system/test-okta-system-events.log', 13);
    assert.deepEqual(
      {
        type: e.type,
        time: e.time,
        account: e.account,
        source: e.source,
        outcome: e.outcome,
        vendor_risk: e.vendor_risk,
      },
      {
        type: 'signin',
        time: '2022-05-11T09:25:18.716Z',
        account: { id: 'test@test.com', email: 'test@test.com' },
        source: { ip: '81.2.69.144', user_agent: 'blah', country: 'US', asn: 14618 },
        outcome: 'success',
        vendor_risk: {
          level: 'high',
          signals: [
            'riskReason:Anomalous Location',
            'riskReason:Anomalous Device',
            'behavior:New Geo-Location',
            'behavior:New IP',
            'behavior:New State',
            'behavior:New Country',
            'behavior:New City',
          ],
        },
      },
    );
  });

  test('Elastic: MFA by Okta Verify push and by WebAuthn; "null" ipAddress falls back to the ipChain', () => {
    const file = 'okta/elastic-integrations/system/test-okta-system-events.log';
    const push = only(file, 16);
    assert.equal(push.type, 'mfa.challenge');
    assert.deepEqual(push.auth, { method: 'mfa_push' });
    assert.deepEqual(push.vendor_risk, { level: 'low', signals: [] });
    assert.deepEqual(only(file, 17).auth, { method: 'passkey' });
    const verify = only(file, 15);
    assert.equal(verify.type, 'mfa.challenge');
    assert.deepEqual(verify.vendor_risk, {
      level: 'high',
      signals: [
        'riskReason:Anomalous Device',
        'riskReason:Anomalous Location',
        'behavior:New Device',
        'behavior:Velocity',
      ],
    });
    assert.deepEqual((only(file, 11).source as { ip?: string }).ip, '175.16.199.1');
    assert.deepEqual(at(file, 19), { kind: 'skip', reason: 'okta group.user_membership.add' });
  });

  test('Panther: lower-cased keys, zone-less time, admin and service actors, risk reports', () => {
    assert.deepEqual(only(PANTHER, 60), {
      id: 'okta:AbC-123-XyZ',
      time: '2022-06-22T18:18:29.015Z',
      type: 'mfa.removed',
      outcome: 'success',
      account: { id: 'peter.griffin@company.com', email: 'peter.griffin@company.com' },
      source: {
        ip: '1.3.2.4',
        user_agent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/102.0.0.0 Safari/537.36',
        country: 'US',
        asn: 701,
      },
      actor: { id: 'homer.simpson@duff.com', kind: 'admin' },
      session: { id: '100-abc-9999' },
    });
    const reset = only(PANTHER, 52);
    assert.equal(reset.type, 'password.reset.requested');
    assert.deepEqual(reset.account, {
      id: 'homer@springfield.gov',
      email: 'homer@springfield.gov',
    });
    assert.deepEqual(reset.actor, { id: 'system@okta.com', kind: 'service' });
    const lock = only(PANTHER, 57);
    assert.equal(lock.type, 'account.locked');
    assert.equal(lock.time, '2022-11-22T18:48:49.177Z');
    assert.equal(lock.outcome, 'success');
    const report = only(PANTHER, 66);
    assert.equal(report.type, 'risk.detected');
    assert.deepEqual(report.vendor_risk, {
      signals: [
        'reportedByUser',
        'suspiciousActivityEventType:system.email.new_device_notification.sent_message',
        'suspiciousActivityEventIp:9.8.7.6',
      ],
    });
    // Panther's p_event_time stands in for a missing published.
    assert.equal(only(PANTHER, 68).time, '2021-06-04T09:59:53.650Z');
    assert.deepEqual(at(PANTHER, 55), {
      kind: 'skip',
      reason: 'okta security.threat.detected (no user)',
    });
    assert.deepEqual(at(PANTHER, 3), {
      kind: 'skip',
      reason: 'okta system.mfa.factor.deactivate (no user)',
    });
  });

  test('OCSF: time, user, source IP and status agree with the .ocsf mapping beside each .raw', () => {
    const dir = 'ocsf/ocsf-examples/okta-v1.3.0';
    const ocsf = (name: string): Record<string, unknown> =>
      JSON.parse(readFileSync(join(conformance, dir, `${name}.ocsf`), 'utf8')) as Record<
        string,
        unknown
      >;
    const toSecond = (t: unknown): string => String(t).slice(0, 19);
    for (const [name, type, outcome] of [
      ['authentication', 'signin', 'success'],
      // OCSF keeps the Failure/LOCKED_OUT of the attempt; Tripline records that the lock happened.
      ['account_change', 'account.locked', 'success'],
    ] as const) {
      const e = only(`${dir}/${name}.raw`, 1);
      const o = ocsf(name);
      const user = o.user as { email_addr: string };
      const src = o.src_endpoint as { ip: string };
      // `time_dt` (OCSF's time is whole seconds; account_change's epoch `time` is a year off upstream).
      assert.equal(toSecond(e.time), toSecond(o.time_dt), name);
      assert.deepEqual(e.account, { id: user.email_addr, email: user.email_addr }, name);
      assert.equal((e.source as { ip: string }).ip, src.ip, name);
      assert.equal(e.type, type);
      assert.equal(e.outcome, outcome);
      assert.equal(o.status, name === 'authentication' ? 'Success' : 'Failure');
    }
    assert.deepEqual(at(`${dir}/detection_finding.raw`, 1), {
      kind: 'skip',
      reason: 'okta security.threat.detected (no user)',
    });
  });
});

// ---------------------------------------------------------------------------------------------

const ana = { id: '00u1', type: 'User', alternateId: 'ana@example.com' };
const when = '2024-05-02T09:15:00Z';

const hostile: readonly { name: string; input: unknown; want: AdaptOutcome }[] = [
  {
    name: 'null',
    input: null,
    want: { kind: 'malformed', message: 'an Okta LogEvent must be a JSON object, got null' },
  },
  {
    name: 'undefined',
    input: undefined,
    want: { kind: 'malformed', message: 'an Okta LogEvent must be a JSON object, got undefined' },
  },
  {
    name: 'number',
    input: 42,
    want: { kind: 'malformed', message: 'an Okta LogEvent must be a JSON object, got a number' },
  },
  {
    name: 'string',
    input: 'user.session.start',
    want: { kind: 'malformed', message: 'an Okta LogEvent must be a JSON object, got a string' },
  },
  {
    name: 'array',
    input: [{ eventType: 'user.session.start' }],
    want: { kind: 'malformed', message: 'an Okta LogEvent must be a JSON object, got an array' },
  },
  { name: 'empty object', input: {}, want: { kind: 'malformed', message: NO_EVENT_TYPE } },
  {
    name: 'eventType a number',
    input: { eventType: 7, published: when, actor: ana },
    want: { kind: 'malformed', message: NO_EVENT_TYPE },
  },
  {
    name: 'eventType only inside __proto__',
    input: JSON.parse(`{"__proto__": {"eventType": "user.session.start"}, "published": "${when}"}`),
    want: { kind: 'malformed', message: NO_EVENT_TYPE },
  },
  {
    name: 'eventType "__proto__"',
    input: { eventType: '__proto__', published: when, actor: ana },
    want: { kind: 'skip', reason: 'okta __proto__' },
  },
  {
    name: 'eventType "constructor"',
    input: { eventType: 'constructor', published: when, actor: ana },
    want: { kind: 'skip', reason: 'okta constructor' },
  },
  {
    name: 'published a number',
    input: { eventType: 'user.session.start', published: 1714641300000, actor: ana },
    want: { kind: 'malformed', message: NO_PUBLISHED },
  },
  {
    name: 'impossible date',
    input: { eventType: 'user.session.start', published: '2024-02-30T10:00:00Z', actor: ana },
    want: { kind: 'malformed', message: 'Okta published time: no such date: 2024-02-30' },
  },
  {
    name: 'actor a string',
    input: { eventType: 'user.session.start', published: when, actor: 'ana@example.com' },
    want: {
      kind: 'malformed',
      message:
        'Okta user.session.start names no user: neither actor nor target[] is a User with an alternateId or id',
    },
  },
  {
    name: 'actor ids of the wrong type, target not an array',
    input: {
      eventType: 'user.account.lock',
      published: when,
      actor: { type: 'User', alternateId: ['x'], id: { a: 1 } },
      target: 'ana',
    },
    want: {
      kind: 'malformed',
      message:
        'Okta user.account.lock names no user: neither actor nor target[] is a User with an alternateId or id',
    },
  },
  {
    name: 'garbage everywhere but time, type and user',
    input: JSON.parse(
      JSON.stringify({
        eventType: 'user.session.start',
        published: when,
        actor: ana,
        uuid: 12,
        outcome: 'SUCCESS',
        client: { ipAddress: 12345, userAgent: 'x', geographicalContext: { country: ['PT'] } },
        securityContext: { asNumber: -1, isProxy: 'yes' },
        authenticationContext: { externalSessionId: { id: 1 }, credentialType: 5 },
        debugContext: {
          debugData: {
            risk: '{=, level}',
            behaviors: 'New Device=POSITIVE',
            threatDetections: '{not json',
            logOnlySecurityData: '[1,2]',
            threatSuspected: 1,
          },
        },
        device: [],
        request: { ipChain: 'x' },
      }),
    ),
    want: {
      kind: 'events',
      events: [
        {
          time: '2024-05-02T09:15:00.000Z',
          type: 'signin',
          account: { id: 'ana@example.com', email: 'ana@example.com' },
        },
      ],
    },
  },
];

describe('okta adapter: determinism and hostile input', () => {
  for (const h of hostile) {
    test(h.name, () => {
      assert.deepEqual(oktaAdapter.adapt(h.input, context), h.want);
    });
  }

  test('the same record always gives the same events', () => {
    for (const c of cases) {
      const first = JSON.stringify(oktaAdapter.adapt(c.record, context));
      const again = JSON.stringify(oktaAdapter.adapt(structuredClone(c.record), context));
      assert.equal(again, first, c.name);
    }
  });

  test('no field replaced by a hostile value makes it throw or emit an invalid event', () => {
    const values: readonly unknown[] = [
      null,
      0,
      -1,
      'x',
      '',
      'null',
      true,
      [],
      [null],
      {},
      JSON.parse('{"__proto__": {"polluted": 1}}'),
      'x'.repeat(5000),
    ];
    let checked = 0;
    for (const c of cases.filter((c) => c.want.kind === 'events')) {
      const record = c.record as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const inner = record[key];
        const innerKeys =
          typeof inner === 'object' && inner !== null && !Array.isArray(inner)
            ? Object.keys(inner)
            : [];
        for (const value of values) {
          const variants = [
            { ...record, [key]: value },
            ...innerKeys.map((k) => ({ ...record, [key]: { ...(inner as object), [k]: value } })),
          ];
          for (const variant of variants) {
            const outcome = oktaAdapter.adapt(variant, context);
            checked++;
            if (outcome.kind === 'events') {
              for (const e of outcome.events) assertValid(e, variant, `${c.name} / ${key}`);
            }
          }
        }
      }
    }
    assert.ok(checked > 5000, `only ${checked} variants`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
