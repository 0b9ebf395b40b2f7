import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import type { AdaptOutcome } from '../src/ingest/adapters/adapter.js';
import { ocsfAdapter } from '../src/ingest/adapters/ocsf-adapter.js';
import {
  adapterCases,
  assertValidEvents,
  conformanceDir,
  emittedTypes,
} from './helpers/adapter-samples.js';

const { dir: conformanceRoot, skip: noConformance } = conformanceDir('ocsf');
const context = { tenant: 'default' };
const cases = adapterCases('ocsf');

/** Every event must pass the native validator once the ingest job adds tenant and raw. */
function assertValid(outcome: AdaptOutcome, raw: unknown, label: string): void {
  if (outcome.kind === 'events') assertValidEvents(outcome.events, raw, label);
}

describe('ocsf adapter: fixture cases', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = ocsfAdapter.adapt(c.record, context);
      assert.deepEqual(got, c.want);
      assertValid(got, c.record, c.name);
      assert.equal(ocsfAdapter.detect(c.record), true);
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
      'risk.detected',
      'signin',
    ]);
  });
});

describe('ocsf adapter: detect', () => {
  const table: { name: string; input: unknown; want: boolean }[] = [
    {
      name: 'OCSF event',
      input: { class_uid: 3002, metadata: { version: '1.1.0' } },
      want: true,
    },
    {
      name: 'OCSF event with product only',
      input: { class_uid: 3001, metadata: { product: { vendor_name: 'AWS' } } },
      want: true,
    },
    {
      name: 'Okta LogEvent',
      input: { uuid: 'x', eventType: 'user.session.start', published: '2024-08-13T15:58:20Z' },
      want: false,
    },
    {
      name: 'Entra sign-in',
      input: { id: 'x', createdDateTime: '2024-08-13T15:58:20Z', userPrincipalName: 'a@b.c' },
      want: false,
    },
    { name: 'class_uid without metadata', input: { class_uid: 3002 }, want: false },
    { name: 'null', input: null, want: false },
    { name: 'array', input: [{ class_uid: 3002, metadata: { version: '1.0.0' } }], want: false },
  ];
  for (const { name, input, want } of table) {
    test(name, () => assert.equal(ocsfAdapter.detect(input), want));
  }
});

describe('ocsf adapter: determinism and hostile input', () => {
  const logon = {
    activity_id: 1,
    class_uid: 3002,
    status_id: 1,
    time: 1700000000000,
    metadata: { version: '1.1.0' },
    user: { name: 'zoe' },
  };

  test('the same record gives the same events, without changing the record', () => {
    for (const c of cases) {
      const copy = structuredClone(c.record);
      assert.deepEqual(ocsfAdapter.adapt(c.record, context), ocsfAdapter.adapt(copy, context));
      assert.deepEqual(copy, c.record);
    }
  });

  test('a record without metadata.uid gets the same id whatever its key order', () => {
    const reordered = {
      user: { name: 'zoe' },
      metadata: { version: '1.1.0' },
      time: 1700000000000,
      status_id: 1,
      class_uid: 3002,
      activity_id: 1,
    };
    const a = ocsfAdapter.adapt(logon, context);
    const b = ocsfAdapter.adapt(reordered, context);
    assert.equal(a.kind, 'events');
    assert.deepEqual(a, b);
    const id = a.kind === 'events' ? a.events[0]!.id : '';
    assert.match(String(id), /^ocsf:sha256:[0-9a-f]{32}$/);
    const other = ocsfAdapter.adapt({ ...logon, user: { name: 'ana' } }, context);
    assert.notEqual(other.kind === 'events' ? other.events[0]!.id : '', id);
  });

  const inherited = Object.create({ class_uid: 3002, activity_id: 1 }) as Record<string, unknown>;
  inherited.metadata = { version: '1.1.0' };
  const hostile: { name: string; input: unknown; wantErr: string }[] = [
    {
      name: 'null',
      input: null,
      wantErr: 'not an OCSF event: expected a JSON object, got null',
    },
    {
      name: 'array',
      input: [logon],
      wantErr: 'not an OCSF event: expected a JSON object, got an array',
    },
    {
      name: 'string',
      input: 'logon',
      wantErr: 'not an OCSF event: expected a JSON object, got a string',
    },
    {
      name: 'number',
      input: 3002,
      wantErr: 'not an OCSF event: expected a JSON object, got a number',
    },
    {
      name: 'empty object',
      input: {},
      wantErr: 'class_uid: missing or not an integer (not an OCSF event)',
    },
    {
      name: 'class_uid not a number',
      input: { ...logon, class_uid: 'Authentication' },
      wantErr: 'class_uid: missing or not an integer (not an OCSF event)',
    },
    {
      name: 'class_uid a fraction',
      input: { ...logon, class_uid: 3002.5 },
      wantErr: 'class_uid: missing or not an integer (not an OCSF event)',
    },
    {
      name: '__proto__ key carrying the class',
      input: JSON.parse('{"__proto__": {"class_uid": 3002, "activity_id": 1}, "metadata": {}}'),
      wantErr: 'class_uid: missing or not an integer (not an OCSF event)',
    },
    {
      name: 'class inherited from the prototype',
      input: inherited,
      wantErr: 'class_uid: missing or not an integer (not an OCSF event)',
    },
    {
      name: 'activity_id an object',
      input: { ...logon, activity_id: {} },
      wantErr: 'activity_id: missing or not an integer',
    },
    {
      name: 'user an array',
      input: { ...logon, user: [{ name: 'zoe' }] },
      wantErr: 'user: missing (neither user nor actor.user names an account)',
    },
    {
      name: 'user name hidden behind __proto__',
      input: { ...logon, user: JSON.parse('{"__proto__": {"name": "zoe"}}') },
      wantErr: 'user: missing (neither user nor actor.user names an account)',
    },
    {
      name: 'user name a number',
      input: { ...logon, user: { name: 42 } },
      wantErr: 'user: missing (neither user nor actor.user names an account)',
    },
    {
      name: 'user name longer than an id may be',
      input: { ...logon, user: { name: 'z'.repeat(300) } },
      wantErr: 'user: missing (neither user nor actor.user names an account)',
    },
    {
      name: 'time far beyond year 2999',
      input: { ...logon, time: 1e300 },
      wantErr: 'time: neither time (epoch milliseconds) nor time_dt is a valid timestamp',
    },
    {
      name: 'time negative',
      input: { ...logon, time: -5 },
      wantErr: 'time: neither time (epoch milliseconds) nor time_dt is a valid timestamp',
    },
    {
      name: 'time not finite',
      input: { ...logon, time: Number.NaN },
      wantErr: 'time: neither time (epoch milliseconds) nor time_dt is a valid timestamp',
    },
    {
      name: 'time_dt an impossible date',
      input: { ...logon, time: undefined, time_dt: '2026-02-30T10:00:00Z' },
      wantErr: 'time: neither time (epoch milliseconds) nor time_dt is a valid timestamp',
    },
    {
      name: 'time an object',
      input: { ...logon, time: { ms: 1 } },
      wantErr: 'time: neither time (epoch milliseconds) nor time_dt is a valid timestamp',
    },
  ];
  for (const { name, input, wantErr } of hostile) {
    test(`malformed: ${name}`, () => {
      assert.deepEqual(ocsfAdapter.adapt(input, context), { kind: 'malformed', message: wantErr });
    });
  }

  test('prototype names in enum-like fields are not read as values', () => {
    const got = ocsfAdapter.adapt(
      {
        ...logon,
        risk_level: 'constructor',
        unmapped: { debugContext: { debugData: { risk: '{level=__proto__}' } } },
      },
      context,
    );
    assert.equal(got.kind, 'events');
    const { id, ...rest } = got.kind === 'events' ? got.events[0]! : {};
    assert.match(String(id), /^ocsf:sha256:[0-9a-f]{32}$/);
    assert.deepEqual(rest, {
      time: '2023-11-14T22:13:20.000Z',
      type: 'signin',
      outcome: 'success',
      account: { id: 'zoe' },
    });
  });

  test('cycles and values JSON cannot hold do not throw', () => {
    const cyclic: Record<string, unknown> = { ...logon, extra: 10n };
    cyclic.self = cyclic;
    const got = ocsfAdapter.adapt(cyclic, context);
    assert.equal(got.kind, 'events');
    assert.match(idOf(got), /^ocsf:sha256:[0-9a-f]{32}$/);
  });

  test('any field of any fixture replaced by a value of the wrong type never throws', () => {
    const garbage: unknown[] = [null, [], {}, '', 'x', -1, 1e300, true, [{}], { __proto__: null }];
    let tried = 0;
    for (const c of cases) {
      const record = c.record as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        for (const value of garbage) {
          const mutated = { ...record, [key]: value };
          const got = ocsfAdapter.adapt(mutated, context);
          assert.ok(['events', 'skip', 'malformed'].includes(got.kind));
          assertValid(got, mutated, `${c.name} with ${key}=${JSON.stringify(value)}`);
          tried++;
        }
      }
    }
    assert.ok(tried > 1000);
  });
});

function idOf(outcome: AdaptOutcome): string {
  return outcome.kind === 'events' ? String(outcome.events[0]!.id) : '';
}

/** A tiny reader for sample files: a JSON array, one JSON object, or NDJSON lines. */
function readRecords(
  text: string,
): { ok: true; records: unknown[] } | { ok: false; error: string } {
  const trimmed = text.trim();
  try {
    const value: unknown = JSON.parse(trimmed);
    return { ok: true, records: Array.isArray(value) ? value : [value] };
  } catch (error) {
    const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) return { ok: false, error: (error as Error).message };
    try {
      return { ok: true, records: lines.map((line) => JSON.parse(line) as unknown) };
    } catch {
      return { ok: false, error: (error as Error).message };
    }
  }
}

function sampleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? sampleFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    )
    .sort();
}

/** What each public sample must give: the kind, and for events the fields that matter. */
interface Expected {
  readonly kind: AdaptOutcome['kind'];
  readonly reason?: string;
  readonly event?: Readonly<Record<string, unknown>>;
}

const EXPECTED: Readonly<Record<string, Expected>> = {
  'ocsf-examples/aws-cloudtrail-v1.5.0/account_change.ocsf': {
    // Despite its file name, the upstream sample is an API Activity event.
    kind: 'skip',
    reason: 'ocsf class 6003 API Activity',
  },
  'ocsf-examples/encodings-ilf/1_1_0_OCSF_account_change.ocsf': {
    kind: 'skip',
    reason: 'ocsf Account Change Create',
  },
  'ocsf-examples/encodings-ilf/1_1_0_account_change.ocsf': {
    kind: 'skip',
    reason: 'ocsf Account Change Create',
  },
  'ocsf-examples/encodings-ilf/1_1_0_OCSF_authentication.ocsf': {
    kind: 'events',
    event: {
      id: 'ocsf:fed06f42-cb12-4764-8c69-example',
      type: 'signin',
      time: '2023-11-10T16:24:34.000Z',
      outcome: 'success',
      account: { id: 'arn:aws:iam::111122223333:user/anaya' },
      ip: '192.0.2.0',
      vendor_risk: undefined,
    },
  },
  'ocsf-examples/encodings-ilf/1_1_0_authentication.ocsf': {
    kind: 'events',
    event: {
      id: 'ocsf:fed06f42-cb12-4764-8c69-example',
      type: 'signin',
      time: '2023-11-10T16:24:34.000Z',
      outcome: 'success',
      account: { id: 'arn:aws:iam::111122223333:user/anaya' },
      ip: '192.0.2.0',
      vendor_risk: undefined,
    },
  },
  'ocsf-examples/github-v1.3.0/account_change.ocsf': {
    kind: 'skip',
    reason: 'ocsf Account Change Create',
  },
  'ocsf-examples/github-v1.3.0/authentication.ocsf': {
    // business.sso_response carries no result, upstream or in the mapping.
    kind: 'skip',
    reason: 'ocsf Authentication Logon status missing',
  },
  'ocsf-examples/okta-v1.3.0/account_change.ocsf': {
    kind: 'events',
    event: {
      id: 'ocsf:a8daaacb-7f18-1111-1111-11111111',
      type: 'account.locked',
      // time_dt (the Okta `published`); `time` says 2024 in seconds.
      time: '2023-09-30T10:42:16.000Z',
      outcome: 'success',
      account: { id: 'okta@okta-test.com', email: 'okta@okta-test.com' },
      ip: '1.1.1.1',
      vendor_risk: { level: 'low' },
    },
  },
  'ocsf-examples/okta-v1.3.0/authentication.ocsf': {
    kind: 'events',
    event: {
      id: 'ocsf:dc9fd3c0-598c-11ef-8478-2b7584bf8d5a',
      type: 'signin',
      time: '2024-08-13T15:58:20.000Z',
      outcome: 'success',
      account: { id: 'john.doe@example.com', email: 'john.doe@example.com' },
      ip: '10.0.0.1',
      vendor_risk: undefined,
    },
  },
  'ocsf-examples/okta-v1.3.0/detection_finding.ocsf': {
    // The only actor is an IP address (in unmapped): no user to flag.
    kind: 'skip',
    reason: 'ocsf Detection Finding without a user',
  },
  'ocsf-examples/okta-v1.3.0/entity_management.ocsf': {
    kind: 'skip',
    reason: 'ocsf class 3004 Entity Management',
  },
  'ocsf-examples/okta-v1.3.0/generic_api_activity.ocsf': {
    kind: 'skip',
    reason: 'ocsf class 6003 API Activity',
  },
  'ocsf-examples/okta-v1.3.0/group_management.ocsf': {
    kind: 'skip',
    reason: 'ocsf class 3006 Group Management',
  },
  'ocsf-examples/windows-4624/4624_0.json': {
    kind: 'skip',
    reason: 'ocsf Authentication Logon OS Service',
  },
  'ocsf-examples/windows-4625/4625_0.json': {
    kind: 'events',
    event: {
      id: 'ocsf:a738d6e6-4ebd-49bb-805e-45d0604a1bef',
      type: 'signin',
      time: '2020-10-08T16:41:47.000Z',
      outcome: 'failure',
      account: { id: 'administrator' },
      ip: undefined,
      vendor_risk: undefined,
    },
  },
};

/** Sample files that are not valid JSON upstream: reading them must fail cleanly. */
const UNREADABLE = new Set(['ocsf-examples/aws-cloudtrail-v1.5.0/authentication.ocsf']);

describe('ocsf adapter: public samples', { skip: noConformance }, () => {
  const files = noConformance ? [] : sampleFiles(conformanceRoot);
  const name = (path: string): string => relative(conformanceRoot, path).split('\\').join('/');
  // `.ocsf` files are OCSF JSON, and so are the Windows mappings' `.json`
  // files. `.raw` and `.event` are the vendors' native records, not OCSF.
  const ocsfFiles = files.filter((f) => extname(f) === '.ocsf' || extname(f) === '.json');

  test('every OCSF sample file has an expectation', () => {
    const readable = ocsfFiles.map(name).filter((n) => !UNREADABLE.has(n));
    assert.deepEqual(readable, Object.keys(EXPECTED).sort());
  });

  for (const file of ocsfFiles) {
    const label = name(file);
    if (UNREADABLE.has(label)) {
      test(`${label}: invalid JSON upstream is refused by the reader, not passed on`, () => {
        const read = readRecords(readFileSync(file, 'utf8'));
        assert.equal(read.ok, false);
        assert.match(read.ok ? '' : read.error, /JSON/);
      });
      continue;
    }
    test(`${label}: gives what it says`, () => {
      const read = readRecords(readFileSync(file, 'utf8'));
      assert.ok(read.ok, label);
      assert.equal(read.records.length, 1);
      const record = read.records[0];
      assert.equal(ocsfAdapter.detect(record), true);
      const got = ocsfAdapter.adapt(record, context);
      assertValid(got, record, label);
      const want = EXPECTED[label]!;
      assert.equal(got.kind, want.kind, JSON.stringify(got));
      if (got.kind === 'skip') assert.equal(got.reason, want.reason);
      if (got.kind === 'events') {
        assert.equal(got.events.length, 1);
        const e = got.events[0]!;
        const source = e.source as { ip?: string } | undefined;
        assert.deepEqual(
          {
            id: e.id,
            type: e.type,
            time: e.time,
            outcome: e.outcome,
            account: e.account,
            ip: source?.ip,
            vendor_risk: e.vendor_risk,
          },
          want.event,
        );
      }
    });
  }

  for (const file of files.filter((f) => extname(f) === '.parquet')) {
    test(
      `${name(file)}`,
      {
        skip: 'binary Parquet table of OCSF events: reading it needs a Parquet decoder, which ingest does not take',
      },
      () => {},
    );
  }

  test('no Elastic *-expected.json sits beside the OCSF samples (add an ECS comparison if one appears)', () => {
    assert.deepEqual(
      files.filter((f) => f.endsWith('-expected.json')),
      [],
    );
  });
});
