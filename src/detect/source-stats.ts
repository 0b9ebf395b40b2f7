/**
 * Cross-account view of sources (an IP, a /24, a client string): how many
 * accounts each one *attempted* from where it was new to the account
 * (failed sign-ins, reset requests, failed challenges), and how many accounts
 * use it as a familiar, successful place — the corporate VPN or a carrier
 * NAT, which must not look like a spray — and how many have settled on it:
 * use it as their own network, trusted over several steps (shared egress,
 * shared-egress.ts).
 *
 * Bounded: each source keeps at most {@link MAX_ACCOUNTS} accounts per side
 * (the engine's account numbers, with the time last seen, in whole seconds),
 * entries older than the window do not count and make room, and at most
 * {@link MAX_SOURCES} sources are kept: when full, the oldest-inserted source
 * not touched within the window goes (a busy one gets a second chance).
 *
 * @example
 * sources.attempt({ kind: 'ip', value: '203.0.113.7' }, 1, time);
 * sources.spread({ kind: 'ip', value: '203.0.113.7' }, time); // { attempted: 1, familiar: 0 }
 */
import type { SourceKey, SourceKind } from './source-keys.js';

const MAX_ACCOUNTS = 512;

/** A source: its value, when last touched, and its account/time pairs (attempted, familiar, settled). */
type SourceStateEntry = [string, number, number[] | null, number[] | null, (number[] | null)?];
export type SourceStatsState = Record<SourceKind, SourceStateEntry[]>;
const MAX_SOURCES = 1_000_000;

/**
 * The accounts a source was seen with, and when (s). Most sources have a
 * few, kept as flat pairs (account, time): small, and a scan of them is
 * cheap. A shared one (a browser string, a corporate egress) has hundreds,
 * and every event from it would scan them all to find its account: past
 * {@link LIST_PAIRS} they move to a map, least recently touched first.
 */
type Sightings = number[] | Map<number, number>;
const LIST_PAIRS = 16;
const REORDER_S = 3600;

class SourceEntry {
  attempted: Sightings | undefined = undefined;
  familiar: Sightings | undefined = undefined;
  settled: Sightings | undefined = undefined;
  /** Last touched (s). */
  touched = 0;
}

/** Flat pairs, whichever form the sightings take (a snapshot's form). */
function pairs(seen: Sightings | undefined): number[] | null {
  if (!seen) return null;
  if (Array.isArray(seen)) return seen.slice();
  const out: number[] = [];
  for (const [account, s] of seen) out.push(account, s);
  return out;
}

function fromPairs(list: number[] | null): Sightings | undefined {
  if (!list) return undefined;
  return list.length <= 2 * LIST_PAIRS ? list : toMap(list);
}

/** Pairs as a map, least recently seen first. */
function toMap(list: readonly number[]): Map<number, number> {
  const order = Array.from({ length: list.length / 2 }, (_, i) => 2 * i).sort(
    (a, b) => list[a + 1]! - list[b + 1]!,
  );
  return new Map(order.map((i) => [list[i]!, list[i + 1]!] as [number, number]));
}

export class SourceStats {
  readonly #maps: Record<SourceKind, Map<string, SourceEntry>> = {
    ip: new Map(),
    network: new Map(),
    client: new Map(),
  };
  #size = 0;
  readonly #windowS: number;
  /**
   * The last entry looked up, per kind: an event's detectors and learning
   * ask about the same few keys several times, and a lookup in maps of
   * hundreds of thousands of addresses and client strings is not free.
   */
  readonly #last: Record<SourceKind, { value: string; entry: SourceEntry | undefined }> = {
    ip: { value: '', entry: undefined },
    network: { value: '', entry: undefined },
    client: { value: '', entry: undefined },
  };

  constructor(windowMs = 7 * 86_400_000) {
    this.#windowS = windowMs / 1000;
  }

  /** Sources tracked. */
  get size(): number {
    return this.#size;
  }

  #find(key: SourceKey): SourceEntry | undefined {
    const last = this.#last[key.kind];
    if (last.value === key.value) return last.entry;
    const e = this.#maps[key.kind].get(key.value);
    last.value = key.value;
    last.entry = e;
    return e;
  }

  #entry(key: SourceKey, s: number): SourceEntry {
    let e = this.#find(key);
    if (!e) {
      const map = this.#maps[key.kind];
      if (this.#size >= MAX_SOURCES) this.#evict(map, s);
      e = new SourceEntry();
      map.set(key.value, e);
      this.#size++;
      this.#last[key.kind].entry = e;
    }
    e.touched = s;
    return e;
  }

  #forget(): void {
    for (const last of Object.values(this.#last)) {
      last.value = '';
      last.entry = undefined;
    }
  }

  /** Forgets the oldest-inserted source of a kind, giving recently touched ones a second chance. */
  #evict(map: Map<string, SourceEntry>, s: number): void {
    for (let tries = 0; tries < 16; tries++) {
      const first = map.entries().next();
      if (first.done) return;
      const [value, entry] = first.value;
      map.delete(value);
      this.#forget();
      if (tries < 15 && s - entry.touched <= this.#windowS) {
        map.set(value, entry); // busy: to the back of the queue
        continue;
      }
      this.#size--;
      return;
    }
  }

  /** A hostile-looking step from a source new to the account. */
  attempt(key: SourceKey, account: number, time: number): void {
    const s = Math.floor(time / 1000);
    const e = this.#entry(key, s);
    e.attempted = this.#note(e.attempted, account, s);
  }

  /** An allowed, successful step from a source familiar to the account. */
  familiar(key: SourceKey, account: number, time: number): void {
    const s = Math.floor(time / 1000);
    const e = this.#entry(key, s);
    e.familiar = this.#note(e.familiar, account, s);
  }

  /** An allowed success from a network the account has trusted over several steps. */
  settle(key: SourceKey, account: number, time: number): void {
    const s = Math.floor(time / 1000);
    const e = this.#entry(key, s);
    e.settled = this.#note(e.settled, account, s);
  }

  #note(seen: Sightings | undefined, account: number, s: number): Sightings {
    if (!seen) return [account, s];
    if (!Array.isArray(seen)) return this.#noteMap(seen, account, s);
    const list = seen;
    let free = -1;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === account) {
        if (s > list[i + 1]!) list[i + 1] = s;
        return list;
      }
      const t = list[i + 1]!;
      if (free === -1 && s - t > this.#windowS) free = i;
    }
    if (free === -1 && list.length < 2 * LIST_PAIRS) {
      list.push(account, s);
      return list;
    }
    if (free !== -1) {
      list[free] = account;
      list[free + 1] = s;
      return list;
    }
    return this.#noteMap(toMap(list), account, s);
  }

  /**
   * A shared source: the account moves to the back when seen again (an hour
   * or more later); when full, the one at the front goes: the least recently
   * seen, to within an hour, as events arrive in about time order.
   */
  #noteMap(map: Map<number, number>, account: number, s: number): Map<number, number> {
    const t = map.get(account);
    if (t !== undefined) {
      if (s <= t) return map;
      // Moved to the back at most once an hour: the order need not be exact
      // to pick an account not seen for long, and a move costs a delete.
      if (s - t > REORDER_S) map.delete(account);
      map.set(account, s);
      return map;
    }
    if (map.size >= MAX_ACCOUNTS) map.delete(map.keys().next().value!);
    map.set(account, s);
    return map;
  }

  /** Everything it knows, as plain data (for a snapshot). */
  export(): SourceStatsState {
    const kind = (map: Map<string, SourceEntry>): SourceStateEntry[] =>
      // Copies: the lists change in place as events arrive.
      [...map].map(([value, e]) => [
        value,
        e.touched,
        pairs(e.attempted),
        pairs(e.familiar),
        pairs(e.settled),
      ]);
    return {
      ip: kind(this.#maps.ip),
      network: kind(this.#maps.network),
      client: kind(this.#maps.client),
    };
  }

  /** Replaces what it knows with an {@link export}. */
  import(state: SourceStatsState): void {
    this.#size = 0;
    this.#forget();
    for (const k of ['ip', 'network', 'client'] as const) {
      const map = this.#maps[k];
      map.clear();
      for (const [value, touched, attempted, familiar, settled] of state[k]) {
        const e = new SourceEntry();
        e.touched = touched;
        e.attempted = fromPairs(attempted);
        e.familiar = fromPairs(familiar);
        e.settled = fromPairs(settled ?? null);
        map.set(value, e);
        this.#size++;
      }
    }
  }

  /** Distinct accounts in the window: attempted from this source, and using it familiarly. */
  spread(key: SourceKey, time: number): { attempted: number; familiar: number } {
    const e = this.#find(key);
    if (!e) return { attempted: 0, familiar: 0 };
    const s = time / 1000;
    return { attempted: this.#count(e.attempted, s), familiar: this.#count(e.familiar, s) };
  }

  /**
   * Accounts attempted in the window, when at least `min` (else 0, often
   * without counting: a list shorter than `min` cannot hold that many).
   */
  attemptedAtLeast(key: SourceKey, time: number, min: number): number {
    const seen = this.#find(key)?.attempted;
    if (!seen || (Array.isArray(seen) ? seen.length / 2 : seen.size) < min) return 0;
    const n = this.#count(seen, time / 1000);
    return n >= min ? n : 0;
  }

  /** Accounts using it familiarly in the window, counted up to `limit` (a busy browser string has hundreds). */
  familiarUpTo(key: SourceKey, time: number, limit: number): number {
    return this.#count(this.#find(key)?.familiar, time / 1000, limit);
  }

  /** Accounts settled on it in the window, counted up to `limit`. */
  settledUpTo(key: SourceKey, time: number, limit: number): number {
    return this.#count(this.#find(key)?.settled, time / 1000, limit);
  }

  #count(seen: Sightings | undefined, s: number, limit = Infinity): number {
    if (!seen) return 0;
    let n = 0;
    if (Array.isArray(seen)) {
      for (let i = 1; i < seen.length && n < limit; i += 2) {
        const t = seen[i]!;
        if (t <= s && s - t <= this.#windowS) n++;
      }
      return n;
    }
    for (const t of seen.values()) {
      if (t <= s && s - t <= this.#windowS && ++n >= limit) break;
    }
    return n;
  }
}
