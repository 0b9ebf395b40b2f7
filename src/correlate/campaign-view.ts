/**
 * Campaigns as users see them (DESIGN.md, "Campaign"): the correlator's
 * clusters with analysts' edits laid over them, counted and summarised.
 *
 * @example
 * const groups = layoutCampaigns(correlator.campaigns('default'), edits, (id) => correlator.campaign(id)?.campaignId);
 * const c = campaignView(groups.get('cmp-3f2a91c0')!, { now, techniqueName });
 */
import type {
  Attribution,
  Campaign,
  CampaignEvent,
  CampaignNote,
  CampaignStatus,
  CampaignTarget,
  JoinReason,
  TechniqueRef,
} from '../domain/campaign.js';
import { CLOSED_AFTER_MS, DORMANT_AFTER_MS } from '../domain/campaign.js';
import type { EventType } from '../domain/event.js';
import { EVENT_CLASS } from '../domain/event-class.js';
import { isoTime } from '../domain/iso-time.js';
import type { AppliedEdit } from './campaign-edits.js';
import { splitCampaignId } from './campaign-edits.js';
import { isBurstLed } from './burst.js';
import type { Cluster, Member } from './correlator.js';
import { TECHNIQUE } from './technique-map.js';
import { CampaignTally, clusterTally } from './campaign-tally.js';
import type { Tally } from './campaign-tally.js';

/** A campaign after edits: the events it holds and what analysts said. */
export interface CampaignGroup {
  readonly id: string;
  readonly tenant: string;
  readonly members: Member[];
  readonly tags: Map<string, readonly string[]>;
  name?: string;
  readonly notes: CampaignNote[];
  status?: CampaignStatus;
  /** Events of small clusters the correlator folded in because they tried its targets. */
  readonly folded?: number;
  /** Events of small clusters the correlator folded in because they came while it was at work. */
  readonly coactive?: number;
  /** Events of strays the correlator joined because they came in a burst (burst.ts). */
  readonly burst?: number;
  /** Events of small clusters the correlator folded in as the same relay (takeovers from rented servers in its hours). */
  readonly relay?: number;
  /** Ids folded into this one, by the correlator or an analyst. */
  readonly merged: string[];
  /**
   * The correlator's cluster it is, while no analyst merged or split it: its
   * view reads the cluster's running tally ({@link clusterTally}).
   */
  cluster?: Cluster | undefined;
}

export interface CampaignLayout {
  /** By campaign id. */
  readonly groups: Map<string, CampaignGroup>;
  /** A merged-away id → the campaign that holds it now. */
  readonly aliases: Map<string, string>;
}

/**
 * Lays the stored edits, in order, over the correlator's campaigns. An edit
 * naming an id that was merged (by the correlator or an analyst) follows it;
 * one naming a campaign that no longer exists is skipped.
 */
export function layoutCampaigns(
  clusters: readonly Cluster[],
  edits: readonly AppliedEdit[],
): CampaignLayout {
  const groups = new Map<string, CampaignGroup>();
  const aliases = new Map<string, string>();
  for (const c of clusters) {
    const id = c.campaignId!;
    groups.set(id, {
      id,
      tenant: c.tenant,
      members: c.members.slice(),
      tags: new Map(c.accounts),
      notes: [],
      merged: [...c.absorbed],
      cluster: c,
      ...(c.folded > 0 ? { folded: c.folded } : {}),
      ...(c.coactive > 0 ? { coactive: c.coactive } : {}),
      ...(c.burst > 0 ? { burst: c.burst } : {}),
      ...(c.relay > 0 ? { relay: c.relay } : {}),
    });
    for (const a of c.absorbed) aliases.set(a, id);
  }
  const find = (id: string): CampaignGroup | undefined => {
    let at = id;
    for (let hops = 0; hops < 64; hops++) {
      const g = groups.get(at);
      if (g) return g;
      const next = aliases.get(at);
      if (!next) return undefined;
      at = next;
    }
    return undefined;
  };
  for (const { seq, edit, author, time } of edits) {
    const g = find(edit.campaign);
    if (!g) continue;
    switch (edit.op) {
      case 'rename':
        g.name = edit.name;
        break;
      case 'note':
        g.notes.push({ time, author, text: edit.text });
        break;
      case 'status':
        if (edit.status === 'auto') delete g.status;
        else g.status = edit.status;
        break;
      case 'merge': {
        const from = find(edit.from);
        if (!from || from === g) break;
        for (const m of from.members) g.members.push(m);
        for (const [a, t] of from.tags) if (!g.tags.has(a)) g.tags.set(a, t);
        g.notes.push(...from.notes);
        g.merged.push(from.id, ...from.merged);
        g.cluster = undefined;
        groups.delete(from.id);
        aliases.set(from.id, g.id);
        break;
      }
      case 'split': {
        const leaving = new Set(edit.accounts);
        const moved = g.members.filter((m) => leaving.has(m.account));
        if (moved.length === 0 || moved.length === g.members.length) break;
        const id = splitCampaignId(g.tenant, seq, g.id);
        const kept = g.members.filter((m) => !leaving.has(m.account));
        g.members.length = 0;
        g.members.push(...kept);
        g.cluster = undefined;
        const tags = new Map<string, readonly string[]>();
        for (const a of leaving) {
          const t = g.tags.get(a);
          if (t) tags.set(a, t);
          g.tags.delete(a);
        }
        groups.set(id, {
          id,
          tenant: g.tenant,
          members: moved,
          tags,
          notes: [{ time, author, text: `split from ${g.id}` }],
          merged: [],
          ...(edit.name ? { name: edit.name } : {}),
        });
        break;
      }
    }
  }
  for (const g of groups.values()) g.members.sort(byTime);
  return { groups, aliases };
}

function byTime(a: Member, b: Member): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Steps by which an attacker demonstrably gets in (a reset request is only asking). */
function isEntry(type: EventType): boolean {
  const cls = EVENT_CLASS[type];
  return (
    cls === 'signin' || cls === 'mfa' || (cls === 'recovery' && type !== 'password.reset.requested')
  );
}

function isPersistence(type: EventType): boolean {
  return EVENT_CLASS[type] === 'persistence';
}

/** Findings that tie a successful step to the attack itself. */
const HOSTILE_SUCCESS: ReadonlySet<string> = new Set([
  'source-spread',
  'ioc-match',
  'recovery-pivot',
  'post-takeover',
]);

/**
 * The event that made its account compromised (DESIGN.md's definition), per
 * account: a successful sign-in, passed recovery challenge or completed reset
 * from campaign infrastructure, or a persistence step right after one (in its
 * session). Campaign infrastructure is what the campaign's steps used
 * against another account too — an address, a device, a hosting network, or
 * a spraying client the engine named; an allowed success is an account's own
 * use of a place, not the campaign's — or a step the engine tied to the attack itself
 * (spread, indicator, pivot, post-takeover). A user's own sign-in from their
 * own address after their own typo is none of these. A sign-in whose session
 * then asked for a second factor counts only if one was passed in that
 * session: a password alone did not get the attacker in. In a campaign made
 * mostly of a burst (burst.ts), whose attempts share no infrastructure and
 * replay passwords, a stopped sign-in from somewhere new to the account whose
 * session asked for no second factor is the burst's way in, and a persistence
 * step the engine tied to a takeover, from the address of one of the
 * account's sign-ins, is its use.
 *
 * In hindsight, a step the engine stopped from a place its account has since
 * made its own ({@link OwnPlaceTest}: its network or device trusted now, and
 * used on a later half-day) was the owner: neither a way in nor the
 * campaign's infrastructure. A traveller stopped in a burst's hour on their
 * first day abroad, or an office's new laptops on the day the office first
 * showed up, are no compromise, nor are their colleagues' allowed sign-ins
 * from the office's address.
 */
export function compromisingEvents(
  members: readonly Member[],
  burst = false,
  owned: OwnPlaceTest = NONE_OWNED,
): Map<string, Member> {
  const secondFactor = new Map<string, boolean>();
  /** Accounts with a persistence step that could be a hit's use. */
  const persisting = new Set<string>();
  // Only the infrastructure of a step that could be a way in, or its use, is
  // ever asked about: a spray's tens of thousands of one-off devices need no
  // record.
  const infrastructure = new InfrastructureUse();
  for (const m of members) {
    if (m.type === 'mfa.challenge' && m.sessionId) {
      const key = `${m.account}\n${m.sessionId}`;
      secondFactor.set(key, (secondFactor.get(key) ?? false) || m.outcome === 'success');
    }
    if (m.outcome !== 'success') continue;
    if (isPersistence(m.type)) persisting.add(m.account);
    if (isEntry(m.type) || isPersistence(m.type)) infrastructure.want(m);
  }
  for (const m of members)
    // An allowed success is an account's own use of a place, not the campaign's against it.
    if (m.verdict !== 'allow' || m.outcome !== 'success') infrastructure.add(m);
  /**
   * Whether a stopped step came from a place its account has made its own
   * since, asked only where it decides something (a spray's tens of
   * thousands of attempts need not all be), and once.
   */
  const ownedBy = new Map<Member, boolean>();
  const isOwned = (m: Member): boolean => {
    if (m.verdict === 'allow' || (m.network === undefined && m.deviceId === undefined))
      return false;
    let yes = ownedBy.get(m);
    if (yes === undefined) ownedBy.set(m, (yes = owned(m)));
    return yes;
  };
  /** In a burst: the addresses each persisting account's own sign-ins came from. */
  const signinFrom = new Map<string, Set<string>>();
  if (burst)
    for (const m of members) {
      if (m.type !== 'signin' || !m.ip || !persisting.has(m.account) || isOwned(m)) continue;
      let ips = signinFrom.get(m.account);
      if (!ips) signinFrom.set(m.account, (ips = new Set()));
      ips.add(m.ip);
    }
  const out = new Map<string, Member>();
  const entrySessions = new Set<string>();
  for (const m of members) {
    if (m.outcome !== 'success' || out.has(m.account) || isOwned(m)) continue;
    const session = m.sessionId ? `${m.account}\n${m.sessionId}` : undefined;
    if (isEntry(m.type)) {
      const factor = session ? secondFactor.get(session) : undefined;
      if (m.type === 'signin' && factor === false) continue;
      const tied =
        m.verdict !== 'allow' &&
        (m.detectors.some((d) => HOSTILE_SUCCESS.has(d)) ||
          // A burst replays passwords: a second factor passed is the owner.
          (burst && m.type === 'signin' && m.stranger === true && factor === undefined));
      if (!tied && !infrastructure.shared(m, isOwned)) continue;
      if (session) entrySessions.add(session);
      out.set(m.account, m);
    } else if (isPersistence(m.type)) {
      const tied = m.verdict !== 'allow' && m.detectors.some((d) => HOSTILE_SUCCESS.has(d));
      // In a burst, whose attempts share nothing, the use of a hit comes from
      // the address its sign-in came from.
      const followsHit = burst && !!m.ip && signinFrom.get(m.account)?.has(m.ip) === true;
      if (
        (session && entrySessions.has(session)) ||
        (tied && (followsHit || infrastructure.shared(m, isOwned)))
      )
        out.set(m.account, m);
    }
  }
  return out;
}

/**
 * Whether the account of a step the engine stopped trusts, now, the network
 * or device it came from (the engine's `RiskEngine.owns`).
 */
export type OwnPlaceTest = (m: Member) => boolean;
const NONE_OWNED: OwnPlaceTest = () => false;

/** A value's users: the one account's first step with it, or each account's. */
type Users = Member | Map<string, Member>;

/**
 * Which accounts the campaign's steps used each piece of infrastructure
 * against: a step's address, device, hosting network, and a spraying client
 * (one the engine named in a source-spread finding). Kept per value as the
 * first step of each account that used it (a lone step until a second
 * account comes): no key strings are built, since a campaign holds tens of
 * thousands of steps and is viewed again whenever it changes. An account's
 * use is judged by its first step with the value.
 */
class InfrastructureUse {
  readonly #ips = new Map<string, Users | null>();
  readonly #devices = new Map<string, Users | null>();
  readonly #networks = new Map<string, Users | null>();
  readonly #clients = new Map<string, Users | null>();

  /** The step's infrastructure will be asked about ({@link shared}): record its uses. */
  want(m: Member): void {
    if (m.ip) this.#ips.set(m.ip, null);
    if (m.deviceId) this.#devices.set(m.deviceId, null);
    if (m.network && m.hosting) this.#networks.set(m.network, null);
    if (m.userAgent && m.detectors.includes('source-spread')) this.#clients.set(m.userAgent, null);
  }

  /** A use of the step's infrastructure, where it is wanted. */
  add(m: Member): void {
    if (m.ip) use(this.#ips, m.ip, m);
    if (m.deviceId) use(this.#devices, m.deviceId, m);
    if (m.network && m.hosting) use(this.#networks, m.network, m);
    if (m.userAgent && m.detectors.includes('source-spread')) use(this.#clients, m.userAgent, m);
  }

  /**
   * Whether any of the step's infrastructure was used against another
   * account, by a step not from that account's own place (`owned`, asked
   * only here).
   */
  shared(m: Member, owned: OwnPlaceTest): boolean {
    const other = (users: Users | null | undefined): boolean => {
      if (!users) return false;
      if (!(users instanceof Map)) return users.account !== m.account && !owned(users);
      for (const [account, first] of users) if (account !== m.account && !owned(first)) return true;
      return false;
    };
    return (
      (!!m.ip && other(this.#ips.get(m.ip))) ||
      (!!m.deviceId && other(this.#devices.get(m.deviceId))) ||
      (!!m.network && m.hosting && other(this.#networks.get(m.network))) ||
      (!!m.userAgent &&
        m.detectors.includes('source-spread') &&
        other(this.#clients.get(m.userAgent)))
    );
  }
}

function use(users: Map<string, Users | null>, value: string, m: Member): void {
  const seen = users.get(value);
  if (seen === undefined) return; // not wanted
  if (seen === null) users.set(value, m);
  else if (!(seen instanceof Map)) {
    if (seen.account !== m.account)
      users.set(
        value,
        new Map([
          [seen.account, seen],
          [m.account, m],
        ]),
      );
  } else if (!seen.has(m.account)) seen.set(m.account, m);
}

export interface ViewOptions {
  /** The tenant's latest event time (ms): status is relative to it. */
  readonly now: number;
  /** ATT&CK id → its full name (`Brute Force: Password Spraying`). */
  readonly techniqueName: (id: string) => string | undefined;
  readonly attribution?: readonly Attribution[];
  /** In hindsight: whether a stopped step came from a place its account now owns (none when absent). */
  readonly owned?: OwnPlaceTest;
}

/** One campaign, in the public shape. */
export function campaignView(g: CampaignGroup, options: ViewOptions): Campaign {
  const members = g.members;
  const compromising = compromisingEvents(
    members,
    isBurstLed(g.burst ?? 0, members.length),
    options.owned,
  );
  // The cluster's running tally when the campaign is one cluster as the
  // correlator has it (not merged or split by an analyst).
  let tally = g.cluster && clusterTally(g.cluster);
  if (tally?.size !== members.length) tally = CampaignTally.of(members);
  // The tally's own map stays as it is: the reasons below are this view's.
  const links: Tally<string> =
    g.folded || g.coactive || g.burst || g.relay ? new Map(tally.links) : tally.links;
  if (g.folded) links.set('account:its own targets, tried with its client string', { n: g.folded });
  if (g.coactive)
    links.set('time:other accounts, tried in its hours with its client strings', {
      n: g.coactive,
    });
  if (g.relay)
    links.set('time:accounts taken over and used from other rented servers in its hours', {
      n: g.relay,
    });
  if (g.burst)
    links.set(
      'time:a burst: far more accounts than usual in an hour, each tried from where it had never been',
      {
        n: g.burst,
      },
    );
  // By first step (to the millisecond, as written), then account.
  const ordered = [...tally.accounts.values()].sort(
    (a, b) => Math.trunc(a.first) - Math.trunc(b.first) || (a.account < b.account ? -1 : 1),
  );
  const targetList: CampaignTarget[] = [];
  const byTag: Record<string, number> = {};
  for (const t of ordered) {
    const tags = g.tags.get(t.account) ?? [];
    for (const tag of tags) byTag[tag] = (byTag[tag] ?? 0) + 1;
    targetList.push({
      account_id: t.account,
      tags,
      compromised: compromising.has(t.account),
      first_seen: isoTime(t.first),
      events: t.events,
    });
  }
  const first = members[0]?.time ?? options.now;
  const last = members[members.length - 1]?.time ?? options.now;
  const age = options.now - last;
  const status: CampaignStatus =
    g.status ?? (age > CLOSED_AFTER_MS ? 'closed' : age > DORMANT_AFTER_MS ? 'dormant' : 'active');
  const techniques: TechniqueRef[] = tally.techniques().map((id) => ({
    id,
    name: options.techniqueName(id) ?? id,
  }));
  const joinedBy: JoinReason[] = [...links]
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .slice(0, 20)
    .map(([l, { n: events }]) => {
      const colon = l.indexOf(':');
      return { link: l.slice(0, colon), value: l.slice(colon + 1), events };
    });
  return {
    id: g.id,
    first_seen: iso(first),
    last_seen: iso(last),
    status,
    targeted_count: targetList.length,
    compromised_count: compromising.size,
    targets: targetList,
    by_tag: sortedRecord(byTag),
    techniques,
    infrastructure: {
      ips: byCount(tally.ips),
      asns: byCount(tally.asns),
      user_agents: byCount(tally.agents),
      networks: byCount(tally.networks),
      emails: byCount(tally.emails),
    },
    attribution: options.attribution ?? [],
    name: g.name ?? defaultName(g, techniques, tally),
    tenant: g.tenant,
    events: members.length,
    joined_by: joinedBy,
    notes: g.notes,
  };
}

/** The campaign's events, oldest first, for timelines and reports. */
export function campaignEvents(g: CampaignGroup, owned?: OwnPlaceTest): CampaignEvent[] {
  const compromising = new Set(
    compromisingEvents(g.members, isBurstLed(g.burst ?? 0, g.members.length), owned).values(),
  );
  return g.members.map((m) => ({
    event_id: m.id,
    time: iso(m.time),
    account_id: m.account,
    type: m.type,
    outcome: m.outcome,
    decision: m.verdict,
    score: m.score,
    ...(m.ip ? { source_ip: m.ip } : {}),
    techniques: m.techniques,
    compromise: compromising.has(m),
  }));
}

/**
 * The campaign named after what most of its steps do: a spray that also
 * touched a couple of recovery flows is a spray. AiTM, which shows in few but
 * decisive steps, names the campaign whenever it is seen.
 */
function defaultName(
  g: CampaignGroup,
  techniques: readonly TechniqueRef[],
  kinds: CampaignTally,
): string {
  const ids = new Set(techniques.map((t) => t.id));
  const { recovery, failedSignins, prompts } = kinds;
  // In order of precedence on a tie.
  const candidates: [string, number][] = [
    ['Account recovery abuse', ids.has(TECHNIQUE.compromiseEmailAccounts) ? recovery : 0],
    ['Password spray', ids.has(TECHNIQUE.passwordSpraying) ? failedSignins : 0],
    ['MFA fatigue', ids.has(TECHNIQUE.mfaRequestGeneration) ? prompts : 0],
    ['Password guessing', ids.has(TECHNIQUE.passwordGuessing) ? failedSignins : 0],
  ];
  let kind = 'Account takeover attempts';
  let most = 0;
  for (const [name, n] of candidates)
    if (n > most) {
      kind = name;
      most = n;
    }
  if (ids.has(TECHNIQUE.adversaryInTheMiddle)) kind = 'AiTM phishing';
  const first = g.members[0];
  return first ? `${kind} from ${iso(first.time).slice(0, 10)}` : kind;
}

function byCount<K extends string | number>(tally: Tally<K>): K[] {
  return [...tally].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort((a, b) => r[b]! - r[a]! || (a < b ? -1 : 1))) out[k] = r[k]!;
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
