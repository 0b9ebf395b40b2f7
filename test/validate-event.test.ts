import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProblems } from '../src/domain/validation.js';
import { validateEvent } from '../src/ingest/validate-event.js';
import { validateDirectoryRecord } from '../src/ingest/validate-directory-record.js';
import { event } from './helpers/events.js';

const minimal = { time: '2026-10-01T12:00:00Z', type: 'signin', account: { id: 'u-1' } };

const bad: { name: string; input: unknown; wantErr: string }[] = [
  { name: 'null', input: null, wantErr: 'event must be a JSON object, got null' },
  { name: 'array', input: [], wantErr: 'event must be a JSON object, got an array' },
  { name: 'string', input: 'signin', wantErr: 'event must be a JSON object, got a string' },
  { name: 'number', input: 42, wantErr: 'event must be a JSON object, got a number' },
  { name: 'boolean', input: true, wantErr: 'event must be a JSON object, got a boolean' },
  {
    name: 'empty object',
    input: {},
    wantErr: 'time: required; type: required; account: required',
  },
  {
    name: 'missing account id',
    input: { ...minimal, account: {} },
    wantErr: 'account.id: required',
  },
  {
    name: 'account not an object',
    input: { ...minimal, account: 'u-1' },
    wantErr: 'account: must be an object, got a string',
  },
  {
    name: 'account id not a string',
    input: { ...minimal, account: { id: 42 } },
    wantErr: 'account.id: must be a string, got a number',
  },
  {
    name: 'empty account id',
    input: { ...minimal, account: { id: '' } },
    wantErr: 'account.id: must not be empty',
  },
  {
    name: 'typo in type',
    input: { ...minimal, type: 'singin' },
    wantErr: 'type: unknown value "singin" (did you mean "signin"?)',
  },
  {
    name: 'unknown type',
    input: { ...minimal, type: 'teleport' },
    wantErr: 'type: unknown value "teleport"',
  },
  {
    name: 'type not a string',
    input: { ...minimal, type: 7 },
    wantErr:
      'type: must be one of signin, mfa.challenge, password.reset.requested, recovery.challenge, password.reset.completed, password.changed, recovery.channel.added, recovery.channel.removed, mfa.enrolled, mfa.removed, mailbox.forwarding.set, mailbox.rule.created, oauth.consent.granted, account.locked, risk.detected; got a number',
  },
  {
    name: 'bad outcome',
    input: { ...minimal, outcome: 'ok' },
    wantErr: 'outcome: unknown value "ok"',
  },
  {
    name: 'time without zone',
    input: { ...minimal, time: '2026-10-01T12:00:00' },
    wantErr: 'time: must include a time zone ("Z" or "+02:00")',
  },
  {
    name: 'time not a date',
    input: { ...minimal, time: 'yesterday' },
    wantErr:
      'time: not an ISO-8601 timestamp: "yesterday" (expected e.g. 2019-09-03T14:22:31.120Z)',
  },
  {
    name: 'impossible date',
    input: { ...minimal, time: '2026-02-30T00:00:00Z' },
    wantErr: 'time: no such date: 2026-02-30',
  },
  {
    name: 'impossible date in canonical form',
    input: { ...minimal, time: '2026-02-30T00:00:00.000Z' },
    wantErr: 'time: no such date: 2026-02-30',
  },
  {
    name: 'year out of range in canonical form',
    input: { ...minimal, time: '3001-01-01T00:00:00.000Z' },
    wantErr: 'time: year 3001 out of range 1970-2999',
  },
  {
    name: 'impossible hour',
    input: { ...minimal, time: '2026-02-03T25:00:00Z' },
    wantErr: 'time: no such time of day: 25:00:00',
  },
  {
    name: 'time as number',
    input: { ...minimal, time: 1700000000 },
    wantErr: 'time: must be a string, got a number',
  },
  {
    name: 'bad ip',
    input: { ...minimal, source: { ip: '999.1.1.1' } },
    wantErr: 'source.ip: not an IPv4 or IPv6 address: "999.1.1.1"',
  },
  {
    name: 'source not an object',
    input: { ...minimal, source: '1.2.3.4' },
    wantErr: 'source: must be an object, got a string',
  },
  {
    name: 'bad country',
    input: { ...minimal, source: { country: 'U1' } },
    wantErr: 'source.country: must be an ISO 3166-1 alpha-2 code',
  },
  {
    name: 'long country',
    input: { ...minimal, source: { country: 'USA' } },
    wantErr: 'source.country: longer than 2 characters',
  },
  {
    name: 'asn negative',
    input: { ...minimal, source: { asn: -1 } },
    wantErr: 'source.asn: must be an integer from 0 to 4294967295',
  },
  {
    name: 'asn as string',
    input: { ...minimal, source: { asn: 'AS64500' } },
    wantErr: 'source.asn: must be an integer from 0 to 4294967295',
  },
  {
    name: 'bad auth method',
    input: { ...minimal, auth: { method: 'sms' } },
    wantErr: 'auth.method: unknown value "sms" (did you mean "sms_code"?)',
  },
  {
    name: 'bad recovery channel',
    input: { ...minimal, recovery: { channel: 'fax' } },
    wantErr: 'recovery.channel: unknown value "fax"',
  },
  {
    name: 'bad actor kind',
    input: { ...minimal, actor: { kind: 'robot' } },
    wantErr: 'actor.kind: unknown value "robot"',
  },
  {
    name: 'bad risk level',
    input: { ...minimal, vendor_risk: { level: 'severe', signals: ['x'] } },
    wantErr: 'vendor_risk.level: unknown value "severe"',
  },
  {
    name: 'signals not strings',
    input: { ...minimal, vendor_risk: { signals: [1] } },
    wantErr: 'vendor_risk.signals[0]: must be a string, got a number',
  },
  {
    name: 'tags not an array',
    input: { ...minimal, account: { id: 'u-1', tags: 'vip' } },
    wantErr: 'account.tags: must be an array of strings, got a string',
  },
  {
    name: 'bad tenant',
    input: { ...minimal, tenant: 'a b' },
    wantErr: 'tenant: must be 1-64 characters of letters, digits, ".", "_" or "-"',
  },
  {
    name: 'id not a string',
    input: { ...minimal, id: 5 },
    wantErr: 'id: must be a string, got a number',
  },
  {
    name: 'session id not a string',
    input: { ...minimal, session: { id: {} } },
    wantErr: 'session.id: must be a string, got a object',
  },
  {
    name: 'mailbox forward_to empty',
    input: { ...minimal, mailbox: { forward_to: '' } },
    wantErr: 'mailbox.forward_to: must not be empty',
  },
  {
    name: 'several problems at once',
    input: { time: 'x', type: 'singin', account: { id: 1 }, outcome: 'fine' },
    wantErr:
      'time: not an ISO-8601 timestamp: "x" (expected e.g. 2019-09-03T14:22:31.120Z); type: unknown value "singin" (did you mean "signin"?); outcome: unknown value "fine"; account.id: must be a string, got a number',
  },
];

for (const { name, input, wantErr } of bad) {
  test(`validateEvent rejects: ${name}`, () => {
    const result = validateEvent(input);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(formatProblems(result.problems), wantErr);
  });
}

test('validateEvent names the field of each problem', () => {
  const result = validateEvent({ ...minimal, account: {} });
  assert.deepEqual(result, { ok: false, problems: [{ field: 'account.id', reason: 'required' }] });
});

const good: { name: string; input: Record<string, unknown>; want: Record<string, unknown> }[] = [
  {
    name: 'minimal event gets defaults',
    input: minimal,
    want: { tenant: 'default', outcome: 'success', time: '2026-10-01T12:00:00.000Z' },
  },
  {
    name: 'offset time normalised to UTC',
    input: { ...minimal, time: '2026-10-01T14:00:00.5+02:00' },
    want: { time: '2026-10-01T12:00:00.500Z' },
  },
  {
    name: 'microseconds truncated to ms',
    input: { ...minimal, time: '2026-10-01T12:00:00.123456Z' },
    want: { time: '2026-10-01T12:00:00.123Z' },
  },
  {
    name: 'leap day',
    input: { ...minimal, time: '2024-02-29T00:00:00Z' },
    want: { time: '2024-02-29T00:00:00.000Z' },
  },
  {
    name: 'country upper-cased',
    input: { ...minimal, source: { ip: '2001:db8::1', country: 'us' } },
    want: { source: { ip: '2001:db8::1', country: 'US' } },
  },
  {
    name: 'unknown fields kept',
    input: { ...minimal, custom: { a: 1 }, source: { ip: '10.0.0.1', extra: true } },
    want: { custom: { a: 1 }, source: { ip: '10.0.0.1', extra: true } },
  },
  {
    name: 'nulls in optional fields accepted',
    input: { ...minimal, source: null, auth: { method: null } },
    want: { source: null },
  },
  {
    name: 'full DESIGN.md example',
    input: {
      id: 'evt-000123',
      time: '2019-09-03T14:22:31.120Z',
      tenant: 'default',
      type: 'recovery.challenge',
      outcome: 'success',
      account: { id: 'u-42', email: 'ana@campaign.example', tags: ['campaign-staff'] },
      source: {
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 ...',
        device_id: 'd-9f2',
        country: 'US',
        asn: 64500,
      },
      auth: { method: 'password' },
      recovery: { channel: 'email', address: 'ana.backup@mail.example' },
      mailbox: { forward_to: 'drop@evil.example', rule_name: '.' },
      actor: { id: 'u-42', kind: 'self' },
      session: { id: 's-77a1' },
      vendor_risk: { level: 'high', signals: ['unfamiliarFeatures'] },
      raw: {},
    },
    want: { id: 'evt-000123', type: 'recovery.challenge' },
  },
];

for (const { name, input, want } of good) {
  test(`validateEvent accepts: ${name}`, () => {
    const result = validateEvent(input);
    assert.equal(result.ok, true, result.ok ? '' : formatProblems(result.problems));
    if (!result.ok) return;
    for (const [key, value] of Object.entries(want)) {
      assert.deepEqual(result.value.event[key], value, key);
    }
  });
}

test('validateEvent: every event type is accepted', async () => {
  const { EVENT_TYPES } = await import('../src/domain/event.js');
  for (const type of EVENT_TYPES) assert.equal(validateEvent({ ...minimal, type }).ok, true, type);
});

test('validateEvent: an absent id is derived from the content, stably', () => {
  const a = validateEvent(minimal, { rawText: 'line' });
  const b = validateEvent(minimal, { rawText: 'line' });
  const c = validateEvent(minimal, { rawText: 'other line' });
  assert.ok(a.ok && b.ok && c.ok);
  assert.match(a.value.event.id, /^evt-[0-9a-f]{32}$/);
  assert.equal(a.value.event.id, b.value.event.id);
  assert.notEqual(a.value.event.id, c.value.event.id);
});

test('validateEvent: changed is false only for an already-normalised event', () => {
  const full = validateEvent(event());
  assert.ok(full.ok);
  assert.equal(full.value.changed, false);
  const partial = validateEvent(minimal);
  assert.ok(partial.ok);
  assert.equal(partial.value.changed, true);
});

test('validateEvent never throws on odd JSON values', () => {
  const odd: unknown[] = [
    undefined,
    0,
    -0,
    '',
    [[]],
    { __proto__: { type: 'signin' } },
    JSON.parse(
      '{"__proto__":{"polluted":1},"time":"2026-10-01T00:00:00Z","type":"signin","account":{"id":"x"}}',
    ),
    { time: {}, type: [], account: { id: [], tags: [null, 1, {}] }, source: { ip: {}, asn: 1.5 } },
    { time: '9999-99-99T99:99:99Z', type: 'signin', account: { id: 'x'.repeat(10_000) } },
    { vendor_risk: { signals: Array(1000).fill('x') } },
  ];
  for (const value of odd) {
    const result = validateEvent(value);
    assert.equal(typeof result.ok, 'boolean');
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('validateDirectoryRecord: good and bad records', () => {
  const ok = validateDirectoryRecord({
    account: { id: 'u-42', email: 'ana@campaign.example', tags: ['campaign-staff'] },
    recovery: [{ channel: 'email', address: 'ana.backup@mail.example' }, { channel: 'kba' }],
    mfa: ['totp'],
  });
  assert.ok(ok.ok);
  assert.equal(ok.value.tenant, 'default');
  assert.deepEqual(ok.value.recovery, [
    { channel: 'email', address: 'ana.backup@mail.example' },
    { channel: 'kba' },
  ]);

  const cases: { input: unknown; wantErr: string }[] = [
    { input: [], wantErr: 'record must be a JSON object, got an array' },
    { input: {}, wantErr: 'account: required' },
    {
      input: { account: { id: 'u' }, recovery: {} },
      wantErr: 'recovery: must be an array, got a object',
    },
    {
      input: { account: { id: 'u' }, recovery: [{ channel: 'fax' }] },
      wantErr: 'recovery[0].channel: unknown value "fax"',
    },
    { input: { account: { id: 'u' }, recovery: [{}] }, wantErr: 'recovery[0].channel: required' },
    {
      input: { account: { id: 'u' }, recovery: ['x'] },
      wantErr: 'recovery[0]: must be an object, got a string',
    },
    {
      input: { account: { id: 'u' }, mfa: 'totp' },
      wantErr: 'mfa: must be an array of strings, got a string',
    },
  ];
  for (const { input, wantErr } of cases) {
    const r = validateDirectoryRecord(input);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(formatProblems(r.problems), wantErr);
  }
});
