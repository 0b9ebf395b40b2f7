/**
 * What a campaign's view counts over its steps, kept as a running tally: the
 * targets with their first step and event count, the addresses, networks,
 * AS numbers, client strings, drop addresses and links, the kinds of step
 * that name it, and what its techniques are read from. Everything here is
 * independent of the order steps arrive in, so a cluster's tally is brought
 * up to date by counting only the steps added since it was last read
 * ({@link clusterTally}): a large campaign is viewed again whenever it
 * changes, and counting its tens of thousands of steps each time was most
 * of the cost of a view.
 *
 * @example
 * const tally = clusterTally(cluster); // counts only what arrived since the last call
 * tally.accounts.get('alice@example.org')?.events;
 * tally.techniques(); // ['T1078', 'T1110.003']
 */
import { EVENT_CLASS } from '../domain/event-class.js';
import type { EventType } from '../domain/event.js';
import type { Cluster, Member } from './correlator.js';
import { TECHNIQUE } from './technique-map.js';

/**
 * Occurrences by key. A box per key, so counting a key already seen is one
 * lookup.
 */
export type Tally<K> = Map<K, { n: number }>;

export function count<K>(tally: Tally<K>, key: K | undefined): void {
  if (key === undefined) return;
  const c = tally.get(key);
  if (c) c.n++;
  else tally.set(key, { n: 1 });
}

/** What is counted per targeted account, in one record (one lookup per step). */
export class AccountTally {
  /** Time of its first step. */
  first: number;
  events = 0;
  /** Failed sign-ins (spraying or guessing). */
  failures = 0;
  /**
   * Its earliest step that tried something (a failure, a reset asked for, a
   * recovery step), by time then event id; undefined while there is none.
   */
  tried: Member | undefined = undefined;
  /** Its sign-ins that succeeded from a hosting network (candidates for a relay's clean entry). */
  hostedEntries: Member[] | undefined = undefined;
  /** Sessions in which it had a persistence step that succeeded. */
  persisted: Set<string> | undefined = undefined;

  constructor(
    readonly account: string,
    time: number,
  ) {
    this.first = time;
  }
}

export class CampaignTally {
  readonly accounts = new Map<string, AccountTally>();
  readonly ips: Tally<string> = new Map();
  readonly networks: Tally<string> = new Map();
  readonly asns: Tally<number> = new Map();
  readonly agents: Tally<string> = new Map();
  readonly emails: Tally<string> = new Map();
  readonly links: Tally<string> = new Map();
  /** Steps of the recovery class, failed sign-ins, and MFA prompts (what names a campaign). */
  recovery = 0;
  failedSignins = 0;
  prompts = 0;
  /** Steps counted. */
  size = 0;
  /** The last step counted (a cluster's tally checks that its steps were only appended to). */
  last: Member | undefined = undefined;
  readonly #techniques = new Set<string>();

  static of(members: readonly Member[]): CampaignTally {
    const t = new CampaignTally();
    for (const m of members) t.add(m);
    return t;
  }

  add(m: Member): void {
    this.size++;
    this.last = m;
    let a = this.accounts.get(m.account);
    if (a === undefined) this.accounts.set(m.account, (a = new AccountTally(m.account, m.time)));
    else if (m.time < a.first) a.first = m.time;
    a.events++;
    count(this.ips, m.ip);
    count(this.networks, m.network);
    count(this.asns, m.asn);
    count(this.agents, m.userAgent);
    for (const e of m.emails) count(this.emails, e.toLowerCase());
    for (const l of m.links) count(this.links, l);
    for (const t of m.techniques) this.#techniques.add(t);
    if (m.techniques.includes(TECHNIQUE.mfaRequestGeneration)) this.prompts++;
    const success = m.outcome === 'success';
    if (EVENT_CLASS[m.type] === 'recovery') this.recovery++;
    else if (m.type === 'signin' && m.outcome === 'failure') this.failedSignins++;
    if (m.type === 'signin') {
      if (m.outcome === 'failure') a.failures++;
      if (success && m.hosting) (a.hostedEntries ??= []).push(m);
    }
    if (!success || tries(m.type)) {
      if (a.tried === undefined || before(m, a.tried)) a.tried = m;
    }
    if (success && m.sessionId && EVENT_CLASS[m.type] === 'persistence')
      (a.persisted ??= new Set()).add(m.sessionId);
  }

  /**
   * The campaign's techniques: every step's own, refined by what only shows
   * across steps — failed sign-ins over many accounts (spraying) or many on
   * one (guessing), and sign-ins that succeed at once and are used straight
   * away for persistence in the same session, from a hosting network, on
   * several accounts: credentials and session taken by a relay (AiTM).
   */
  techniques(): string[] {
    const ids = new Set(this.#techniques);
    const depths: number[] = [];
    let relayed = 0;
    for (const a of this.accounts.values()) {
      if (a.failures > 0) depths.push(a.failures);
      if (a.hostedEntries && a.persisted && relayedEntry(a)) relayed++;
    }
    if (depths.length > 0) {
      ids.delete(TECHNIQUE.bruteForce);
      depths.sort((a, b) => a - b);
      const median = depths[Math.floor(depths.length / 2)]!;
      const deepest = depths[depths.length - 1]!;
      const spraying =
        depths.length >= SPRAY_ACCOUNTS &&
        (median <= SPRAY_DEPTH ||
          (median <= LOCKOUT_DEPTH && depths.length >= SPRAY_BREADTH * median));
      if (spraying) ids.add(TECHNIQUE.passwordSpraying);
      if (deepest >= GUESSING_DEPTH && (!spraying || deepest >= GUESSING_OUTLIER * median))
        ids.add(TECHNIQUE.passwordGuessing);
      if (!ids.has(TECHNIQUE.passwordSpraying) && !ids.has(TECHNIQUE.passwordGuessing))
        ids.add(TECHNIQUE.bruteForce);
    }
    if (relayed >= 2) ids.add(TECHNIQUE.adversaryInTheMiddle);
    return [...ids].sort();
  }
}

/**
 * A cluster's tally, brought up to date: only the steps added since the last
 * call are counted. A cluster's steps are only ever appended to (a merge
 * appends the other cluster's); should that not hold, the tally is counted
 * afresh.
 */
export function clusterTally(c: Cluster): CampaignTally {
  const members = c.members;
  let t = tallies.get(c);
  if (t === undefined || t.size > members.length || (t.size > 0 && members[t.size - 1] !== t.last))
    tallies.set(c, (t = new CampaignTally()));
  for (let i = t.size; i < members.length; i++) t.add(members[i]!);
  return t;
}

const tallies = new WeakMap<Cluster, CampaignTally>();

/** Steps that try something, whatever their outcome. */
function tries(type: EventType): boolean {
  return (
    type === 'password.reset.requested' ||
    type === 'recovery.challenge' ||
    type === 'password.reset.completed'
  );
}

/** Time order, then event id: the order of a campaign's steps. */
function before(a: Member, b: Member): boolean {
  return a.time < b.time || (a.time === b.time && a.id < b.id);
}

/**
 * Whether the account's clean entry — its last sign-in that succeeded from a
 * hosting network before anything was tried on it — was used for
 * persistence in its session.
 */
function relayedEntry(a: AccountTally): boolean {
  let entry: Member | undefined;
  for (const m of a.hostedEntries!)
    if ((a.tried === undefined || before(m, a.tried)) && (entry === undefined || !before(m, entry)))
      entry = m;
  const session = entry?.sessionId;
  return !!session && a.persisted!.has(session);
}

/** Accounts with failed sign-ins before the campaign counts it as a spray. */
const SPRAY_ACCOUNTS = 10;
/** Failed sign-ins per account (median) at most for a spray: few passwords, many accounts. */
const SPRAY_DEPTH = 3;
/**
 * A wide, slow spray tries more passwords per account, but stays under a
 * lockout threshold (commonly 10) and is far wider than deep: accounts at
 * least this many times the median depth.
 */
const LOCKOUT_DEPTH = 10;
const SPRAY_BREADTH = 20;
/** Failed sign-ins on one account that make guessing. */
const GUESSING_DEPTH = 10;
/** In a spray, an account counts as guessed at only when it stands this far above the median. */
const GUESSING_OUTLIER = 3;
