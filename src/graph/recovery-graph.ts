/**
 * The account-recovery graph: which mailbox, phone, security questions or
 * hosted account can recover which account — with history, so it answers
 * "who could recover X at time t".
 *
 * An edge A → B means "whoever controls A can recover B". Targets are always
 * hosted accounts; sources are hosted accounts (named as a backup address by
 * their email), external mailboxes, phone numbers, and per-account security
 * questions, authenticator or support desk. Each edge has a validity interval
 * in event time: edges from the directory hold since always unless an event
 * says when they were added; `recovery.channel.added` / `.removed` events
 * open and close them.
 *
 * Structure (chosen by measuring, bench/graph.ts): nodes are small integers;
 * edges live in parallel typed arrays; adjacency is a compressed sparse row
 * index (offsets + edge numbers, both directions) built in one pass over the
 * directory, plus a small overlay for edges added since the last build. At
 * 1M accounts and 2M edges that is a few bytes per edge, and a depth-4
 * traversal touches only the edges it follows.
 *
 * @example
 * const g = new RecoveryGraph();
 * g.loadDirectory(records);
 * g.recoverers('default', 'u-42', { time: Date.now(), depth: 4 });
 */
import type { DirectoryRecord } from '../domain/directory-record.js';
import type { RecoveryChannel } from '../domain/event.js';

export type NodeKind = 'account' | 'mailbox' | 'phone' | 'kba' | 'authenticator' | 'support';
const KINDS: readonly NodeKind[] = [
  'account',
  'mailbox',
  'phone',
  'kba',
  'authenticator',
  'support',
];
const KIND_CODE: Record<NodeKind, number> = {
  account: 0,
  mailbox: 1,
  phone: 2,
  kba: 3,
  authenticator: 4,
  support: 5,
};
const CHANNELS: readonly RecoveryChannel[] = ['email', 'phone', 'kba', 'authenticator', 'support'];

/** A node as queries return it. */
export interface GraphNode {
  readonly kind: NodeKind;
  readonly tenant: string;
  /** Account id; mailbox address; phone number; for per-account methods, the account id. */
  readonly id: string;
  /** Accounts: their email (what other accounts name as a backup address). */
  readonly email?: string;
  /** Accounts: MFA methods in the directory (none: a password is all it takes). */
  readonly mfa?: readonly string[];
  readonly tags?: readonly string[];
  /** Hosted here (accounts); external mailboxes and phones are not. */
  readonly hosted: boolean;
}

/** An edge as queries return it: `from` can recover `to` through `channel`. */
export interface GraphEdge {
  readonly from: GraphNode;
  readonly to: GraphNode;
  readonly channel: RecoveryChannel;
  /** How hard the channel is to abuse, 0 (trivial) to 1 (strong); see {@link edgeStrength}. */
  readonly strength: number;
  /** Valid from (ms, -Infinity: since before the data) and until (ms, Infinity: still). */
  readonly since: number;
  readonly until: number;
  readonly origin: 'directory' | 'event';
}

/** An edge events created or dated: target account, channel, address, since, until. */
export type EventEdge = [string, string, RecoveryChannel, string | null, number, number];

export interface RecoveryPath {
  /** The node an attacker starts from, then each hop to the account. */
  readonly edges: readonly GraphEdge[];
  /** The weakest hop's strength: what the path is worth to an attacker. */
  readonly strength: number;
}

export interface Reached {
  readonly node: GraphNode;
  readonly depth: number;
  /** A shortest path (fewest hops; of those, the weakest). */
  readonly path: RecoveryPath;
}

export interface QueryOptions {
  /** Event time to ask about (ms); default: now, i.e. edges still open. */
  readonly time?: number;
  /** Hops at most (default 4). */
  readonly depth?: number;
}

/**
 * How hard a recovery channel is to abuse, from the attacker's side:
 * security questions are researched (0.1), a support desk is talked round
 * (0.2), SMS is ported or intercepted (0.3), an external mailbox is of
 * unknown protection (0.4), a hosted account without MFA falls to a password
 * (0.5), with MFA (0.85) or an authenticator app (0.9) it takes the device.
 */
export function edgeStrength(channel: RecoveryChannel, from: GraphNode): number {
  return strengthOf(channel, from.hosted, (from.mfa?.length ?? 0) > 0);
}

function strengthOf(channel: RecoveryChannel, hosted: boolean, mfa: boolean): number {
  switch (channel) {
    case 'kba':
      return 0.1;
    case 'support':
      return 0.2;
    case 'phone':
      return 0.3;
    case 'authenticator':
      return 0.9;
    case 'email':
      if (!hosted) return 0.4;
      return mfa ? 0.85 : 0.5;
  }
}

const NONE = -1;
/** "Now": later than any event, so only edges still open are valid. */
const NOW = Number.MAX_VALUE;

export class RecoveryGraph {
  // Nodes.
  /** Node numbers by kind, then tenant, then id (no key strings built). */
  readonly #index: Map<string, Map<string, number>>[] = KINDS.map(() => new Map());
  #kind: Uint8Array = new Uint8Array(1024);
  readonly #tenant: string[] = [];
  readonly #id: string[] = [];
  readonly #record: (DirectoryRecord | undefined)[] = [];
  /** Hosted accounts by tenant and (lower-case) email. */
  readonly #byEmail = new Map<string, number>();

  // Edges.
  #from: Int32Array = new Int32Array(1024);
  #to: Int32Array = new Int32Array(1024);
  #channel: Uint8Array = new Uint8Array(1024);
  #since: Float64Array = new Float64Array(1024);
  #until: Float64Array = new Float64Array(1024);
  #origin: Uint8Array = new Uint8Array(1024); // 0 directory, 1 event
  #edges = 0;

  // Adjacency: CSR over edges [0, #built), overlay for the rest.
  #built = 0;
  #outStart: Int32Array = new Int32Array(1);
  #outEdges: Int32Array = new Int32Array(0);
  #inStart: Int32Array = new Int32Array(1);
  #inEdges: Int32Array = new Int32Array(0);
  readonly #outExtra = new Map<number, number[]>();
  readonly #inExtra = new Map<number, number[]>();

  get nodeCount(): number {
    return this.#id.length;
  }

  get edgeCount(): number {
    return this.#edges;
  }

  /**
   * Adds or replaces the directory's view of accounts and their recovery
   * set-up, then rebuilds the adjacency index. Edges an event already
   * recorded keep their event times.
   */
  loadDirectory(records: Iterable<DirectoryRecord>, { index = true } = {}): void {
    const pending: DirectoryRecord[] = [];
    for (const r of records) {
      const n = this.#accountNode(r.tenant, r.account.id);
      this.#record[n] = r;
      if (r.account.email) this.#byEmail.set(emailKey(r.tenant, r.account.email), n);
      pending.push(r);
    }
    for (const r of pending) {
      const to = this.#accountNode(r.tenant, r.account.id);
      const listed = new Set<number>();
      for (const m of r.recovery) {
        const from = this.#sourceNode(r.tenant, r.account.id, m.channel, m.address);
        if (from === NONE) continue;
        const channel = CHANNELS.indexOf(m.channel);
        const known = this.#findEdge(from, to, channel, false);
        if (known !== NONE) {
          listed.add(known);
          continue;
        }
        listed.add(this.#addEdge(from, to, channel, -Infinity, Infinity, 0));
      }
      // A method the directory no longer lists (and no event ever added) is gone.
      this.#forEach(to, false, (e) => {
        if (this.#origin[e] === 0 && !listed.has(e)) this.#until[e] = this.#since[e]!;
      });
    }
    if (index) this.#build();
  }

  /** Rebuilds the adjacency index (after loading a directory in parts with `index: false`). */
  index(): void {
    this.#build();
  }

  /**
   * What events taught the graph, as plain data (for a snapshot): replayed
   * through {@link restoreEventEdges} after the directory is loaded, it gives
   * the same edges and times.
   */
  eventEdges(): EventEdge[] {
    const out: EventEdge[] = [];
    for (let e = 0; e < this.#edges; e++) {
      if (this.#origin[e] !== 1) continue;
      const from = this.#from[e]!;
      const to = this.#to[e]!;
      const channel = CHANNELS[this.#channel[e]!]!;
      const address =
        channel === 'email'
          ? this.#kind[from] === 0
            ? this.#record[from]?.account.email
            : this.#id[from]
          : channel === 'phone'
            ? this.#id[from]
            : undefined;
      out.push([
        this.#tenant[to]!,
        this.#id[to]!,
        channel,
        address ?? null,
        this.#since[e]!,
        this.#until[e]!,
      ]);
    }
    return out;
  }

  restoreEventEdges(edges: readonly EventEdge[]): void {
    for (const [tenant, account, channel, address, since, until] of edges) {
      if (since !== -Infinity)
        this.channelAdded(tenant, account, channel, address ?? undefined, since);
      if (until !== Infinity)
        this.channelRemoved(tenant, account, channel, address ?? undefined, until);
    }
  }

  /** A recovery channel added to `accountId` at `time` (a `recovery.channel.added` event). */
  channelAdded(
    tenant: string,
    accountId: string,
    channel: RecoveryChannel,
    address: string | undefined,
    time: number,
  ): void {
    const edge = this.#resolve(tenant, accountId, channel, address);
    if (!edge) return;
    const { from, to, c, open } = edge;
    if (open !== NONE) {
      // The directory said "there"; the event says since when.
      if (this.#origin[open] === 0 && this.#since[open] === -Infinity) {
        this.#since[open] = time;
        this.#origin[open] = 1;
      } else if (time < this.#since[open]!) this.#since[open] = time;
      return;
    }
    this.#addEdge(from, to, c, time, Infinity, 1);
  }

  /** A recovery channel removed from `accountId` at `time` (a `recovery.channel.removed` event). */
  channelRemoved(
    tenant: string,
    accountId: string,
    channel: RecoveryChannel,
    address: string | undefined,
    time: number,
  ): void {
    const edge = this.#resolve(tenant, accountId, channel, address);
    if (!edge) return;
    const { from, to, c, open } = edge;
    if (open !== NONE && this.#since[open]! <= time) {
      this.#until[open] = time;
      this.#origin[open] = 1; // dated by an event now
      return;
    }
    // Never seen added: it was there before the data began.
    this.#addEdge(from, to, c, -Infinity, time, 1);
  }

  /** The nodes of a recovery method named by an event, and its open edge (or NONE). */
  #resolve(
    tenant: string,
    accountId: string,
    channel: RecoveryChannel,
    address: string | undefined,
  ): { from: number; to: number; c: number; open: number } | undefined {
    const to = this.#accountNode(tenant, accountId);
    const from = this.#sourceNode(tenant, accountId, channel, address);
    if (from === NONE) return undefined;
    const c = CHANNELS.indexOf(channel);
    return { from, to, c, open: this.#findEdge(from, to, c, true) };
  }

  /** The account node, if the graph knows the account. */
  account(tenant: string, accountId: string): GraphNode | undefined {
    const n = this.#lookup(0, tenant, accountId);
    return n === undefined ? undefined : this.#node(n);
  }

  /** Every node that can recover the account, directly or through a chain, with a path each. */
  recoverers(tenant: string, accountId: string, options: QueryOptions = {}): Reached[] {
    const start = this.#lookup(0, tenant, accountId);
    if (start === undefined) return [];
    return this.#walk(start, false, options);
  }

  /** Every account an attacker holding the node can reach by chaining recoveries. */
  blastRadius(tenant: string, accountId: string, options: QueryOptions = {}): Reached[] {
    const start = this.#lookup(0, tenant, accountId);
    if (start === undefined) return [];
    return this.#walk(start, true, options).filter((r) => r.node.kind === 'account');
  }

  /** As {@link blastRadius}, from an external mailbox or phone number. */
  blastRadiusOf(
    tenant: string,
    kind: 'mailbox' | 'phone',
    address: string,
    options: QueryOptions = {},
  ): Reached[] {
    const key = kind === 'mailbox' ? address.toLowerCase() : normalisePhone(address);
    const start = this.#lookup(KIND_CODE[kind], tenant, key);
    if (start === undefined) return [];
    return this.#walk(start, true, options);
  }

  /** The recovery path an attacker would pick: the weakest, then the shortest. */
  weakestPath(
    tenant: string,
    accountId: string,
    options: QueryOptions = {},
  ): RecoveryPath | undefined {
    let best: RecoveryPath | undefined;
    for (const r of this.recoverers(tenant, accountId, options)) {
      const p = r.path;
      if (
        !best ||
        p.strength < best.strength ||
        (p.strength === best.strength && p.edges.length < best.edges.length)
      )
        best = p;
    }
    return best;
  }

  /** Direct edges into or out of an account at a time (for export and display). */
  edgesOf(tenant: string, accountId: string, options: QueryOptions = {}): GraphEdge[] {
    const n = this.#lookup(0, tenant, accountId);
    if (n === undefined) return [];
    const time = options.time ?? NOW;
    const out: GraphEdge[] = [];
    this.#forEach(n, false, (e) => {
      if (this.#valid(e, time)) out.push(this.#edge(e));
    });
    this.#forEach(n, true, (e) => {
      if (this.#valid(e, time)) out.push(this.#edge(e));
    });
    return out;
  }

  /** Every edge ever recorded, one at a time (export without building one big string). */
  *allEdges(): IterableIterator<GraphEdge> {
    for (let e = 0; e < this.#edges; e++) yield this.#edge(e);
  }

  /** Hosted accounts, optionally only those with a tag. */
  *accounts(tenant?: string, tag?: string): IterableIterator<GraphNode> {
    for (let n = 0; n < this.#id.length; n++) {
      if (this.#kind[n] !== 0) continue;
      if (tenant !== undefined && this.#tenant[n] !== tenant) continue;
      const node = this.#node(n);
      if (tag !== undefined && !node.tags?.includes(tag)) continue;
      yield node;
    }
  }

  /**
   * Accounts that recover one another in a loop (strongly connected groups of
   * two or more accounts, at a time): take one and the loop falls.
   */
  cycles(options: QueryOptions = {}): GraphNode[][] {
    const time = options.time ?? NOW;
    const n = this.#id.length;
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const out: GraphNode[][] = [];
    let counter = 0;
    // Iterative Tarjan over account → account edges valid at `time`.
    for (let root = 0; root < n; root++) {
      if (this.#kind[root] !== 0 || index[root] !== -1) continue;
      const work: [number, number[], number][] = [];
      const push = (v: number) => {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
        const next: number[] = [];
        this.#forEach(v, true, (e) => {
          if (this.#valid(e, time) && this.#kind[this.#to[e]!] === 0) next.push(this.#to[e]!);
        });
        work.push([v, next, 0]);
      };
      push(root);
      while (work.length > 0) {
        const frame = work[work.length - 1]!;
        const [v, next] = frame;
        if (frame[2] < next.length) {
          const w = next[frame[2]++]!;
          if (index[w] === -1) push(w);
          else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
          continue;
        }
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1]![0];
          low[parent] = Math.min(low[parent]!, low[v]!);
        }
        if (low[v] === index[v]) {
          const group: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            group.push(w);
          } while (w !== v);
          if (group.length > 1) out.push(group.map((g) => this.#node(g)));
        }
      }
    }
    return out;
  }

  // ---- internals ----

  #walk(start: number, forward: boolean, options: QueryOptions): Reached[] {
    const time = options.time ?? NOW;
    const maxDepth = options.depth ?? 4;
    // BFS by hops; for each node the first (shortest) arrival, weakest among equals.
    const via = new Map<number, { edge: number; depth: number; strength: number }>();
    via.set(start, { edge: NONE, depth: 0, strength: 1 });
    let frontier = [start];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const v of frontier) {
        const here = via.get(v)!;
        this.#forEach(v, forward, (e) => {
          if (!this.#valid(e, time)) return;
          const w = forward ? this.#to[e]! : this.#from[e]!;
          const strength = Math.min(here.strength, this.#strength(e));
          const seen = via.get(w);
          if (seen === undefined) {
            via.set(w, { edge: e, depth, strength });
            next.push(w);
          } else if (seen.depth === depth && strength < seen.strength) {
            via.set(w, { edge: e, depth, strength });
          }
        });
      }
      frontier = next;
    }
    const out: Reached[] = [];
    for (const [n, v] of via) {
      if (n === start) continue;
      const edges: GraphEdge[] = [];
      let cur = n;
      while (cur !== start) {
        const step = via.get(cur)!;
        edges.push(this.#edge(step.edge));
        cur = forward ? this.#from[step.edge]! : this.#to[step.edge]!;
      }
      // Paths read from the attacker's foothold towards the account.
      if (forward) edges.reverse();
      out.push({ node: this.#node(n), depth: v.depth, path: { edges, strength: v.strength } });
    }
    out.sort((a, b) => a.depth - b.depth || a.path.strength - b.path.strength);
    return out;
  }

  #valid(e: number, time: number): boolean {
    return this.#since[e]! <= time && time < this.#until[e]!;
  }

  /** An edge's strength, read from the arrays (walks visit many edges: no node objects). */
  #strength(e: number): number {
    const from = this.#from[e]!;
    const hosted = this.#kind[from] === 0;
    return strengthOf(
      CHANNELS[this.#channel[e]!]!,
      hosted,
      hosted && (this.#record[from]?.mfa.length ?? 0) > 0,
    );
  }

  #forEach(n: number, out: boolean, fn: (edge: number) => void): void {
    const start = out ? this.#outStart : this.#inStart;
    const list = out ? this.#outEdges : this.#inEdges;
    if (n + 1 < start.length) for (let i = start[n]!; i < start[n + 1]!; i++) fn(list[i]!);
    const extra = (out ? this.#outExtra : this.#inExtra).get(n);
    if (extra) for (const e of extra) fn(e);
  }

  #node(n: number): GraphNode {
    const kind = KINDS[this.#kind[n]!]!;
    const r = this.#record[n];
    return {
      kind,
      tenant: this.#tenant[n]!,
      id: this.#id[n]!,
      hosted: kind === 'account',
      ...(r?.account.email ? { email: r.account.email } : {}),
      ...(r ? { mfa: r.mfa } : {}),
      ...(r?.account.tags ? { tags: r.account.tags } : {}),
    };
  }

  #edge(e: number): GraphEdge {
    const channel = CHANNELS[this.#channel[e]!]!;
    const from = this.#node(this.#from[e]!);
    return {
      from,
      to: this.#node(this.#to[e]!),
      channel,
      strength: edgeStrength(channel, from),
      since: this.#since[e]!,
      until: this.#until[e]!,
      origin: this.#origin[e] === 0 ? 'directory' : 'event',
    };
  }

  #accountNode(tenant: string, id: string): number {
    return this.#nodeFor(0, tenant, id);
  }

  /** The node that controls a recovery method of an account, or NONE. */
  #sourceNode(
    tenant: string,
    accountId: string,
    channel: RecoveryChannel,
    address: string | undefined,
  ): number {
    switch (channel) {
      case 'email': {
        if (!address) return NONE;
        const hosted = this.#byEmail.get(emailKey(tenant, address));
        return hosted ?? this.#nodeFor(1, tenant, address.toLowerCase());
      }
      case 'phone':
        return address ? this.#nodeFor(2, tenant, normalisePhone(address)) : NONE;
      case 'kba':
        return this.#nodeFor(3, tenant, accountId);
      case 'authenticator':
        return this.#nodeFor(4, tenant, accountId);
      case 'support':
        return this.#nodeFor(5, tenant, accountId);
    }
  }

  #lookup(kind: number, tenant: string, id: string): number | undefined {
    return this.#index[kind]!.get(tenant)?.get(id);
  }

  #nodeFor(kind: number, tenant: string, id: string): number {
    let byId = this.#index[kind]!.get(tenant);
    if (!byId) {
      byId = new Map();
      this.#index[kind]!.set(tenant, byId);
    }
    let n = byId.get(id);
    if (n === undefined) {
      n = this.#id.length;
      if (n >= this.#kind.length) this.#kind = grow(this.#kind);
      this.#kind[n] = kind;
      this.#tenant.push(tenant);
      this.#id.push(id);
      this.#record.push(undefined);
      byId.set(id, n);
    }
    return n;
  }

  #findEdge(from: number, to: number, channel: number, openOnly: boolean): number {
    let found = NONE;
    this.#forEach(to, false, (e) => {
      if (
        found === NONE &&
        this.#from[e] === from &&
        this.#channel[e] === channel &&
        (!openOnly || this.#until[e] === Infinity)
      )
        found = e;
    });
    return found;
  }

  #addEdge(
    from: number,
    to: number,
    channel: number,
    since: number,
    until: number,
    origin: number,
  ): number {
    const e = this.#edges++;
    if (e >= this.#from.length) {
      this.#from = grow(this.#from);
      this.#to = grow(this.#to);
      this.#channel = grow(this.#channel);
      this.#since = grow(this.#since);
      this.#until = grow(this.#until);
      this.#origin = grow(this.#origin);
    }
    this.#from[e] = from;
    this.#to[e] = to;
    this.#channel[e] = channel;
    this.#since[e] = since;
    this.#until[e] = until;
    this.#origin[e] = origin;
    append(this.#outExtra, from, e);
    append(this.#inExtra, to, e);
    return e;
  }

  /** Rebuilds the CSR index over every edge; the overlay empties. */
  #build(): void {
    const nodes = this.#id.length;
    const edges = this.#edges;
    const csr = (key: Int32Array): [Int32Array, Int32Array] => {
      const start = new Int32Array(nodes + 1);
      for (let e = 0; e < edges; e++) start[key[e]! + 1]!++;
      for (let n = 0; n < nodes; n++) start[n + 1]! += start[n]!;
      const fill = start.slice(0, nodes);
      const list = new Int32Array(edges);
      for (let e = 0; e < edges; e++) list[fill[key[e]!]!++] = e;
      return [start, list];
    };
    [this.#outStart, this.#outEdges] = csr(this.#from);
    [this.#inStart, this.#inEdges] = csr(this.#to);
    this.#outExtra.clear();
    this.#inExtra.clear();
    this.#built = edges;
  }

  /** Edges added since the index was built (they live in the overlay). */
  get unindexed(): number {
    return this.#edges - this.#built;
  }
}

function emailKey(tenant: string, email: string): string {
  return `${tenant}\u0000${email.toLowerCase()}`;
}

/** Phone numbers compared by their digits (and a leading +). */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return digits.startsWith('+')
    ? `+${digits.slice(1).replace(/\+/g, '')}`
    : digits.replace(/\+/g, '');
}

function append(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
