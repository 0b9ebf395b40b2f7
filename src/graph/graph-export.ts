/**
 * The recovery graph as documents: one account's neighbourhood (who can
 * recover it, what it can recover, its weakest path) as JSON or DOT, and the
 * whole graph as a stream of lines — never one big string, so a graph of
 * millions of edges exports in constant memory.
 *
 * @example
 * const view = accountGraph(graph, 'default', 'u-42', { depth: 4 });
 * for (const line of dotLines(view.nodes, view.edges)) process.stdout.write(line);
 */
import type {
  GraphEdge,
  GraphNode,
  RecoveryGraph,
  RecoveryPath,
  Reached,
} from './recovery-graph.js';

/** A node in exported documents. `ref` is unique: `account:default/u-42`, `mailbox:default/a@b.example`. */
export interface NodeDoc {
  readonly ref: string;
  readonly kind: GraphNode['kind'];
  readonly tenant: string;
  readonly id: string;
  readonly hosted: boolean;
  readonly mfa?: readonly string[];
  readonly tags?: readonly string[];
}

export interface EdgeDoc {
  readonly from: string;
  readonly to: string;
  readonly channel: GraphEdge['channel'];
  readonly strength: number;
  /** ISO time, or null: since before the data. */
  readonly since: string | null;
  /** ISO time, or null: still valid. */
  readonly until: string | null;
  readonly origin: GraphEdge['origin'];
}

export interface PathDoc {
  readonly strength: number;
  /** Node refs from the attacker's foothold to the account. */
  readonly nodes: readonly string[];
  readonly channels: readonly string[];
}

export interface AccountGraphDoc {
  readonly account: NodeDoc;
  /** The time asked about (ISO), or null for now. */
  readonly at: string | null;
  readonly depth: number;
  readonly recoverers: readonly { node: string; depth: number; path: PathDoc }[];
  readonly blast_radius: readonly { node: string; depth: number; path: PathDoc }[];
  readonly weakest_path: PathDoc | null;
  /** Accounts in a recovery loop with this one (each can recover the other, through chains). */
  readonly cycle: readonly string[];
  /** Recovery paths that start outside the provider (an external mailbox or a phone). */
  readonly leaves_provider: readonly PathDoc[];
  /** Every node and edge on those paths. */
  readonly nodes: readonly NodeDoc[];
  readonly edges: readonly EdgeDoc[];
}

export function nodeRef(n: GraphNode): string {
  return `${n.kind}:${n.tenant}/${n.id}`;
}

export function nodeDoc(n: GraphNode): NodeDoc {
  return {
    ref: nodeRef(n),
    kind: n.kind,
    tenant: n.tenant,
    id: n.id,
    hosted: n.hosted,
    ...(n.mfa ? { mfa: n.mfa } : {}),
    ...(n.tags ? { tags: n.tags } : {}),
  };
}

export function edgeDoc(e: GraphEdge): EdgeDoc {
  return {
    from: nodeRef(e.from),
    to: nodeRef(e.to),
    channel: e.channel,
    strength: e.strength,
    since: Number.isFinite(e.since) ? new Date(e.since).toISOString() : null,
    until: Number.isFinite(e.until) ? new Date(e.until).toISOString() : null,
    origin: e.origin,
  };
}

export function pathDoc(p: RecoveryPath): PathDoc {
  return {
    strength: p.strength,
    nodes: [nodeRef(p.edges[0]!.from), ...p.edges.map((e) => nodeRef(e.to))],
    channels: p.edges.map((e) => e.channel),
  };
}

/** One account's neighbourhood in the graph, or undefined for an account the graph does not know. */
export function accountGraph(
  graph: RecoveryGraph,
  tenant: string,
  accountId: string,
  options: { depth?: number; time?: number } = {},
): AccountGraphDoc | undefined {
  const account = graph.account(tenant, accountId);
  if (!account) return undefined;
  const depth = options.depth ?? 4;
  const q = { depth, ...(options.time !== undefined ? { time: options.time } : {}) };
  const up = graph.recoverers(tenant, accountId, q);
  const down = graph.blastRadius(tenant, accountId, q);
  const weakest = graph.weakestPath(tenant, accountId, q);
  const nodes = new Map<string, NodeDoc>([[nodeRef(account), nodeDoc(account)]]);
  const edges = new Map<string, EdgeDoc>();
  const collect = (reached: readonly Reached[]) =>
    reached.map((r) => {
      for (const e of r.path.edges) {
        nodes.set(nodeRef(e.from), nodeDoc(e.from));
        nodes.set(nodeRef(e.to), nodeDoc(e.to));
        const doc = edgeDoc(e);
        edges.set(`${doc.from}>${doc.to}>${doc.channel}`, doc);
      }
      return { node: nodeRef(r.node), depth: r.depth, path: pathDoc(r.path) };
    });
  const recoverers = collect(up);
  const blast = collect(down);
  const reachable = new Set(down.map((r) => nodeRef(r.node)));
  const cycle = up
    .filter((r) => r.node.kind === 'account' && reachable.has(nodeRef(r.node)))
    .map((r) => nodeRef(r.node));
  const outside = up
    .filter((r) => r.node.kind === 'mailbox' || r.node.kind === 'phone')
    .map((r) => pathDoc(r.path));
  return {
    account: nodeDoc(account),
    at: options.time !== undefined ? new Date(options.time).toISOString() : null,
    depth,
    recoverers,
    blast_radius: blast,
    weakest_path: weakest ? pathDoc(weakest) : null,
    cycle,
    leaves_provider: outside,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
  };
}

/** DOT (Graphviz), one line at a time. Weak edges are red, strong ones green. */
export function* dotLines(
  nodes: Iterable<NodeDoc>,
  edges: Iterable<EdgeDoc>,
  highlight?: string,
): IterableIterator<string> {
  yield 'digraph recovery {\n';
  yield '  rankdir=LR;\n  node [fontname="Helvetica", fontsize=10];\n  edge [fontname="Helvetica", fontsize=9];\n';
  for (const n of nodes) {
    const shape =
      n.kind === 'account'
        ? 'box'
        : n.kind === 'mailbox'
          ? 'ellipse'
          : n.kind === 'phone'
            ? 'diamond'
            : 'note';
    const label = n.kind === 'account' ? n.id : `${n.kind}: ${n.id}`;
    const style = n.ref === highlight ? ', style="bold,filled", fillcolor="#ffe9a8"' : '';
    const mfa = n.kind === 'account' && (n.mfa?.length ?? 0) === 0 ? ', color="#c0392b"' : '';
    yield `  ${quote(n.ref)} [shape=${shape}, label=${quote(label)}${style}${mfa}];\n`;
  }
  for (const e of edges) {
    const color = e.strength < 0.35 ? '#c0392b' : e.strength < 0.6 ? '#e67e22' : '#27ae60';
    const dashed = e.until !== null ? ', style=dashed' : '';
    yield `  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(`${e.channel} ${e.strength}`)}, color="${color}"${dashed}];\n`;
  }
  yield '}\n';
}

/** The whole graph as NDJSON: one `{"node":…}` line per node on an edge, then one `{"edge":…}` per edge. */
export function* jsonLines(graph: RecoveryGraph): IterableIterator<string> {
  const seen = new Set<string>();
  for (const e of graph.allEdges()) {
    for (const n of [e.from, e.to]) {
      const ref = nodeRef(n);
      if (seen.has(ref)) continue;
      seen.add(ref);
      yield `${JSON.stringify({ node: nodeDoc(n) })}\n`;
    }
    yield `${JSON.stringify({ edge: edgeDoc(e) })}\n`;
  }
}

/** The whole graph as DOT, streamed. */
export function* wholeGraphDot(graph: RecoveryGraph): IterableIterator<string> {
  yield* dotLines([], mapIter(graph.allEdges(), edgeDoc));
}

function* mapIter<T, U>(it: Iterable<T>, fn: (x: T) => U): IterableIterator<U> {
  for (const x of it) yield fn(x);
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Every recovery loop among accounts (at a time), as lists of node refs. */
export function cyclesDoc(graph: RecoveryGraph, time?: number): string[][] {
  return graph
    .cycles(time !== undefined ? { time } : {})
    .map((group) => group.map(nodeRef).sort())
    .sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!, 'en'));
}

export interface FootholdDoc {
  /** The external mailbox or phone. */
  readonly node: string;
  readonly at: string | null;
  readonly depth: number;
  /** Every account whoever holds it can reach by chaining recoveries, with a path each. */
  readonly blast_radius: readonly { node: string; depth: number; path: PathDoc }[];
}

/** What an attacker holding an external mailbox or phone number can reach, or undefined if the graph does not know it. */
export function footholdGraph(
  graph: RecoveryGraph,
  tenant: string,
  kind: 'mailbox' | 'phone',
  address: string,
  options: { depth?: number; time?: number } = {},
): FootholdDoc | undefined {
  const depth = options.depth ?? 4;
  const reached = graph.blastRadiusOf(tenant, kind, address, {
    depth,
    ...(options.time !== undefined ? { time: options.time } : {}),
  });
  if (reached.length === 0) return undefined;
  const first = reached[0]!.path.edges[0]!.from;
  return {
    node: nodeRef(first),
    at: options.time !== undefined ? new Date(options.time).toISOString() : null,
    depth,
    blast_radius: reached
      .filter((r) => r.node.kind === 'account')
      .map((r) => ({ node: nodeRef(r.node), depth: r.depth, path: pathDoc(r.path) })),
  };
}
