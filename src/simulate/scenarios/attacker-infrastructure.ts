/**
 * Attacker infrastructure: rented servers, residential proxies, VPN exits,
 * browser strings and device ids. Everything is drawn from the same network
 * table and UA builder as ordinary users, so no single field gives an attacker
 * away; what differs is how it is used (many accounts from few addresses, or
 * one attempt per address from thousands).
 *
 * @example
 * const servers = hostingHosts(rng, 2, 5); // five addresses in two hosting ASNs
 * const agents = attackerAgents(rng, 3, start);
 */
import { type Network, NETWORKS, networksOf, randomIp } from '../networks.js';
import type { Random } from '../random.js';
import type { RiskSituation } from '../vendor-risk.js';
import {
  type BrowserFamily,
  DESKTOP_WEIGHTS,
  MOBILE_WEIGHTS,
  userAgentAt,
} from '../user-agents.js';

/** One address an attacker sends requests from. */
export interface AttackerHost {
  readonly ip: string;
  readonly network: Network;
}

/**
 * `ipCount` addresses spread over `networkCount` distinct hosting providers.
 * Small and obscure providers are favoured a little, as they are by operators
 * who pay in cash and expect abuse complaints.
 */
export function hostingHosts(
  rng: Random,
  networkCount: number,
  ipCount: number,
  prefer?: readonly string[],
): AttackerHost[] {
  const all = NETWORKS.filter(
    (n) => n.kind === 'hosting' && n.id !== 'aws-us-east-1' && n.id !== 'azure',
  );
  const pool = prefer ? NETWORKS.filter((n) => prefer.includes(n.id)) : all;
  const chosen = rng.weightedSample(pool, Math.max(1, networkCount), (n) => (n.obscure ? 1.6 : 1));
  const hosts: AttackerHost[] = [];
  for (let i = 0; i < Math.max(ipCount, chosen.length); i++) {
    const network = chosen[i % chosen.length] as Network;
    hosts.push({ ip: randomIp(rng, network), network });
  }
  return hosts;
}

/** Country mix of a residential proxy pool: where proxy-ware installs are. */
const PROXY_COUNTRIES: Readonly<Record<string, number>> = {
  US: 40,
  GB: 7,
  DE: 7,
  FR: 6,
  ES: 4,
  IT: 4,
  NL: 3,
  CA: 6,
  TR: 6,
  IN: 8,
  AU: 3,
  SE: 2,
};

/**
 * `count` residential-proxy exits: real home broadband and mobile addresses,
 * mostly in the victims' country, each used for only a few requests.
 */
export function residentialProxies(rng: Random, count: number, mobileShare = 0.15): AttackerHost[] {
  const codes = Object.keys(PROXY_COUNTRIES);
  const hosts: AttackerHost[] = [];
  for (let i = 0; i < count; i++) {
    const code = rng.weighted(codes, (c) => PROXY_COUNTRIES[c] ?? 0);
    const mobiles = networksOf('mobile', code);
    const kind = mobiles.length > 0 && rng.chance(mobileShare) ? 'mobile' : 'residential';
    const network = rng.pick(kind === 'mobile' ? mobiles : networksOf('residential', code));
    hosts.push({ ip: randomIp(rng, network), network });
  }
  return hosts;
}

/** `count` commercial VPN exit addresses. */
export function vpnExits(rng: Random, count: number): AttackerHost[] {
  const vpns = networksOf('vpn');
  return Array.from({ length: count }, () => {
    const network = rng.pick(vpns);
    return { ip: randomIp(rng, network), network };
  });
}

/**
 * `count` distinct realistic browser UA strings as of time `at`, often a few
 * releases old (operators do not update their tooling every month).
 */
export function attackerAgents(
  rng: Random,
  count: number,
  at: number,
  form: 'desktop' | 'mobile' = 'desktop',
): string[] {
  const weights = form === 'desktop' ? DESKTOP_WEIGHTS : MOBILE_WEIGHTS;
  const families = Object.keys(weights) as BrowserFamily[];
  const out = new Set<string>();
  for (let i = 0; out.size < count && i < count * 20; i++) {
    const family = rng.weighted(families, (f) => weights[f] ?? 0);
    out.add(userAgentAt(family, rng.int(0, 8), at));
  }
  return [...out];
}

/** A device id never seen before (a fresh browser profile or cleared cookies). */
export function freshDeviceId(rng: Random): string {
  return `d-${rng.hex(10)}`;
}

/** An address at a look-alike provider that the attacker controls, derived from the victim's name. */
export function attackerRecoveryAddress(rng: Random, victimEmail: string): string {
  const local = (victimEmail.split('@')[0] ?? 'user').replace(/\d+$/, '');
  const suffix = rng.pick(['.secure', '.backup', '.recovery', '.verify', '1', '.mail', '.acc']);
  return `${local}${suffix}@${rng.pick(ATTACKER_DOMAINS)}`;
}

/** A drop mailbox that stolen mail is forwarded to. */
export function dropAddress(rng: Random): string {
  return `${rng.pick(['archive', 'sync', 'mailbackup', 'docs', 'notes', 'office', 'inbox'])}.${rng.hex(5)}@${rng.pick(ATTACKER_DOMAINS)}`;
}

const ATTACKER_DOMAINS = [
  'mail-secure.example',
  'accounts-verify.example',
  'inbox-safe.example',
  'securemailbox.example',
  'outlook-service.example',
];

/** Inbox-rule names that business-email-compromise kits create to hide replies and alerts. */
export const ATTACKER_RULE_NAMES: readonly string[] = [
  '.',
  '..',
  '...',
  ' ',
  'a',
  'RSS Feeds',
  'Conversation History',
  'Archive',
  'Sync Issues',
  'Notes',
];

/** The vendor's view of an attacker request: anonymising networks look anonymous, the rest merely unfamiliar. */
export function attackerRiskSituation(network: Network): RiskSituation {
  return network.kind === 'hosting' || network.kind === 'vpn' ? 'anonymous' : 'unfamiliar';
}

/** `t` plus a human-scale pause of `minSeconds`–`maxSeconds` (with milliseconds). */
export function after(rng: Random, t: number, minSeconds: number, maxSeconds: number): number {
  return t + rng.int(minSeconds, maxSeconds) * 1000 + rng.int(0, 999);
}
