/**
 * The in-memory indicator matcher: addresses and CIDR networks (v4, v6,
 * IPv4-mapped), AS numbers, user agents, email addresses and their domains
 * with parents, validity windows, several sources per value, and the
 * `ioc-match` detector on top of it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DetectionContext } from '../src/detect/detector.js';
import { iocMatchDetector } from '../src/detect/detectors/ioc-match-detector.js';
import { IndicatorSet } from '../src/detect/indicator-set.js';
import type { Indicator, IndicatorQuery } from '../src/detect/indicator-set.js';

const T = (iso: string) => Date.parse(iso);

const LIST: readonly Indicator[] = [
  { type: 'ip', value: '203.0.113.7', source: 'A' },
  { type: 'ip', value: '203.0.113.0/24', source: 'A', actor: 'APT35' },
  { type: 'ip', value: '198.51.0.0/16', source: 'B' },
  { type: 'ip', value: '192.0.2.9/32', source: 'A' },
  { type: 'ip', value: '192.0.2.77/28', source: 'A' }, // host bits set: the network 192.0.2.64/28
  { type: 'ip', value: '2001:db8:abcd::/48', source: 'A' },
  { type: 'ip', value: '2001:db8::42', source: 'A' },
  { type: 'ip', value: '2001:db8:ffff::1/128', source: 'A' },
  { type: 'ip', value: '::ffff:100.64.0.9', source: 'A' },
  { type: 'asn', value: '64500', source: 'A' },
  { type: 'asn', value: 'AS64501', source: 'A' },
  { type: 'user_agent', value: 'python-requests/2.22.0', source: 'A' },
  { type: 'email', value: 'drop@evil.example', source: 'A' },
  { type: 'domain', value: 'evil.example', source: 'A' },
  { type: 'domain', value: 'mail.bad.example', source: 'A' },
  { type: 'url', value: 'https://evil.example/login', source: 'A' },
  { type: 'ip', value: 'not an address', source: 'A' },
];

function setOf(list: readonly Indicator[]): IndicatorSet {
  const set = new IndicatorSet();
  set.addAll(list);
  return set;
}

describe('IndicatorSet.match', () => {
  const set = setOf(LIST);
  const cases: { name: string; query: IndicatorQuery; want: string[] }[] = [
    {
      name: 'exact v4, then the network',
      query: { ip: '203.0.113.7' },
      want: ['ip 203.0.113.7 A', 'ip 203.0.113.0/24 A'],
    },
    { name: 'v4 inside a /24', query: { ip: '203.0.113.200' }, want: ['ip 203.0.113.0/24 A'] },
    { name: 'v4 inside a /16', query: { ip: '198.51.250.1' }, want: ['ip 198.51.0.0/16 B'] },
    { name: 'v4 outside every network', query: { ip: '198.52.0.1' }, want: [] },
    { name: 'a /32 is the address', query: { ip: '192.0.2.9' }, want: ['ip 192.0.2.9/32 A'] },
    { name: 'a /32 does not cover its neighbour', query: { ip: '192.0.2.10' }, want: [] },
    {
      name: 'host bits set: matched as the network',
      query: { ip: '192.0.2.64' },
      want: ['ip 192.0.2.77/28 A'],
    },
    {
      name: 'host bits set: end of the network',
      query: { ip: '192.0.2.79' },
      want: ['ip 192.0.2.77/28 A'],
    },
    { name: 'host bits set: past the network', query: { ip: '192.0.2.80' }, want: [] },
    {
      name: 'v6 inside a /48',
      query: { ip: '2001:db8:abcd:12::9' },
      want: ['ip 2001:db8:abcd::/48 A'],
    },
    {
      name: 'v6 written long',
      query: { ip: '2001:0DB8:0000:0000:0000:0000:0000:0042' },
      want: ['ip 2001:db8::42 A'],
    },
    {
      name: 'v6 /128 is the address',
      query: { ip: '2001:db8:ffff::1' },
      want: ['ip 2001:db8:ffff::1/128 A'],
    },
    { name: 'v6 next to a /128', query: { ip: '2001:db8:ffff::2' }, want: [] },
    { name: 'v6 outside the /48', query: { ip: '2001:db8:abce::1' }, want: [] },
    {
      name: 'mapped v4 query hits v4 networks',
      query: { ip: '::ffff:203.0.113.7' },
      want: ['ip 203.0.113.7 A', 'ip 203.0.113.0/24 A'],
    },
    {
      name: 'mapped v4 query in hex',
      query: { ip: '::ffff:cb00:7107' },
      want: ['ip 203.0.113.7 A', 'ip 203.0.113.0/24 A'],
    },
    {
      name: 'mapped v4 indicator hits the plain address',
      query: { ip: '100.64.0.9' },
      want: ['ip ::ffff:100.64.0.9 A'],
    },
    { name: 'an unparseable query address', query: { ip: 'not an address' }, want: [] },
    { name: 'an address with a zone', query: { ip: '2001:db8::42%eth0' }, want: [] },
    { name: 'asn', query: { asn: 64500 }, want: ['asn 64500 A'] },
    { name: 'asn written AS64501', query: { asn: 64501 }, want: ['asn AS64501 A'] },
    { name: 'another asn', query: { asn: 64502 }, want: [] },
    {
      name: 'user agent',
      query: { userAgent: 'python-requests/2.22.0' },
      want: ['user_agent python-requests/2.22.0 A'],
    },
    { name: 'user agent differs', query: { userAgent: 'python-requests/2.23.0' }, want: [] },
    {
      name: 'email address, any case',
      query: { emails: ['Drop@Evil.Example'] },
      want: ['email drop@evil.example A', 'domain evil.example A'],
    },
    {
      name: 'domain of an email',
      query: { emails: ['x@evil.example'] },
      want: ['domain evil.example A'],
    },
    {
      name: 'parent domain of an email',
      query: { emails: ['x@mail.evil.example'] },
      want: ['domain evil.example A'],
    },
    {
      name: 'a child domain does not match its parent',
      query: { emails: ['x@bad.example'] },
      want: [],
    },
    {
      name: 'child domain indicator, deeper email',
      query: { emails: ['x@a.mail.bad.example'] },
      want: ['domain mail.bad.example A'],
    },
    { name: 'a suffix that is not a parent', query: { emails: ['x@notevil.example'] }, want: [] },
    {
      name: 'two emails at one domain: reported once',
      query: { emails: ['a@evil.example', 'b@evil.example'] },
      want: ['domain evil.example A'],
    },
    { name: 'not an email', query: { emails: ['evil.example'] }, want: [] },
    {
      name: 'every field, in query order',
      query: {
        ip: '203.0.113.9',
        asn: 64500,
        userAgent: 'python-requests/2.22.0',
        emails: ['x@evil.example'],
      },
      want: [
        'ip 203.0.113.0/24 A',
        'asn 64500 A',
        'user_agent python-requests/2.22.0 A',
        'domain evil.example A',
      ],
    },
    { name: 'urls never match', query: { emails: ['https://evil.example/login'] }, want: [] },
    { name: 'empty query', query: {}, want: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(
        set.match(c.query).map((i) => `${i.type} ${i.value} ${i.source}`),
        c.want,
      );
    });
  }

  test('no hit gives one shared, frozen empty array', () => {
    const a = set.match({ ip: '198.52.0.1' });
    const b = set.match({ asn: 1 });
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a));
    assert.equal(new IndicatorSet().match({ ip: '203.0.113.7' }), a);
  });
});

describe('IndicatorSet validity windows', () => {
  const set = setOf([
    { type: 'ip', value: '203.0.113.7', source: 'open' },
    { type: 'ip', value: '203.0.113.7', source: 'from', validFrom: '2019-08-01T00:00:00.000Z' },
    { type: 'ip', value: '203.0.113.7', source: 'until', validUntil: '2019-09-30T00:00:00.000Z' },
    {
      type: 'ip',
      value: '203.0.113.7',
      source: 'window',
      validFrom: '2019-08-01T00:00:00.000Z',
      validUntil: '2019-09-30T00:00:00.000Z',
    },
  ]);
  const cases: { name: string; time?: number; want: string[] }[] = [
    { name: 'no time: every indicator', want: ['from', 'open', 'until', 'window'] },
    { name: 'before validFrom', time: T('2019-07-31T23:59:59.999Z'), want: ['open', 'until'] },
    {
      name: 'at validFrom',
      time: T('2019-08-01T00:00:00.000Z'),
      want: ['from', 'open', 'until', 'window'],
    },
    {
      name: 'inside',
      time: T('2019-09-03T14:22:31.120Z'),
      want: ['from', 'open', 'until', 'window'],
    },
    {
      name: 'at validUntil',
      time: T('2019-09-30T00:00:00.000Z'),
      want: ['from', 'open', 'until', 'window'],
    },
    { name: 'after validUntil', time: T('2019-09-30T00:00:00.001Z'), want: ['from', 'open'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const query =
        c.time === undefined ? { ip: '203.0.113.7' } : { ip: '203.0.113.7', time: c.time };
      assert.deepEqual(
        set.match(query).map((i) => i.source),
        c.want,
      );
    });
  }
});

describe('IndicatorSet keys and listing', () => {
  test('one value from several sources: all kept, ordered by source', () => {
    const set = setOf([
      { type: 'domain', value: 'evil.example', source: 'Zeta feed', actor: 'Phosphorus' },
      { type: 'domain', value: 'evil.example', source: 'Alpha CERT', actor: 'APT35' },
    ]);
    assert.equal(set.size, 2);
    assert.deepEqual(
      set.match({ emails: ['a@evil.example'] }).map((i) => [i.source, i.actor]),
      [
        ['Alpha CERT', 'APT35'],
        ['Zeta feed', 'Phosphorus'],
      ],
    );
  });

  test('the same type, value and source again replaces', () => {
    const set = setOf([
      { type: 'ip', value: '203.0.113.7', source: 'A', actor: 'old' },
      { type: 'ip', value: '203.0.113.7/32', source: 'A', actor: 'new' },
      { type: 'email', value: 'Drop@Evil.Example', source: 'A', actor: 'old' },
      { type: 'email', value: 'drop@evil.example', source: 'A', actor: 'new' },
    ]);
    assert.equal(set.size, 2);
    assert.deepEqual(
      set.match({ ip: '203.0.113.7', emails: ['drop@evil.example'] }).map((i) => i.actor),
      ['new', 'new'],
    );
    assert.deepEqual(
      set.all().map((i) => i.value),
      ['203.0.113.7/32', 'drop@evil.example'],
    );
  });

  test('match order does not depend on load order', () => {
    const list: Indicator[] = [
      { type: 'ip', value: '203.0.0.0/16', source: 'B' },
      { type: 'ip', value: '203.0.113.0/24', source: 'B' },
      { type: 'ip', value: '203.0.113.0/24', source: 'A' },
      { type: 'ip', value: '203.0.113.7', source: 'C' },
    ];
    const forward = setOf(list).match({ ip: '203.0.113.7' });
    const backward = setOf([...list].reverse()).match({ ip: '203.0.113.7' });
    assert.deepEqual(forward, backward);
    assert.deepEqual(
      forward.map((i) => `${i.value} ${i.source}`),
      ['203.0.113.7 C', '203.0.113.0/24 A', '203.0.113.0/24 B', '203.0.0.0/16 B'],
    );
  });

  test('all() lists every indicator, urls and unparseable ones included, in load order', () => {
    const set = setOf(LIST);
    assert.equal(set.size, LIST.length);
    assert.deepEqual(set.all(), LIST);
  });
});

describe('ioc-match detector', () => {
  const ctx = (indicators: IndicatorSet, time: string, ip: string, forward?: string) =>
    ({
      indicators,
      time: T(time),
      event: {
        id: 'e-1',
        time,
        tenant: 'default',
        type: 'signin',
        account: { id: 'u-1' },
        source: { ip },
        ...(forward ? { mailbox: { forward_to: forward } } : {}),
      },
      enrichment: {},
    }) as unknown as DetectionContext;

  const set = setOf([
    {
      type: 'ip',
      value: '198.51.100.0/24',
      source: 'test list',
      actor: 'APT35',
      validFrom: '2019-08-01T00:00:00.000Z',
      validUntil: '2019-09-30T00:00:00.000Z',
    },
    { type: 'domain', value: 'evil.example', source: 'test list' },
  ]);
  const cases: { name: string; time: string; ip: string; forward?: string; want?: string }[] = [
    {
      name: 'inside the network, inside the window',
      time: '2019-09-03T14:22:31.120Z',
      ip: '198.51.100.9',
      want: 'ip 198.51.100.9 is in 198.51.100.0/24, an indicator from test list (APT35)',
    },
    {
      name: 'outside the window: the event time decides',
      time: '2019-10-03T14:22:31.120Z',
      ip: '198.51.100.9',
    },
    { name: 'another network', time: '2019-09-03T14:22:31.120Z', ip: '198.51.101.9' },
    {
      name: 'forwarding to a subdomain of an indicator domain',
      time: '2019-10-03T14:22:31.120Z',
      ip: '192.0.2.1',
      forward: 'drop@mx.evil.example',
      want: 'domain evil.example is an indicator from test list',
    },
    {
      name: 'two hits',
      time: '2019-09-03T14:22:31.120Z',
      ip: '198.51.100.9',
      forward: 'drop@evil.example',
      want: 'ip 198.51.100.9 is in 198.51.100.0/24, an indicator from test list (APT35), and 1 more',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const finding = iocMatchDetector.evaluate(ctx(set, c.time, c.ip, c.forward));
      assert.deepEqual(finding, c.want === undefined ? undefined : { score: 0.9, detail: c.want });
    });
  }
});
