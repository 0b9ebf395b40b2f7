/**
 * The enrich stage against the real data it ships with (DB-IP city, the
 * RouteViews/NRO/DB-IP ASN table, ua-parser-js), plus table-driven edge cases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AsnDatabase } from '../src/enrich/asn-database.js';
import { Enricher } from '../src/enrich/enricher.js';
import { GeoDatabase } from '../src/enrich/geo-database.js';
import { ipv4ToNumber, ipv6ToBigInt, networkPrefix } from '../src/enrich/ip-address.js';
import { UserAgentParser } from '../src/enrich/user-agent-parser.js';
import type { NativeEvent } from '../src/domain/event.js';

describe('ip addresses', () => {
  const cases: { ip: string; v4?: number; v6?: bigint; prefix?: string }[] = [
    { ip: '203.0.113.7', v4: 3405803783, prefix: '203.0.113.0/24' },
    { ip: '0.0.0.0', v4: 0, prefix: '0.0.0.0/24' },
    { ip: '255.255.255.255', v4: 4294967295, prefix: '255.255.255.0/24' },
    { ip: '2001:db8::1', v6: 0x20010db8000000000000000000000001n, prefix: '2001:db8:0::/48' },
    { ip: '::ffff:1.2.3.4', v6: 0xffff01020304n },
    { ip: '1.2.3' },
    { ip: '1.2.3.4.5' },
    { ip: '256.1.1.1' },
    { ip: '1..2.3' },
    { ip: '01.2.3.4' },
    { ip: ' 1.2.3.4' },
    { ip: '' },
    { ip: 'abc' },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.ip)}`, () => {
      assert.equal(ipv4ToNumber(c.ip), c.v4);
      assert.equal(ipv6ToBigInt(c.ip), c.v6);
      if (c.prefix !== undefined || (c.v4 === undefined && c.v6 === undefined)) {
        assert.equal(networkPrefix(c.ip), c.prefix);
      }
    });
  }
});

describe('ASN database (real data)', () => {
  const db = AsnDatabase.load();
  const cases: [string, number | undefined, RegExp?][] = [
    ['8.8.8.8', 15169, /Google/],
    ['1.1.1.1', 13335, /Cloudflare/],
    ['2001:4860:4860::8888', 15169, /Google/],
    ['::ffff:8.8.8.8', 15169, /Google/],
    ['10.0.0.1', undefined],
    ['192.168.1.1', undefined],
    ['not an ip', undefined],
  ];
  for (const [ip, asn, org] of cases) {
    test(`${ip} → ${asn ?? 'nothing'}`, () => {
      const r = db.lookup(ip);
      assert.equal(r?.asn, asn);
      if (org) assert.match(r!.org, org);
    });
  }
  test('organisation by AS number', () => {
    assert.match(db.orgOf(15169) ?? '', /Google/);
    assert.equal(db.orgOf(4_000_000_000), undefined);
  });
  test('CSV edge cases: quoted organisations, malformed rows, range bounds', () => {
    const small = AsnDatabase.fromCsv(
      [
        '16777216,16777471,13335,"Cloudflare, Inc."',
        'garbage',
        '16777472,16777472,64500,"Say ""hi"""',
        '',
      ].join('\n'),
      '42540766411282592856903984951653826560,42540766411282592856903984951653826815,64501,V6 Org\n',
    );
    assert.equal(small.size, 2);
    assert.deepEqual(small.lookup('1.0.0.0'), { asn: 13335, org: 'Cloudflare, Inc.' });
    assert.deepEqual(small.lookup('1.0.0.255'), { asn: 13335, org: 'Cloudflare, Inc.' });
    assert.deepEqual(small.lookup('1.0.1.0'), { asn: 64500, org: 'Say "hi"' });
    assert.equal(small.lookup('1.0.1.1'), undefined);
    assert.equal(small.lookup('0.255.255.255'), undefined);
    assert.deepEqual(small.lookup('2001:db8::ff'), { asn: 64501, org: 'V6 Org' });
    assert.equal(small.lookup('2001:db8::100'), undefined);
  });
});

describe('geolocation (real data)', () => {
  const geo = GeoDatabase.load();
  test('public addresses resolve to a country and coordinates', () => {
    const g = geo.lookup('8.8.8.8');
    assert.equal(g?.country, 'US');
    assert.equal(typeof g?.latitude, 'number');
    assert.equal(geo.lookup('2600:1700::1')?.country, 'US'); // AT&T; anycast addresses move
    assert.equal(geo.lookup('::ffff:8.8.8.8')?.country, 'US');
  });
  test('private, reserved and invalid addresses resolve to nothing', () => {
    for (const ip of ['10.0.0.1', '127.0.0.1', 'x', ''])
      assert.equal(geo.lookup(ip), undefined, ip);
  });
});

describe('user agents', () => {
  const parser = new UserAgentParser();
  const cases: {
    ua: string | undefined;
    browser?: string | null;
    os?: string;
    device: string;
  }[] = [
    {
      ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
      browser: 'Chrome',
      os: 'Windows',
      device: 'desktop',
    },
    {
      ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      browser: 'Mobile Safari',
      os: 'iOS',
      device: 'mobile',
    },
    {
      ua: 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      os: 'iOS',
      device: 'tablet',
    },
    {
      ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
      browser: 'Chrome',
      os: 'Android',
      device: 'mobile',
    },
    {
      ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:131.0) Gecko/20100101 Firefox/131.0',
      browser: 'Firefox',
      os: 'Mac OS',
      device: 'desktop',
    },
    { ua: 'curl/8.5.0', device: 'bot' },
    // A client the parser does not know is named by its product token.
    { ua: 'python-requests/2.32.3', browser: 'python-requests', device: 'bot' },
    { ua: 'Go-http-client/1.1', browser: 'Go-http-client', device: 'bot' },
    { ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)', device: 'bot' },
    { ua: undefined, device: 'unknown' },
    { ua: '', device: 'unknown' },
    { ua: '%%%%', browser: null, device: 'unknown' },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.ua)?.slice(0, 50)} → ${c.device}`, () => {
      const r = parser.parse(c.ua);
      assert.equal(r.device, c.device);
      if (c.browser) assert.equal(r.browser, c.browser);
      if (c.browser === null) assert.equal(r.browser, undefined);
      if (c.os) assert.equal(r.os, c.os);
    });
  }
  test('the cache is bounded', () => {
    const small = new UserAgentParser(10);
    for (let i = 0; i < 100; i++) small.parse(`Agent/${i}`);
    assert.equal(small.parse('Agent/99').device, 'unknown');
  });
});

describe('enricher', () => {
  const directory = new Map([
    [
      'u-1',
      {
        tenant: 'default',
        account: { id: 'u-1', tags: ['journalist'] },
        recovery: [],
        mfa: ['totp'],
      },
    ],
  ]);
  const enricher = Enricher.load({ directory: (_tenant, id) => directory.get(id) });
  const base = {
    id: 'e',
    time: '2026-10-01T00:00:00.000Z',
    tenant: 'default',
    type: 'signin',
    outcome: 'success',
    account: { id: 'u-1' },
  } as const;

  test('looks up what the event does not say, and says where it came from', () => {
    const e = enricher.enrich({
      ...base,
      source: { ip: '8.8.8.8', user_agent: 'curl/8.5.0' },
    } as NativeEvent);
    assert.equal(e.country, 'US');
    assert.equal(e.asn, 15169);
    assert.match(e.asOrg ?? '', /Google/);
    assert.equal(e.prefix, '8.8.8.0/24');
    assert.equal(e.device, 'bot');
    assert.deepEqual(e.provenance, { country: 'geoip', asn: 'asn-db' });
    assert.deepEqual(e.directory?.account.tags, ['journalist']);
  });

  test('values supplied in the event take precedence', () => {
    const e = enricher.enrich({
      ...base,
      source: { ip: '8.8.8.8', country: 'DE', asn: 13335 },
    } as NativeEvent);
    assert.equal(e.country, 'DE');
    assert.equal(e.asn, 13335);
    assert.match(e.asOrg ?? '', /Cloudflare/);
    assert.equal(e.latitude, undefined, 'no coordinates that contradict the supplied country');
    assert.deepEqual(e.provenance, { country: 'event', asn: 'event' });
  });

  test('an event with no source and an unknown account degrades to nothing', () => {
    const e = enricher.enrich({ ...base, account: { id: 'nobody' } } as NativeEvent);
    assert.deepEqual(e, { device: 'unknown', provenance: {} });
  });

  test('hosting networks are classified (DigitalOcean)', () => {
    const e = enricher.enrich({ ...base, source: { ip: '159.203.1.1' } } as NativeEvent);
    assert.equal(e.asn, 14061);
    assert.equal(e.network?.kind, 'hosting');
  });
});
