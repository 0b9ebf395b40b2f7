/**
 * The exposure report: for high-risk accounts (by tag), every weak way in
 * through the recovery graph — security questions, SMS, a mailbox without
 * MFA, a mailbox outside the provider, a support desk — however many hops
 * away, with the fix for each. What the reference attacks walked: not the
 * primary mailbox, but the backup mailbox that could reset it.
 *
 * @example
 * const report = exposureReport(graph, { tags: ['campaign-staff'] });
 * report.summary[0].text; // "37 campaign-staff accounts can be recovered through a mailbox that has no MFA"
 */
import type { GraphEdge, GraphNode, RecoveryGraph, RecoveryPath } from './recovery-graph.js';

export const WEAKNESSES = [
  'security-questions',
  'sms',
  'mailbox-without-mfa',
  'external-mailbox',
  'support-desk',
] as const;
export type Weakness = (typeof WEAKNESSES)[number];

const WHAT: Record<Weakness, string> = {
  'security-questions': 'security questions',
  sms: 'a phone number (SMS)',
  'mailbox-without-mfa': 'a mailbox that has no MFA',
  'external-mailbox': 'a mailbox outside the provider',
  'support-desk': 'the support desk',
};

export interface ExposureFinding {
  readonly weakness: Weakness;
  /** The weak node, where an attacker would start. */
  readonly via: GraphNode;
  /** From the weak node to the account. */
  readonly path: RecoveryPath;
  /** What to change, in one sentence. */
  readonly fix: string;
}

export interface AccountExposure {
  readonly account: GraphNode;
  readonly findings: readonly ExposureFinding[];
  /** The weakest path's strength (1: nothing weak found). */
  readonly strength: number;
}

export interface ExposureReport {
  /** Tags the report covers. */
  readonly tags: readonly string[];
  readonly accounts: number;
  readonly exposed: number;
  /** One line per tag and weakness: "37 campaign-staff accounts can be recovered through …". */
  readonly summary: readonly { tag: string; weakness: Weakness; count: number; text: string }[];
  /** Exposed accounts, weakest first. */
  readonly details: readonly AccountExposure[];
}

export interface ExposureOptions {
  /** Accounts with any of these tags. */
  readonly tags: readonly string[];
  readonly tenant?: string;
  readonly depth?: number;
  /** Event time (default: now). */
  readonly time?: number;
}

export function exposureReport(graph: RecoveryGraph, options: ExposureOptions): ExposureReport {
  const depth = options.depth ?? 4;
  const details: AccountExposure[] = [];
  const counts = new Map<string, number>();
  let accounts = 0;
  const seen = new Set<string>();
  for (const tag of options.tags) {
    for (const account of graph.accounts(options.tenant, tag)) {
      const key = `${account.tenant}\u0000${account.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      accounts++;
      const findings = findingsFor(graph, account, depth, options.time);
      if (findings.length === 0) continue;
      details.push({
        account,
        findings,
        strength: Math.min(...findings.map((f) => f.path.strength)),
      });
      for (const t of account.tags ?? []) {
        if (!options.tags.includes(t)) continue;
        for (const w of new Set(findings.map((f) => f.weakness))) {
          const k = `${t}\u0000${w}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
    }
  }
  details.sort((a, b) => a.strength - b.strength || a.account.id.localeCompare(b.account.id, 'en'));
  const summary = [...counts]
    .map(([k, count]) => {
      const [tag, weakness] = k.split('\u0000') as [string, Weakness];
      return {
        tag,
        weakness,
        count,
        text: `${count} ${tag} account${count === 1 ? '' : 's'} can be recovered through ${WHAT[weakness]}`,
      };
    })
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text, 'en'));
  return { tags: options.tags, accounts, exposed: details.length, summary, details };
}

/** Every weak entry point of one account, the nearest path to each. */
export function findingsFor(
  graph: RecoveryGraph,
  account: GraphNode,
  depth = 4,
  time?: number,
): ExposureFinding[] {
  const findings: ExposureFinding[] = [];
  const reached = graph.recoverers(account.tenant, account.id, {
    depth,
    ...(time !== undefined ? { time } : {}),
  });
  for (const r of reached) {
    const first = r.path.edges[0]!;
    const weakness = weaknessOf(first);
    if (!weakness) continue;
    findings.push({ weakness, via: r.node, path: r.path, fix: fixFor(weakness, first, account) });
  }
  return findings;
}

function weaknessOf(edge: GraphEdge): Weakness | undefined {
  switch (edge.channel) {
    case 'kba':
      return 'security-questions';
    case 'phone':
      return 'sms';
    case 'support':
      return 'support-desk';
    case 'authenticator':
      return undefined;
    case 'email':
      if (!edge.from.hosted) return 'external-mailbox';
      return (edge.from.mfa?.length ?? 0) === 0 ? 'mailbox-without-mfa' : undefined;
  }
}

function fixFor(weakness: Weakness, edge: GraphEdge, account: GraphNode): string {
  const target = edge.to.id === account.id ? 'this account' : `account ${edge.to.id}`;
  switch (weakness) {
    case 'security-questions':
      return `remove the security questions of ${target}; use an authenticator app or a backup mailbox with MFA`;
    case 'sms':
      return `replace SMS recovery (${maskPhone(edge.from.id)}) of ${target} with an authenticator app`;
    case 'support-desk':
      return `require identity verification at the support desk for ${target}, or remove desk recovery`;
    case 'mailbox-without-mfa':
      return `turn on MFA for account ${edge.from.id}, the backup mailbox of ${target}`;
    case 'external-mailbox':
      return `replace the backup address ${maskEmail(edge.from.id)} of ${target} with a mailbox here that has MFA`;
  }
}

/** Personal data minimised in reports: `a…@mail.example`. */
export function maskEmail(address: string): string {
  return address.replace(/^(.)[^@]*(@.*)$/, '$1…$2');
}

/** `+1…0100`. */
export function maskPhone(phone: string): string {
  return phone.length > 6 ? `${phone.slice(0, 2)}…${phone.slice(-4)}` : '…';
}

/** The JSON document (docs/RECOVERY-GRAPH.md): paths as node refs. */
export function exposureJson(r: ExposureReport): ExposureDoc {
  return {
    tags: r.tags,
    accounts: r.accounts,
    exposed: r.exposed,
    summary: r.summary,
    details: r.details.map((d) => ({
      account: d.account.id,
      tenant: d.account.tenant,
      tags: d.account.tags ?? [],
      strength: d.strength,
      findings: d.findings.map((f) => ({
        weakness: f.weakness,
        via: `${f.via.kind}:${f.via.tenant}/${f.via.id}`,
        hops: f.path.edges.length,
        strength: f.path.strength,
        fix: f.fix,
      })),
    })),
  };
}

export interface ExposureDoc {
  readonly tags: readonly string[];
  readonly accounts: number;
  readonly exposed: number;
  readonly summary: ExposureReport['summary'];
  readonly details: readonly {
    account: string;
    tenant: string;
    tags: readonly string[];
    strength: number;
    findings: readonly {
      weakness: Weakness;
      via: string;
      hops: number;
      strength: number;
      fix: string;
    }[];
  }[];
}
