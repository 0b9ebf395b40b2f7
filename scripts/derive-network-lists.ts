/**
 * Derives data/network-lists.json, the hosting / VPN lists the product ships,
 * from the X4BNet/lists_vpn snapshot in shared intel. The product never reads
 * shared intel at run time (it may be absent on a user's machine), so this
 * script is the only bridge, and it carries the source and licence into the
 * output.
 *
 * Every line of the four input files is validated; any malformed line is
 * reported as file:line and nothing is written. The output is deterministic
 * (sorted, merged, formatted by the repo's Prettier config), so re-running on
 * the same snapshot gives identical bytes and a test can compare them.
 *
 * @example
 * // node --import tsx scripts/derive-network-lists.ts
 * // node --import tsx scripts/derive-network-lists.ts --intel /path/to/shared/intel --out /tmp/lists.json
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import type { AsnEntry, Ipv4Range, NetworkListsData } from '../src/enrich/network-classifier.js';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DEFAULT_OUT = join(REPO_ROOT, 'data', 'network-lists.json');
const LISTS_DIR = join('hosting-vpn', 'x4bnet-lists_vpn');

// Provenance of the snapshot in shared intel (shared/intel/SOURCES.md, section 4).
// Update these together with the snapshot.
const SOURCE: NetworkListsData['source'] = {
  name: 'X4BNet/lists_vpn',
  url: 'https://github.com/X4BNet/lists_vpn',
  commit: '167937a76d424a1a176eccda7d929e40cedd6b40',
  snapshot: '2026-08-22',
  license: 'MIT',
  copyright: 'Copyright (c) 2024 X4B (Mathew Heard)',
};

const INPUTS = {
  hostingAsns: join('input', 'datacenter', 'ASN.txt'),
  vpnAsns: join('input', 'vpn', 'ASN.txt'),
  vpnCidrs: join('output', 'vpn', 'ipv4.txt'),
  // VPN and datacenter networks together; VPN ranges are subtracted below.
  datacenterCidrs: join('output', 'datacenter', 'ipv4.txt'),
} as const;

/** A file's parsed lines, or the file:line problems that stop the run. */
interface Parsed<T> {
  readonly items: T[];
  readonly problems: string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { intel: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(
      'usage: node --import tsx scripts/derive-network-lists.ts [--intel DIR] [--out FILE]\n' +
        '  --intel DIR  shared intel folder (default: ../shared/intel from the repo root)\n' +
        '  --out FILE   output file (default: data/network-lists.json)',
    );
    return;
  }
  // An explicit --intel is relative to where the user runs; the default to the repo.
  const intel = values.intel ? resolve(values.intel) : resolve(REPO_ROOT, '../shared/intel');
  const out = values.out ? resolve(values.out) : DEFAULT_OUT;
  const listsDir = join(intel, LISTS_DIR);
  if (!existsSync(listsDir)) {
    fail([
      `intel folder not found: ${listsDir}`,
      'pass --intel DIR pointing at the shared/intel folder that holds hosting-vpn/x4bnet-lists_vpn/',
    ]);
  }

  const missing = Object.values(INPUTS)
    .map((file) => join(listsDir, file))
    .filter((path) => !existsSync(path));
  if (missing.length > 0) fail(missing.map((path) => `input file not found: ${path}`));
  const read = (file: string): { path: string; lines: string[] } => {
    const path = join(listsDir, file);
    return { path, lines: readFileSync(path, 'utf8').split('\n') };
  };

  const hostingAsns = parseAsnFile(read(INPUTS.hostingAsns));
  const vpnAsns = parseAsnFile(read(INPUTS.vpnAsns));
  const vpnCidrs = parseCidrFile(read(INPUTS.vpnCidrs));
  const datacenterCidrs = parseCidrFile(read(INPUTS.datacenterCidrs));
  const problems = [hostingAsns, vpnAsns, vpnCidrs, datacenterCidrs].flatMap((p) => p.problems);
  if (problems.length > 0)
    fail([...problems, `${problems.length} malformed line(s); nothing written`]);

  const vpnAsnList = uniqueAsns(vpnAsns.items);
  const vpnAsnSet = new Set(vpnAsnList.map(([asn]) => asn));
  // Each ASN and each address gets one kind: VPN entries leave the hosting lists.
  const hostingAsnList = uniqueAsns(hostingAsns.items).filter(([asn]) => !vpnAsnSet.has(asn));
  const vpnRanges = mergeRanges(vpnCidrs.items);
  const hostingRanges = subtractRanges(mergeRanges(datacenterCidrs.items), vpnRanges);

  const data: NetworkListsData = {
    source: SOURCE,
    generated_by: 'scripts/derive-network-lists.ts',
    asns: { hosting: hostingAsnList, vpn: vpnAsnList },
    ipv4: { vpn: vpnRanges, hosting: hostingRanges },
  };
  let bytes: number;
  try {
    bytes = await write(out, data);
  } catch (error) {
    fail([`cannot write ${out}: ${(error as Error).message}`]);
  }
  console.log(
    `wrote ${relative(process.cwd(), out) || out} (${bytes} bytes): ` +
      `${hostingAsnList.length} hosting ASNs, ${vpnAsnList.length} VPN ASNs, ` +
      `${vpnRanges.length} VPN ranges, ${hostingRanges.length} hosting ranges`,
  );
}

/**
 * Writes the data formatted exactly as `prettier --check .` expects, so the
 * generated file passes lint and re-running produces identical bytes.
 */
async function write(out: string, data: NetworkListsData): Promise<number> {
  // The config is resolved for the committed path, so a temp --out formats the same way.
  const config = (await resolveConfig(DEFAULT_OUT)) ?? {};
  const text = await format(JSON.stringify(data), { ...config, parser: 'json' });
  writeFileSync(out, text);
  return Buffer.byteLength(text);
}

/** `AS<n> # name`; the comment is optional; blank lines and `#` lines are skipped. */
const ASN_LINE = /^AS(\d{1,10})(?:[ \t]+#[ \t]*(.*?))?[ \t]*$/;

function parseAsnFile({ path, lines }: { path: string; lines: string[] }): Parsed<AsnEntry> {
  const items: AsnEntry[] = [];
  const problems: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = ASN_LINE.exec(line);
    const asn = match ? Number(match[1]) : NaN;
    if (!match || asn < 1 || asn > 0xffffffff) {
      problems.push(`${path}:${i + 1}: expected "AS<number> # name", got ${JSON.stringify(raw)}`);
      return;
    }
    items.push([asn, match[2] ?? '']);
  });
  return { items, problems };
}

/** The first entry of an ASN wins (upstream lists a few twice with different names), sorted by ASN. */
function uniqueAsns(entries: readonly AsnEntry[]): AsnEntry[] {
  const byAsn = new Map<number, string>();
  for (const [asn, name] of entries) if (!byAsn.has(asn)) byAsn.set(asn, name);
  return [...byAsn].sort((a, b) => a[0] - b[0]);
}

const CIDR_LINE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function parseCidrFile({ path, lines }: { path: string; lines: string[] }): Parsed<Ipv4Range> {
  const items: Ipv4Range[] = [];
  const problems: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    const range = parseCidr(line);
    if (typeof range === 'string') problems.push(`${path}:${i + 1}: ${range}`);
    else items.push(range);
  });
  return { items, problems };
}

/** An IPv4 CIDR as an inclusive uint32 range, or the reason it is malformed. */
function parseCidr(text: string): Ipv4Range | string {
  const match = CIDR_LINE.exec(text);
  if (!match) return `expected an IPv4 CIDR like 192.0.2.0/24, got ${JSON.stringify(text)}`;
  const parts = match.slice(1, 5);
  if (parts.some((part) => Number(part) > 255 || (part.length > 1 && part.startsWith('0')))) {
    return `octet out of range or with a leading zero in ${JSON.stringify(text)}`;
  }
  const prefix = Number(match[5]);
  if (prefix > 32) return `prefix length over 32 in ${JSON.stringify(text)}`;
  const start = parts.reduce((acc, part) => acc * 256 + Number(part), 0);
  const size = 2 ** (32 - prefix);
  // Set host bits usually mean a typo in the prefix length; do not guess which was meant.
  if (start % size !== 0) return `host bits set in ${JSON.stringify(text)}`;
  return [start, start + size - 1];
}

/** Sorts and merges overlapping or adjacent ranges. */
function mergeRanges(ranges: readonly Ipv4Range[]): Ipv4Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** `ranges` minus `holes`; both sorted, merged and disjoint. */
function subtractRanges(ranges: readonly Ipv4Range[], holes: readonly Ipv4Range[]): Ipv4Range[] {
  const result: Ipv4Range[] = [];
  let h = 0;
  for (const [start, end] of ranges) {
    let from = start;
    while (h < holes.length && holes[h]![1] < from) h++;
    for (let k = h; k < holes.length && holes[k]![0] <= end; k++) {
      const [holeStart, holeEnd] = holes[k]!;
      if (holeStart > from) result.push([from, holeStart - 1]);
      from = Math.max(from, holeEnd + 1);
    }
    if (from <= end) result.push([from, end]);
  }
  return result;
}

function fail(lines: readonly string[]): never {
  for (const line of lines) console.error(line);
  process.exit(1);
}

await main();
