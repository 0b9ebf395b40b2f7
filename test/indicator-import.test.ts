/**
 * Threat-intel indicator import: the three formats against fixtures
 * (test/fixtures/intel/), format detection, whole-file errors, the STIX
 * pattern parser, value normalisation, the CSV reader, and hostile input.
 * Every skip reason and problem is checked with its exact position and text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Indicator } from '../src/domain/indicator.js';
import { csvRecords } from '../src/intel/indicator-csv.js';
import {
  detectIndicatorFormat,
  IndicatorFileError,
  parseIndicators,
} from '../src/intel/indicator-import.js';
import type { IndicatorImport, ParseIndicatorsOptions } from '../src/intel/indicator-import.js';
import { orComparisons, parseStixPattern } from '../src/intel/indicator-stix-pattern.js';
import type { StixComparison, StixPatternShape } from '../src/intel/indicator-stix-pattern.js';
import {
  checkConfidence,
  checkIndicatorTime,
  checkIndicatorValue,
} from '../src/intel/indicator-value.js';
import type { Checked } from '../src/intel/indicator-value.js';
import type { IndicatorType } from '../src/domain/indicator.js';
import { campaignToStix } from '../src/intel/stix-bundle.js';
import { apt35Campaign, NOW } from './helpers/apt35-campaign.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/intel/${name}`, import.meta.url), 'utf8');

type Skips = IndicatorImport['skipped'];

const SHARED = (domain: string) =>
  `domain of a widely shared mail provider (would match all its users): ${domain}`;
const DUPLICATE = 'duplicate (same type, value and source as an earlier record)';
const COMPOUND = 'compound pattern (AND / FOLLOWEDBY) not importable as single values';
const QUALIFIED =
  'qualified pattern (WITHIN / REPEATS / START…STOP) not importable as single values';

// ─── the fixtures, end to end ─────────────────────────────────────────────

describe('fixtures', () => {
  test('STIX 2.1 bundle', () => {
    const want: IndicatorImport = {
      format: 'stix',
      indicators: [
        {
          type: 'ip',
          value: '203.0.113.7',
          source: 'Example CERT',
          actor: 'Charming Kitten',
          validFrom: '2019-08-01T00:00:00.000Z',
          validUntil: '2019-12-31T00:00:00.000Z',
          description: 'Addresses that tried the recovery flow of campaign staff',
          confidence: 85,
        },
        {
          type: 'ip',
          value: '203.0.113.8',
          source: 'Example CERT',
          actor: 'Charming Kitten',
          validFrom: '2019-08-01T00:00:00.000Z',
          validUntil: '2019-12-31T00:00:00.000Z',
          description: 'Addresses that tried the recovery flow of campaign staff',
          confidence: 85,
        },
        {
          type: 'ip',
          value: '198.51.100.0/24',
          source: 'Example CERT',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Hosting networks',
        },
        {
          type: 'ip',
          value: '2001:db8:abcd::/48',
          source: 'Example CERT',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Hosting networks',
        },
        {
          type: 'domain',
          value: 'login-verify.example',
          source: 'Example CERT',
          actor: 'Phosphorus',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Phishing and drop infrastructure',
        },
        {
          type: 'email',
          value: "o'brien.recovery@evil.example",
          source: 'Example CERT',
          actor: 'Phosphorus',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Phishing and drop infrastructure',
        },
        {
          type: 'url',
          value: 'https://login-verify.example/reset?u=1',
          source: 'Example CERT',
          actor: 'Phosphorus',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Phishing and drop infrastructure',
        },
        {
          type: 'asn',
          value: '64500',
          source: 'stix-bundle.json',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Client and network',
        },
        {
          type: 'user_agent',
          value: 'python-requests/2.22.0',
          source: 'stix-bundle.json',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Client and network',
        },
        {
          type: 'email',
          value: 'security-alert@evil.example',
          source: 'Example CERT',
          actor: 'Charming Kitten',
          validFrom: '2019-08-01T00:00:00.000Z',
          description: 'Sender of the fake security alerts',
        },
      ],
      skipped: [
        { reason: 'pattern on file:hashes (not an account-takeover observable)', count: 1 },
        { reason: COMPOUND, count: 1 },
        { reason: 'pattern_type snort (only STIX patterns are imported)', count: 1 },
        { reason: 'revoked', count: 1 },
        { reason: SHARED('gmail.com'), count: 1 },
      ],
      problems: [
        {
          position: 'objects[13] (indicator--8c0e2a4b-7d9f-4b1a-8c3d-5e6f7a8b9ca1)',
          message: 'pattern: expected ] at offset 30, found the end of the pattern',
        },
        {
          position: 'objects[14] (indicator--9d1f3b5c-8e0a-4c2b-9d4e-6f7a8b9c0db1)',
          message: 'ipv4-addr:value: not an IP address or CIDR network: "203.0.113.300"',
        },
        {
          position: 'objects[14] (indicator--9d1f3b5c-8e0a-4c2b-9d4e-6f7a8b9c0db1)',
          message:
            'ipv4-addr:value: too broad: 10.0.0.0/8 would match 16777216 addresses (the limit is /16 for IPv4)',
        },
        {
          position: 'objects[15] (indicator--ae2a4c6d-9f1b-4d3c-8e5f-7a8b9c0d1ec1)',
          message: 'valid_from: not an ISO 8601 time: "last tuesday"',
        },
        { position: 'objects[16]', message: 'not an object' },
      ],
      actors: ['Charming Kitten', 'Phosphorus'],
    };
    const text = fixture('stix-bundle.json');
    assert.deepEqual(parseIndicators(text, { fileName: 'stix-bundle.json' }), want);
    assert.deepEqual(parseIndicators(text, { format: 'stix', fileName: 'stix-bundle.json' }), want);
  });

  test('MISP event', () => {
    const info = 'Credential phishing against campaign staff';
    const misp = (type: Indicator['type'], value: string, extra: Partial<Indicator> = {}) => ({
      type,
      value,
      source: 'Example CSIRT',
      actor: 'Charming Kitten',
      description: info,
      ...extra,
    });
    const want: IndicatorImport = {
      format: 'misp',
      indicators: [
        misp('ip', '203.0.113.7', {
          validFrom: '2019-08-01T00:00:00.000Z',
          validUntil: '2019-09-30T23:59:59.000Z',
          description: 'Recovery flow source',
        }),
        misp('ip', '198.51.100.23'),
        misp('ip', '2001:db8::42'),
        misp('domain', 'login-verify.example'),
        misp('domain', 'mail.evil.example'),
        misp('domain', 'account-check.example'),
        misp('ip', '192.0.2.44'),
        misp('email', 'security-alert@evil.example', { actor: 'PHOSPHORUS' }),
        misp('url', 'https://login-verify.example/reset'),
        misp('user_agent', 'python-requests/2.22.0'),
        misp('asn', '64500'),
        misp('domain', 'drop.evil.example'),
        misp('ip', '192.0.2.45'),
      ],
      skipped: [
        { reason: 'attribute type md5 (not an account-takeover observable)', count: 1 },
        { reason: 'attribute type link (not an account-takeover observable)', count: 1 },
        { reason: 'to_ids is false: context, not for detection', count: 1 },
        { reason: 'deleted in MISP', count: 1 },
        { reason: SHARED('gmail.com'), count: 1 },
        { reason: 'attribute type ip (not an account-takeover observable)', count: 1 },
        { reason: DUPLICATE, count: 1 },
      ],
      problems: [
        {
          position: 'Event.Attribute[14]',
          message: 'value: not an IP address or CIDR network: "192.0.2.256"',
        },
        { position: 'Event.Attribute[15]', message: 'value: not an email address: "victim@"' },
        {
          position: 'Event.Attribute[17]',
          message: 'first_seen: not an ISO 8601 time: "2019-13-01"',
        },
        { position: 'Event.Attribute[18]', message: 'type: required' },
        { position: 'Event.Attribute[19]', message: 'not an object' },
      ],
      actors: ['Charming Kitten', 'PHOSPHORUS'],
    };
    const text = fixture('misp-event.json');
    assert.deepEqual(parseIndicators(text, { fileName: 'misp-event.json' }), want);
  });

  test('CSV', () => {
    const csv = (type: Indicator['type'], value: string, extra: Partial<Indicator> = {}) => ({
      type,
      value,
      source: 'indicators.csv',
      ...extra,
    });
    const want: IndicatorImport = {
      format: 'csv',
      indicators: [
        csv('ip', '203.0.113.7', {
          source: 'Example CERT',
          actor: 'APT35',
          validFrom: '2019-08-01T00:00:00.000Z',
          validUntil: '2019-12-31T00:00:00.000Z',
          description: 'Recovery flow source, seen 8 times',
          confidence: 85,
        }),
        csv('ip', '198.51.100.0/24', { actor: 'APT35', description: 'Hosting network' }),
        csv('ip', '2001:db8::/32'),
        csv('ip', '192.0.2.10'),
        csv('asn', '64500'),
        csv('domain', 'login-verify.example', { actor: 'Charming Kitten' }),
        csv('email', 'drop@evil.example', { actor: 'Charming Kitten' }),
        csv('url', 'https://login-verify.example/reset?u=1&t=2'),
        csv(
          'user_agent',
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/76.0.3809.132 Safari/537.36',
          { description: 'UA of the "recovery" script' },
        ),
      ],
      skipped: [
        { reason: 'type sha256 (not an account-takeover observable)', count: 1 },
        { reason: SHARED('outlook.com'), count: 1 },
        { reason: DUPLICATE, count: 1 },
      ],
      problems: [
        { position: 'line 16', message: 'value: expected an IPv4 address, found "2001:db8::1"' },
        { position: 'line 17', message: 'value: 127.0.0.1 is a loopback address' },
        {
          position: 'line 18',
          message:
            'value: too broad: 203.0.0.0/8 would match 16777216 addresses (the limit is /16 for IPv4)',
        },
        { position: 'line 19', message: 'value: not an AS number (1 to 4294967295): "AS0"' },
        { position: 'line 20', message: 'value: not an email address: "not-an-address"' },
        { position: 'line 21', message: 'value: not an http(s) URL: "ftp://files.example/x"' },
        { position: 'line 22', message: 'valid_from: not an ISO 8601 time: "yesterday"' },
        {
          position: 'line 23',
          message:
            'valid_until 2019-08-01T00:00:00.000Z is before valid_from 2019-09-01T00:00:00.000Z',
        },
        { position: 'line 24', message: 'confidence: not an integer from 0 to 100: "101"' },
        { position: 'line 25', message: 'type: required' },
        { position: 'line 26', message: 'value: required' },
        {
          position: 'line 27',
          message: '9 fields, the header has 8 (quote values that contain commas)',
        },
        { position: 'line 29', message: 'value: not a domain name: "multi\\r\\nline.example"' },
        { position: 'line 31', message: 'unterminated quoted field (opened on line 31)' },
      ],
      actors: ['APT35', 'Charming Kitten'],
    };
    assert.deepEqual(
      parseIndicators(fixture('indicators.csv'), { fileName: 'indicators.csv' }),
      want,
    );
  });

  test('options.source credits every indicator, whatever the file says', () => {
    for (const name of ['stix-bundle.json', 'misp-event.json', 'indicators.csv']) {
      const r = parseIndicators(fixture(name), { source: 'ACME CTI', fileName: name });
      assert.deepEqual([...new Set(r.indicators.map((i) => i.source))], ['ACME CTI'], name);
    }
  });

  test("Tripline's own STIX export reads back: every indicator, the actor, no loss", () => {
    const { campaign, events } = apt35Campaign({
      account: (i) => `u-${1001 + i}`,
      eventId: (_i, account, step) => `evt-${account}-${step}`,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/76.0.3809.132',
      evidence: [],
    });
    const bundle = campaignToStix(campaign, {
      organisation: { name: 'Example Mail Security' },
      now: NOW,
      events,
    });
    const exported = bundle.objects.filter((o) => o.type === 'indicator').length;
    const r = parseIndicators(JSON.stringify(bundle), {});
    assert.equal(r.format, 'stix');
    assert.equal(r.indicators.length, exported);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.actors, ['APT35']);
    assert.deepEqual(
      [...new Set(r.indicators.map((i) => `${i.source} / ${i.actor}`))],
      ['Example Mail Security / APT35'],
    );
    assert.deepEqual([...new Set(r.indicators.map((i) => i.type))].sort(), [
      'asn',
      'email',
      'ip',
      'user_agent',
    ]);
  });
});

// ─── format detection and whole-file errors ───────────────────────────────

describe('detectIndicatorFormat', () => {
  const cases: { name: string; text: string; want: ReturnType<typeof detectIndicatorFormat> }[] = [
    { name: 'STIX bundle', text: '{"type":"bundle","id":"bundle--1","objects":[]}', want: 'stix' },
    {
      name: 'STIX bundle with a BOM and spaces',
      text: '\uFEFF \n {"type":"bundle"}',
      want: 'stix',
    },
    {
      name: 'array of STIX objects',
      text: '[{"type":"indicator","id":"indicator--1","pattern":"[url:value = \'x\']"}]',
      want: 'stix',
    },
    { name: 'one STIX object', text: '{"type":"indicator","id":"indicator--1"}', want: 'stix' },
    { name: 'MISP Event', text: '{"Event":{"Attribute":[]}}', want: 'misp' },
    { name: 'MISP response', text: '{"response":[{"Event":{}}]}', want: 'misp' },
    { name: 'array of MISP events', text: '[{"Event":{}}]', want: 'misp' },
    { name: 'bare MISP event', text: '{"info":"x","Attribute":[]}', want: 'misp' },
    { name: 'CSV', text: 'type,value\nip,203.0.113.7\n', want: 'csv' },
    {
      name: 'CSV with BOM, comments, odd case',
      text: '\uFEFF# list\r\n Type ,VALUE\r\n',
      want: 'csv',
    },
    { name: 'CSV without type/value header', text: 'a,b\n1,2\n', want: undefined },
    { name: 'other JSON', text: '{"type":"FeatureCollection","features":[]}', want: undefined },
    { name: 'broken JSON', text: '{"type": "bundle"', want: undefined },
    { name: 'plain text', text: 'hello', want: undefined },
    { name: 'empty', text: '', want: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(detectIndicatorFormat(c.text), c.want));
  }
});

describe('whole-file errors', () => {
  const jsonError = (text: string) => {
    try {
      JSON.parse(text);
    } catch (error) {
      return (error as Error).message;
    }
    return 'parsed';
  };
  const ANY =
    'a STIX 2.1 bundle, MISP event JSON or CSV with a header row naming "type" and "value"';
  const NOT_STIX =
    'expected a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}), an array of STIX objects or one STIX object';
  const NOT_MISP =
    'expected a MISP event ({"Event": {...}}, {"response": [{"Event": {...}}]} or an event with "Attribute")';
  const NEITHER =
    'expected a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}) or a MISP event ({"Event": {...}}), found';
  const cases: { name: string; text: string; options?: ParseIndicatorsOptions; wantErr: string }[] =
    [
      { name: 'empty', text: ' \n', wantErr: `the file is empty (expected ${ANY})` },
      {
        name: 'broken JSON',
        text: '{"type": "bundle"',
        wantErr: `not valid JSON (expected a STIX 2.1 bundle or MISP event JSON): ${jsonError('{"type": "bundle"')}`,
      },
      {
        name: 'broken JSON, format stix',
        text: '{"type": ',
        options: { format: 'stix' },
        wantErr: `not valid JSON (expected a STIX 2.1 bundle): ${jsonError('{"type": ')}`,
      },
      {
        name: 'broken JSON, format misp',
        text: 'Event',
        options: { format: 'misp' },
        wantErr: `not valid JSON (expected MISP event JSON): ${jsonError('Event')}`,
      },
      {
        name: 'other JSON object',
        text: '{"features": [], "type": "FeatureCollection"}',
        wantErr: `${NEITHER} an object with "features", "type"`,
      },
      {
        name: 'JSON array of numbers',
        text: '[1, 2]',
        wantErr: `${NEITHER} an array of 2 item(s)`,
      },
      { name: 'empty JSON object', text: '{}', wantErr: `${NEITHER} an empty object` },
      {
        name: 'many keys are cut',
        text: '{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}',
        wantErr: `${NEITHER} an object with "a", "b", "c", "d", "e", …`,
      },
      {
        name: 'plain text',
        text: 'hello world',
        wantErr: `cannot tell the format (expected ${ANY})`,
      },
      {
        name: 'CSV without type and value',
        text: 'kind,indicator\nip,203.0.113.7\n',
        wantErr:
          'expected a CSV header row naming the columns "type" and "value" (line 1 has: kind, indicator)',
      },
      {
        name: 'CSV forced, only comments',
        text: '# nothing here\n',
        options: { format: 'csv' },
        wantErr:
          'expected a CSV header row naming the columns "type" and "value"; the file is empty',
      },
      {
        name: 'CSV forced on JSON',
        text: '{"type": "bundle"}',
        options: { format: 'csv' },
        wantErr:
          'expected a CSV header row naming the columns "type" and "value" (line 1 has: {"type": "bundle"})',
      },
      {
        name: 'STIX forced on MISP',
        text: '{"Event": {}}',
        options: { format: 'stix' },
        wantErr: NOT_STIX,
      },
      {
        name: 'MISP forced on STIX',
        text: '{"type": "bundle", "objects": []}',
        options: { format: 'misp' },
        wantErr: NOT_MISP,
      },
      {
        name: 'bundle objects not an array',
        text: '{"type": "bundle", "objects": 5}',
        wantErr: 'expected the STIX bundle\'s "objects" to be an array',
      },
      {
        name: 'unknown format',
        text: 'type,value\n',
        options: { format: 'xml' as never },
        wantErr: 'unknown indicator format "xml" (expected auto, stix, misp, csv)',
      },
    ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => parseIndicators(c.text, c.options ?? {}),
        (error: unknown) => {
          assert.ok(error instanceof IndicatorFileError);
          assert.equal(error.name, 'IndicatorFileError');
          assert.equal(error.message, c.wantErr);
          return true;
        },
      );
    });
  }
});

// ─── STIX ─────────────────────────────────────────────────────────────────

describe('STIX pattern parser', () => {
  const ip = (value: string, operator = '='): StixComparison => ({
    path: { objectType: 'ipv4-addr', steps: ['value'] },
    operator,
    negated: false,
    literal: { kind: 'string', value },
  });
  const cases: {
    name: string;
    pattern: string;
    want?: StixPatternShape;
    wantErr?: string;
  }[] = [
    {
      name: 'one comparison',
      pattern: "[ipv4-addr:value = '203.0.113.7']",
      want: { kind: 'comparisons', comparisons: [ip('203.0.113.7')] },
    },
    {
      name: 'OR list with == and ISSUBSET',
      pattern: "[ipv4-addr:value == '203.0.113.7' OR ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      want: {
        kind: 'comparisons',
        comparisons: [ip('203.0.113.7'), ip('198.51.100.0/24', 'ISSUBSET')],
      },
    },
    {
      name: 'OR between observations, grouped',
      pattern: "([ipv4-addr:value = '192.0.2.1'] OR ([ipv4-addr:value = '192.0.2.2']))",
      want: { kind: 'comparisons', comparisons: [ip('192.0.2.1'), ip('192.0.2.2')] },
    },
    {
      name: 'keywords in any case, no spaces',
      pattern: "[ipv4-addr:value='192.0.2.1' or ipv4-addr:value='192.0.2.2']",
      want: { kind: 'comparisons', comparisons: [ip('192.0.2.1'), ip('192.0.2.2')] },
    },
    {
      name: 'escaped quote and backslash',
      pattern: "[ipv4-addr:value = 'a\\'b\\\\c']",
      want: { kind: 'comparisons', comparisons: [ip("a'b\\c")] },
    },
    {
      name: 'quoted path steps, list index and *',
      pattern:
        "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'x' OR x:list[*].y[0] = 1]",
      want: {
        kind: 'comparisons',
        comparisons: [
          {
            path: {
              objectType: 'network-traffic',
              steps: ['extensions', 'http-request-ext', 'request_header', 'User-Agent'],
            },
            operator: '=',
            negated: false,
            literal: { kind: 'string', value: 'x' },
          },
          {
            path: { objectType: 'x', steps: ['list', '*', 'y', 0] },
            operator: '=',
            negated: false,
            literal: { kind: 'number', value: 1 },
          },
        ],
      },
    },
    {
      name: 'IN set, NOT, EXISTS, other literals',
      pattern:
        "[a:b IN ('x', 2) OR a:c NOT LIKE 'y%' OR EXISTS a:d OR a:e != t'2019-01-01T00:00:00Z' OR a:f = b'AAE=' OR a:g <> h'00ff' OR a:h = false OR a:i >= -2.5]",
      want: {
        kind: 'comparisons',
        comparisons: [
          {
            path: { objectType: 'a', steps: ['b'] },
            operator: 'IN',
            negated: false,
            literal: {
              kind: 'set',
              values: [
                { kind: 'string', value: 'x' },
                { kind: 'number', value: 2 },
              ],
            },
          },
          {
            path: { objectType: 'a', steps: ['c'] },
            operator: 'LIKE',
            negated: true,
            literal: { kind: 'string', value: 'y%' },
          },
          { path: { objectType: 'a', steps: ['d'] }, operator: 'EXISTS', negated: false },
          {
            path: { objectType: 'a', steps: ['e'] },
            operator: '!=',
            negated: false,
            literal: { kind: 'timestamp', value: '2019-01-01T00:00:00Z' },
          },
          {
            path: { objectType: 'a', steps: ['f'] },
            operator: '=',
            negated: false,
            literal: { kind: 'binary', value: 'AAE=' },
          },
          {
            path: { objectType: 'a', steps: ['g'] },
            operator: '!=',
            negated: false,
            literal: { kind: 'hex', value: '00ff' },
          },
          {
            path: { objectType: 'a', steps: ['h'] },
            operator: '=',
            negated: false,
            literal: { kind: 'boolean', value: false },
          },
          {
            path: { objectType: 'a', steps: ['i'] },
            operator: '>=',
            negated: false,
            literal: { kind: 'number', value: -2.5 },
          },
        ],
      },
    },
    {
      name: 'AND inside an observation',
      pattern: "[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']",
      want: { kind: 'compound' },
    },
    {
      name: 'AND inside an OR',
      pattern: "[ipv4-addr:value = '192.0.2.1' OR (ipv4-addr:value = '192.0.2.2' AND a:b = 1)]",
      want: { kind: 'compound' },
    },
    {
      name: 'AND between observations',
      pattern: "[ipv4-addr:value = '192.0.2.1'] AND [ipv4-addr:value = '192.0.2.2']",
      want: { kind: 'compound' },
    },
    {
      name: 'FOLLOWEDBY',
      pattern: "[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.2']",
      want: { kind: 'compound' },
    },
    {
      name: 'WITHIN',
      pattern: "[ipv4-addr:value = '192.0.2.1'] WITHIN 600 SECONDS",
      want: { kind: 'qualified' },
    },
    {
      name: 'REPEATS',
      pattern: "[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES",
      want: { kind: 'qualified' },
    },
    {
      name: 'START STOP',
      pattern:
        "[ipv4-addr:value = '192.0.2.1'] START t'2019-01-01T00:00:00Z' STOP t'2019-02-01T00:00:00Z'",
      want: { kind: 'qualified' },
    },
    { name: 'empty', pattern: '  ', wantErr: '0: empty pattern' },
    {
      name: 'unclosed observation',
      pattern: "[ipv4-addr:value = '192.0.2.1'",
      wantErr: '30: expected ] at offset 30, found the end of the pattern',
    },
    {
      name: 'unterminated string',
      pattern: "[ipv4-addr:value = '192.0.2.1]",
      wantErr: '19: unterminated string starting at offset 19',
    },
    {
      name: 'bad escape',
      pattern: "[domain-name:value = 'a\\nb']",
      wantErr: "23: invalid escape at offset 23 (only \\' and \\\\ are allowed in a string)",
    },
    {
      name: 'no brackets',
      pattern: "ipv4-addr:value = '192.0.2.1'",
      wantErr: '0: expected [ or ( at offset 0, found "ipv4-addr"',
    },
    {
      name: 'bare word as value',
      pattern: '[domain-name:value = evil]',
      wantErr: '21: expected a literal at offset 21, found "evil"',
    },
    {
      name: 'no operator',
      pattern: "[ipv4-addr:value '192.0.2.1']",
      wantErr: '17: expected a comparison operator at offset 17, found a string literal',
    },
    {
      name: 'no object path',
      pattern: "[= '192.0.2.1']",
      wantErr: '1: expected an object path at offset 1, found "="',
    },
    {
      name: 'trailing words',
      pattern: '[a:b = 1] garbage',
      wantErr:
        '10: expected AND, OR, FOLLOWEDBY, a qualifier or the end at offset 10, found "garbage"',
    },
    {
      name: 'stray character',
      pattern: '[a:b = 1] ;',
      wantErr: '10: unexpected character ";" at offset 10',
    },
    {
      name: 'WITHIN without SECONDS',
      pattern: '[a:b = 1] WITHIN 5',
      wantErr: '18: expected SECONDS at offset 18, found the end of the pattern',
    },
    {
      name: 'bad list index',
      pattern: "[a:b['x'] = 1]",
      wantErr: '5: expected a list index or * at offset 5, found a string literal',
    },
    {
      name: 'nested too deep',
      pattern: `[${'('.repeat(100)}a:b = 1${')'.repeat(100)}]`,
      wantErr: '65: nested more than 64 levels deep',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const parsed = parseStixPattern(c.pattern);
      if (c.wantErr !== undefined) {
        assert.equal(parsed.ok ? 'parsed' : `${parsed.offset}: ${parsed.message}`, c.wantErr);
      } else {
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
        assert.deepEqual(orComparisons(parsed.pattern), c.want);
      }
    });
  }
});

/** A bundle around the given objects. */
const bundle = (...objects: unknown[]) =>
  JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects });

let seq = 0;
const indicator = (pattern: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  pattern,
  pattern_type: 'stix',
  valid_from: '2019-08-01T00:00:00Z',
  ...extra,
});

interface Short {
  indicators?: string[];
  skipped?: Skips;
  problems?: string[];
}

/** `ip 203.0.113.7` for indicators, `position: message` for problems, in one comparable object. */
function short(r: IndicatorImport): Short {
  return {
    indicators: r.indicators.map((i) => `${i.type} ${i.value}`),
    skipped: r.skipped,
    problems: r.problems.map((p) => `${p.position}: ${p.message}`),
  };
}

describe('STIX indicators', () => {
  const one = (pattern: unknown, extra: Record<string, unknown> = {}) => {
    const object = indicator(pattern, extra);
    return { text: bundle(object), at: `objects[0] (${object.id})` };
  };
  const cases: {
    name: string;
    input: () => { text: string; at: string };
    want: (at: string) => Short;
  }[] = [
    {
      name: 'every observable path',
      input: () =>
        one(
          "[ipv4-addr:value = '192.0.2.1' OR ipv6-addr:value = '2001:db8::1' OR domain-name:value = 'a.example' OR email-addr:value = 'x@a.example' OR url:value = 'http://a.example/' OR autonomous-system:number = 64500 OR network-traffic:extensions.'http-request-ext'.request_header.'user-agent' = 'curl/7.64.1' OR email-message:from_ref.value = 'f@b.example' OR email-message:sender_ref.value = 's@b.example']",
        ),
      want: () => ({
        indicators: [
          'ip 192.0.2.1',
          'ip 2001:db8::1',
          'domain a.example',
          'email x@a.example',
          'url http://a.example/',
          'asn 64500',
          'user_agent curl/7.64.1',
          'email f@b.example',
          'email s@b.example',
        ],
        skipped: [],
        problems: [],
      }),
    },
    {
      name: 'ISSUBSET networks, host bits cleared, /32 as the address',
      input: () =>
        one(
          "[ipv4-addr:value ISSUBSET '192.0.2.77/24' OR ipv4-addr:value ISSUBSET '192.0.2.9/32' OR ipv6-addr:value ISSUBSET '2001:db8:1:2::/64']",
        ),
      want: () => ({
        indicators: ['ip 192.0.2.0/24', 'ip 192.0.2.9', 'ip 2001:db8:1:2::/64'],
        skipped: [],
        problems: [],
      }),
    },
    {
      name: 'IN list and an AS number as a string',
      input: () =>
        one(
          "[domain-name:value IN ('a.example', 'b.example') OR autonomous-system:number = '64501']",
        ),
      want: () => ({
        indicators: ['domain a.example', 'domain b.example', 'asn 64501'],
        skipped: [],
        problems: [],
      }),
    },
    {
      name: 'an address OR a file hash: the address imported, the hash counted',
      input: () =>
        one(
          "[ipv4-addr:value = '192.0.2.1' OR file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
        ),
      want: () => ({
        indicators: ['ip 192.0.2.1'],
        skipped: [
          { reason: 'pattern on file:hashes (not an account-takeover observable)', count: 1 },
        ],
        problems: [],
      }),
    },
    {
      name: 'unsupported operators and paths',
      input: () =>
        one(
          "[domain-name:value LIKE '%.example' OR domain-name:value NOT = 'a.example' OR domain-name:value ISSUBSET 'a.example' OR network-traffic:src_ref.value = '192.0.2.1' OR ipv4-addr:value != '192.0.2.1']",
        ),
      want: () => ({
        indicators: [],
        skipped: [
          {
            reason: 'comparison LIKE on domain-name:value not importable as a single value',
            count: 1,
          },
          {
            reason: 'comparison NOT = on domain-name:value not importable as a single value',
            count: 1,
          },
          {
            reason: 'comparison ISSUBSET on domain-name:value not importable as a single value',
            count: 1,
          },
          {
            reason: 'pattern on network-traffic:src_ref.value (object path not importable)',
            count: 1,
          },
          { reason: 'comparison != on ipv4-addr:value not importable as a single value', count: 1 },
        ],
        problems: [],
      }),
    },
    {
      name: 'AND inside an observation',
      input: () => one("[ipv4-addr:value = '192.0.2.1' AND network-traffic:dst_port = 443]"),
      want: () => ({ indicators: [], skipped: [{ reason: COMPOUND, count: 1 }], problems: [] }),
    },
    {
      name: 'a qualifier',
      input: () => one("[ipv4-addr:value = '192.0.2.1'] REPEATS 3 TIMES"),
      want: () => ({ indicators: [], skipped: [{ reason: QUALIFIED, count: 1 }], problems: [] }),
    },
    {
      name: 'STIX 2.0: no pattern_type',
      input: () => one("[ipv4-addr:value = '192.0.2.1']", { pattern_type: undefined }),
      want: () => ({ indicators: ['ip 192.0.2.1'], skipped: [], problems: [] }),
    },
    {
      name: 'another pattern language',
      input: () => one('rule x { condition: true }', { pattern_type: 'yara' }),
      want: () => ({
        indicators: [],
        skipped: [{ reason: 'pattern_type yara (only STIX patterns are imported)', count: 1 }],
        problems: [],
      }),
    },
    {
      name: 'revoked',
      input: () => one("[ipv4-addr:value = '192.0.2.1']", { revoked: true }),
      want: () => ({ indicators: [], skipped: [{ reason: 'revoked', count: 1 }], problems: [] }),
    },
    {
      name: 'IPv6 value on ipv4-addr, IPv4 value on ipv6-addr',
      input: () => one("[ipv4-addr:value = '2001:db8::1' OR ipv6-addr:value = '192.0.2.1']"),
      want: (at) => ({
        indicators: [],
        skipped: [],
        problems: [
          `${at}: ipv4-addr:value: expected an IPv4 address, found "2001:db8::1"`,
          `${at}: ipv6-addr:value: expected an IPv6 address, found "192.0.2.1"`,
        ],
      }),
    },
    {
      name: 'literal of the wrong kind',
      input: () => one('[ipv4-addr:value = 3232235521 OR autonomous-system:number = true]'),
      want: (at) => ({
        indicators: [],
        skipped: [],
        problems: [
          `${at}: ipv4-addr:value compared with a number literal, expected a string`,
          `${at}: autonomous-system:number compared with a boolean literal, expected a number`,
        ],
      }),
    },
    {
      name: 'garbage pattern',
      input: () => one('[ipv4-addr:value = 192.0.2.1]'),
      want: (at) => ({
        indicators: [],
        skipped: [],
        problems: [`${at}: pattern: expected ] at offset 24, found "."`],
      }),
    },
    {
      name: 'pattern missing, not a string',
      input: () => one(42),
      want: (at) => ({ indicators: [], skipped: [], problems: [`${at}: pattern: required`] }),
    },
    {
      name: 'bad fields',
      input: () =>
        one("[ipv4-addr:value = '192.0.2.1']", {
          valid_until: '2019-07-01T00:00:00Z',
          confidence: 'high',
        }),
      want: (at) => ({
        indicators: [],
        skipped: [],
        problems: [
          `${at}: valid_until 2019-07-01T00:00:00.000Z is before valid_from 2019-08-01T00:00:00.000Z`,
        ],
      }),
    },
    {
      name: 'confidence out of range',
      input: () => one("[ipv4-addr:value = '192.0.2.1']", { confidence: 150 }),
      want: (at) => ({
        indicators: [],
        skipped: [],
        problems: [`${at}: confidence: not an integer from 0 to 100: 150`],
      }),
    },
    {
      name: 'the same value twice',
      input: () => one("[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '::ffff:192.0.2.1']"),
      want: () => ({
        indicators: ['ip 192.0.2.1'],
        skipped: [{ reason: DUPLICATE, count: 1 }],
        problems: [],
      }),
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { text, at } = c.input();
      assert.deepEqual(short(parseIndicators(text, { format: 'stix' })), c.want(at));
    });
  }
});

describe('STIX actors and sources', () => {
  const IS_A = { type: 'intrusion-set', id: 'intrusion-set--a', name: 'Charming Kitten' };
  const IS_B = { type: 'intrusion-set', id: 'intrusion-set--b', name: 'APT35' };
  const TA_A = { type: 'threat-actor', id: 'threat-actor--a', name: 'Phosphorus' };
  const TA_B = { type: 'threat-actor', id: 'threat-actor--b', name: 'Mint Sandstorm' };
  const CAMPAIGN = { type: 'campaign', id: 'campaign--1', name: 'Recovery abuse' };
  const ORG = {
    type: 'identity',
    id: 'identity--1',
    name: 'Example CERT',
    identity_class: 'organization',
  };
  const rel = (kind: string, from: string, to: string) => ({
    type: 'relationship',
    id: `relationship--${from}-${to}`,
    relationship_type: kind,
    source_ref: from,
    target_ref: to,
  });
  const ioc = { ...indicator("[ipv4-addr:value = '192.0.2.1']"), id: 'indicator--1' };
  const cases: {
    name: string;
    objects: unknown[];
    options?: ParseIndicatorsOptions;
    want: { actor?: string; source: string; actors: string[] };
  }[] = [
    { name: 'no relationship, no file name', objects: [ioc], want: { source: 'stix', actors: [] } },
    {
      name: 'file name',
      objects: [ioc],
      options: { fileName: 'feed.json' },
      want: { source: 'feed.json', actors: [] },
    },
    {
      name: 'created_by_ref identity',
      objects: [ORG, { ...ioc, created_by_ref: 'identity--1' }],
      options: { fileName: 'feed.json' },
      want: { source: 'Example CERT', actors: [] },
    },
    {
      name: 'created_by_ref to something not an identity',
      objects: [IS_A, { ...ioc, created_by_ref: 'intrusion-set--a' }],
      options: { fileName: 'feed.json' },
      want: { source: 'feed.json', actors: [] },
    },
    {
      name: 'options.source wins',
      objects: [ORG, { ...ioc, created_by_ref: 'identity--1' }],
      options: { source: 'ACME CTI', fileName: 'feed.json' },
      want: { source: 'ACME CTI', actors: [] },
    },
    {
      name: 'indicates an intrusion-set',
      objects: [ioc, IS_A, rel('indicates', 'indicator--1', 'intrusion-set--a')],
      want: { actor: 'Charming Kitten', source: 'stix', actors: ['Charming Kitten'] },
    },
    {
      name: 'the directly indicated intrusion-set beats a threat-actor with a smaller id',
      objects: [
        ioc,
        IS_B,
        TA_A,
        rel('indicates', 'indicator--1', 'threat-actor--a'),
        rel('indicates', 'indicator--1', 'intrusion-set--b'),
      ],
      want: { actor: 'APT35', source: 'stix', actors: ['APT35', 'Phosphorus'] },
    },
    {
      name: 'two intrusion-sets: the first by id',
      objects: [
        ioc,
        IS_B,
        IS_A,
        rel('indicates', 'indicator--1', 'intrusion-set--b'),
        rel('indicates', 'indicator--1', 'intrusion-set--a'),
      ],
      want: { actor: 'Charming Kitten', source: 'stix', actors: ['Charming Kitten', 'APT35'] },
    },
    {
      name: 'through a campaign',
      objects: [
        ioc,
        CAMPAIGN,
        TA_B,
        rel('indicates', 'indicator--1', 'campaign--1'),
        rel('attributed-to', 'campaign--1', 'threat-actor--b'),
      ],
      want: { actor: 'Mint Sandstorm', source: 'stix', actors: ['Mint Sandstorm'] },
    },
    {
      name: 'the directly indicated intrusion-set beats one reached through a campaign with a smaller id',
      objects: [
        ioc,
        CAMPAIGN,
        IS_A,
        IS_B,
        rel('indicates', 'indicator--1', 'campaign--1'),
        rel('attributed-to', 'campaign--1', 'intrusion-set--a'),
        rel('indicates', 'indicator--1', 'intrusion-set--b'),
      ],
      want: { actor: 'APT35', source: 'stix', actors: ['APT35', 'Charming Kitten'] },
    },
    {
      name: 'a threat-actor and a campaign: the first by id',
      objects: [
        ioc,
        CAMPAIGN,
        TA_A,
        TA_B,
        rel('indicates', 'indicator--1', 'threat-actor--b'),
        rel('indicates', 'indicator--1', 'campaign--1'),
        rel('attributed-to', 'campaign--1', 'threat-actor--a'),
      ],
      want: { actor: 'Phosphorus', source: 'stix', actors: ['Phosphorus', 'Mint Sandstorm'] },
    },
    {
      name: 'relationships to unknown or unnamed objects are ignored',
      objects: [
        ioc,
        { type: 'intrusion-set', id: 'intrusion-set--unnamed' },
        rel('indicates', 'indicator--1', 'intrusion-set--unnamed'),
        rel('indicates', 'indicator--1', 'intrusion-set--missing'),
        rel('uses', 'indicator--1', 'intrusion-set--a'),
        IS_A,
      ],
      want: { source: 'stix', actors: [] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = parseIndicators(bundle(...c.objects), c.options ?? {});
      const first = r.indicators[0];
      assert.deepEqual(first && { actor: first.actor, source: first.source, actors: r.actors }, {
        actor: undefined,
        ...c.want,
      });
    });
  }

  test('a bare array and a single object read like a bundle', () => {
    const object = { ...indicator("[domain-name:value = 'a.example']"), id: 'indicator--9' };
    for (const text of [JSON.stringify([object]), JSON.stringify(object)]) {
      assert.deepEqual(short(parseIndicators(text, {})), {
        indicators: ['domain a.example'],
        skipped: [],
        problems: [],
      });
    }
  });
});

// ─── MISP ─────────────────────────────────────────────────────────────────

describe('MISP documents', () => {
  const attribute = (value: string, extra: Record<string, unknown> = {}) => ({
    type: 'ip-dst',
    to_ids: true,
    value,
    ...extra,
  });
  const event = (attributes: unknown[], extra: Record<string, unknown> = {}) => ({
    info: 'Phishing',
    Orgc: { name: 'Example CSIRT' },
    Attribute: attributes,
    ...extra,
  });
  const summary = (r: IndicatorImport) => ({
    indicators: r.indicators.map((i) =>
      [i.value, i.source, i.actor ?? '-', i.description ?? '-'].join(' | '),
    ),
    skipped: r.skipped,
    problems: r.problems.map((p) => `${p.position}: ${p.message}`),
    actors: r.actors,
  });
  const cases: {
    name: string;
    document: unknown;
    options?: ParseIndicatorsOptions;
    want: ReturnType<typeof summary>;
  }[] = [
    {
      name: 'a response with two events, positions per event',
      document: {
        response: [
          { Event: event([attribute('192.0.2.1'), attribute('192.0.2.300')]) },
          {
            Event: event([attribute('192.0.2.2', { to_ids: '0' }), attribute('192.0.2.301')], {
              Orgc: { name: 'Other CERT' },
            }),
          },
          { Attribute: [] },
          { Nothing: true },
        ],
      },
      want: {
        indicators: ['192.0.2.1 | Example CSIRT | - | Phishing'],
        skipped: [{ reason: 'to_ids is false: context, not for detection', count: 1 }],
        problems: [
          'response[0].Event.Attribute[1]: value: not an IP address or CIDR network: "192.0.2.300"',
          'response[1].Event.Attribute[1]: value: not an IP address or CIDR network: "192.0.2.301"',
          'response[3]: expected a MISP event ({"Event": {...}})',
        ],
        actors: [],
      },
    },
    {
      name: 'an array of events; Org, file name and "misp" as sources',
      document: [
        { Event: { Org: { name: 'Owner org' }, Attribute: [attribute('192.0.2.1')] } },
        { Event: { Attribute: [attribute('192.0.2.2')] } },
        { Event: 5 },
      ],
      options: { fileName: 'export.json' },
      want: {
        indicators: ['192.0.2.1 | Owner org | - | -', '192.0.2.2 | export.json | - | -'],
        skipped: [],
        problems: ['[2]: expected a MISP event ({"Event": {...}})'],
        actors: [],
      },
    },
    {
      name: 'a bare event',
      document: { Attribute: [attribute('192.0.2.1'), attribute('x')] },
      want: {
        indicators: ['192.0.2.1 | misp | - | -'],
        skipped: [],
        problems: ['Attribute[1]: value: not an IP address or CIDR network: "x"'],
        actors: [],
      },
    },
    {
      name: 'actors: galaxies of every actor type, tags, attribute-level wins',
      document: {
        Event: event(
          [
            attribute('192.0.2.1'),
            attribute('192.0.2.2', {
              Tag: [{ name: 'misp-galaxy:mitre-intrusion-set="Magic Hound - G0059"' }],
            }),
            attribute('192.0.2.3', {
              Galaxy: [
                { type: 'microsoft-activity-group', GalaxyCluster: [{ value: 'PHOSPHORUS' }] },
              ],
            }),
            attribute('192.0.2.4', {
              Tag: [{ name: 'tlp:amber' }, { name: 'misp-galaxy:threat-actor=""' }],
            }),
          ],
          {
            Galaxy: [
              { type: 'mitre-attack-pattern', GalaxyCluster: [{ value: 'Phishing - T1566' }] },
              {
                type: 'threat-actor',
                GalaxyCluster: [{ value: 'Charming Kitten' }, { value: 'APT35' }],
              },
            ],
            Tag: [{ name: 'misp-galaxy:threat-actor="Newscaster"' }],
          },
        ),
      },
      want: {
        indicators: [
          '192.0.2.1 | Example CSIRT | Charming Kitten | Phishing',
          '192.0.2.2 | Example CSIRT | Magic Hound - G0059 | Phishing',
          '192.0.2.3 | Example CSIRT | PHOSPHORUS | Phishing',
          '192.0.2.4 | Example CSIRT | Charming Kitten | Phishing',
        ],
        skipped: [],
        problems: [],
        actors: ['Charming Kitten', 'APT35', 'Newscaster', 'Magic Hound - G0059', 'PHOSPHORUS'],
      },
    },
    {
      name: 'object attributes, deleted objects, composite values',
      document: {
        Event: event(
          [
            attribute('evil.example|192.0.2.9', { type: 'domain|ip' }),
            attribute('192.0.2.10|8080', { type: 'ip-dst|port' }),
            attribute('mx.evil.example|25', { type: 'hostname|port' }),
            attribute('only-one-part.example', { type: 'domain|ip' }),
            attribute('192.0.2.11', { deleted: '1' }),
            attribute('https://blog.example/report', { type: 'link', to_ids: false }),
          ],
          {
            Object: [
              { name: 'domain-ip', Attribute: [attribute('192.0.2.12', { comment: 'C2' })] },
              { name: 'gone', deleted: true, Attribute: [attribute('192.0.2.13')] },
              { name: 'broken', Attribute: 'x' },
            ],
          },
        ),
      },
      want: {
        indicators: [
          'evil.example | Example CSIRT | - | Phishing',
          '192.0.2.9 | Example CSIRT | - | Phishing',
          '192.0.2.10 | Example CSIRT | - | Phishing',
          'mx.evil.example | Example CSIRT | - | Phishing',
          '192.0.2.12 | Example CSIRT | - | C2',
        ],
        skipped: [
          { reason: 'deleted in MISP', count: 2 },
          { reason: 'attribute type link (not an account-takeover observable)', count: 1 },
        ],
        problems: [
          'Event.Attribute[3]: value: expected 2 parts separated by | for domain|ip',
          'Event.Object[2].Attribute: expected an array of attributes',
        ],
        actors: [],
      },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = parseIndicators(JSON.stringify(c.document), { format: 'misp', ...c.options });
      assert.deepEqual(summary(r), c.want);
    });
  }
});

// ─── CSV ──────────────────────────────────────────────────────────────────

describe('CSV records', () => {
  const cases: {
    name: string;
    text: string;
    want: { line: number; fields: string[]; error?: string }[];
  }[] = [
    {
      name: 'LF',
      text: 'a,b\nc,d\n',
      want: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    },
    {
      name: 'CRLF, no final newline',
      text: 'a,b\r\nc,d',
      want: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    },
    {
      name: 'lone CR',
      text: 'a\rb',
      want: [
        { line: 1, fields: ['a'] },
        { line: 2, fields: ['b'] },
      ],
    },
    { name: 'BOM', text: '\uFEFFa,b', want: [{ line: 1, fields: ['a', 'b'] }] },
    { name: 'empty fields', text: ',,\n', want: [{ line: 1, fields: ['', '', ''] }] },
    {
      name: 'quoted comma, doubled quotes',
      text: '"a,b","say ""hi""",""\n',
      want: [{ line: 1, fields: ['a,b', 'say "hi"', ''] }],
    },
    {
      name: 'newline inside quotes',
      text: '"a\nb",c\nd\n',
      want: [
        { line: 1, fields: ['a\nb', 'c'] },
        { line: 3, fields: ['d'] },
      ],
    },
    {
      name: 'comments and blank lines',
      text: '# x\n\n  \na\n#y,z\nb',
      want: [
        { line: 3, fields: ['  '] },
        { line: 4, fields: ['a'] },
        { line: 6, fields: ['b'] },
      ],
    },
    {
      name: 'a # inside a record is data',
      text: 'a,#b\n',
      want: [{ line: 1, fields: ['a', '#b'] }],
    },
    {
      name: 'a quote inside an unquoted field is data',
      text: 'a"b,c\n',
      want: [{ line: 1, fields: ['a"b', 'c'] }],
    },
    {
      name: 'text after a closing quote',
      text: '"a"b,c\nd',
      want: [
        { line: 1, fields: ['a', 'c'], error: 'text after the closing quote of field 1' },
        { line: 2, fields: ['d'] },
      ],
    },
    {
      name: 'unterminated quote',
      text: 'a,"b\nc',
      want: [
        { line: 1, fields: ['a', 'b\nc'], error: 'unterminated quoted field (opened on line 1)' },
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual([...csvRecords(c.text)], c.want));
  }
});

describe('CSV type names and columns', () => {
  const cases: { name: string; text: string; want: Short }[] = [
    {
      name: 'every type spelling',
      text: [
        'TYPE,Value',
        'ip,192.0.2.1',
        'IPv4,192.0.2.2',
        'ipv6,2001:db8::3',
        'cidr,192.0.2.0/28',
        'network,2001:db8:5::/48',
        'ipv4-addr,192.0.2.6',
        'ipv6-addr,2001:db8::7',
        'ip-src,192.0.2.8',
        'ip_dst,192.0.2.9',
        'asn,64500',
        'AS,AS64501',
        'autonomous-system,64502',
        'domain,a.example',
        'hostname,b.example',
        'domain-name,c.example',
        'email,a@a.example',
        'email-addr,b@a.example',
        'email-src,c@a.example',
        'email-dst,d@a.example',
        'email-reply-to,e@a.example',
        'url,https://a.example/',
        'user_agent,ua-1',
        'user-agent,ua-2',
        'md5,d41d8cd98f00b204e9800998ecf8427e',
      ].join('\n'),
      want: {
        indicators: [
          'ip 192.0.2.1',
          'ip 192.0.2.2',
          'ip 2001:db8::3',
          'ip 192.0.2.0/28',
          'ip 2001:db8:5::/48',
          'ip 192.0.2.6',
          'ip 2001:db8::7',
          'ip 192.0.2.8',
          'ip 192.0.2.9',
          'asn 64500',
          'asn 64501',
          'asn 64502',
          'domain a.example',
          'domain b.example',
          'domain c.example',
          'email a@a.example',
          'email b@a.example',
          'email c@a.example',
          'email d@a.example',
          'email e@a.example',
          'url https://a.example/',
          'user_agent ua-1',
          'user_agent ua-2',
        ],
        skipped: [{ reason: 'type md5 (not an account-takeover observable)', count: 1 }],
        problems: [],
      },
    },
    {
      name: 'columns in any order, aliases, extra columns ignored, short rows allowed',
      text: 'Comment,Value,Kind,Type,First-Seen\n"C2, primary",192.0.2.1,x,ip,2019-08-01\n,192.0.2.2,y,ip\n',
      want: { indicators: ['ip 192.0.2.1', 'ip 192.0.2.2'], skipped: [], problems: [] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(short(parseIndicators(c.text, { format: 'csv' })), c.want));
  }

  test('row source, then options.source, file name, "csv"', () => {
    const text = 'type,value,source\nip,192.0.2.1,Row CERT\nip,192.0.2.2,\n';
    const sources = (options: ParseIndicatorsOptions) =>
      parseIndicators(text, options).indicators.map((i) => i.source);
    assert.deepEqual(sources({}), ['Row CERT', 'csv']);
    assert.deepEqual(sources({ fileName: 'x.csv' }), ['Row CERT', 'x.csv']);
    assert.deepEqual(sources({ source: 'ACME', fileName: 'x.csv' }), ['ACME', 'ACME']);
  });
});

// ─── values ───────────────────────────────────────────────────────────────

describe('checkIndicatorValue', () => {
  const ok = (value: string): Checked<string> => ({ ok: true, value });
  const problem = (message: string): Checked<string> => ({ ok: false, skip: false, message });
  const skip = (message: string): Checked<string> => ({ ok: false, skip: true, message });
  const cases: { type: IndicatorType; input: string; version?: 4 | 6; want: Checked<string> }[] = [
    { type: 'ip', input: ' 203.0.113.7 ', want: ok('203.0.113.7') },
    { type: 'ip', input: '203.0.113.9/24', want: ok('203.0.113.0/24') },
    { type: 'ip', input: '203.0.113.9/32', want: ok('203.0.113.9') },
    { type: 'ip', input: '198.51.0.0/16', want: ok('198.51.0.0/16') },
    {
      type: 'ip',
      input: '198.0.0.0/15',
      want: problem(
        'too broad: 198.0.0.0/15 would match 131072 addresses (the limit is /16 for IPv4)',
      ),
    },
    {
      type: 'ip',
      input: '0.0.0.0/0',
      want: problem(
        'too broad: 0.0.0.0/0 would match 4294967296 addresses (the limit is /16 for IPv4)',
      ),
    },
    { type: 'ip', input: '2001:DB8:0:0::1', want: ok('2001:db8::1') },
    { type: 'ip', input: '2001:db8:0:1:0:0:0:1', want: ok('2001:db8:0:1::1') },
    { type: 'ip', input: '2001:0:0:1:0:0:0:1', want: ok('2001:0:0:1::1') },
    { type: 'ip', input: '2001:db8::/32', want: ok('2001:db8::/32') },
    { type: 'ip', input: '2001:db8:1234::1/33', want: ok('2001:db8::/33') },
    { type: 'ip', input: '2001:db8::1/128', want: ok('2001:db8::1') },
    {
      type: 'ip',
      input: '2001:db8::/31',
      want: problem(
        'too broad: 2001:db8::/31 would match 2^97 addresses (the limit is /32 for IPv6)',
      ),
    },
    { type: 'ip', input: '::ffff:192.0.2.1', want: ok('192.0.2.1') },
    { type: 'ip', input: '::FFFF:c000:0201', want: ok('192.0.2.1') },
    { type: 'ip', input: '::ffff:192.0.2.0/120', want: ok('192.0.2.0/24') },
    {
      type: 'ip',
      input: '::ffff:192.0.2.1',
      version: 6,
      want: problem('expected an IPv6 address, found "::ffff:192.0.2.1"'),
    },
    { type: 'ip', input: '2001:db8::ffff:192.0.2.1', want: ok('2001:db8::ffff:c000:201') },
    { type: 'ip', input: '127.0.0.1', want: problem('127.0.0.1 is a loopback address') },
    { type: 'ip', input: '127.1.0.0/16', want: problem('127.1.0.0/16 is a loopback address') },
    {
      type: 'ip',
      input: '0.0.0.0',
      want: problem('0.0.0.0 is in 0.0.0.0/8 ("this network"), not a source address'),
    },
    {
      type: 'ip',
      input: '0.1.2.3',
      want: problem('0.1.2.3 is in 0.0.0.0/8 ("this network"), not a source address'),
    },
    { type: 'ip', input: '::', want: problem(':: is the unspecified address') },
    { type: 'ip', input: '::/64', want: problem('::/64 is the unspecified address') },
    { type: 'ip', input: '::1', want: problem('::1 is a loopback address') },
    { type: 'ip', input: '1.2.3', want: problem('not an IP address or CIDR network: "1.2.3"') },
    {
      type: 'ip',
      input: '01.2.3.4',
      want: problem('not an IP address or CIDR network: "01.2.3.4"'),
    },
    {
      type: 'ip',
      input: '192.0.2.1/33',
      want: problem('not an IP address or CIDR network: "192.0.2.1/33"'),
    },
    {
      type: 'ip',
      input: '192.0.2.1/',
      want: problem('not an IP address or CIDR network: "192.0.2.1/"'),
    },
    {
      type: 'ip',
      input: '192.0.2.1/24/8',
      want: problem('not an IP address or CIDR network: "192.0.2.1/24/8"'),
    },
    {
      type: 'ip',
      input: 'fe80::1%eth0',
      want: problem('not an IP address or CIDR network: "fe80::1%eth0"'),
    },
    { type: 'ip', input: '', want: problem('empty value') },
    { type: 'asn', input: 'AS13335', want: ok('13335') },
    { type: 'asn', input: 'as 64500', want: ok('64500') },
    { type: 'asn', input: '4294967295', want: ok('4294967295') },
    {
      type: 'asn',
      input: '4294967296',
      want: problem('not an AS number (1 to 4294967295): "4294967296"'),
    },
    { type: 'asn', input: '0', want: problem('not an AS number (1 to 4294967295): "0"') },
    { type: 'asn', input: 'AS-1', want: problem('not an AS number (1 to 4294967295): "AS-1"') },
    { type: 'domain', input: 'Evil.Example.', want: ok('evil.example') },
    { type: 'domain', input: '*.evil.example', want: ok('evil.example') },
    { type: 'domain', input: 'xn--bcher-kva.example', want: ok('xn--bcher-kva.example') },
    { type: 'domain', input: 'bücher.example', want: ok('xn--bcher-kva.example') },
    {
      type: 'domain',
      input: 'xn--zz.example',
      want: problem('not a domain name: "xn--zz.example"'),
    },
    { type: 'domain', input: 'localhost', want: problem('not a domain name: "localhost"') },
    { type: 'domain', input: '192.0.2.1', want: problem('not a domain name: "192.0.2.1"') },
    { type: 'domain', input: 'a_b.example', want: problem('not a domain name: "a_b.example"') },
    { type: 'domain', input: '-a.example', want: problem('not a domain name: "-a.example"') },
    { type: 'domain', input: 'a..example', want: problem('not a domain name: "a..example"') },
    {
      type: 'domain',
      input: 'evil%2eexample',
      want: problem('not a domain name: "evil%2eexample"'),
    },
    {
      type: 'domain',
      input: `${'a'.repeat(64)}.example`,
      want: problem(`not a domain name: "${'a'.repeat(64)}.example"`),
    },
    {
      type: 'domain',
      input: 'GMAIL.com',
      want: skip('domain of a widely shared mail provider (would match all its users): gmail.com'),
    },
    {
      type: 'domain',
      input: 'yandex.ru',
      want: skip('domain of a widely shared mail provider (would match all its users): yandex.ru'),
    },
    { type: 'domain', input: 'mail.gmail.com', want: ok('mail.gmail.com') },
    { type: 'email', input: 'Drop@Evil.Example', want: ok('drop@evil.example') },
    { type: 'email', input: 'someone@gmail.com', want: ok('someone@gmail.com') },
    { type: 'email', input: 'mailto:x@evil.example', want: ok('x@evil.example') },
    {
      type: 'email',
      input: 'a@b@evil.example',
      want: problem('not an email address: "a@b@evil.example"'),
    },
    {
      type: 'email',
      input: '@evil.example',
      want: problem('not an email address: "@evil.example"'),
    },
    {
      type: 'email',
      input: 'a b@evil.example',
      want: problem('not an email address: "a b@evil.example"'),
    },
    { type: 'email', input: 'a@localhost', want: problem('not an email address: "a@localhost"') },
    {
      type: 'url',
      input: ' https://evil.example/Path?q=1 ',
      want: ok('https://evil.example/Path?q=1'),
    },
    {
      type: 'url',
      input: 'ftp://evil.example/',
      want: problem('not an http(s) URL: "ftp://evil.example/"'),
    },
    {
      type: 'url',
      input: 'evil.example/login',
      want: problem('not an http(s) URL: "evil.example/login"'),
    },
    { type: 'user_agent', input: '  curl/7.64.1 ', want: ok('curl/7.64.1') },
    {
      type: 'user_agent',
      input: 'a'.repeat(1025),
      want: problem('user agent longer than 1024 characters (1025)'),
    },
    {
      type: 'user_agent',
      input: 'curl\u0000',
      want: problem('user agent contains control characters'),
    },
  ];
  for (const c of cases) {
    test(`${c.type} ${JSON.stringify(c.input.slice(0, 40))}${c.version ? ` v${c.version}` : ''}`, () => {
      assert.deepEqual(checkIndicatorValue(c.type, c.input, c.version), c.want);
    });
  }
});

describe('checkIndicatorTime and checkConfidence', () => {
  const times: { input: unknown; want: Checked<string | undefined> }[] = [
    { input: undefined, want: { ok: true, value: undefined } },
    { input: null, want: { ok: true, value: undefined } },
    { input: '', want: { ok: true, value: undefined } },
    { input: '2019-09-01', want: { ok: true, value: '2019-09-01T00:00:00.000Z' } },
    { input: '2019-09-01T10:20', want: { ok: true, value: '2019-09-01T10:20:00.000Z' } },
    { input: '2019-09-01 10:20:30Z', want: { ok: true, value: '2019-09-01T10:20:30.000Z' } },
    { input: '2019-09-01T00:00:00+02:00', want: { ok: true, value: '2019-08-31T22:00:00.000Z' } },
    { input: '2019-09-01T00:00:00-0130', want: { ok: true, value: '2019-09-01T01:30:00.000Z' } },
    {
      input: '2019-09-01T00:00:00.123456+00:00',
      want: { ok: true, value: '2019-09-01T00:00:00.123Z' },
    },
    {
      input: '2019-02-29',
      want: { ok: false, skip: false, message: 'not an ISO 8601 time: "2019-02-29"' },
    },
    {
      input: '2019-09-01T24:00:00Z',
      want: { ok: false, skip: false, message: 'not an ISO 8601 time: "2019-09-01T24:00:00Z"' },
    },
    {
      input: 'Sep 1 2019',
      want: { ok: false, skip: false, message: 'not an ISO 8601 time: "Sep 1 2019"' },
    },
    {
      input: 1567296000,
      want: { ok: false, skip: false, message: 'not an ISO 8601 time: 1567296000' },
    },
  ];
  for (const c of times) {
    test(`time ${JSON.stringify(c.input)}`, () =>
      assert.deepEqual(checkIndicatorTime(c.input), c.want));
  }
  const confidences: { input: unknown; want: Checked<number | undefined> }[] = [
    { input: undefined, want: { ok: true, value: undefined } },
    { input: 0, want: { ok: true, value: 0 } },
    { input: ' 100 ', want: { ok: true, value: 100 } },
    { input: 101, want: { ok: false, skip: false, message: 'not an integer from 0 to 100: 101' } },
    {
      input: 50.5,
      want: { ok: false, skip: false, message: 'not an integer from 0 to 100: 50.5' },
    },
    {
      input: 'high',
      want: { ok: false, skip: false, message: 'not an integer from 0 to 100: "high"' },
    },
    {
      input: true,
      want: { ok: false, skip: false, message: 'not an integer from 0 to 100: true' },
    },
  ];
  for (const c of confidences) {
    test(`confidence ${JSON.stringify(c.input)}`, () =>
      assert.deepEqual(checkConfidence(c.input), c.want));
  }
});

// ─── hostile input ────────────────────────────────────────────────────────

describe('hostile input never crashes', () => {
  const cases: { name: string; text: string; options?: ParseIndicatorsOptions }[] = [
    {
      name: 'STIX: prototype keys and wrong types everywhere',
      text: `{"type":"bundle","__proto__":{"polluted":1},"objects":[
        {"__proto__":{"type":"indicator","polluted":1},"constructor":{"prototype":{"polluted":1}}},
        {"type":"indicator","id":5,"pattern":5,"pattern_type":7},
        {"type":"indicator","id":"indicator--x","pattern":"[ipv4-addr:value = '192.0.2.1']","valid_from":7,"confidence":"high","revoked":"yes","created_by_ref":{"x":1},"description":["a"]},
        {"type":"relationship","id":"relationship--1","relationship_type":"indicates","source_ref":{"__proto__":1},"target_ref":null},
        {"type":["indicator"]}, null, [], "text", 1.5, true]}`,
    },
    {
      name: 'MISP: prototype keys and wrong types everywhere',
      text: `{"Event":{"__proto__":{"polluted":1},"Orgc":"x","Galaxy":"x","Tag":[5,{"name":5},null],
        "Attribute":[{"type":["ip-dst"],"value":5},{"type":"ip-dst","value":{"a":1}},{"type":"domain|ip","value":"a|b|c"},
          {"type":"ip-dst","value":"192.0.2.1","to_ids":"maybe","Tag":"x","Galaxy":[{"type":"threat-actor","GalaxyCluster":"x"}]}],
        "Object":[5,{"Attribute":{"__proto__":[]}}]}}`,
    },
    {
      name: 'CSV: unbalanced quotes and stray bytes',
      text: 'type,value\n"ip,"192.0.2.1\n\u0000,\u0000\n"""',
    },
    {
      name: 'huge values',
      text: bundle(
        indicator(
          `[domain-name:value = '${'a'.repeat(1_000_000)}.example' OR ipv4-addr:value = '${'9'.repeat(100_000)}']`,
        ),
      ),
    },
    {
      name: 'deeply nested pattern',
      text: bundle(indicator(`${'('.repeat(200_000)}[a:b = 1]${')'.repeat(200_000)}`)),
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = parseIndicators(c.text, c.options ?? {});
      assert.ok(Array.isArray(r.problems));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      for (const p of r.problems) assert.ok(p.message.length < 400, p.message.slice(0, 100));
    });
  }

  test('a long OR list imports every value', () => {
    const values = Array.from(
      { length: 5000 },
      (_, i) => `ipv4-addr:value = '198.51.${i >> 8}.${i & 255}'`,
    );
    const r = parseIndicators(bundle(indicator(`[${values.join(' OR ')}]`)), {});
    assert.equal(r.indicators.length, 5000);
  });

  test('prototype-named values and actors are plain data', () => {
    const r = parseIndicators(
      'type,value,actor,source\ndomain,constructor.example,__proto__,hasOwnProperty\ndomain,constructor.example,toString,hasOwnProperty\n',
      {},
    );
    assert.deepEqual(
      r.indicators.map((i) => [i.value, i.actor, i.source]),
      [['constructor.example', '__proto__', 'hasOwnProperty']],
    );
    assert.deepEqual(r.skipped, [{ reason: DUPLICATE, count: 1 }]);
    assert.deepEqual(r.actors, ['__proto__', 'toString']);
  });
});
