/**
 * Which source entries are one actor. Entries merge only on evidence the
 * sources give, in three tiers, strongest first:
 *
 * 1. `revoked-by`: ATT&CK folded one group into another (G0058 → G0059);
 * 2. `attack-id`: a MISP entry lists an ATT&CK group id (Charming Kitten lists
 *    G0058); `shared-attack-id`: two MISP entries list an id ATT&CK lacks;
 * 3. `names-entry`: an entry's alias list names another source's entry (ATT&CK
 *    G0059 lists "TA453", the name of MISP's TA453; MISP's APT35 credits "Mint
 *    Sandstorm" to Microsoft, the name of Microsoft's activity group);
 *    `same-name`: entries of two sources with the same name.
 *
 * Names are compared by {@link nameKey}. Two entries of one source never merge
 * on a name alone (the source keeps them apart on purpose), and MISP's
 * `similar` links never merge anything: they become related links.
 *
 * Two ATT&CK groups that ATT&CK keeps apart are never merged by evidence: an
 * entry whose evidence points at several of them joins the one that has its
 * name, if exactly one does, else none (the evidence is "set aside" and shown
 * as a relation). Analyst merges (`analyst-merge`) come last and may join
 * anything. The outcome does not depend on the order of the entries.
 *
 * @example
 * const { groups, accepted } = mergeEntries(entries, { isolated: new Map(), analystEdges: [] });
 */
import type { MergeEvidence, MergeEvidenceKind } from '../domain/actor.js';
import type { ActorDataEntry } from './actor-data.js';
import { nameKey } from './name-key.js';

/** An analyst's merge between two entries (from a `merge` override). */
export interface AnalystEdge {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** Evidence that did not merge, and why. */
export type SetAsideEvidence = MergeEvidence & { readonly reason: string };

/**
 * What the merge decided: entry indices per actor (each sorted), the evidence
 * that joined them and the evidence set aside.
 */
export interface MergeOutcome {
  readonly groups: readonly (readonly number[])[];
  readonly accepted: readonly MergeEvidence[];
  readonly setAside: readonly SetAsideEvidence[];
}

export interface MergeOptions {
  /** Entries split off by an analyst (ref → reason): no source evidence touching them counts. */
  readonly isolated: ReadonlyMap<string, string>;
  readonly analystEdges: readonly AnalystEdge[];
}

interface Edge extends MergeEvidence {
  readonly a: number;
  readonly b: number;
}

const SOURCE_LABEL = {
  attack: 'ATT&CK',
  'misp-threat-actor': 'MISP threat-actor',
  'misp-microsoft-activity-group': 'MISP microsoft-activity-group',
} as const;

/**
 * How an entry is named in evidence and explanations.
 *
 * @example
 * entryLabel({ ref: 'attack:G0059', source: 'attack', name: 'Magic Hound' }); // 'ATT&CK G0059 (Magic Hound)'
 */
export function entryLabel(e: Pick<ActorDataEntry, 'ref' | 'source' | 'name'>): string {
  return e.source === 'attack'
    ? `ATT&CK ${e.ref.slice('attack:'.length)} (${e.name})`
    : `${SOURCE_LABEL[e.source]} ${e.name}`;
}

/** An ATT&CK group that is not revoked: the kind of entry evidence never joins to another. */
export function isAnchor(e: ActorDataEntry): boolean {
  return e.source === 'attack' && e.status !== 'revoked';
}

/**
 * Groups the entries into actors. See the module comment for the rules.
 *
 * @example
 * mergeEntries(data.entries, { isolated: new Map([['misp:…', 'tracked apart']]), analystEdges: [] });
 */
export function mergeEntries(
  entries: readonly ActorDataEntry[],
  options: MergeOptions,
): MergeOutcome {
  const index = new Map(entries.map((e, i) => [e.ref, i] as const));
  const sets = new DisjointSets(entries);
  const accepted: MergeEvidence[] = [];
  const setAside: SetAsideEvidence[] = [];
  const tiers = evidenceTiers(entries, index);
  for (const tier of tiers) {
    const usable: Edge[] = [];
    for (const edge of tier) {
      const split =
        options.isolated.get(entries[edge.a]!.ref) ?? options.isolated.get(entries[edge.b]!.ref);
      if (split === undefined) usable.push(edge);
      else setAside.push(evidence(edge, `split off by an analyst: ${split}`));
    }
    mergeTier(usable, sets, entries, accepted, setAside);
  }
  for (const edge of options.analystEdges) {
    const a = index.get(edge.from);
    const b = index.get(edge.to);
    if (a === undefined || b === undefined) continue;
    sets.union(a, b);
    accepted.push({
      kind: 'analyst-merge',
      from: edge.from,
      to: edge.to,
      text: `an analyst merged ${entryLabel(entries[a]!)} and ${entryLabel(entries[b]!)}: ${edge.reason}`,
    });
  }
  return { groups: sets.groups(), accepted, setAside };
}

/**
 * Applies one tier, in rounds. In each round every set that holds no ATT&CK
 * group looks at the ATT&CK groups its evidence points at directly, as the
 * sets stood when the round began: one group, or exactly one that has its
 * name, and it joins that group. Rounds repeat while sets join (evidence
 * reaching a group through another entry counts once that entry has joined).
 * A set still pointing at several groups then is contested and joins none;
 * sets without a group merge along their remaining evidence, and evidence
 * between two groups is set aside. Judging each round on a snapshot keeps the outcome independent of
 * the order of the edges.
 */
function mergeTier(
  edges: readonly Edge[],
  sets: DisjointSets,
  entries: readonly ActorDataEntry[],
  accepted: MergeEvidence[],
  setAside: SetAsideEvidence[],
): void {
  const label = (roots: readonly number[]): string =>
    [
      ...new Set(
        roots.map((r) => {
          const group = sets.members(r);
          return entryLabel(entries[group.find((m) => isAnchor(entries[m]!)) ?? group[0]!]!);
        }),
      ),
    ]
      .sort(compare)
      .join(' and ');
  let pending = [...edges];
  // Per set without a group: the groups its pending evidence points at.
  const targetsOf = (): Map<number, Map<number, Edge[]>> => {
    const toGroups = new Map<number, Map<number, Edge[]>>();
    for (const edge of pending) {
      const ra = sets.find(edge.a);
      const rb = sets.find(edge.b);
      const anchoredA = sets.anchorCount(ra) > 0;
      if (ra === rb || anchoredA === sets.anchorCount(rb) > 0) continue;
      const [loose, group] = anchoredA ? [rb, ra] : [ra, rb];
      getOrAdd(
        getOrAdd(toGroups, loose, () => new Map()),
        group,
        () => [],
      ).push(edge);
    }
    return toGroups;
  };
  for (;;) {
    const judged = new Set<Edge>();
    const joins: Edge[] = [];
    for (const [loose, byGroup] of targetsOf()) {
      const targets = [...byGroup.keys()].sort((x, y) => x - y);
      let chosen = targets.length === 1 ? targets[0] : undefined;
      if (chosen === undefined) {
        const names = new Set(sets.members(loose).map((m) => nameKey(entries[m]!.name)));
        const named = targets.filter((t) =>
          sets.members(t).some((m) => names.has(nameKey(entries[m]!.name))),
        );
        // Several and none named: wait, a later round may bring a named entry into one.
        if (named.length === 1) chosen = named[0];
      }
      if (chosen === undefined) continue;
      for (const [target, list] of byGroup) {
        list.forEach((e) => judged.add(e));
        if (target === chosen) joins.push(...list);
        else
          setAside.push(
            ...list.map((e) =>
              evidence(e, `the entry joined ${label([chosen])}, which has its name`),
            ),
          );
      }
    }
    if (joins.length === 0) break;
    for (const edge of joins) {
      sets.union(edge.a, edge.b);
      accepted.push(evidence(edge));
    }
    pending = pending.filter((e) => !judged.has(e));
  }
  const contested = new Map<number, string>();
  for (const [loose, byGroup] of targetsOf())
    contested.set(loose, `it points at ${label([...byGroup.keys()])}; which one is contested`);
  for (const edge of pending) {
    const ra = sets.find(edge.a);
    const rb = sets.find(edge.b);
    const anchoredA = sets.anchorCount(ra) > 0;
    const anchoredB = sets.anchorCount(rb) > 0;
    if (ra === rb || (!anchoredA && !anchoredB)) {
      sets.union(edge.a, edge.b);
      accepted.push(evidence(edge));
    } else if (anchoredA && anchoredB) {
      setAside.push(evidence(edge, `it would join ${label([ra, rb])}, which ATT&CK keeps apart`));
    } else {
      setAside.push(evidence(edge, contested.get(anchoredA ? rb : ra)!));
    }
  }
}

/** The evidence of the three source tiers, each sorted. */
function evidenceTiers(
  entries: readonly ActorDataEntry[],
  index: ReadonlyMap<string, number>,
): Edge[][] {
  const revoked: Edge[] = [];
  const ids: Edge[] = [];
  const names: Edge[] = [];
  const edge = (kind: MergeEvidenceKind, a: number, b: number, text: string): Edge => ({
    kind,
    a,
    b,
    from: entries[a]!.ref,
    to: entries[b]!.ref,
    text,
  });
  const unknownIds = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  entries.forEach((e, i) => getOrAdd(byName, nameKey(e.name), () => []).push(i));

  entries.forEach((e, i) => {
    if (e.revoked_by !== undefined) {
      const target = index.get(`attack:${e.revoked_by}`);
      if (target !== undefined)
        revoked.push(
          edge(
            'revoked-by',
            i,
            target,
            `${entryLabel(e)} is revoked-by ${e.revoked_by} (${entries[target]!.name})`,
          ),
        );
    }
    for (const id of e.attack_ids ?? []) {
      const target = index.get(`attack:${id}`);
      if (target !== undefined)
        ids.push(edge('attack-id', i, target, `${entryLabel(e)} lists ATT&CK id ${id}`));
      else getOrAdd(unknownIds, id, () => []).push(i);
    }
    const pairs = new Set<number>();
    for (const name of [e.name, ...(e.aliases ?? [])]) {
      for (const j of byName.get(nameKey(name)) ?? []) {
        const other = entries[j]!;
        if (other.source === e.source || pairs.has(j)) continue;
        pairs.add(j);
        if (name === e.name) {
          // Reported once per pair, from the entry that sorts first.
          if (compare(e.ref, other.ref) < 0)
            names.push(
              edge(
                'same-name',
                i,
                j,
                `${entryLabel(e)} and ${entryLabel(other)} have the same name`,
              ),
            );
        } else {
          const credit = e.schemes?.[name];
          const by = credit ? ` (credited to ${credit.join(', ')})` : '';
          names.push(
            edge(
              'names-entry',
              i,
              j,
              `${entryLabel(e)} lists '${name}'${by}, the name of ${entryLabel(other)}`,
            ),
          );
        }
      }
    }
  });
  for (const [id, holders] of [...unknownIds].sort((x, y) => compare(x[0], y[0]))) {
    const [first, ...rest] = [...new Set(holders)].sort((x, y) => x - y);
    for (const other of rest)
      ids.push(
        edge(
          'shared-attack-id',
          first!,
          other,
          `${entryLabel(entries[first!]!)} and ${entryLabel(entries[other]!)} both list ATT&CK id ${id}, which the ATT&CK data lacks`,
        ),
      );
  }
  const order = (x: Edge, y: Edge) => x.a - y.a || x.b - y.b || compare(x.kind, y.kind);
  return [revoked.sort(order), ids.sort(order), names.sort(order)];
}

function evidence(edge: Edge): MergeEvidence;
function evidence(edge: Edge, reason: string): SetAsideEvidence;
function evidence(edge: Edge, reason?: string): MergeEvidence | SetAsideEvidence {
  const e = { kind: edge.kind, from: edge.from, to: edge.to, text: edge.text };
  return reason === undefined ? e : { ...e, reason };
}

/** Union–find over entry indices that tracks each set's members and ATT&CK anchors. */
class DisjointSets {
  readonly #parent: number[];
  readonly #members: number[][];
  readonly #anchors: number[];
  constructor(entries: readonly ActorDataEntry[]) {
    this.#parent = entries.map((_, i) => i);
    this.#members = entries.map((_, i) => [i]);
    this.#anchors = entries.map((e) => (isAnchor(e) ? 1 : 0));
  }
  find(x: number): number {
    let root = x;
    while (this.#parent[root] !== root) root = this.#parent[root]!;
    while (x !== root) {
      const next = this.#parent[x]!;
      this.#parent[x] = root;
      x = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    // The smaller index stays the root, so roots (and thus group order) are input-independent.
    if (rb < ra) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#members[ra]!.push(...this.#members[rb]!);
    this.#members[rb] = [];
    this.#anchors[ra]! += this.#anchors[rb]!;
  }
  members(root: number): readonly number[] {
    return this.#members[this.find(root)]!;
  }
  anchorCount(root: number): number {
    return this.#anchors[this.find(root)]!;
  }
  groups(): number[][] {
    return this.#members
      .filter((members, i) => this.#parent[i] === i && members.length > 0)
      .map((members) => [...members].sort((x, y) => x - y));
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
