/**
 * Finds actor names by their {@link nameKey}: exactly, with a typo or two, or
 * by part of the name. Built once; each key is kept with its values (which
 * actor and alias it stands for) and bucketed by length, so a fuzzy lookup
 * compares only keys of a length the typo allowance can reach.
 *
 * @example
 * const index = new AliasIndex([['apt35', 0], ['charmingkitten', 0]]);
 * index.exact('apt35'); // [0]
 * index.nearest('charmngkitten'); // { distance: 1, matches: [{ key: 'charmingkitten', values: [0] }] }
 */
import { editDistance } from './edit-distance.js';
import { digitsOf } from './name-key.js';

/** Keys found at one distance from a query. */
export interface KeyMatch<V> {
  readonly key: string;
  readonly values: readonly V[];
}

/**
 * How many typos a query of this many characters may hold: none up to 4
 * ("apt3" must not find "apt5"), one up to 8, two beyond.
 *
 * @example
 * allowedTypos('phosphorous'.length); // 2
 */
export function allowedTypos(length: number): number {
  return length <= 4 ? 0 : length <= 8 ? 1 : 2;
}

export class AliasIndex<V> {
  readonly #values = new Map<string, V[]>();
  readonly #byLength = new Map<number, string[]>();
  readonly #digits = new Map<string, string>();
  readonly #letters = new Map<string, number>();

  constructor(entries: Iterable<readonly [key: string, value: V]>) {
    for (const [key, value] of entries) {
      if (key.length === 0) continue;
      let values = this.#values.get(key);
      if (values === undefined) {
        this.#values.set(key, (values = []));
        this.#digits.set(key, digitsOf(key));
        this.#letters.set(key, letterMask(key));
        let bucket = this.#byLength.get(key.length);
        if (bucket === undefined) this.#byLength.set(key.length, (bucket = []));
        bucket.push(key);
      }
      values.push(value);
    }
    for (const bucket of this.#byLength.values()) bucket.sort();
  }

  /** The values of exactly this key. */
  exact(key: string): readonly V[] {
    return this.#values.get(key) ?? [];
  }

  /**
   * The keys nearest to `key` within {@link allowedTypos} (never 0: an exact
   * key is {@link exact}'s job), with the same digits in the same order.
   */
  nearest(
    key: string,
  ): { readonly distance: number; readonly matches: readonly KeyMatch<V>[] } | undefined {
    const max = allowedTypos(key.length);
    if (max === 0) return undefined;
    const digits = digitsOf(key);
    const found = this.#within(key, max, (candidate) => this.#digits.get(candidate) === digits);
    const best = Math.min(...found.map((f) => f.distance));
    const matches = found.filter((f) => f.distance === best && best > 0);
    return matches.length === 0
      ? undefined
      : {
          distance: best,
          matches: matches.map(({ key: k }) => ({ key: k, values: this.exact(k) })),
        };
  }

  /**
   * Keys that start with `key` (rank 1) or contain it (rank 2), with the
   * exact key first (rank 0); in rank then key order.
   */
  partial(key: string): readonly (KeyMatch<V> & { readonly rank: 0 | 1 | 2 })[] {
    if (key.length === 0) return [];
    const hits: (KeyMatch<V> & { rank: 0 | 1 | 2 })[] = [];
    for (const [candidate, values] of this.#values) {
      const at = candidate.indexOf(key);
      if (at < 0) continue;
      hits.push({ key: candidate, values, rank: candidate === key ? 0 : at === 0 ? 1 : 2 });
    }
    return hits.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Keys up to `max` edits away, digits or not, nearest first: for "did you mean". */
  suggest(key: string, max: number): readonly (KeyMatch<V> & { readonly distance: number })[] {
    return this.#within(key, max, () => true)
      .sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : 1))
      .map(({ key: k, distance }) => ({ key: k, distance, values: this.exact(k) }));
  }

  /** Keys within `max` edits of `key` that pass `accept`; only lengths within reach are compared. */
  #within(
    key: string,
    max: number,
    accept: (candidate: string) => boolean,
  ): { key: string; distance: number }[] {
    const found: { key: string; distance: number }[] = [];
    const letters = letterMask(key);
    for (let length = Math.max(1, key.length - max); length <= key.length + max; length++) {
      for (const candidate of this.#byLength.get(length) ?? []) {
        // Cheap first: one edit changes at most two letters of the set of letters used.
        if (bitCount(letters ^ this.#letters.get(candidate)!) > 2 * max || !accept(candidate))
          continue;
        const distance = editDistance(key, candidate, max);
        if (distance <= max) found.push({ key: candidate, distance });
      }
    }
    return found;
  }
}

/** Which of a–z (bits 0–25) and anything else (bit 26) occur in the key. */
function letterMask(key: string): number {
  let mask = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i) - 97;
    mask |= c >= 0 && c < 26 ? 1 << c : 1 << 26;
  }
  return mask;
}

function bitCount(n: number): number {
  let count = 0;
  for (let v = n; v !== 0; v &= v - 1) count++;
  return count;
}
