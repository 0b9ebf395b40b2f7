/**
 * How common each context is across all accounts: the "anyone" side of the
 * likelihood ratio (an attacker signs in from where people in general do,
 * not from where this user does). Counts of allowed, successful steps per
 * feature value ({@link valueKey}), bounded: when a table grows past its
 * limit, every count is halved and the ones that reach zero are dropped.
 *
 * @example
 * population.observe(featureKeys({ country: 'US' }));
 * population.probability(FEATURE.country, valueKey('US')); // close to 1 after many US sign-ins
 */
import { FEATURES } from './account-profile.js';
import type { FeatureKeys } from './account-profile.js';

const MAX_ENTRIES = 200_000;

export interface PopulationState {
  readonly totals: number[];
  /** Per feature: value keys and their counts. */
  readonly counts: [number[], number[]][];
}

export class Population {
  readonly #counts: Map<number, number>[] = FEATURES.map(() => new Map());
  readonly #totals: number[] = FEATURES.map(() => 0);

  observe(keys: FeatureKeys): void {
    for (let fi = 0; fi < this.#counts.length; fi++) {
      const k = keys[fi]!;
      if (k === 0) continue;
      const table = this.#counts[fi]!;
      table.set(k, (table.get(k) ?? 0) + 1);
      this.#totals[fi]!++;
      if (table.size > MAX_ENTRIES) this.#halve(fi);
    }
  }

  #halve(fi: number): void {
    const table = this.#counts[fi]!;
    let total = 0;
    for (const [k, n] of table) {
      const half = Math.floor(n / 2);
      if (half === 0) table.delete(k);
      else {
        table.set(k, half);
        total += half;
      }
    }
    this.#totals[fi] = total;
  }

  /** P(value) among everyone's steps, with add-one smoothing so unseen values are rare, not impossible. */
  probability(fi: number, key: number): number {
    const table = this.#counts[fi]!;
    return ((table.get(key) ?? 0) + 1) / (this.#totals[fi]! + table.size + 1);
  }

  /** Everything it knows, as plain data (for a snapshot). */
  export(): PopulationState {
    return {
      totals: [...this.#totals],
      counts: this.#counts.map((table) => [[...table.keys()], [...table.values()]]),
    };
  }

  /** Replaces what it knows with an {@link export}. */
  import(state: PopulationState): void {
    state.counts.forEach(([keys, counts], fi) => {
      const table = this.#counts[fi]!;
      table.clear();
      for (let i = 0; i < keys.length; i++) table.set(keys[i]!, counts[i]!);
      this.#totals[fi] = state.totals[fi]!;
    });
  }

  /** Steps observed for a feature (how much the population knows). */
  total(fi: number): number {
    return this.#totals[fi]!;
  }
}
