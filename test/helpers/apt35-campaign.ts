/**
 * The test fixture shared by the export and report tests: an APT35-like
 * recovery-abuse campaign against 30 accounts (12 campaign staff, 8
 * journalists, 6 officials, 4 diaspora), three of them compromised, from 12
 * addresses. What the two suites need differently (account ids, event ids,
 * user agent, evidence, extra fields) is passed in.
 */
import type { Campaign, CampaignEvent, CampaignTarget } from '../../src/domain/campaign.js';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2019, 7, 1, 6, 12);
export const NOW = '2019-09-02T09:00:00.000Z';
export const iso = (ms: number) => new Date(ms).toISOString();

const TAGS = [
  ...Array<string>(12).fill('campaign-staff'),
  ...Array<string>(8).fill('journalist'),
  ...Array<string>(6).fill('official'),
  ...Array<string>(4).fill('diaspora'),
];
/** Indexes of the compromised accounts. */
const COMPROMISED = new Set([2, 13, 21]);
export const IPS = [
  '203.0.113.7',
  '203.0.113.8',
  '203.0.113.19',
  '203.0.113.44',
  '203.0.113.101',
  '203.0.113.200',
  '198.51.100.23',
  '198.51.100.24',
  '198.51.100.77',
  '198.51.100.150',
  '192.0.2.10',
  '192.0.2.11',
];

export interface Apt35Options {
  /** The id of the i-th account. */
  readonly account: (i: number) => string;
  readonly eventId: (i: number, account: string, step: number) => string;
  readonly userAgent: string;
  readonly evidence: readonly string[];
  /** Tags the first account has beside its own. */
  readonly firstExtraTags?: readonly string[];
  /** Fields added to the campaign. */
  readonly extra?: Partial<Campaign>;
}

export function apt35Campaign(o: Apt35Options): { campaign: Campaign; events: CampaignEvent[] } {
  const events: CampaignEvent[] = [];
  const targets: CampaignTarget[] = TAGS.map((tag, i) => {
    const id = o.account(i);
    const start = T0 + i * 22 * HOUR;
    const compromised = COMPROMISED.has(i);
    const step = (
      offset: number,
      type: string,
      outcome: CampaignEvent['outcome'],
      techniques: string[],
      compromise = false,
    ) =>
      events.push({
        event_id: o.eventId(i, id, offset),
        time: iso(start + offset * 60_000),
        account_id: id,
        type,
        outcome,
        decision: compromise ? 'allow' : 'challenge',
        score: compromise ? 0.41 : 0.83,
        source_ip: IPS[(i + offset) % IPS.length]!,
        techniques,
        compromise,
      });
    step(0, 'signin', 'failure', ['T1110.003']);
    step(1, 'password.reset.requested', 'success', ['T1586.002']);
    step(2, 'recovery.challenge', compromised ? 'success' : 'failure', ['T1586.002']);
    if (compromised) {
      step(3, 'password.reset.completed', 'success', ['T1586.002'], true);
      step(4, 'mailbox.forwarding.set', 'success', ['T1114.003']);
    }
    return {
      account_id: id,
      tags: i === 0 && o.firstExtraTags ? [tag, ...o.firstExtraTags] : [tag],
      compromised,
      first_seen: iso(start),
      events: compromised ? 5 : 3,
    };
  });
  const byTag: Record<string, number> = {};
  for (const t of targets) for (const tag of t.tags) byTag[tag] = (byTag[tag] ?? 0) + 1;
  const campaign: Campaign = {
    id: 'cmp-7',
    tenant: 'default',
    name: 'Recovery abuse against campaign staff, August 2019',
    first_seen: events[0]!.time,
    last_seen: events.at(-1)!.time,
    status: 'active',
    targeted_count: targets.length,
    compromised_count: COMPROMISED.size,
    targets,
    by_tag: byTag,
    techniques: [
      { id: 'T1586.002', name: 'Compromise Accounts: Email Accounts' },
      { id: 'T1110.003', name: 'Brute Force: Password Spraying' },
      { id: 'T1114.003', name: 'Email Collection: Email Forwarding Rule' },
    ],
    infrastructure: {
      ips: IPS,
      asns: [64500, 64511],
      user_agents: [o.userAgent],
      networks: ['203.0.113.0/24'],
      emails: ['recovery.desk@mail-verify.example'],
    },
    attribution: [
      {
        actor: 'APT35',
        aliases: ['Charming Kitten', 'Phosphorus', 'Mint Sandstorm', 'TA453'],
        confidence: 0.72,
        evidence: o.evidence,
        actor_id: 'G0059',
      },
    ],
    events: events.length,
    ...o.extra,
  };
  return { campaign, events };
}
