/**
 * Campaign — the public output of correlation (DESIGN.md, "Campaign").
 *
 * The fields of the contract come first; the extensions Tripline adds
 * (`name`, `tenant`, `events`, `joined_by`, `notes`, the extra
 * infrastructure lists) are optional readers' aids and never change the
 * meaning of a contract field.
 *
 * @example
 * const c: Campaign = await app.campaign('cmp-7');
 * `${c.targeted_count} targeted, ${c.compromised_count} compromised`;
 */

export const CAMPAIGN_STATUSES = ['active', 'dormant', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A campaign with no event for this long (ms) is dormant: it may wake up. */
export const DORMANT_AFTER_MS = 7 * 86_400_000;
/** ...and for this long, closed: whatever comes next is another campaign. */
export const CLOSED_AFTER_MS = 30 * 86_400_000;

/** One targeted account. */
export interface CampaignTarget {
  readonly account_id: string;
  readonly tags: readonly string[];
  /** The attacker demonstrably got in (DESIGN.md's definition). */
  readonly compromised: boolean;
  readonly first_seen: string;
  /** Events of this campaign against this account. */
  readonly events: number;
}

/** An ATT&CK technique, its name taken from the ATT&CK data. */
export interface TechniqueRef {
  /** `T1110.003` */
  readonly id: string;
  /** `Brute Force: Password Spraying` */
  readonly name: string;
}

export interface CampaignInfrastructure {
  readonly ips: readonly string[];
  readonly asns: readonly number[];
  readonly user_agents: readonly string[];
  /** IPv4 /24 (or IPv6 /48) networks the campaign used. */
  readonly networks?: readonly string[];
  /** Drop addresses set as a recovery address or forwarding target. */
  readonly emails?: readonly string[];
}

/** One candidate actor, ranked by confidence. */
export interface Attribution {
  /** The actor's primary name, e.g. `APT35`. */
  readonly actor: string;
  /** Every alias the knowledge base has for it. */
  readonly aliases: readonly string[];
  /** In [0, 1]. */
  readonly confidence: number;
  /** Why, for a person: indicator overlap, technique overlap, targeting. */
  readonly evidence: readonly string[];
  /** The knowledge base id (`G0059`, or `misp:<uuid>`). */
  readonly actor_id?: string;
}

/** Why a group of events was joined into this campaign. */
export interface JoinReason {
  /** `ip`, `network`, `asn`, `client`, `email`, `session`, `account`, `time`, or `analyst`. */
  readonly link: string;
  /** The shared value, e.g. `203.0.113.0/24`. */
  readonly value: string;
  /** How many of the campaign's events share it. */
  readonly events: number;
}

export interface CampaignNote {
  readonly time: string;
  readonly author: string;
  readonly text: string;
}

export interface Campaign {
  readonly id: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly status: CampaignStatus;
  readonly targeted_count: number;
  readonly compromised_count: number;
  readonly targets: readonly CampaignTarget[];
  readonly by_tag: Readonly<Record<string, number>>;
  readonly techniques: readonly TechniqueRef[];
  readonly infrastructure: CampaignInfrastructure;
  readonly attribution: readonly Attribution[];
  /** Analyst-given or generated name. */
  readonly name?: string;
  readonly tenant?: string;
  /** Events in the campaign. */
  readonly events?: number;
  readonly joined_by?: readonly JoinReason[];
  readonly notes?: readonly CampaignNote[];
}

/**
 * One event of a campaign, as reports and timelines show it
 * (`GET /v1/campaigns/:id/events`, the disclosure report's timeline).
 */
export interface CampaignEvent {
  readonly event_id: string;
  readonly time: string;
  readonly account_id: string;
  /** Native event type, e.g. `recovery.challenge`. */
  readonly type: string;
  readonly outcome: 'success' | 'failure' | 'pending';
  readonly decision: 'allow' | 'challenge' | 'deny';
  readonly score: number;
  readonly source_ip?: string;
  /** ATT&CK technique ids this step maps to. */
  readonly techniques: readonly string[];
  /** This step is the one that made its account compromised. */
  readonly compromise: boolean;
}
