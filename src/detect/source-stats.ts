/**
 * Cross-account view of sources (an IP, a /24, a client string): how many
 * accounts each one *attempted* from where it was new to the account
 * (failed sign-ins, reset requests, failed challenges), and how many accounts
 * use it as a familiar, successful place — the corporate VPN or a carrier
 * NAT, which must not look like a spray.
 *
 * Bounded: each source keeps at most {@link MAX_ACCOUNTS} accounts per side,
 * and entries older than the window fall out as they are touched.
 *
 * @example
 * sources.attempt('ip:203.0.113.7', 'u-1', time);
 * sources.spread('ip:203.0.113.7', time); // { attempted: 1, familiar: 0 }
 */
const MAX_ACCOUNTS = 512;
const MAX_SOURCES = 500_000;

interface SourceEntry {
  readonly attempted: Map<string, number>;
  readonly familiar: Map<string, number>;
}

export class SourceStats {
  readonly #sources = new Map<string, SourceEntry>();
  readonly #windowMs: number;

  constructor(windowMs = 7 * 86_400_000) {
    this.#windowMs = windowMs;
  }

  #entry(key: string): SourceEntry {
    let e = this.#sources.get(key);
    if (!e) {
      if (this.#sources.size >= MAX_SOURCES) {
        // Forget the oldest-inserted source: bounded memory under a flood of addresses.
        const oldest = this.#sources.keys().next().value;
        if (oldest !== undefined) this.#sources.delete(oldest);
      }
      e = { attempted: new Map(), familiar: new Map() };
      this.#sources.set(key, e);
    }
    return e;
  }

  /** A hostile-looking step from a source new to the account. */
  attempt(key: string, account: string, time: number): void {
    this.#note(this.#entry(key).attempted, account, time);
  }

  /** An allowed, successful step from a source familiar to the account. */
  familiar(key: string, account: string, time: number): void {
    this.#note(this.#entry(key).familiar, account, time);
  }

  #note(map: Map<string, number>, account: string, time: number): void {
    map.delete(account); // re-insert: Map order is then oldest first
    map.set(account, time);
    if (map.size > MAX_ACCOUNTS) map.delete(map.keys().next().value!);
    for (const [a, t] of map) {
      if (time - t <= this.#windowMs) break;
      map.delete(a);
    }
  }

  /** Distinct accounts in the window: attempted from this source, and using it familiarly. */
  spread(key: string, time: number): { attempted: number; familiar: number } {
    const e = this.#sources.get(key);
    if (!e) return { attempted: 0, familiar: 0 };
    const count = (map: Map<string, number>) => {
      let n = 0;
      for (const t of map.values()) if (t <= time && time - t <= this.#windowMs) n++;
      return n;
    };
    return { attempted: count(e.attempted), familiar: count(e.familiar) };
  }
}
