/**
 * The correlate stage: groups suspicious events across accounts into
 * campaigns, incrementally, in event-time order.
 *
 * Each hostile signal (an attempt, or a step with evidence of an attack)
 * joins the clusters it shares infrastructure with — an address, a drop
 * address, a device id, a session, a hosting /24 or a spraying client string
 * — or starts one. A quiet signal (a success that is merely new to its
 * account) never starts or merges anything: it attaches to a cluster whose
 * address, device or session it uses, which is how an attacker's allowed
 * sign-in from campaign infrastructure is counted. A cluster becomes a
 * campaign when it spans several accounts and shows evidence of an attack
 * beyond a merely new context (see {@link isCampaign}). What makes a link
 * usable is learned from the traffic, not configured: a source that many
 * accounts use as their familiar place (a corporate VPN, a carrier NAT) never
 * joins anything, and a browser string joins only hostile attempts once it has
 * tried many accounts it is new to.
 *
 * Links differ in strength. An address, a drop address, a device id and a
 * session are specific: they join whatever they touch. A /24 and a client
 * string are shared by unrelated people and operations: they join an event
 * to a cluster, or two clusters, only when their step profiles agree — a spray from residential proxies stays apart from the
 * recovery-abuse campaign of the same weeks even if both use one browser
 * string. Time comes from the events, so a replay gives the same campaigns.
 *
 * @example
 * const correlator = new Correlator();
 * const campaignId = correlator.observe(signal); // 'cmp-3f2a91c0' once it is in one
 * correlator.campaigns('default'); // the clusters that are campaigns
 */
import { createHash } from 'node:crypto';
import type { Verdict } from '../domain/decision.js';
import type { EventType, Outcome } from '../domain/event.js';
import { EVENT_CLASS } from '../domain/event-class.js';
import type { EventClass } from '../domain/event-class.js';
import type { CorrelationSignal, SignalSink, SourceSpread, SpreadKind } from '../domain/signal.js';
import { BURST_MIN_ACCOUNTS, hourOf } from '../domain/burst-rate.js';
import { StrayLedger, isBurstLed } from './burst.js';
import { CLOSED_AFTER_MS } from '../domain/campaign.js';
import { eventTechniques } from './technique-map.js';
import { clusterTally } from './campaign-tally.js';

const DAY = 86_400_000;

export type LinkKind = 'ip' | 'email' | 'device' | 'session' | 'network' | 'client';

/** How long a shared value keeps joining events after it was last used. */
const LINK_WINDOW: Readonly<Record<LinkKind, number>> = {
  ip: 14 * DAY,
  email: 90 * DAY,
  device: 30 * DAY,
  session: DAY,
  network: 7 * DAY,
  client: 7 * DAY,
};

/**
 * A campaign's own addresses, drop addresses, devices and hosting networks
 * stay linked much longer: an operator that comes back to its servers after
 * a quiet fortnight is the same operation.
 */
const CAMPAIGN_LINK_WINDOW: Readonly<Record<LinkKind, number>> = {
  ...LINK_WINDOW,
  ip: 90 * DAY,
  email: 180 * DAY,
  device: 90 * DAY,
  network: 30 * DAY,
};

/** Specific links join anything they touch; the others only what agrees. */
const STRONG: Readonly<Record<LinkKind, boolean>> = {
  ip: true,
  email: true,
  device: true,
  session: true,
  network: false,
  client: false,
};

/**
 * Detectors whose findings show an attack, not merely a new context: a
 * hosting network, a new place or impossible travel alone never make a step
 * hostile (travellers and VPN users have those).
 */
const ATTACK_EVIDENCE: ReadonlySet<string> = new Set([
  'source-spread',
  'recovery-probe',
  'reset-velocity',
  'ioc-match',
  'recovery-pivot',
  'post-takeover',
  'credential-exposed',
]);

/** A client string joins attempts once it has tried this many accounts new to it... */
const CLIENT_MIN_ATTEMPTED = 25;
/** ...and tried at least this many times more accounts than use it familiarly. */
const CLIENT_OVER_FAMILIAR = 2;
/** Accounts that use a source familiarly before it counts as shared egress. */
const SHARED_FAMILIAR = 3;
/**
 * Step profiles at least this similar (cosine) may be joined by a weak link:
 * mostly the same kind of step (a cluster of one failure and one success
 * still joins a spray of failures; one of resets and challenges does not).
 */
const SAME_OPERATION = 0.7;
/** A kind of attempt counts in a cluster's techniques from this share of its attempts. */
const TECHNIQUE_SHARE = 0.1;
/** A cluster of at most this many accounts is a fragment a weak link may fold into another. */
const FRAGMENT_ACCOUNTS = 2;
/** Events per address of two clusters joined by a weak link differ at most this much. */
const ADDRESS_REUSE_RATIO = 4;
/**
 * A cluster's mix of hosting and other addresses is settled from this many
 * events with an address; a weak link never joins what differs from a
 * settled mix by {@link INFRASTRUCTURE_GAP} or more (see sameInfrastructure).
 */
const SETTLED_ADDRESSED = 20;
const INFRASTRUCTURE_GAP = 0.8;
/** Clusters that are not campaigns are forgotten this long after their last event. */
const IDLE_WINDOW = 14 * DAY;
/** Events a not-yet-usable client string keeps waiting for it to become usable. */
const MAX_PENDING = 4096;
const SWEEP_EVERY = 4096;
/**
 * A small cluster about to become a campaign folds into a campaign already
 * running against the same accounts instead: the few addresses of a proxy
 * pool that each tried a handful of a spray's targets, with the spray's own
 * browser string (too common to link by itself). It must be at most this
 * many accounts, the campaign at least FOLD_RATIO times larger, hold
 * FOLD_OVERLAP of its accounts, do the same kind of steps, share a client
 * string with it and come while it is active. A small campaign that formed
 * before the large one reached its accounts folds in when it next grows, or
 * when the large one reaches them.
 */
const FOLD_MAX_ACCOUNTS = 10;
const FOLD_RATIO = 5;
const FOLD_OVERLAP = 0.6;
/**
 * Or, holding none of its accounts: a small campaign whose steps came while
 * a campaign that size was at work — FOLD_OVERLAP of its events in an hour
 * (or next to one) the campaign had events in — with none but the
 * campaign's own client strings, the same kind of steps and the same kind
 * of address. A proxy exit that tried a few accounts the spray never reached
 * from its other exits is still the spray: it came in the spray's hours
 * with the spray's browsers.
 */
type FoldReason = 'targets' | 'activity' | 'relay';
/**
 * Or, as the same relay: an adversary-in-the-middle kit passes each victim's
 * own browser string through a few rented servers, so its servers share no
 * address, device or client string, and one that took over two or three
 * accounts is too small to be a campaign. A cluster with an account taken
 * over and then used from a rented server (a persistence step from hosting,
 * stopped as a takeover's) folds into a campaign doing the same — the same
 * kind of steps, the same kind of address — when FOLD_OVERLAP of its events
 * came in (or next to) the campaign's hours, and the campaign is FOLD_RATIO
 * times larger or its takeovers came from servers of the same provider (AS).
 * Checked again whenever such a campaign grows: the small one may have been
 * quiet since.
 */
const RELAY: FoldReason = 'relay';

/** One event of a cluster, as the campaign view needs it. */
export interface Member {
  readonly id: string;
  readonly account: string;
  readonly time: number;
  readonly type: EventType;
  readonly outcome: Outcome;
  readonly verdict: Verdict;
  readonly score: number;
  readonly ip?: string;
  readonly network?: string;
  readonly asn?: number;
  readonly asOrg?: string;
  readonly userAgent?: string;
  readonly deviceId?: string;
  readonly sessionId?: string;
  readonly hosting: boolean;
  readonly attempt: boolean;
  readonly emails: readonly string[];
  readonly detectors: readonly string[];
  readonly techniques: readonly string[];
  /** The account's tags when the event came. */
  readonly tags: readonly string[];
  /** The engine judged the account taken over by this step. */
  readonly compromise: boolean;
  /** From somewhere new to the account (engine's novelty.ts `isNewPlace`; absent: not). */
  readonly stranger?: true;
  /** What joined it: `ip:203.0.113.7`, … (empty for the first event of a cluster). */
  readonly links: readonly string[];
}

/** The profile axes: what kind of step an event is (a sign-in split by outcome). */
const PROFILE_AXES = 6;
const AXIS: Readonly<Record<EventClass, number>> = {
  signin: 0,
  recovery: 2,
  mfa: 3,
  persistence: 4,
  other: 5,
};
function profileAxis(type: EventType, outcome: Outcome): number {
  return type === 'signin' && outcome === 'success' ? 1 : AXIS[EVENT_CLASS[type]];
}

export class Cluster {
  readonly members: Member[] = [];
  /** Account id → its tags. */
  readonly accounts = new Map<string, readonly string[]>();
  readonly profile = new Array<number>(PROFILE_AXES).fill(0);
  /** Distinct addresses its events came from, events that had one, and of those from hosting networks. */
  readonly ips = new Set<string>();
  addressed = 0;
  hosted = 0;
  /** Its earliest and latest event times. */
  first = Infinity;
  last = -Infinity;
  nonAllow = 0;
  /** The attack-evidence detectors its events had. */
  readonly evidence = new Set<string>();
  /** Client strings of its events. */
  readonly userAgents = new Set<string>();
  /** Events of small clusters folded in because they tried its targets (see FOLD_MAX_ACCOUNTS). */
  folded = 0;
  /** Events of small clusters folded in because they came while it was at work (see FoldReason). */
  coactive = 0;
  /** Events of strays joined because they came in a burst (burst.ts). */
  burst = 0;
  /** Events of small clusters folded in as the same relay: takeovers from rented servers in its hours (see RELAY). */
  relay = 0;
  /** Accounts taken over and then used from a rented server: a persistence step from hosting, stopped as a takeover's. */
  readonly relayed = new Set<string>();
  /** The providers (AS numbers) of the rented servers its takeovers came from. */
  readonly relayProviders = new Set<number>();
  /** The hours (since the epoch) it had events in. */
  readonly hours = new Set<number>();
  /** Accounts with at least one hostile step (not merely a new context). */
  readonly hostileAccounts = new Set<string>();
  /** Accounts with a step that had evidence of an attack. */
  readonly evidenceAccounts = new Set<string>();
  indicator = false;
  /** Set once it is a campaign: its id, and the order campaigns formed in. */
  campaignId: string | undefined = undefined;
  formed = 0;
  /** Merged into another cluster. */
  into: Cluster | undefined = undefined;
  /** Campaign ids merged into this one. */
  readonly absorbed: string[] = [];

  constructor(
    readonly tenant: string,
    readonly seq: number,
  ) {}
}

interface LinkEntry {
  /** Undefined while only waiting events hold the link. */
  cluster: Cluster | undefined;
  last: number;
  /** Hostile attempts that waited for a client string to become usable. */
  pending?: Member[];
  /** Quiet events that wait for a hostile one to use the same address, device or session. */
  quiet?: QuietEvent[];
  /**
   * An address, device or session first seen in an event that joined its
   * cluster through a browser string (or a burst's hour) alone: it joins later events to that
   * cluster, but merges two clusters only as a weak link would. A residential
   * proxy of one operation that happened to use another's browser string
   * must not make every later step from its device the other's.
   */
  loose?: true;
  /**
   * A weak link's other clusters, most recent first ({@link MAX_OTHERS}):
   * operations that share a browser string and were kept apart each keep
   * being reached through it.
   */
  others?: Cluster[];
}

const MAX_OTHERS = 3;

/** Before a weak link's entry moves to `to`, the live cluster it held joins its others. */
function keepOthers(
  entry: LinkEntry,
  to: Cluster,
  live: (c: Cluster | undefined) => Cluster | undefined,
): void {
  const held = live(entry.cluster);
  // The usual case, per hostile event: the link stays with its one cluster.
  if (!entry.others && (held === undefined || held === to)) return;
  const list: Cluster[] = [];
  for (const c of [held, ...(entry.others ?? [])]) {
    const r = live(c);
    if (r && r !== to && !list.includes(r)) list.push(r);
  }
  if (list.length > 0) entry.others = list.slice(0, MAX_OTHERS);
  else delete entry.others;
}

interface QuietEvent {
  readonly member: Member;
  attached: boolean;
}

/** A quiet event waits this long for a hostile one on the same infrastructure. */
const QUIET_WINDOW = 3 * DAY;
/** Quiet events kept per address, device or session. */
const MAX_QUIET = 64;

/** Serialised state (snapshot). */
export interface CorrelatorState {
  readonly format: string;
  readonly seq: number;
  readonly formed: number;
  readonly observed: number;
  readonly now: [string, number][];
  readonly clusters: {
    tenant: string;
    seq: number;
    campaignId: string | null;
    formed: number;
    absorbed: string[];
    members: Member[];
    /** Events folded in by shared targets (absent: none). */
    folded?: number;
    /** Events folded in by activity at the same time (absent: none). */
    coactive?: number;
    /** Events of strays joined in a burst (absent: none). */
    burst?: number;
    /** Events folded in as the same relay (absent: none). */
    relay?: number;
  }[];
  /**
   * Key, cluster index (-1: none), last use, attempts waiting as
   * (cluster, member) index pairs, quiet events waiting as indexes into `quiet`.
   */
  readonly links: [
    string,
    number,
    number,
    number[] | null,
    number[] | null,
    (number[] | null)?,
    (1 | null)?,
  ][];
  /** Quiet events waiting on links, each once, with whether it was attached. */
  readonly quiet: [Member, boolean][];
  /**
   * Strays by tenant: hours as [hour, accounts, cluster indexes], the burst
   * hours, and the latest burst's cluster index (-1: none).
   */
  readonly strays?: [string, [number, string[], number[]][], number[], number][];
}

const STATE_FORMAT = 'tripline-correlator-11';

export class Correlator implements SignalSink {
  /** Live clusters by creation order. */
  readonly #clusters = new Map<number, Cluster>();
  /** `tenant|kind:value` → entry. */
  readonly #links = new Map<string, LinkEntry>();
  /** Campaign id → its cluster (merged-away ids resolve through `into`). */
  readonly #campaigns = new Map<string, Cluster>();
  /** Latest event time per tenant. */
  readonly #now = new Map<string, number>();
  /** The cluster each event was added to (follow `into` for where it is now). */
  readonly #owner = new WeakMap<Member, Cluster>();
  /** `tenant\naccount` → the campaigns that targeted it (rebuilt on restore; resolve before use). */
  readonly #targeted = new Map<string, Cluster[]>();
  /** Keys of {@link #targeted} a campaign joined during the current signal. */
  readonly #reached: string[] = [];
  /** By tenant: campaigns of FOLD_RATIO accounts or more, which may take a small one in. */
  readonly #large = new Map<string, Set<Cluster>>();
  /** By tenant: clusters with an account taken over and used from a rented server (see RELAY). */
  readonly #relays = new Map<string, Set<Cluster>>();
  /** By tenant: attempts that joined nothing, by hour (burst.ts). */
  readonly #strays = new Map<string, StrayLedger<Cluster>>();
  #seq = 0;
  #formed = 0;
  #observed = 0;

  /** What the state's meaning depends on (part of the engine's fingerprint). */
  readonly version = STATE_FORMAT;

  /** Signals observed. */
  get observed(): number {
    return this.#observed;
  }

  /** The latest event time seen for a tenant. */
  now(tenant: string): number | undefined {
    return this.#now.get(tenant);
  }

  /**
   * Takes one signal, in event-time order. Returns the campaign the event
   * belongs to now, if any.
   */
  observe(s: CorrelationSignal): string | undefined {
    this.#observed++;
    const now = this.#now.get(s.tenant);
    if (now === undefined || s.time > now) this.#now.set(s.tenant, s.time);
    if (this.#observed % SWEEP_EVERY === 0) this.#sweep(s.tenant);
    const member = toMember(s);
    // A sign-in from somewhere new that the engine stopped, in a burst's hours, is the burst's.
    const hostile = isHostile(s) || (isStrangerSuccess(s) && this.#inBurst(s));
    // So is a persistence step starting a cluster of its own then (the burst's forwarding rule).
    const burstStep = hostile && EVENT_CLASS[s.type] === 'persistence' && this.#inBurst(s);
    const touched: Touched[] = [];
    for (const { key, kind, usable } of this.#linkKeys(s, hostile)) {
      let entry = this.#links.get(key);
      if (entry && s.time - entry.last > this.#window(entry, kind)) {
        this.#links.delete(key);
        entry = undefined;
      }
      if (usable) touched.push({ key, kind, entry });
      else if (kind === 'client') this.#wait(key, s, member);
    }
    const id = hostile
      ? this.#hostile(s, member, touched, burstStep)
      : this.#quiet(s, member, touched);
    if (this.#reached.length === 0 || !this.#foldReached() || id === undefined) return id;
    return this.campaign(id)?.campaignId ?? id;
  }

  /** A hostile event joins (and merges) the clusters it shares infrastructure with, or starts one. */
  #hostile(
    s: CorrelationSignal,
    member: Member,
    touched: readonly Touched[],
    burstStep = false,
  ): string | undefined {
    // The clusters this event joins: by strong links always, by weak ones when they agree.
    const strong: Cluster[] = [];
    const loose: Cluster[] = [];
    const weak: Cluster[] = [];
    // The cluster a loose address link leads to (an event has one address):
    // the address is of a kind that cluster already took in.
    let looseAddress: Cluster | undefined;
    for (const t of touched) {
      const c = t.entry && this.#live(t.entry.cluster);
      if (c) (STRONG[t.kind] ? (t.entry!.loose ? loose : strong) : weak).push(c);
      if (c && t.kind === 'ip' && t.entry!.loose) looseAddress = c;
      if (!STRONG[t.kind])
        for (const o of t.entry?.others ?? []) {
          const live = this.#live(o);
          if (live) weak.push(live);
        }
    }
    const own = { addressed: s.ip ? 1 : 0, hosted: s.ip && s.hosting ? 1 : 0 };
    let home = this.#join(
      strong,
      loose,
      looseAddress,
      weak,
      profileAxis(s.type, s.outcome),
      own,
      s.attempt,
    );
    // Joined through a browser string (or a loose link) alone: this event's
    // own address, device and session are loose links of that cluster.
    const isLoose = home !== undefined && strong.length === 0;
    const links = touched
      .filter((t) => t.entry && this.#live(t.entry.cluster))
      .map((t) => linkOf(t.key));
    const fresh = !home;
    if (!home) {
      home = new Cluster(s.tenant, ++this.#seq);
      this.#clusters.set(home.seq, home);
    }
    this.#add(home, links.length ? { ...member, links } : member);
    const joined = resolve(home);
    for (const t of touched) {
      const entry = t.entry ?? { cluster: home, last: s.time };
      // A weak link another operation holds too keeps leading to it: a
      // server that used a spray's browser string must not take the string
      // away from the spray.
      if (!STRONG[t.kind]) keepOthers(entry, joined, (c) => this.#live(c));
      entry.cluster = home;
      if (isLoose) entry.loose = true;
      else delete entry.loose;
      entry.last = Math.max(entry.last, s.time);
      if (!t.entry) this.#links.set(t.key, entry);
      if (entry.pending) this.#release(entry, home);
      if (entry.quiet) this.#attachQuiet(entry, t.key, s.time);
    }
    home = resolve(home);
    if (fresh && isStray(s)) home = this.#stray(s, home);
    else if (fresh && burstStep) home = this.#toBurst(s, home);
    this.#check(home);
    return home.campaignId;
  }

  /**
   * A quiet event attaches to a cluster whose address, device or session it
   * uses; otherwise it waits there for a while, in case a hostile event
   * comes to use them.
   */
  #quiet(s: CorrelationSignal, member: Member, touched: readonly Touched[]): string | undefined {
    let home: Cluster | undefined;
    for (const t of touched) {
      const c = t.entry && this.#live(t.entry.cluster);
      if (c && (!home || earlier(c, home))) home = c;
    }
    if (!home) {
      for (const t of touched) {
        let entry = t.entry;
        if (!entry) {
          entry = { cluster: undefined, last: s.time };
          this.#links.set(t.key, entry);
        }
        entry.last = Math.max(entry.last, s.time);
        entry.quiet ??= [];
        if (entry.quiet.length >= MAX_QUIET) entry.quiet.shift();
        entry.quiet.push({ member, attached: false });
      }
      return undefined;
    }
    const links = touched
      .filter((t) => t.entry && this.#live(t.entry.cluster) === home)
      .map((t) => linkOf(t.key));
    this.#add(home, { ...member, links });
    for (const t of touched) {
      if (t.entry && this.#live(t.entry.cluster) === home) t.entry.last = s.time;
      else if (!t.entry && t.kind === 'session')
        this.#links.set(t.key, { cluster: home, last: s.time });
    }
    this.#check(home);
    return home.campaignId;
  }

  /** The quiet events that waited on this address, device or session join its cluster now. */
  #attachQuiet(entry: LinkEntry, key: string, time: number): void {
    const waiting = entry.quiet!;
    entry.quiet = undefined;
    const home = this.#live(entry.cluster);
    if (!home) return;
    for (const q of waiting) {
      if (q.attached || Math.abs(time - q.member.time) > QUIET_WINDOW) continue;
      q.attached = true;
      this.#add(home, { ...q.member, links: [linkOf(key)] });
    }
  }

  /** How long a link keeps joining: longer once it is a campaign's infrastructure. */
  #window(entry: LinkEntry, kind: LinkKind): number {
    const c = this.#live(entry.cluster);
    return c?.campaignId !== undefined ? CAMPAIGN_LINK_WINDOW[kind] : LINK_WINDOW[kind];
  }

  /** The live cluster behind an entry (undefined when none holds it, or it was forgotten). */
  #live(c: Cluster | undefined): Cluster | undefined {
    if (!c) return undefined;
    const r = resolve(c);
    return this.#clusters.has(r.seq) && this.#clusters.get(r.seq) === r ? r : undefined;
  }

  /** Which shared values the event has, and whether each may join it now. */
  #linkKeys(
    s: CorrelationSignal,
    hostile: boolean,
  ): { key: string; kind: LinkKind; usable: boolean }[] {
    const t = s.tenant;
    const out: { key: string; kind: LinkKind; usable: boolean }[] = [];
    const spread = (kind: SpreadKind) => s.spread.find((x) => x.kind === kind);
    if (s.ip) out.push({ key: linkKey(t, 'ip', s.ip), kind: 'ip', usable: !shared(spread('ip')) });
    for (const e of s.emails)
      out.push({ key: linkKey(t, 'email', e.toLowerCase()), kind: 'email', usable: true });
    if (s.deviceId)
      out.push({ key: linkKey(t, 'device', s.deviceId), kind: 'device', usable: true });
    if (s.sessionId)
      out.push({ key: linkKey(t, 'session', s.sessionId), kind: 'session', usable: true });
    if (s.network && s.hosting && hostile)
      out.push({
        key: linkKey(t, 'network', s.network),
        kind: 'network',
        usable: !shared(spread('network')),
      });
    // A browser string is shared by millions: it joins only hostile attempts
    // (or a success the engine tied to the same spraying client), and only once
    // it has tried many accounts it is new to, far more than use it.
    if (
      s.userAgent &&
      s.verdict !== 'allow' &&
      (s.attempt || s.detectors.includes('source-spread'))
    ) {
      const c = spread('client');
      const usable =
        c !== undefined &&
        c.attempted >= CLIENT_MIN_ATTEMPTED &&
        c.attempted >= CLIENT_OVER_FAMILIAR * c.familiar;
      out.push({ key: linkKey(t, 'client', s.userAgent), kind: 'client', usable });
    }
    return out;
  }

  /** Picks the cluster the event joins, merging what its links bring together. */
  #join(
    strong: Cluster[],
    loose: Cluster[],
    looseAddress: Cluster | undefined,
    weak: Cluster[],
    axis: number,
    own: AddressMix,
    attempt: boolean,
  ): Cluster | undefined {
    const unique = (list: Cluster[]) => [...new Set(list)];
    const strongSet = unique(strong);
    let home = strongSet.length ? this.#merge(strongSet) : undefined;
    // A loose link joins the event to its cluster if it uses the same kind
    // of infrastructure (an address the cluster took in is of its kind) and,
    // for an attempt, the cluster mostly makes that kind of attempt: what an
    // operation does in an account it got into can be anything, its
    // attempts keep to its kind. It merges two clusters only as a weak link
    // would.
    for (const c of unique(loose)) {
      if (c === home) continue;
      const checked = home !== undefined || c !== looseAddress;
      if (checked && !sameInfrastructure(c, home ?? own)) continue;
      if (attempt && cosine(c.profile, unitProfile(axis)) < SAME_OPERATION) continue;
      if (!home) home = c;
      else if (weaklyJoinable(home, c)) home = this.#merge([home, c]);
    }
    for (const c of unique(weak)) {
      if (c === home) continue;
      // A weak link joins only a cluster that mostly does what this event
      // does, and merges two only if they look like one operation.
      if (cosine(c.profile, unitProfile(axis)) < SAME_OPERATION) continue;
      if (!sameInfrastructure(c, home ?? own)) continue;
      if (!home) {
        home = c;
        continue;
      }
      if (!weaklyJoinable(home, c)) continue;
      home = this.#merge([home, c]);
    }
    return home;
  }

  /** Merges clusters into the one that became a campaign first (else the oldest). */
  #merge(list: Cluster[]): Cluster {
    const live = [...new Set(list.map(resolve))];
    if (live.length === 1) return live[0]!;
    live.sort((a, b) => (earlier(a, b) ? -1 : 1));
    const home = live[0]!;
    for (const other of live.slice(1)) {
      for (const m of other.members) home.members.push(m);
      for (const [id, tags] of other.accounts)
        if (!home.accounts.has(id)) home.accounts.set(id, tags);
      for (let i = 0; i < PROFILE_AXES; i++) home.profile[i]! += other.profile[i]!;
      for (const ip of other.ips) home.ips.add(ip);
      home.addressed += other.addressed;
      home.hosted += other.hosted;
      home.first = Math.min(home.first, other.first);
      home.last = Math.max(home.last, other.last);
      home.nonAllow += other.nonAllow;
      for (const d of other.evidence) home.evidence.add(d);
      for (const ua of other.userAgents) home.userAgents.add(ua);
      home.folded += other.folded;
      home.coactive += other.coactive;
      home.burst += other.burst;
      home.relay += other.relay;
      for (const a of other.relayed) home.relayed.add(a);
      for (const asn of other.relayProviders) home.relayProviders.add(asn);
      for (const h of other.hours) home.hours.add(h);
      for (const a of other.hostileAccounts) home.hostileAccounts.add(a);
      for (const a of other.evidenceAccounts) home.evidenceAccounts.add(a);
      home.indicator ||= other.indicator;
      // A large campaign merged away leaves its place to the one it joined.
      const large = this.#large.get(other.tenant);
      if (large?.delete(other)) large.add(home);
      const relays = this.#relays.get(other.tenant);
      if (relays?.delete(other)) relays.add(home);
      if (other.campaignId) {
        home.absorbed.push(other.campaignId, ...other.absorbed);
        this.#campaigns.set(other.campaignId, home);
        for (const id of other.absorbed) this.#campaigns.set(id, home);
      }
      other.into = home;
      other.members.length = 0;
      this.#clusters.delete(other.seq);
      // A campaign reaches the accounts of what it merges with, as a restore
      // that rebuilds its targets from its accounts would have it.
      if (home.campaignId !== undefined)
        for (const account of other.accounts.keys()) this.#target(home, account);
    }
    return home;
  }

  #add(c: Cluster, m: Member): void {
    c.members.push(m);
    this.#owner.set(m, c);
    note(c, m);
    const home = resolve(c);
    if (home.campaignId !== undefined) this.#target(home, m.account);
    if (c.relayed.size > 0) this.#relayCluster(c);
  }

  #relayCluster(c: Cluster): void {
    let relays = this.#relays.get(c.tenant);
    if (!relays) this.#relays.set(c.tenant, (relays = new Set()));
    relays.add(resolve(c));
  }

  #target(c: Cluster, account: string): void {
    const key = `${c.tenant}\n${account}`;
    const list = this.#targeted.get(key);
    if (!list) this.#targeted.set(key, [c]);
    else if (!list.some((x) => resolve(x) === c)) {
      list.push(c);
      // Only a campaign FOLD_RATIO times larger than the smallest cluster
      // can take one in: a small campaign reaching an account many others
      // hold need not make each of them look for a home (on a file where
      // hundreds of small campaigns shared two accounts, that was quadratic).
      if (c.accounts.size >= FOLD_RATIO) this.#reached.push(key);
    } else return;
    if (c.accounts.size >= FOLD_RATIO) {
      let large = this.#large.get(c.tenant);
      if (!large) this.#large.set(c.tenant, (large = new Set()));
      large.add(c);
    }
  }

  /**
   * A campaign reached an account that other campaigns already hold: a small
   * one among them may belong to it now (a proxy address that tried a few of
   * a spray's targets before the spray did, and never came back to grow).
   */
  #foldReached(): boolean {
    let folded = false;
    while (this.#reached.length > 0) {
      // The small campaigns in the order they formed, not the order the
      // accounts' lists hold them in (a restore rebuilds those in another).
      const small = new Set<Cluster>();
      for (const key of this.#reached)
        for (const x of this.#targeted.get(key) ?? []) {
          const c = this.#live(x);
          if (c && c.campaignId !== undefined && c.accounts.size <= FOLD_MAX_ACCOUNTS) small.add(c);
        }
      this.#reached.length = 0;
      for (const c of [...small].sort((a, b) => a.formed - b.formed)) {
        if (this.#live(c) !== c) continue; // folded in by an earlier one
        const fold = this.#foldTarget(c);
        if (fold && fold.into.formed < c.formed) {
          this.#fold(fold, c);
          folded = true;
        }
      }
    }
    return folded;
  }

  /**
   * The campaign a small cluster that qualifies as one belongs to (see
   * FOLD_MAX_ACCOUNTS), if any: the one holding most of its accounts, then
   * the earliest formed; else one it was at work beside (see FoldReason).
   */
  #foldTarget(c: Cluster): { into: Cluster; by: FoldReason } | undefined {
    if (c.accounts.size > FOLD_MAX_ACCOUNTS) return undefined;
    const held = this.#heldBy(c);
    const first = c.first; // not a walk over its members: per event, that was quadratic
    let best: Cluster | undefined;
    for (const [p, n] of held) {
      if (n < FOLD_OVERLAP * c.accounts.size) continue;
      if (p.accounts.size < FOLD_RATIO * c.accounts.size) continue;
      if (first - p.last > LINK_WINDOW.client) continue;
      if (cosine(p.profile, c.profile) < SAME_OPERATION) continue;
      if (!sameInfrastructure(p, c)) continue;
      if (!shareAny(c.userAgents, p.userAgents)) continue;
      if (!best || n > held.get(best)! || (n === held.get(best)! && p.formed < best.formed))
        best = p;
    }
    return best ? { into: best, by: 'targets' } : (this.#coactiveTarget(c) ?? this.#relayTarget(c));
  }

  /** The campaign a cluster with an account taken over from a rented server is the same relay as (see RELAY). */
  #relayTarget(c: Cluster): { into: Cluster; by: FoldReason } | undefined {
    if (c.relayed.size === 0 || c.nonAllow === 0 || c.accounts.size > FOLD_MAX_ACCOUNTS)
      return undefined;
    const relays = this.#relays.get(c.tenant);
    if (!relays) return undefined;
    let best: Cluster | undefined;
    let bestShare = 0;
    for (const p of relays) {
      if (p === c || p.campaignId === undefined || this.#live(p) !== p) continue;
      if (c.campaignId !== undefined && p.formed > c.formed) continue;
      if (c.first - p.last > LINK_WINDOW.client) continue;
      if (
        p.accounts.size < FOLD_RATIO * c.accounts.size &&
        !shareAny(p.relayProviders, c.relayProviders)
      )
        continue;
      if (cosine(p.profile, c.profile) < SAME_OPERATION) continue;
      if (!sameInfrastructure(p, c)) continue;
      const share = besideShare(c, p);
      if (share < FOLD_OVERLAP) continue;
      if (!best || share > bestShare || (share === bestShare && p.formed < best.formed)) {
        best = p;
        bestShare = share;
      }
    }
    // A relay's victims are its own: accounts another campaign tried first
    // are that campaign's, taken over and used (a spray's hit, followed up
    // from a server), whatever ran beside it. Asked last: it walks the
    // accounts' campaigns, and most checks find no relay beside.
    if (!best || this.#heldElsewhere(c)) return undefined;
    return { into: best, by: RELAY };
  }

  /** Whether another campaign holds FOLD_OVERLAP of a cluster's accounts. */
  #heldElsewhere(c: Cluster): boolean {
    for (const n of this.#heldBy(c).values()) if (n >= FOLD_OVERLAP * c.accounts.size) return true;
    return false;
  }

  /** The live campaigns other than the cluster that targeted its accounts, with how many of them each. */
  #heldBy(c: Cluster): Map<Cluster, number> {
    const held = new Map<Cluster, number>();
    for (const account of c.accounts.keys()) {
      const seen = new Set<Cluster>();
      for (const x of this.#targeted.get(`${c.tenant}\n${account}`) ?? []) {
        const p = this.#live(x);
        if (!p || p === c || seen.has(p)) continue;
        seen.add(p);
        held.set(p, (held.get(p) ?? 0) + 1);
      }
    }
    return held;
  }

  /**
   * A relay campaign grew: the other clusters with takeovers from rented
   * servers that now fold into it (or into another), oldest first.
   */
  #relayReached(grown: Cluster): void {
    const relays = this.#relays.get(grown.tenant);
    if (!relays || relays.size < 2) return;
    const list = [...relays].sort((a, b) => a.seq - b.seq);
    for (const q of list) {
      if (this.#live(q) !== q) {
        relays.delete(q);
        continue;
      }
      if (q === this.#live(grown)) continue;
      const fold = this.#relayTarget(q);
      if (fold) this.#fold(fold, q);
    }
  }

  /** The large campaign a small one was at work beside, with none but its client strings (see FoldReason). */
  #coactiveTarget(c: Cluster): { into: Cluster; by: FoldReason } | undefined {
    const large = this.#large.get(c.tenant);
    if (!large || c.userAgents.size === 0) return undefined;
    let best: Cluster | undefined;
    let bestShare = 0;
    for (const p of large) {
      if (p === c || p.accounts.size < FOLD_RATIO * c.accounts.size) continue;
      if (c.first - p.last > LINK_WINDOW.client) continue;
      if (cosine(p.profile, c.profile) < SAME_OPERATION) continue;
      if (!sameInfrastructure(p, c)) continue;
      let foreign = false;
      for (const ua of c.userAgents) if (!p.userAgents.has(ua)) foreign = true;
      if (foreign) continue;
      const share = besideShare(c, p);
      if (share < FOLD_OVERLAP) continue;
      if (!best || share > bestShare || (share === bestShare && p.formed < best.formed)) {
        best = p;
        bestShare = share;
      }
    }
    return best ? { into: best, by: 'activity' } : undefined;
  }

  /** Whether a burst is running in the hour of this event, or next to it (burst.ts). */
  #inBurst(s: CorrelationSignal): boolean {
    const ledger = this.#strays.get(s.tenant);
    if (ledger === undefined || !ledger.nearBurst(hourOf(s.time))) return false;
    // Not once a linked operation took the burst in (a spray's own first strays).
    const burst = this.#live(ledger.burst);
    return burst !== undefined && isBurstLed(burst.burst, burst.members.length);
  }

  /**
   * An attempt that joined nothing (burst.ts) is counted in its hour. It
   * joins the burst running then; or its hour is improbably busy and the
   * strays of the hour (and of the hour before, where the burst began) become
   * one, joining the last burst if that campaign is not closed (an event
   * within CLOSED_AFTER_MS: dormant, it wakes up): a new wave of the same
   * operation. Bursts share nothing else to tell two operations apart by (an
   * analyst can split them). Returns the cluster the event is in now.
   */
  #stray(s: CorrelationSignal, c: Cluster): Cluster {
    let ledger = this.#strays.get(s.tenant);
    if (!ledger) this.#strays.set(s.tenant, (ledger = new StrayLedger()));
    const hour = hourOf(s.time);
    const strays = ledger.add(hour, s.accountId, c);
    const running = this.#live(ledger.burst);
    if (running && ledger.nearBurst(hour)) {
      // Only an hour busy enough by itself extends the burst's hours.
      if (ledger.isBurst(hour)) ledger.burstHours.add(hour);
      return this.#joinBurst(ledger, running, [c]);
    }
    if (!ledger.isBurst(hour)) return c;
    const wave = running && s.time - running.last <= CLOSED_AFTER_MS ? running : undefined;
    const before = ledger.hours.get(hour - 1);
    if (before) ledger.burstHours.add(hour - 1);
    ledger.burstHours.add(hour);
    return this.#joinBurst(ledger, wave, [...(before?.clusters ?? []), ...strays.clusters]);
  }

  /** A cluster a hostile step started in a burst's hours joins the burst. */
  #toBurst(s: CorrelationSignal, c: Cluster): Cluster {
    const ledger = this.#strays.get(s.tenant)!;
    return this.#joinBurst(ledger, this.#live(ledger.burst), [c]);
  }

  /** Strays' clusters joined into a burst (a new one when `into` is undefined). */
  #joinBurst(ledger: StrayLedger<Cluster>, into: Cluster | undefined, list: Cluster[]): Cluster {
    const parts: Cluster[] = into ? [into] : [];
    let events = 0;
    for (const x of list) {
      const c = this.#live(x);
      // Only what is still a stray: not grown into, or joined to, something else since.
      if (!c || parts.includes(c)) continue;
      if (c.campaignId !== undefined || c.accounts.size > FRAGMENT_ACCOUNTS) continue;
      parts.push(c);
      events += c.members.length;
    }
    if (parts.length === 0) return resolve(list[list.length - 1]!); // the event's own cluster, grown past a stray
    for (const c of parts) if (c !== into) this.#loosen(c);
    const home = this.#merge(parts);
    home.burst += events;
    ledger.burst = home;
    return home;
  }

  /**
   * A cluster joined by time or shared targets alone (a stray to a burst, a
   * small campaign folded in): its addresses, devices, sessions and drop
   * addresses become loose links of where it went, as a browser string's
   * would. Another operation's server that guessed a password in a burst's
   * hour must not carry that operation's later steps into the burst.
   */
  #loosen(c: Cluster): void {
    const loosen = (kind: LinkKind, value: string | undefined) => {
      if (value === undefined) return;
      const entry = this.#links.get(linkKey(c.tenant, kind, value));
      if (entry && this.#live(entry.cluster) === c) entry.loose = true;
    };
    for (const m of c.members) {
      loosen('ip', m.ip);
      for (const e of m.emails) loosen('email', e.toLowerCase());
      loosen('device', m.deviceId);
      loosen('session', m.sessionId);
    }
  }

  /** A hostile attempt whose client string is not usable yet waits for it. */
  #wait(key: string, s: CorrelationSignal, m: Member): void {
    let entry = this.#links.get(key);
    if (!entry) {
      // Held by no cluster until the string proves itself.
      entry = { cluster: undefined, last: s.time };
      this.#links.set(key, entry);
    }
    entry.last = s.time;
    entry.pending ??= [];
    if (entry.pending.length >= MAX_PENDING) entry.pending.shift();
    entry.pending.push(m);
  }

  /** The client string became usable: the attempts that waited join the cluster now. */
  #release(entry: LinkEntry, home: Cluster): void {
    const waiting = entry.pending!;
    entry.pending = undefined;
    const clusters: Cluster[] = [];
    for (const m of waiting) {
      const c = this.#clusterOf(m);
      if (c && c !== home && !clusters.includes(c)) clusters.push(c);
    }
    let target = home;
    for (const c of clusters) {
      const h = resolve(target);
      if (h === c) continue;
      if (!weaklyJoinable(h, c)) continue;
      target = this.#merge([h, c]);
    }
    this.#check(resolve(target));
  }

  /** The live cluster an event is in, if it was not forgotten. */
  #clusterOf(m: Member): Cluster | undefined {
    const owner = this.#owner.get(m);
    if (!owner) return undefined;
    const c = resolve(owner);
    return this.#clusters.has(c.seq) ? c : undefined;
  }

  #fold({ into, by }: { into: Cluster; by: FoldReason }, c: Cluster): void {
    const events = c.members.length;
    const accounts = [...c.accounts.keys()];
    // Folded in on shared targets or hours, not on infrastructure: its
    // addresses and devices lead to the campaign only as a browser string
    // would. A relay's servers stay firm links: it folded in on takeovers of
    // its own, and its next victim on the same server is the campaign's.
    if (by !== RELAY) this.#loosen(c);
    const home = this.#merge([into, c]);
    if (by === 'targets') home.folded += events;
    else if (by === RELAY) home.relay += events;
    else home.coactive += events;
    for (const account of accounts) this.#target(home, account);
  }

  /**
   * Forms a campaign when the cluster qualifies (or folds it into the one it
   * belongs to); a relay campaign then takes in the relays beside it.
   */
  #check(c: Cluster): void {
    this.#form(c);
    const home = this.#live(c);
    if (home?.campaignId !== undefined && home.relayed.size > 0) this.#relayReached(home);
  }

  #form(c: Cluster): void {
    if (c.campaignId !== undefined) {
      const fold = this.#foldTarget(c);
      if (fold && fold.into.formed < c.formed) this.#fold(fold, c);
      return;
    }
    if (!isCampaign(c)) {
      // Evidence on one account is too little to stand alone, but enough to
      // belong to a running campaign it tried the targets of, or worked beside.
      // So is an account taken over from a rented server, to a relay beside it.
      const fold = isCampaign(c, false) ? this.#foldTarget(c) : this.#relayTarget(c);
      if (fold) this.#fold(fold, c);
      return;
    }
    const fold = this.#foldTarget(c);
    if (fold) {
      this.#fold(fold, c);
      return;
    }
    const anchor = c.members.reduce((a, b) => (b.time < a.time ? b : a));
    c.campaignId = campaignIdOf(c.tenant, anchor.id);
    c.formed = ++this.#formed;
    this.#campaigns.set(c.campaignId, c);
    for (const account of c.accounts.keys()) this.#target(c, account);
  }

  /** Forgets idle clusters that never became campaigns, and stale links. */
  #sweep(tenant: string): void {
    const now = this.#now.get(tenant) ?? 0;
    for (const [seq, c] of this.#clusters) {
      if (c.campaignId === undefined && now - c.last > IDLE_WINDOW) this.#clusters.delete(seq);
    }
    for (const [key, entry] of this.#links) {
      const bar = key.indexOf('|');
      const kind = key.slice(bar + 1, key.indexOf(':', bar)) as LinkKind;
      const t = key.slice(0, key.indexOf('|'));
      if ((this.#now.get(t) ?? 0) - entry.last > this.#window(entry, kind)) this.#links.delete(key);
    }
  }

  /** The campaigns of a tenant (every tenant when omitted), oldest first. */
  campaigns(tenant?: string): Cluster[] {
    const out: Cluster[] = [];
    for (const c of this.#clusters.values())
      if (c.campaignId !== undefined && (tenant === undefined || c.tenant === tenant)) out.push(c);
    return out.sort((a, b) => a.formed - b.formed);
  }

  /** A campaign by id; an id merged into another resolves to that one. */
  campaign(id: string): Cluster | undefined {
    const c = this.#campaigns.get(id);
    return c ? resolve(c) : undefined;
  }

  capture(): CorrelatorState {
    const index = new Map<Cluster, number>();
    const position = new Map<Member, number>();
    const clusters: CorrelatorState['clusters'] = [];
    for (const c of this.#clusters.values()) {
      index.set(c, clusters.length);
      c.members.forEach((m, i) => position.set(m, i));
      clusters.push({
        tenant: c.tenant,
        seq: c.seq,
        campaignId: c.campaignId ?? null,
        formed: c.formed,
        absorbed: [...c.absorbed],
        ...(c.folded > 0 ? { folded: c.folded } : {}),
        ...(c.coactive > 0 ? { coactive: c.coactive } : {}),
        ...(c.burst > 0 ? { burst: c.burst } : {}),
        ...(c.relay > 0 ? { relay: c.relay } : {}),
        members: c.members.slice(),
      });
    }
    const links: CorrelatorState['links'] = [];
    const quiet: [Member, boolean][] = [];
    const quietIndex = new Map<QuietEvent, number>();
    for (const [key, e] of this.#links) {
      const i = e.cluster ? (index.get(resolve(e.cluster)) ?? -1) : -1;
      if (i < 0 && !e.pending && !e.quiet) continue;
      let waiting: number[] | null = null;
      if (e.quiet) {
        waiting = [];
        for (const q of e.quiet) {
          let at = quietIndex.get(q);
          if (at === undefined) {
            at = quiet.length;
            quietIndex.set(q, at);
            quiet.push([q.member, q.attached]);
          }
          waiting.push(at);
        }
      }
      let pending: number[] | null = null;
      if (e.pending) {
        pending = [];
        for (const m of e.pending) {
          const owner = this.#clusterOf(m);
          const at = owner ? index.get(owner) : undefined;
          if (at !== undefined) pending.push(at, position.get(m)!);
        }
      }
      const others = (e.others ?? []).map((c) => index.get(resolve(c)) ?? -1).filter((x) => x >= 0);
      links.push(
        e.loose
          ? [key, i, e.last, pending, waiting, others.length > 0 ? others : null, 1]
          : others.length > 0
            ? [key, i, e.last, pending, waiting, others]
            : [key, i, e.last, pending, waiting],
      );
    }
    const strays: NonNullable<CorrelatorState['strays']> = [];
    const at = (c: Cluster | undefined) => {
      const live = this.#live(c);
      return live ? (index.get(live) ?? -1) : -1;
    };
    for (const [tenant, ledger] of this.#strays) {
      const hours: [number, string[], number[]][] = [];
      for (const [h, x] of ledger.hours) hours.push([h, [...x.accounts], x.clusters.map(at)]);
      strays.push([tenant, hours, [...ledger.burstHours], at(ledger.burst)]);
    }
    return {
      format: STATE_FORMAT,
      seq: this.#seq,
      formed: this.#formed,
      observed: this.#observed,
      now: [...this.#now],
      clusters,
      links,
      quiet,
      strays,
    };
  }

  /** Loads a {@link capture} into a fresh correlator. */
  restore(data: unknown): void {
    const state = data as CorrelatorState;
    if (this.#observed > 0) throw new Error('a correlator state restores into a fresh one only');
    if (state.format !== STATE_FORMAT)
      throw new Error(`correlator state ${state.format}, expected ${STATE_FORMAT}`);
    this.#seq = state.seq;
    this.#formed = state.formed;
    this.#observed = state.observed;
    for (const [t, n] of state.now) this.#now.set(t, n);
    const byIndex: Cluster[] = [];
    for (const s of state.clusters) {
      const c = new Cluster(s.tenant, s.seq);
      for (const raw of s.members) {
        const m = shaped(raw);
        c.members.push(m);
        this.#owner.set(m, c);
        note(c, m);
      }
      c.absorbed.push(...s.absorbed);
      c.folded = s.folded ?? 0;
      c.coactive = s.coactive ?? 0;
      c.burst = s.burst ?? 0;
      c.relay = s.relay ?? 0;
      if (c.relayed.size > 0) this.#relayCluster(c);
      if (s.campaignId) {
        c.campaignId = s.campaignId;
        c.formed = s.formed;
        this.#campaigns.set(s.campaignId, c);
        for (const id of s.absorbed) this.#campaigns.set(id, c);
      }
      this.#clusters.set(c.seq, c);
      byIndex.push(c);
      if (c.campaignId !== undefined) {
        for (const account of c.accounts.keys()) this.#target(c, account);
        // As a live correlator's campaigns have theirs (their views read it).
        clusterTally(c);
      }
    }
    this.#reached.length = 0; // the saved campaigns were already folded as they came
    const quiet: QuietEvent[] = state.quiet.map(([member, attached]) => ({
      member: shaped(member),
      attached,
    }));
    for (const [key, i, last, pending, waiting, others, loose] of state.links) {
      const cluster = byIndex[i];
      const entry: LinkEntry = { cluster, last };
      if (loose) entry.loose = true;
      if (others?.length) entry.others = others.map((x) => byIndex[x]!).filter(Boolean);
      if (waiting) entry.quiet = waiting.map((q) => quiet[q]!);
      if (pending) {
        entry.pending = [];
        for (let k = 0; k + 1 < pending.length; k += 2) {
          const m = byIndex[pending[k]!]?.members[pending[k + 1]!];
          if (m) entry.pending.push(m);
        }
      }
      this.#links.set(key, entry);
    }
    for (const [tenant, hours, burstHours, burst] of state.strays ?? []) {
      const ledger = new StrayLedger<Cluster>();
      for (const [h, accounts, clusters] of hours)
        ledger.hours.set(h, {
          accounts: new Set(accounts),
          // A stray's cluster that was forgotten stays counted, with no cluster to join.
          clusters: clusters.map((i) => byIndex[i]!).filter(Boolean),
        });
      for (const h of burstHours) ledger.burstHours.add(h);
      ledger.burst = byIndex[burst];
      this.#strays.set(tenant, ledger);
    }
  }
}

type Touched = {
  readonly key: string;
  readonly kind: LinkKind;
  readonly entry: LinkEntry | undefined;
};

/** A link's key: `tenant|ip:203.0.113.7`. */
function linkKey(tenant: string, kind: LinkKind, value: string): string {
  return `${tenant}|${kind}:${value}`;
}

/** `ip:203.0.113.7` from `tenant|ip:203.0.113.7`. */
function linkOf(key: string): string {
  return key.slice(key.indexOf('|') + 1);
}

/** Which cluster keeps its identity: the earlier campaign, else the older cluster. */
function earlier(a: Cluster, b: Cluster): boolean {
  const fa = a.campaignId ? a.formed : Infinity;
  const fb = b.campaignId ? b.formed : Infinity;
  return fa !== fb ? fa < fb : a.seq < b.seq;
}

/** A step that shows an attack: an attempt, a taken-over account, or evidence beyond a new context. */
function isHostile(s: CorrelationSignal): boolean {
  return s.attempt || s.compromise || s.detectors.some((d) => ATTACK_EVIDENCE.has(d));
}

/** A failed sign-in or second factor from a context new to the account, which the engine did not allow (burst.ts). */
function isStray(s: CorrelationSignal): boolean {
  if (isStrangerSuccess(s)) return true;
  const cls = EVENT_CLASS[s.type];
  return s.attempt && s.verdict !== 'allow' && (cls === 'signin' || cls === 'mfa');
}

/** A sign-in the engine stopped, from somewhere new to the account (network and device or client). */
function isStrangerSuccess(s: CorrelationSignal): boolean {
  return (
    s.type === 'signin' && s.outcome === 'success' && s.verdict !== 'allow' && s.stranger === true
  );
}

/** Counts a member into its cluster's summary. */
function note(c: Cluster, m: Member): void {
  if (!c.accounts.has(m.account)) c.accounts.set(m.account, m.tags);
  c.profile[profileAxis(m.type, m.outcome)]!++;
  if (m.ip !== undefined) {
    c.ips.add(m.ip);
    c.addressed++;
    if (m.hosting) c.hosted++;
  }
  if (m.time < c.first) c.first = m.time;
  c.last = Math.max(c.last, m.time);
  c.hours.add(hourOf(m.time));
  if (m.verdict !== 'allow') c.nonAllow++;
  if (m.userAgent !== undefined) c.userAgents.add(m.userAgent);
  let evidence = false;
  for (const d of m.detectors)
    if (ATTACK_EVIDENCE.has(d)) {
      c.evidence.add(d);
      evidence = true;
    }
  if (evidence) c.evidenceAccounts.add(m.account);
  if (m.attempt || m.compromise || evidence) c.hostileAccounts.add(m.account);
  if (m.detectors.includes('ioc-match')) c.indicator = true;
  if (m.compromise && m.hosting) {
    if (m.asn !== undefined) c.relayProviders.add(m.asn);
    if (EVENT_CLASS[m.type] === 'persistence') c.relayed.add(m.account);
  }
}

function resolve(c: Cluster): Cluster {
  let r = c;
  while (r.into) r = r.into;
  // Path compression: the next lookup is one step.
  let x = c;
  while (x.into && x.into !== r) {
    const next = x.into;
    x.into = r;
    x = next;
  }
  return r;
}

/** A source many accounts use as their familiar place: shared egress, never a link. */
function shared(s: SourceSpread | undefined): boolean {
  return s !== undefined && s.familiar >= SHARED_FAMILIAR && s.familiar * 3 >= s.attempted;
}

/** Evidence that ties exactly two accounts by nature: a pivot through a recovery mailbox. */
const PAIR_EVIDENCE: readonly string[] = ['recovery-pivot'];

/**
 * A campaign: at least one step was not allowed, and either a known
 * indicator matched, or three accounts were attacked with evidence beyond a
 * new context on at least two of them, or two through a pivot (the backup
 * mailbox first, then the account it recovers). Two accounts that share a
 * device or an address and were both flagged are more often a family or a
 * household than a campaign; and in every case at least two accounts must
 * have seen a hostile step. Evidence on one account alone is that account's
 * story (a user mistyping their code twice on their own laptop), whatever
 * else its devices once touched: not a campaign on its own (`alone`), though
 * enough to fold into a running one (see FOLD_MAX_ACCOUNTS).
 */
export function isCampaign(c: Cluster, alone = true): boolean {
  if (c.nonAllow === 0) return false;
  if (c.indicator) return true;
  // A burst is an operation by its numbers alone (burst.ts).
  if (c.burst > 0 && c.accounts.size >= BURST_MIN_ACCOUNTS) return true;
  if (c.evidence.size === 0 || c.hostileAccounts.size < 2) return false;
  if (c.accounts.size >= 3 && (c.evidenceAccounts.size >= 2 || !alone)) return true;
  return c.accounts.size >= 2 && PAIR_EVIDENCE.some((d) => c.evidence.has(d));
}

/**
 * Whether a weak link may merge two clusters. A fragment (the few events of
 * one or two accounts that came before the link was usable) joins a cluster
 * that mostly does the same kind of step. Two grown clusters must look like
 * one operation: the same techniques (each kind of attempt — failed
 * sign-ins, recovery steps, second-factor prompts — that makes a tenth of
 * one's attempts makes a tenth of the other's), and the same way of using
 * addresses (a few servers each trying many accounts, or a proxy pool using
 * each address once or twice). That is how a spray and a recovery campaign
 * that run in the same weeks from one browser string are kept apart.
 */
function weaklyJoinable(a: Cluster, b: Cluster): boolean {
  if (!sameInfrastructure(a, b)) return false;
  if (a.accounts.size <= FRAGMENT_ACCOUNTS || b.accounts.size <= FRAGMENT_ACCOUNTS)
    return cosine(a.profile, b.profile) >= SAME_OPERATION;
  if (techniqueSet(a) !== techniqueSet(b)) return false;
  if (a.ips.size === 0 || b.ips.size === 0) return true;
  const ra = a.addressed / a.ips.size;
  const rb = b.addressed / b.ips.size;
  return Math.max(ra, rb) <= ADDRESS_REUSE_RATIO * Math.min(ra, rb);
}

/** How many of a cluster's (or an event's) steps had an address, and how many of those a hosting network's. */
interface AddressMix {
  readonly addressed: number;
  readonly hosted: number;
}

/**
 * Whether two clusters (or a cluster and an event) use the same kind of
 * infrastructure, as far as a weak link may tell: a spray from residential
 * proxies and a recovery operation run from rented servers can pin the same
 * browser strings and make the same kind of attempt, but an operation keeps
 * to its kind of address. Decided only against a settled mix
 * ({@link SETTLED_ADDRESSED} events with an address): a hosting address
 * joins a cluster of residential ones by a weak link only if at least a
 * fifth of its addresses are hosting too, and the other way round.
 */
function sameInfrastructure(a: AddressMix, b: AddressMix): boolean {
  if (a.addressed === 0 || b.addressed === 0) return true;
  if (a.addressed < SETTLED_ADDRESSED && b.addressed < SETTLED_ADDRESSED) return true;
  return Math.abs(a.hosted / a.addressed - b.hosted / b.addressed) < INFRASTRUCTURE_GAP;
}

/** The kinds of attempt (profile axes 0, 2, 3) that make at least a tenth of a cluster's attempts. */
function techniqueSet(c: Cluster): number {
  const axes = [0, 2, 3];
  let total = 0;
  for (const a of axes) total += c.profile[a]!;
  let set = 0;
  for (const a of axes) if (total > 0 && c.profile[a]! >= TECHNIQUE_SHARE * total) set |= 1 << a;
  return set;
}

/** The share of a cluster's events that came in an hour (or next to one) another had events in. */
function besideShare(c: Cluster, p: Cluster): number {
  let beside = 0;
  for (const m of c.members) {
    const h = hourOf(m.time);
    if (p.hours.has(h) || p.hours.has(h - 1) || p.hours.has(h + 1)) beside++;
  }
  return beside / c.members.length;
}

function shareAny<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < PROFILE_AXES; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 1 : dot / Math.sqrt(na * nb);
}

function unitProfile(axis: number): number[] {
  const p = new Array<number>(PROFILE_AXES).fill(0);
  p[axis] = 1;
  return p;
}

/** A campaign's id: stable for the event that started it, whatever is merged in later. */
export function campaignIdOf(tenant: string, anchorEventId: string): string {
  return `cmp-${createHash('sha1').update(`${tenant}\n${anchorEventId}`).digest('hex').slice(0, 10)}`;
}

function toMember(s: CorrelationSignal): Member {
  // In {@link shaped}'s order, built once.
  return {
    id: s.eventId,
    account: s.accountId,
    time: s.time,
    type: s.type,
    outcome: s.outcome,
    verdict: s.verdict,
    score: s.score,
    ip: s.ip,
    network: s.network,
    asn: s.asn,
    asOrg: s.asOrg,
    userAgent: s.userAgent,
    deviceId: s.deviceId,
    sessionId: s.sessionId,
    hosting: s.hosting,
    attempt: s.attempt,
    emails: s.emails,
    detectors: s.detectors,
    techniques: eventTechniques(s),
    tags: s.tags,
    compromise: s.compromise,
    stranger: s.stranger ? true : undefined,
    links: [],
  };
}

/**
 * A member with every field in one order, absent ones undefined: the campaign
 * view walks tens of thousands of them several times, and objects of one
 * shape are read far faster than a mix of shapes (a field present or not, or
 * restored from a snapshot's JSON, which leaves undefined ones out).
 */
function shaped(m: Member): Member {
  return {
    id: m.id,
    account: m.account,
    time: m.time,
    type: m.type,
    outcome: m.outcome,
    verdict: m.verdict,
    score: m.score,
    ip: m.ip,
    network: m.network,
    asn: m.asn,
    asOrg: m.asOrg,
    userAgent: m.userAgent,
    deviceId: m.deviceId,
    sessionId: m.sessionId,
    hosting: m.hosting,
    attempt: m.attempt,
    emails: m.emails,
    detectors: m.detectors,
    techniques: m.techniques,
    tags: m.tags,
    compromise: m.compromise,
    stranger: m.stranger,
    links: m.links,
  };
}
