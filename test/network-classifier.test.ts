// Tests for the hosting / VPN classifier (src/enrich/network-classifier.ts) and
// the script that derives its data (scripts/derive-network-lists.ts). The
// expected ASNs and ranges below were checked against data/network-lists.json
// (X4BNet/lists_vpn snapshot 2026-08-22); a new snapshot may move some of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import {
  type NetworkClass,
  NetworkClassifier,
  type NetworkListsData,
} from '../src/enrich/network-classifier.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA_FILE = join(ROOT, 'data', 'network-lists.json');
const SCRIPT = join(ROOT, 'scripts', 'derive-network-lists.ts');
const SHARED_INTEL = resolve(ROOT, '../shared/intel');

const networks = NetworkClassifier.load();
const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as NetworkListsData;

const scratch = mkdtempSync(join(tmpdir(), 'tripline-network-lists-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const hostingAsn = (name: string): NetworkClass => ({ kind: 'hosting', by: 'asn', name });
const vpnAsn = (name: string): NetworkClass => ({ kind: 'vpn', by: 'asn', name });
const HOSTING_RANGE: NetworkClass = { kind: 'hosting', by: 'range' };
const VPN_RANGE: NetworkClass = { kind: 'vpn', by: 'range' };

const cases: {
  name: string;
  ip: string | undefined;
  asn: number | undefined;
  want: NetworkClass | undefined;
}[] = [
  // Hosting and VPN by ASN.
  {
    name: 'DigitalOcean ASN',
    ip: undefined,
    asn: 14061,
    want: hostingAsn('DIGITALOCEAN-ASN - Digital Ocean, Inc., US'),
  },
  { name: 'OVH ASN', ip: undefined, asn: 16276, want: hostingAsn('OVH, FR') },
  { name: 'Hetzner ASN', ip: undefined, asn: 24940, want: hostingAsn('HETZNER-AS, DE') },
  {
    name: 'Amazon ASN',
    ip: undefined,
    asn: 16509,
    want: hostingAsn('AMAZON-02 - Amazon.com, Inc., US'),
  },
  { name: 'Surfshark ASN', ip: undefined, asn: 209854, want: vpnAsn('Surfshark') },
  {
    name: 'M247 is in both upstream lists: VPN wins',
    ip: undefined,
    asn: 9009,
    want: vpnAsn('M247, GB (NordVPN)'),
  },
  // Ranges, including first / last address and one outside either side.
  { name: 'VPN range first address', ip: '2.26.157.0', asn: undefined, want: VPN_RANGE },
  { name: 'VPN range last address', ip: '2.26.157.255', asn: undefined, want: VPN_RANGE },
  { name: 'one before a VPN range', ip: '2.26.156.255', asn: undefined, want: undefined },
  { name: 'one after a VPN range', ip: '2.26.158.0', asn: undefined, want: undefined },
  { name: 'hosting range first address', ip: '1.12.0.0', asn: undefined, want: HOSTING_RANGE },
  { name: 'hosting range last address', ip: '1.15.255.255', asn: undefined, want: HOSTING_RANGE },
  { name: 'one before a hosting range', ip: '1.11.255.255', asn: undefined, want: undefined },
  { name: 'one after a hosting range', ip: '1.16.0.0', asn: undefined, want: undefined },
  { name: 'hosting range (Hetzner)', ip: '88.198.41.7', asn: undefined, want: HOSTING_RANGE },
  {
    name: 'hosting range ending where a VPN range starts: hosting side',
    ip: '2.58.28.255',
    asn: undefined,
    want: HOSTING_RANGE,
  },
  {
    name: 'hosting range ending where a VPN range starts: VPN side',
    ip: '2.58.29.0',
    asn: undefined,
    want: VPN_RANGE,
  },
  { name: 'lowest address', ip: '0.0.0.0', asn: undefined, want: undefined },
  { name: 'highest address', ip: '255.255.255.255', asn: undefined, want: undefined },
  // Precedence.
  {
    name: 'VPN ASN beats a hosting range',
    ip: '88.198.41.7',
    asn: 9009,
    want: vpnAsn('M247, GB (NordVPN)'),
  },
  { name: 'VPN range beats a hosting ASN', ip: '2.26.157.1', asn: 24940, want: VPN_RANGE },
  {
    name: 'hosting ASN is reported before a hosting range',
    ip: '88.198.41.7',
    asn: 24940,
    want: hostingAsn('HETZNER-AS, DE'),
  },
  { name: 'residential ASN in a hosting range', ip: '1.12.0.1', asn: 7922, want: HOSTING_RANGE },
  // IPv6: by ASN only.
  {
    name: 'IPv6 with a hosting ASN',
    ip: '2a01:4f8::1',
    asn: 24940,
    want: hostingAsn('HETZNER-AS, DE'),
  },
  { name: 'IPv6 without an ASN', ip: '2a01:4f8::1', asn: undefined, want: undefined },
  { name: 'IPv6 with a residential ASN', ip: '2601::1', asn: 7922, want: undefined },
  {
    name: 'IPv4-mapped IPv6 counts as IPv4',
    ip: '::ffff:2.26.157.1',
    asn: undefined,
    want: VPN_RANGE,
  },
  {
    name: 'IPv4-mapped IPv6, upper case',
    ip: '::FFFF:2.26.157.1',
    asn: undefined,
    want: VPN_RANGE,
  },
  // Unknown is the common case.
  { name: 'Comcast (residential)', ip: '73.1.2.3', asn: 7922, want: undefined },
  { name: 'Deutsche Telekom (residential)', ip: '84.128.0.1', asn: 3320, want: undefined },
  { name: 'nothing given', ip: undefined, asn: undefined, want: undefined },
  { name: 'ASN 0', ip: undefined, asn: 0, want: undefined },
  { name: 'ASN not an integer', ip: undefined, asn: 14061.5, want: undefined },
  { name: 'ASN NaN', ip: undefined, asn: Number.NaN, want: undefined },
  // Garbage addresses: ignored, never thrown on; the ASN still counts.
  ...[
    '',
    '1.2.3',
    '256.1.1.1',
    '1.2.3.4.5',
    'abc',
    ' 2.26.157.1',
    '2.26.157.1 ',
    '2.26.157.1\n',
    '02.26.157.1',
    '2.26.157.01',
    '2.26.157.1000',
    '2..157.1',
    '.2.26.157',
    '2.26.157.',
    '2.26.157.1/24',
    '-2.26.157.1',
    '2.26.157.+1',
    '\u0662.26.157.1',
    '::ffff:',
    '::ffff:2.26.157',
    '::fffe:2.26.157.1',
  ].map((ip) => ({ name: `garbage ${JSON.stringify(ip)}`, ip, asn: undefined, want: undefined })),
  {
    name: 'garbage address with a hosting ASN',
    ip: 'not an ip',
    asn: 16276,
    want: hostingAsn('OVH, FR'),
  },
];

for (const { name, ip, asn, want } of cases) {
  test(`classify: ${name}`, () => {
    assert.deepEqual(networks.classify(ip, asn), want);
  });
}

test('load: counts and attribution of the shipped data', () => {
  assert.deepEqual(networks.counts, {
    hostingAsns: data.asns.hosting.length,
    vpnAsns: data.asns.vpn.length,
    vpnRanges: data.ipv4.vpn.length,
    hostingRanges: data.ipv4.hosting.length,
  });
  assert.ok(networks.counts.hostingAsns > 800 && networks.counts.hostingRanges > 10_000);
  assert.deepEqual(data.source, {
    name: 'X4BNet/lists_vpn',
    url: 'https://github.com/X4BNet/lists_vpn',
    commit: '167937a76d424a1a176eccda7d929e40cedd6b40',
    snapshot: '2026-08-22',
    license: 'MIT',
    copyright: 'Copyright (c) 2024 X4B (Mathew Heard)',
  });
});

test('data: each ASN and each address has one kind', () => {
  const vpnAsns = new Set(data.asns.vpn.map(([asn]) => asn));
  assert.deepEqual(
    data.asns.hosting.filter(([asn]) => vpnAsns.has(asn)),
    [],
  );
  // Ranges are checked sorted and disjoint per kind by the constructor; across kinds here.
  const all = [...data.ipv4.vpn, ...data.ipv4.hosting].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]![0] > all[i - 1]![1], `overlap at ${i}`);
});

test('classify: the first and last address of every range, and its neighbours', () => {
  const kindOf = (address: number): string | undefined =>
    networks.classify(dotted(address), undefined)?.kind;
  for (const kind of ['vpn', 'hosting'] as const) {
    for (const [start, end] of data.ipv4[kind]) {
      assert.equal(kindOf(start), kind, dotted(start));
      assert.equal(kindOf(end), kind, dotted(end));
    }
  }
  // Every gap between ranges of any kind is unclassified at its edges.
  const all = [...data.ipv4.vpn, ...data.ipv4.hosting].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < all.length; i++) {
    const gapStart = all[i - 1]![1] + 1;
    const gapEnd = all[i]![0] - 1;
    if (gapStart > gapEnd) continue;
    assert.equal(kindOf(gapStart), undefined, dotted(gapStart));
    assert.equal(kindOf(gapEnd), undefined, dotted(gapEnd));
  }
});

test('classify: never throws on 10k random strings and accepts only IPv4', () => {
  let seed = 42;
  const next = (n: number): number => {
    // xorshift32: deterministic, so a failure replays.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const alphabet = '0123456789........::abcdefABCDEFx/ -+\n\u0000\u00e9';
  for (let i = 0; i < 10_000; i++) {
    let ip = '';
    const length = next(20);
    for (let j = 0; j < length; j++) ip += alphabet[next(alphabet.length)];
    const got = networks.classify(ip, undefined);
    if (got !== undefined) assert.ok(isIPv4(ip.replace(/^::ffff:/i, '')), JSON.stringify(ip));
  }
});

test('constructor: small data, and unusable ranges are refused', () => {
  const small = smallData({
    vpn: [
      [10, 20],
      [30, 30],
    ],
  });
  const classifier = new NetworkClassifier(small);
  assert.deepEqual(classifier.counts, {
    hostingAsns: 1,
    vpnAsns: 1,
    vpnRanges: 2,
    hostingRanges: 0,
  });
  assert.deepEqual(classifier.classify('0.0.0.30', undefined), VPN_RANGE);
  assert.equal(classifier.classify('0.0.0.31', undefined), undefined);
  assert.deepEqual(classifier.classify(undefined, 64500), { kind: 'hosting', by: 'asn' });
  assert.deepEqual(classifier.classify(undefined, 64501), vpnAsn('Example VPN'));

  const refused: { name: string; vpn: [number, number][]; wantErr: string }[] = [
    {
      name: 'unsorted',
      vpn: [
        [30, 40],
        [10, 20],
      ],
      wantErr: 'ipv4.vpn[1]: [10, 20] is not a sorted, disjoint uint32 range',
    },
    {
      name: 'overlapping',
      vpn: [
        [10, 20],
        [20, 40],
      ],
      wantErr: 'ipv4.vpn[1]: [20, 40] is not a sorted, disjoint uint32 range',
    },
    {
      name: 'reversed',
      vpn: [[20, 10]],
      wantErr: 'ipv4.vpn[0]: [20, 10] is not a sorted, disjoint uint32 range',
    },
    {
      name: 'beyond uint32',
      vpn: [[0, 2 ** 32]],
      wantErr: 'ipv4.vpn[0]: [0, 4294967296] is not a sorted, disjoint uint32 range',
    },
  ];
  for (const { name, vpn, wantErr } of refused) {
    assert.throws(() => new NetworkClassifier(smallData({ vpn })), { message: wantErr }, name);
  }
});

test('load: a missing or malformed file is a clear error', () => {
  const missing = join(scratch, 'missing.json');
  assert.throws(() => NetworkClassifier.load(missing), {
    message: new RegExp(`^cannot read network lists ${escape(missing)}: ENOENT`),
  });
  const malformed = join(scratch, 'malformed.json');
  writeFileSync(malformed, JSON.stringify({ asns: { hosting: [], vpn: [] }, ipv4: { vpn: [] } }));
  assert.throws(() => NetworkClassifier.load(malformed), {
    message: `${malformed}: ipv4.hosting must be a list of [start, end]; regenerate it with scripts/derive-network-lists.ts`,
  });
});

test(
  'derive: re-running on shared intel gives the committed data/network-lists.json byte for byte',
  { skip: existsSync(SHARED_INTEL) ? false : `no shared intel at ${SHARED_INTEL}` },
  () => {
    const out = join(scratch, 'network-lists.json');
    const run = derive(['--intel', SHARED_INTEL, '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(readFileSync(out).equals(readFileSync(DATA_FILE)), 'regenerate and commit the data');
  },
);

test('derive: merges adjacent and overlapping CIDRs and keeps VPN out of hosting', () => {
  const intel = fakeIntel({
    'input/datacenter/ASN.txt': 'AS64500 # Example Hosting\nAS64501 # Also VPN\n\nAS64500 # dup\n',
    'input/vpn/ASN.txt': '# comment\nAS64501\t# Example VPN \r\n',
    'output/vpn/ipv4.txt': '10.0.0.128/25\n10.0.2.0/32\n',
    'output/datacenter/ipv4.txt': '10.0.1.0/24\n10.0.0.0/24\n10.0.0.0/25\n10.0.2.0/24\n',
  });
  const out = join(scratch, 'merged.json');
  const run = derive(['--intel', intel, '--out', out]);
  assert.equal(run.status, 0, run.stderr);
  const got = JSON.parse(readFileSync(out, 'utf8')) as NetworkListsData;
  const ip = (text: string): number =>
    text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  assert.deepEqual(got.asns, {
    hosting: [[64500, 'Example Hosting']],
    vpn: [[64501, 'Example VPN']],
  });
  assert.deepEqual(got.ipv4, {
    vpn: [
      [ip('10.0.0.128'), ip('10.0.0.255')],
      [ip('10.0.2.0'), ip('10.0.2.0')],
    ],
    hosting: [
      [ip('10.0.0.0'), ip('10.0.0.127')],
      [ip('10.0.1.0'), ip('10.0.1.255')],
      [ip('10.0.2.1'), ip('10.0.2.255')],
    ],
  });
});

test('derive: malformed lines are reported as file:line and nothing is written', () => {
  const intel = fakeIntel({
    'input/datacenter/ASN.txt': 'AS64500 # ok\nASN64501 # typo\n',
    'input/vpn/ASN.txt': 'AS64502 # ok\n',
    'output/vpn/ipv4.txt': '10.0.0.0/24\n10.0.0.1/24\n',
    'output/datacenter/ipv4.txt': '10.0.0.0/33\n300.0.0.0/8\n10.0.0.0\n',
  });
  const out = join(scratch, 'never.json');
  const run = derive(['--intel', intel, '--out', out]);
  const lists = join(intel, 'hosting-vpn', 'x4bnet-lists_vpn');
  assert.equal(run.status, 1);
  assert.equal(
    run.stderr,
    [
      `${join(lists, 'input/datacenter/ASN.txt')}:2: expected "AS<number> # name", got "ASN64501 # typo"`,
      `${join(lists, 'output/vpn/ipv4.txt')}:2: host bits set in "10.0.0.1/24"`,
      `${join(lists, 'output/datacenter/ipv4.txt')}:1: prefix length over 32 in "10.0.0.0/33"`,
      `${join(lists, 'output/datacenter/ipv4.txt')}:2: octet out of range or with a leading zero in "300.0.0.0/8"`,
      `${join(lists, 'output/datacenter/ipv4.txt')}:3: expected an IPv4 CIDR like 192.0.2.0/24, got "10.0.0.0"`,
      '5 malformed line(s); nothing written',
      '',
    ].join('\n'),
  );
  assert.equal(existsSync(out), false);
});

test('derive: a missing intel folder is a clear error', () => {
  const run = derive(['--intel', join(scratch, 'nowhere'), '--out', join(scratch, 'x.json')]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^intel folder not found: .*nowhere/);
});

function derive(args: readonly string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr };
}

let fakeIntelCount = 0;
function fakeIntel(files: Record<string, string>): string {
  const intel = join(scratch, `intel-${++fakeIntelCount}`);
  for (const [file, text] of Object.entries(files)) {
    const path = join(intel, 'hosting-vpn', 'x4bnet-lists_vpn', file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return intel;
}

function smallData(ipv4: {
  vpn?: [number, number][];
  hosting?: [number, number][];
}): NetworkListsData {
  return {
    source: data.source,
    generated_by: 'test',
    asns: { hosting: [[64500, '']], vpn: [[64501, 'Example VPN']] },
    ipv4: { vpn: ipv4.vpn ?? [], hosting: ipv4.hosting ?? [] },
  };
}

function dotted(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
