/**
 * Analyst overrides of the merged actors, as a pure layer: each override is
 * plain data ({@link ActorOverride}), checked against the knowledge base as it
 * stands after the overrides before it, and turned into a change of the merge
 * input (an entry isolated, an analyst merge, an alias detached). Replaying
 * the same list on the same data always gives the same actors.
 *
 * @example
 * const kb2 = kb.withOverrides([{ op: 'split', entry: 'misp:c1d44f44-425e-48fd-b78b-84b988da8bc3', reason: 'tracked apart' }]);
 */
import type { ActorOverride } from '../domain/actor.js';
import type { AnalystEdge } from './actor-merge.js';
import { nameKey } from './name-key.js';

/** What the overrides so far change in the merge input. */
export interface OverrideState {
  /** Entries split off (ref → reason): no source evidence touching them counts. */
  readonly isolated: ReadonlyMap<string, string>;
  /** Alias keys an entry no longer lists (ref → keys). */
  readonly detached: ReadonlyMap<string, ReadonlySet<string>>;
  readonly analystEdges: readonly AnalystEdge[];
  /** Actor ids merges asked to keep, newest first. */
  readonly preferredIds: readonly string[];
  /** Each override applied, with the entries it touched (for `explain`). */
  readonly applied: readonly {
    readonly override: ActorOverride;
    readonly refs: readonly string[];
  }[];
}

export const NO_OVERRIDES: OverrideState = {
  isolated: new Map(),
  detached: new Map(),
  analystEdges: [],
  preferredIds: [],
  applied: [],
};

/** The actors as an override sees them when it is applied. */
export interface OverrideView {
  /** The actor an id, ATT&CK id or entry ref names. */
  actor(id: string): ViewActor | undefined;
  /** Whether an entry ref exists. */
  hasEntry(ref: string): boolean;
}

export interface ViewActor {
  readonly id: string;
  readonly name: string;
  /** Entry refs, with each entry's own name and the aliases it lists now. */
  readonly entries: readonly {
    readonly ref: string;
    readonly name: string;
    readonly aliases: readonly string[];
  }[];
}

/**
 * An override that cannot be applied: malformed, or naming an actor, entry or
 * alias the knowledge base does not have. `index` is its place in the list.
 *
 * @example
 * try { kb.withOverrides(list) } catch (e) { if (e instanceof ActorOverrideError) e.index; }
 */
export class ActorOverrideError extends Error {
  override readonly name = 'ActorOverrideError';
  readonly index: number;
  /** The problem, without the index. */
  readonly problem: string;
  constructor(index: number, problem: string) {
    super(`override ${index}: ${problem}`);
    this.index = index;
    this.problem = problem;
  }
}

const MAX_REASON = 2000;
const ENTRY_REF = /^(attack:G\d{4}|misp:[0-9a-f-]{36})$/;

/**
 * Checks an override's shape (for input from outside: HTTP, a file, a
 * database row) and returns it typed, or the problem as a sentence.
 *
 * @example
 * checkOverride({ op: 'merge', actors: ['G0059'], reason: 'x' });
 * // → { ok: false, error: 'merge: actors must be two actor ids' }
 */
export function checkOverride(
  value: unknown,
):
  | { readonly ok: true; readonly override: ActorOverride }
  | { readonly ok: false; readonly error: string } {
  const fail = (error: string) => ({ ok: false, error }) as const;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('an override must be an object with op, reason and the fields of its op');
  const o = value as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  const op = o.op;
  if (op !== 'split' && op !== 'merge' && op !== 'detach-alias')
    return fail(`op: expected split, merge or detach-alias, got ${JSON.stringify(op)}`);
  if (!text(o.reason) || (o.reason as string).length > MAX_REASON)
    return fail(`${op}: reason must be a non-empty string of at most ${MAX_REASON} characters`);
  const reason = o.reason as string;
  const known = {
    split: ['op', 'entry', 'reason'],
    merge: ['op', 'actors', 'reason'],
    'detach-alias': ['op', 'actor', 'alias', 'reason'],
  }[op];
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0)
    return fail(`${op}: unknown field ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  switch (op) {
    case 'split':
      if (typeof o.entry !== 'string' || !ENTRY_REF.test(o.entry))
        return fail('split: entry must be a source entry ref like attack:G0058 or misp:<uuid>');
      return { ok: true, override: { op, entry: o.entry, reason } };
    case 'merge': {
      const actors = o.actors;
      if (!Array.isArray(actors) || actors.length !== 2 || !actors.every(text))
        return fail('merge: actors must be two actor ids');
      return {
        ok: true,
        override: { op, actors: [actors[0] as string, actors[1] as string], reason },
      };
    }
    case 'detach-alias':
      if (!text(o.actor)) return fail('detach-alias: actor must be an actor id');
      if (!text(o.alias)) return fail('detach-alias: alias must be a name');
      return {
        ok: true,
        override: { op, actor: o.actor as string, alias: o.alias as string, reason },
      };
  }
}

/**
 * Applies one override to the state, checked against the view of the actors
 * it applies to; throws {@link ActorOverrideError} when it cannot.
 */
export function applyOverride(
  state: OverrideState,
  value: unknown,
  view: OverrideView,
  index: number,
): OverrideState {
  const checked = checkOverride(value);
  if (!checked.ok) throw new ActorOverrideError(index, checked.error);
  const override = checked.override;
  const applied = (refs: readonly string[]) => [...state.applied, { override, refs }];
  switch (override.op) {
    case 'split': {
      const { entry, reason } = override;
      if (!view.hasEntry(entry)) throw new ActorOverrideError(index, `split: no entry ${entry}`);
      const actor = view.actor(entry)!;
      if (actor.entries.length === 1)
        throw new ActorOverrideError(
          index,
          `split: entry ${entry} is already an actor of its own (${actor.id})`,
        );
      return {
        ...state,
        isolated: new Map([...state.isolated, [entry, reason]]),
        // A split also undoes earlier analyst merges through this entry.
        analystEdges: state.analystEdges.filter((e) => e.from !== entry && e.to !== entry),
        applied: applied([entry]),
      };
    }
    case 'merge': {
      const [a, b] = override.actors.map((id) => {
        const actor = view.actor(id);
        if (!actor) throw new ActorOverrideError(index, `merge: no actor ${id}`);
        return actor;
      }) as [ViewActor, ViewActor];
      if (a.id === b.id)
        throw new ActorOverrideError(
          index,
          `merge: ${override.actors[0]} and ${override.actors[1]} are already one actor (${a.id})`,
        );
      const edge = { from: a.entries[0]!.ref, to: b.entries[0]!.ref, reason: override.reason };
      return {
        ...state,
        analystEdges: [...state.analystEdges, edge],
        preferredIds: [a.id, ...state.preferredIds.filter((id) => id !== a.id)],
        applied: applied([edge.from, edge.to]),
      };
    }
    case 'detach-alias': {
      const actor = view.actor(override.actor);
      if (!actor) throw new ActorOverrideError(index, `detach-alias: no actor ${override.actor}`);
      const key = nameKey(override.alias);
      const own = actor.entries.find((e) => nameKey(e.name) === key);
      if (own)
        throw new ActorOverrideError(
          index,
          `detach-alias: '${override.alias}' is the name of entry ${own.ref} of ${actor.id}; split that entry instead`,
        );
      const listing = actor.entries.filter((e) => e.aliases.some((a) => nameKey(a) === key));
      if (key.length === 0 || listing.length === 0)
        throw new ActorOverrideError(
          index,
          `detach-alias: actor ${actor.id} (${actor.name}) has no alias '${override.alias}'`,
        );
      const detached = new Map(state.detached);
      for (const { ref } of listing)
        detached.set(ref, new Set([...(detached.get(ref) ?? []), key]));
      return { ...state, detached, applied: applied(listing.map((e) => e.ref)) };
    }
  }
}
