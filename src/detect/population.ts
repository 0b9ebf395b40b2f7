/**
 * How common each context is across all accounts: the "anyone" side of the
 * likelihood ratio (an attacker signs in from where people in general do,
 * not from where this user does). Counts of allowed, successful steps per
 * feature value, bounded: when a table grows past its limit, every count is
 * halved and the ones that reach zero are dropped.
 *
 * @example
 * population.observe({ country: 'US' });
 * population.probability('country', 'US'); // close to 1 after many US sign-ins
 */
import { FEATURES } from './account-profile.js';
import type { Feature, FeatureValues } from './account-profile.js';

const MAX_ENTRIES = 200_000;

export class Population {
  readonly #counts = new Map<Feature, Map<string, number>>(FEATURES.map((f) => [f, new Map()]));
  readonly #totals = new Map<Feature, number>(FEATURES.map((f) => [f, 0]));

  observe(values: FeatureValues): void {
    for (const f of FEATURES) {
      const v = values[f];
      if (v === undefined) continue;
      const table = this.#counts.get(f)!;
      table.set(v, (table.get(v) ?? 0) + 1);
      this.#totals.set(f, this.#totals.get(f)! + 1);
      if (table.size > MAX_ENTRIES) this.#halve(f);
    }
  }

  #halve(f: Feature): void {
    const table = this.#counts.get(f)!;
    let total = 0;
    for (const [k, n] of table) {
      const half = Math.floor(n / 2);
      if (half === 0) table.delete(k);
      else {
        table.set(k, half);
        total += half;
      }
    }
    this.#totals.set(f, total);
  }

  /** P(value) among everyone's steps, with add-one smoothing so unseen values are rare, not impossible. */
  probability(feature: Feature, value: string): number {
    const table = this.#counts.get(feature)!;
    return ((table.get(value) ?? 0) + 1) / (this.#totals.get(feature)! + table.size + 1);
  }

  /** Steps observed for a feature (how much the population knows). */
  total(feature: Feature): number {
    return this.#totals.get(feature)!;
  }
}
