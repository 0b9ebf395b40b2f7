/**
 * How rare each ATT&CK technique is among the actors of a knowledge base — an
 * inverse document frequency over the actors that have a technique profile —
 * with the index attribution needs: technique → actors, technique family
 * (the parent and all its sub-techniques) → actors, each actor's profile as a
 * set. Built once per knowledge base and cached, so attributing a campaign
 * costs a few lookups (docs/ATTRIBUTION.md).
 *
 * Only actors with at least one technique count: the other ones (MISP-only
 * actors, about 900 of 1,057) are not known *not* to use a technique, they
 * are simply not profiled, and counting them would make every technique look
 * rare.
 *
 * @example
 * const rarity = TechniqueRarity.of(kb);
 * rarity.users('T1114.003'); // 5 (of rarity.profiled = 168)
 * rarity.weight('T1114.003'); // 0.69; rarity.weight('T1078') ≈ 0.26
 */
import type { Actor } from '../domain/actor.js';
import type { ActorKnowledgeBase } from './actor-knowledge-base.js';

const cache = new WeakMap<ActorKnowledgeBase, TechniqueRarity>();

/**
 * The technique's family: the parent technique's id (`T1110` for
 * `T1110.003` and for `T1110`).
 *
 * @example
 * techniqueFamily('T1110.003'); // 'T1110'
 */
export function techniqueFamily(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/**
 * Rarity and the technique index of one knowledge base; read-only once built.
 *
 * @example
 * const rarity = TechniqueRarity.of(kb);
 * rarity.weight('T1621') > rarity.weight('T1078'); // true: 3 actors list it, 44 list Valid Accounts
 */
export class TechniqueRarity {
  readonly #profiled: number;
  readonly #byTechnique = new Map<string, Actor[]>();
  readonly #byFamily = new Map<string, Actor[]>();
  readonly #profiles = new Map<Actor, ReadonlySet<string>>();
  /** Per actor: family → the ids it lists in that family. */
  readonly #families = new Map<Actor, ReadonlyMap<string, readonly string[]>>();

  /**
   * Indexes the actors' technique profiles. Prefer {@link TechniqueRarity.of},
   * which builds this once per knowledge base.
   *
   * @example
   * const rarity = new TechniqueRarity(kb.all());
   */
  constructor(actors: readonly Actor[]) {
    let profiled = 0;
    for (const actor of actors) {
      if (actor.techniques.length === 0) continue;
      profiled += 1;
      const ids = new Set(actor.techniques.map((t) => t.id));
      this.#profiles.set(actor, ids);
      const families = new Map<string, string[]>();
      for (const id of ids) {
        push(this.#byTechnique, id, actor);
        push(families, techniqueFamily(id), id);
      }
      this.#families.set(actor, families);
      for (const family of families.keys()) push(this.#byFamily, family, actor);
    }
    this.#profiled = profiled;
  }

  /**
   * The index of this knowledge base, built on first use and kept as long as
   * the knowledge base lives.
   *
   * @example
   * TechniqueRarity.of(kb) === TechniqueRarity.of(kb); // true
   */
  static of(kb: ActorKnowledgeBase): TechniqueRarity {
    let rarity = cache.get(kb);
    if (!rarity) cache.set(kb, (rarity = new TechniqueRarity(kb.all())));
    return rarity;
  }

  /**
   * How many actors have a technique profile: the population rarity is
   * measured in.
   *
   * @example
   * TechniqueRarity.of(kb).profiled; // 168
   */
  get profiled(): number {
    return this.#profiled;
  }

  /**
   * How many profiled actors list exactly this technique.
   *
   * @example
   * rarity.users('T1110.003'); // 11
   */
  users(id: string): number {
    return this.#byTechnique.get(id)?.length ?? 0;
  }

  /**
   * How many profiled actors list the technique's parent or any of its
   * sub-techniques.
   *
   * @example
   * rarity.familyUsers('T1110.003'); // actors listing T1110, T1110.001, … or T1110.004
   */
  familyUsers(id: string): number {
    return this.#byFamily.get(techniqueFamily(id))?.length ?? 0;
  }

  /**
   * The technique's rarity in [0, 1]: `ln(N / n) / ln(N)` for `n` of `N`
   * profiled actors listing it — 1 when one actor does, 0 when all do, about
   * 0.13 when half do. A technique nobody lists weighs 1 (it is as
   * surprising as can be, and no actor earns it).
   *
   * @example
   * rarity.weight('T1098.005'); // 1 (one actor)
   */
  weight(id: string): number {
    return this.#idf(this.users(id));
  }

  /**
   * The rarity of the technique's family (parent and sub-techniques
   * together): what a match at the parent level is worth.
   *
   * @example
   * rarity.familyWeight('T1114.003') <= rarity.weight('T1114.003'); // true
   */
  familyWeight(id: string): number {
    return this.#idf(this.familyUsers(id));
  }

  /**
   * The profiled actors that list something in the technique's family: every
   * actor a campaign showing it could overlap with.
   *
   * @example
   * rarity.actorsInFamily('T1110.003').map((a) => a.id); // ['G0007', 'G0016', …]
   */
  actorsInFamily(id: string): readonly Actor[] {
    return this.#byFamily.get(techniqueFamily(id)) ?? [];
  }

  /**
   * The actor's technique ids; empty for an actor without a profile.
   *
   * @example
   * rarity.profile(kb.get('G0059')!).has('T1586.002'); // true
   */
  profile(actor: Actor): ReadonlySet<string> {
    return this.#profiles.get(actor) ?? EMPTY;
  }

  /**
   * The ids the actor lists in the technique's family (the parent and its
   * sub-techniques), sorted.
   *
   * @example
   * rarity.listedInFamily(kb.get('G0059')!, 'T1114.003'); // ['T1114', 'T1114.001', 'T1114.002']
   */
  listedInFamily(actor: Actor, id: string): readonly string[] {
    return this.#families.get(actor)?.get(techniqueFamily(id)) ?? [];
  }

  #idf(users: number): number {
    const n = this.#profiled;
    if (users <= 0 || n <= 1) return 1;
    return Math.log(n / users) / Math.log(n);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
