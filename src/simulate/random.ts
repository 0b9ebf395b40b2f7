/**
 * Seeded pseudo-random numbers for the simulator.
 *
 * Every byte the simulator writes must follow from the seed alone, so nothing
 * here touches `Math.random` or the clock. The generator is sfc32 (small, fast,
 * passes PractRand well beyond what we draw); {@link deriveSeed} turns a seed
 * plus a path such as `('benign', accountIndex)` into an independent stream, so
 * adding an attack scenario never shifts the benign background of an account.
 *
 * @example
 * const rng = new Random(deriveSeed(42, 'benign', 7));
 * const hour = rng.int(8, 18);
 * const ua = rng.pick(['a', 'b']);
 */

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Four 32-bit words of generator state. */
export type SeedState = readonly [number, number, number, number];

/** murmur3's 32-bit finaliser: cheap, and it spreads every input bit over the output. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Derive the state of an independent stream from a seed and a path of labels.
 * The same arguments always give the same state; any change gives an unrelated one.
 *
 * @example
 * deriveSeed(1, 'attack', 'password-spray', 0);
 */
export function deriveSeed(seed: number, ...path: readonly (string | number)[]): SeedState {
  // Split the (up to 53-bit) seed into two words so seeds above 2^32 still differ.
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.floor(seed / 0x100000000));
  for (const part of path) {
    if (typeof part === 'number') {
      h = mix32(h ^ mix32((part >>> 0) + 0x7f4a7c15));
      h = mix32(h ^ Math.floor(part / 0x100000000));
    } else {
      for (let i = 0; i < part.length; i++)
        h = mix32(Math.imul(h ^ part.charCodeAt(i), 0x01000193));
      h = mix32(h ^ 0xff);
    }
  }
  const a = mix32(h ^ 0x243f6a88);
  const b = mix32(a ^ 0x85a308d3);
  const c = mix32(b ^ 0x13198a2e);
  const d = mix32(c ^ 0x03707344);
  return [a, b, c, d];
}

/**
 * A seeded stream of random values (sfc32).
 *
 * @example
 * const rng = new Random(deriveSeed(3, 'org'));
 * rng.chance(0.1); rng.int(1, 3); rng.pick(['x', 'y']);
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(state: SeedState) {
    [this.#a, this.#b, this.#c, this.#d] = state;
    // Warm up: the first outputs of sfc32 from related states are correlated.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  real(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. The array must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One element, with probability proportional to `weight(item)`. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1] as T;
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal value with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson-distributed count with mean `lambda` (Knuth; lambda is small here). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A new array with the items in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** `count` distinct items (or all of them if there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, count));
  }

  /**
   * `count` distinct items drawn without replacement, each with probability
   * proportional to its weight (Efraimidis–Spirakis keys), in random order.
   */
  weightedSample<T>(items: readonly T[], count: number, weight: (item: T) => number): T[] {
    const keyed: { item: T; key: number }[] = [];
    for (const item of items) {
      const w = weight(item);
      if (w > 0) keyed.push({ item, key: Math.log(1 - this.next()) / w });
    }
    keyed.sort((a, b) => b.key - a.key);
    return this.shuffle(keyed.slice(0, Math.max(0, count)).map((k) => k.item));
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i += 2) {
      const byte = HEX_BYTES[this.uint32() & 255] as string;
      s += i + 1 < length ? byte : byte[0];
    }
    return s;
  }
}
