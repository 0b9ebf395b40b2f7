/**
 * STIX 2.1 patterns (§9) for a campaign's infrastructure, one builder per
 * kind. Values are attacker-controlled, so every string goes through
 * {@link stixString}: inside a pattern's single-quoted string literal a
 * backslash and a single quote are the only characters that must be escaped
 * (`\\` and `\'`, §9.2 and the grammar's `StringLiteral`). Property names
 * with a hyphen are quoted the same way (`extensions.'http-request-ext'`).
 * A value a builder cannot express (not an IP, a prefix out of range, an
 * ASN beyond 32 bits) gives `undefined` and is left out of the bundle.
 *
 * @example
 * INDICATOR_KINDS.ip.pattern('203.0.113.7');       // "[ipv4-addr:value = '203.0.113.7']"
 * INDICATOR_KINDS.network.pattern('203.0.113.0/24'); // "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"
 * stixString("it's"); // "'it\\'s'"
 */
import { isIP } from 'node:net';
import type { CampaignInfrastructure } from '../domain/campaign.js';

/** A STIX pattern string literal: quoted, with `\` and `'` escaped. */
export function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const INDICATOR_KIND_NAMES = ['ip', 'network', 'email', 'asn', 'user_agent'] as const;
export type IndicatorKind = (typeof INDICATOR_KIND_NAMES)[number];

export interface IndicatorKindSpec {
  /** What a person calls one value of this kind, for names: `IPv4 address`. */
  readonly label: (value: string) => string;
  /**
   * `malicious-activity`: the campaign's own addresses, networks and drop
   * mailboxes. `anomalous-activity`: context that also matches benign
   * traffic (a hosting provider's ASN, a common browser's user agent), so
   * importers should hunt with it, not block on it.
   */
  readonly indicatorType: 'malicious-activity' | 'anomalous-activity';
  /** Whether it may `indicates` the attributed intrusion-set (only the strong kinds). */
  readonly indicatesActor: boolean;
  readonly values: (infrastructure: CampaignInfrastructure) => readonly string[];
  readonly pattern: (value: string) => string | undefined;
}

const MAX_ASN = 4_294_967_295;

function ipPattern(value: string): string | undefined {
  const version = isIP(value);
  if (version === 0) return undefined;
  return `[ipv${version}-addr:value = ${stixString(value)}]`;
}

function networkPattern(value: string): string | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!match) return undefined;
  const version = isIP(match[1]!);
  const prefix = Number(match[2]);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
  return `[ipv${version}-addr:value ISSUBSET ${stixString(value)}]`;
}

function emailPattern(value: string): string | undefined {
  if (!/^[^@\s]+@[^@\s]+$/.test(value)) return undefined;
  return `[email-addr:value = ${stixString(value)}]`;
}

function asnPattern(value: string): string | undefined {
  if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_ASN) return undefined;
  return `[autonomous-system:number = ${Number(value)}]`;
}

function userAgentPattern(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  return `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = ${stixString(value)}]`;
}

/** Every infrastructure kind, keyed by the union: a new kind does not compile until it has a pattern. */
export const INDICATOR_KINDS: Readonly<Record<IndicatorKind, IndicatorKindSpec>> = {
  ip: {
    label: (v) => `${isIP(v) === 6 ? 'IPv6' : 'IPv4'} address ${v}`,
    indicatorType: 'malicious-activity',
    indicatesActor: true,
    values: (infra) => infra.ips,
    pattern: ipPattern,
  },
  network: {
    label: (v) => `Network ${v}`,
    indicatorType: 'malicious-activity',
    indicatesActor: true,
    values: (infra) => infra.networks ?? [],
    pattern: networkPattern,
  },
  email: {
    label: (v) => `Drop address ${v}`,
    indicatorType: 'malicious-activity',
    indicatesActor: true,
    values: (infra) => infra.emails ?? [],
    pattern: emailPattern,
  },
  asn: {
    label: (v) => `AS${v}`,
    indicatorType: 'anomalous-activity',
    indicatesActor: false,
    values: (infra) => infra.asns.map(String),
    pattern: asnPattern,
  },
  user_agent: {
    label: (v) => `User agent ${v}`,
    indicatorType: 'anomalous-activity',
    indicatesActor: false,
    values: (infra) => infra.user_agents,
    pattern: userAgentPattern,
  },
};
