/**
 * The networks simulated traffic comes from.
 *
 * Addresses are drawn from REAL public prefixes of real networks, so that the
 * IP → ASN / country enrichment later in the pipeline (db-ip, iptoasn, hosting
 * lists) resolves them the way it would resolve production traffic: a Comcast
 * address looks residential, a Hetzner one looks like hosting. The table is
 * ILLUSTRATIVE: each prefix was chosen because it is well known to belong to the
 * named network (the hosting and VPN ones were checked against the X4BNet
 * datacenter list in shared/intel), but allocations move and a prefix may be
 * announced by a sibling ASN; nothing here claims to be a complete or current
 * map. `country` is null where a provider spreads one prefix over several
 * countries, so we never emit a country we are unsure of.
 *
 * A few networks are deliberately small or obscure (`obscure: true`): an
 * enrichment database may know little about them, and detection has to work on
 * behaviour rather than on a famous hosting ASN.
 *
 * @example
 * const hetzner = networkById('hetzner');
 * const ip = randomIp(rng, hetzner); // e.g. "88.198.41.7"
 */
import type { Random } from './random.js';

/** The kinds of network an address can belong to. */
export const NETWORK_KINDS = ['residential', 'mobile', 'corporate', 'hosting', 'vpn'] as const;
/** How a network is used: home broadband, mobile carrier, an enterprise egress, a data centre or a commercial VPN. */
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** One network and the IPv4 prefixes we draw its addresses from. */
export interface Network {
  readonly id: string;
  readonly name: string;
  readonly asn: number;
  readonly kind: NetworkKind;
  /** ISO 3166-1 alpha-2, or null when the prefixes span several countries. */
  readonly country: string | null;
  readonly prefixes: readonly string[];
  readonly obscure: boolean;
}

const net = (
  id: string,
  name: string,
  asn: number,
  kind: NetworkKind,
  country: string | null,
  prefixes: readonly string[],
  obscure = false,
): Network => ({ id, name, asn, kind, country, prefixes, obscure });

/** Every network the simulator knows (illustrative; see the file comment). */
export const NETWORKS: readonly Network[] = [
  // Residential broadband.
  net('comcast', 'Comcast Cable', 7922, 'residential', 'US', ['73.0.0.0/8', '98.192.0.0/10']),
  net('verizon-fios', 'Verizon Fios', 701, 'residential', 'US', ['96.224.0.0/11', '173.48.0.0/12']),
  net('att-internet', 'AT&T Internet', 7018, 'residential', 'US', ['99.0.0.0/11', '76.192.0.0/11']),
  net('cox', 'Cox Communications', 22773, 'residential', 'US', ['68.96.0.0/12']),
  net('bt', 'British Telecommunications', 2856, 'residential', 'GB', [
    '86.128.0.0/10',
    '81.128.0.0/12',
  ]),
  net('aaisp', 'Andrews & Arnold', 20712, 'residential', 'GB', ['81.187.0.0/16'], true),
  net('dtag', 'Deutsche Telekom', 3320, 'residential', 'DE', [
    '87.128.0.0/10',
    '91.0.0.0/10',
    '79.192.0.0/10',
  ]),
  net('vodafone-de', 'Vodafone Germany', 3209, 'residential', 'DE', ['88.64.0.0/12']),
  net('orange-fr', 'Orange France', 3215, 'residential', 'FR', ['90.0.0.0/9', '86.192.0.0/10']),
  net('free-fr', 'Free SAS', 12322, 'residential', 'FR', ['88.160.0.0/11', '82.224.0.0/11']),
  net('telefonica-es', 'Telefonica de Espana', 3352, 'residential', 'ES', [
    '83.32.0.0/11',
    '88.0.0.0/11',
  ]),
  net('fastweb', 'Fastweb', 12874, 'residential', 'IT', ['93.32.0.0/13']),
  net('kpn', 'KPN', 1136, 'residential', 'NL', ['77.160.0.0/12']),
  net('ziggo', 'Ziggo', 33915, 'residential', 'NL', ['84.24.0.0/13']),
  net('xs4all', 'XS4ALL Internet', 3265, 'residential', 'NL', ['194.109.0.0/16'], true),
  net('telia-se', 'Telia Sverige', 3301, 'residential', 'SE', ['81.224.0.0/12']),
  net('rogers', 'Rogers Communications', 812, 'residential', 'CA', [
    '99.224.0.0/11',
    '174.112.0.0/13',
  ]),
  net('bell-ca', 'Bell Canada', 577, 'residential', 'CA', ['70.48.0.0/13']),
  net('turk-telekom', 'Turk Telekom', 9121, 'residential', 'TR', [
    '78.160.0.0/11',
    '88.224.0.0/11',
  ]),
  net('telstra', 'Telstra', 1221, 'residential', 'AU', ['58.160.0.0/12']),
  net('airtel-in', 'Bharti Airtel', 24560, 'residential', 'IN', ['122.160.0.0/12']),
  // Mobile carriers (CGNAT pools: a phone gets a new address every few sessions).
  net('tmobile-us', 'T-Mobile USA', 21928, 'mobile', 'US', ['172.56.0.0/14']),
  net('verizon-wireless', 'Verizon Wireless', 6167, 'mobile', 'US', ['174.192.0.0/11']),
  net('att-mobility', 'AT&T Mobility', 20057, 'mobile', 'US', ['107.64.0.0/10']),
  net('o2-uk', 'Telefonica UK (O2)', 35228, 'mobile', 'GB', ['82.132.0.0/16']),
  net('telekom-mobile', 'Telekom Deutschland Mobile', 3320, 'mobile', 'DE', ['80.187.0.0/16']),
  net('free-mobile', 'Free Mobile', 51207, 'mobile', 'FR', ['37.160.0.0/12']),
  net('telstra-mobile', 'Telstra Mobile', 1221, 'mobile', 'AU', ['1.128.0.0/11']),
  net('jio', 'Reliance Jio', 55836, 'mobile', 'IN', ['49.32.0.0/12']),
  // Enterprise egress: secure web gateways, cloud VPN concentrators, business lines.
  net('zscaler', 'Zscaler', 53813, 'corporate', null, ['165.225.0.0/17']),
  net('cogent', 'Cogent Communications', 174, 'corporate', 'US', ['38.0.0.0/8']),
  net('aws-us-east-1', 'Amazon AWS (us-east-1)', 14618, 'hosting', 'US', [
    '54.80.0.0/12',
    '3.208.0.0/12',
  ]),
  net('azure', 'Microsoft Azure', 8075, 'hosting', null, ['40.64.0.0/10']),
  // Hosting providers.
  net('digitalocean', 'DigitalOcean', 14061, 'hosting', 'US', [
    '104.131.0.0/16',
    '162.243.0.0/16',
    '45.55.0.0/16',
  ]),
  net('ovh', 'OVH', 16276, 'hosting', 'FR', ['54.36.0.0/16', '137.74.0.0/16']),
  net('ovh-ca', 'OVH Canada', 16276, 'hosting', 'CA', ['149.56.0.0/16', '158.69.0.0/16']),
  net('hetzner', 'Hetzner Online', 24940, 'hosting', 'DE', [
    '5.9.0.0/16',
    '88.198.0.0/16',
    '78.46.0.0/15',
    '136.243.0.0/16',
  ]),
  net('hetzner-fi', 'Hetzner Online (Finland)', 24940, 'hosting', 'FI', [
    '95.216.0.0/16',
    '65.21.0.0/16',
  ]),
  net('linode', 'Linode (Akamai)', 63949, 'hosting', 'US', ['45.33.0.0/17', '173.255.192.0/18']),
  net('leaseweb-nl', 'Leaseweb Netherlands', 60781, 'hosting', 'NL', [
    '85.17.0.0/16',
    '95.211.0.0/16',
  ]),
  net('vultr', 'Choopa / Vultr', 20473, 'hosting', null, [
    '45.32.0.0/16',
    '45.76.0.0/15',
    '108.61.0.0/16',
    '149.28.0.0/16',
  ]),
  net('contabo', 'Contabo', 51167, 'hosting', 'DE', ['173.212.192.0/18', '207.180.192.0/18']),
  net(
    'frantech',
    'FranTech Solutions (BuyVM)',
    53667,
    'hosting',
    'US',
    ['209.141.32.0/19', '198.98.48.0/20', '205.185.112.0/20'],
    true,
  ),
  net(
    'colocrossing',
    'ColoCrossing',
    36352,
    'hosting',
    'US',
    ['192.3.0.0/16', '23.94.0.0/15'],
    true,
  ),
  net('flokinet', 'FlokiNET', 200651, 'hosting', null, ['185.100.84.0/22'], true),
  // Commercial VPN exits.
  net('m247', 'M247 (VPN exits)', 9009, 'vpn', null, ['146.70.0.0/16']),
  net('datacamp', 'Datacamp / CDN77 (VPN exits)', 60068, 'vpn', null, ['89.187.160.0/19']),
  net(
    '31173-services',
    '31173 Services (VPN exits)',
    39351,
    'vpn',
    'SE',
    ['193.138.218.0/24'],
    true,
  ),
];

const BY_ID = new Map(NETWORKS.map((n) => [n.id, n]));

/**
 * A network by its id; throws for an unknown id (a bug in the simulator).
 *
 * @example
 * networkById('comcast').asn; // 7922
 */
export function networkById(id: string): Network {
  const n = BY_ID.get(id);
  if (!n) throw new Error(`simulate: unknown network id "${id}"`);
  return n;
}

/**
 * Networks of one kind, optionally in one country.
 *
 * @example
 * networksOf('mobile', 'US').map((n) => n.id); // ['tmobile-us', 'verizon-wireless', 'att-mobility']
 */
export function networksOf(kind: NetworkKind, country?: string): readonly Network[] {
  return NETWORKS.filter(
    (n) => n.kind === kind && (country === undefined || n.country === country),
  );
}

interface Range {
  readonly base: number;
  readonly size: number;
}

const RANGES = new Map<Network, { ranges: readonly Range[]; total: number }>();

function parsePrefix(prefix: string): Range {
  const [addr, bits] = prefix.split('/');
  const octets = (addr ?? '').split('.').map(Number);
  const base =
    (((octets[0] ?? 0) << 24) >>> 0) +
    ((octets[1] ?? 0) << 16) +
    ((octets[2] ?? 0) << 8) +
    (octets[3] ?? 0);
  return { base, size: 2 ** (32 - Number(bits)) };
}

function rangesOf(network: Network): { ranges: readonly Range[]; total: number } {
  let r = RANGES.get(network);
  if (!r) {
    const ranges = network.prefixes.map(parsePrefix);
    r = { ranges, total: ranges.reduce((s, x) => s + x.size, 0) };
    RANGES.set(network, r);
  }
  return r;
}

/** Dotted-quad text of a 32-bit address. */
export function ipToString(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * A random host address inside one of the network's prefixes (never .0 or .255,
 * which real clients rarely show).
 *
 * @example
 * randomIp(rng, networkById('tmobile-us')); // "172.58.201.17"
 */
export function randomIp(rng: Random, network: Network): string {
  return ipToString(randomIpNumber(rng, network));
}

function randomIpNumber(rng: Random, network: Network): number {
  const { ranges, total } = rangesOf(network);
  let offset = Math.floor(rng.next() * total);
  for (const range of ranges) {
    if (offset < range.size) {
      let n = range.base + offset;
      const last = n & 255;
      if (last === 0) n += 1 + rng.int(0, 200);
      else if (last === 255) n -= 1 + rng.int(0, 200);
      return n >>> 0;
    }
    offset -= range.size;
  }
  return ranges[0]?.base ?? 0;
}

/**
 * `count` distinct host addresses inside one random /24 of the network: how an
 * enterprise egress or a rented server block looks.
 *
 * @example
 * sameSlash24(rng, networkById('zscaler'), 5); // ["165.225.36.12", "165.225.36.40", ...]
 */
export function sameSlash24(rng: Random, network: Network, count: number): string[] {
  const block = randomIpNumber(rng, network) & 0xffffff00;
  const hosts = rng.sample(
    Array.from({ length: 250 }, (_, i) => i + 2),
    Math.min(count, 250),
  );
  return hosts.map((h) => ipToString((block + h) >>> 0));
}
