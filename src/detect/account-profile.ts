/**
 * What Tripline knows about one account's normal behaviour, updated in event
 * time: the networks, ASNs, countries, devices and clients it signs in from
 * (weights that halve every 30 days, at most {@link MAX_VALUES} per feature),
 * its usual hours, its last trusted location, and its recent resets, failed
 * challenges and risky moments.
 *
 * Learning must not launder an attacker: context seen in a risky step is
 * kept apart as *tentative* and counts as familiar only once the user proves
 * it (an MFA step allowed from it, or an analyst's verdict).
 *
 * Compact by design (issue #3: ~2 KB per active account at most): a profile
 * is 964 bytes in a shared {@link ProfileArena} slab, feature values are kept
 * as 30-bit keys ({@link valueKey}) rather than strings, times as whole
 * seconds and weights as 32-bit floats. Two values of one feature of one
 * account sharing a key (about 1 in 10⁸ per account) would count as one.
 *
 * @example
 * const p = new AccountProfile();
 * const keys = featureKeys(features);
 * p.learn(keys, time, hour);     // an allowed, successful step
 * p.trusted(FEATURE.device, keys[FEATURE.device]); // 1 after one sighting, decaying
 */

export const FEATURES = ['network', 'asn', 'country', 'device', 'client'] as const;
export type Feature = (typeof FEATURES)[number];
export type FeatureValues = Partial<Record<Feature, string>>;
/** Index of each feature in {@link FeatureKeys}. */
export const FEATURE = { network: 0, asn: 1, country: 2, device: 3, client: 4 } as const;
/** One key per feature, in {@link FEATURES} order; 0 where the event has no value. */
export type FeatureKeys = readonly number[];

export const MAX_VALUES = 6;
/** An account with fewer trusted steps than this is {@link AccountProfile.young}. */
export const YOUNG_STEPS = 3;
/**
 * Trusted weight (about this many trusted steps, decayed) from which a
 * network is the account's own (source-spread, shared egress).
 */
export const OWN_NETWORK_WEIGHT = 3;
const NF = FEATURES.length;
const SLOTS = NF * MAX_VALUES;
const HALF_LIFE_S = 30 * 86_400;
const RECENT = 12;

/** The recent-activity rings a profile keeps (the last {@link RECENT} of each). */
export const RING = { resets: 0, failedChallenges: 1, failedSignins: 2 } as const;
export type Ring = (typeof RING)[keyof typeof RING];

// Layout, in 4-byte cells (u: Uint32Array, f: Float32Array over one buffer).
const KEY = 0; // u, per slot
const W = KEY + SLOTS; // f, per slot: decayed weight
const SINCE = W + SLOTS; // u (s), per slot: first successful risky sighting
const LAST = SINCE + SLOTS; // u (s), per slot: last counted sighting (tentative), last trusted use
const META = LAST + SLOTS; // u, per slot: sightings | TENTATIVE
const TOTAL = META + SLOTS; // f, per feature: trusted weight
const HOURS = TOTAL + NF; // f × 24
const DECAYED = HOURS + 24; // u (s): weights decayed to this time
const LEARNED = DECAYED + 1; // u
const LOC_LAT = LEARNED + 1; // f
const LOC_LON = LOC_LAT + 1; // f
const LOC_T = LOC_LON + 1; // u (s), 0: none
const LOC_CC = LOC_T + 1; // u: two letters
const RISK_T = LOC_CC + 1; // u (s), 0: none
const RISK_SCORE = RISK_T + 1; // f
const RISK_SESSION = RISK_SCORE + 1; // u: key, 0: none
const LL_T = RISK_SESSION + 1; // u (s), 0: none — the last learned step
const LL_SESSION = LL_T + 1; // u
const LL_KEYS = LL_SESSION + 1; // u × NF
const RINGS = LL_KEYS + NF; // u (s) × 3 × RECENT
const RING_HEAD = RINGS + 3 * RECENT; // u × 3
const EXPOSED_T = RING_HEAD + 3; // u (s), 0: none — the password last accepted in a risky step
const EXPOSED_SCORE = EXPOSED_T + 1; // f
const RAISED_T = EXPOSED_SCORE + 1; // u (s), 0: none — raised sensitivity until
const RAISED_BY = RAISED_T + 1; // u: the engine's number of the compromised account
const ARRIVED_T = RAISED_BY + 1; // u (s), 0: none — the last allowed sign-in from somewhere new
const ARRIVED_SESSION = ARRIVED_T + 1; // u: key, 0: none
const ACCOUNT = ARRIVED_SESSION + 1; // u: the engine's number for the account
/** Bytes per profile. */
export const PROFILE_BYTES = (ACCOUNT + 1) * 4;
const CELLS = ACCOUNT + 1;

const TENTATIVE = 0x100;
const SIGHTINGS = 0xff;

/**
 * A tentative context used successfully on this many separate half-days,
 * over at least {@link TESTED_SPAN_S}, becomes familiar: the owner of a new
 * phone keeps using it day after day, while an attacker's steps after a reset
 * come minutes apart and stay unfamiliar.
 */
const TESTED_SIGHTINGS = 3;
const TESTED_SPAN_S = 2 * 86_400;
const SIGHTING_GAP_S = 12 * 3_600;

export interface Location {
  readonly latitude: number;
  readonly longitude: number;
  /** ms since the epoch (whole seconds). */
  readonly time: number;
  readonly country?: string;
}

/** A moment in an account's history and the session it was in. */
export interface SessionMark {
  /** ms since the epoch (whole seconds). */
  readonly time: number;
  /** {@link valueKey} of the session id, 0 when it had none. */
  readonly session: number;
}

export interface RiskMark extends SessionMark {
  readonly score: number;
}

/**
 * A 30-bit key for a feature value or session id (FNV-1a, never 0). Small
 * integers, so maps keyed by them hold no strings.
 */
export function valueKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 2 || 1;
}

/** The keys of an event's feature values, in {@link FEATURES} order. */
export function featureKeys(values: FeatureValues): number[] {
  return [
    values.network === undefined ? 0 : valueKey(values.network),
    values.asn === undefined ? 0 : valueKey(values.asn),
    values.country === undefined ? 0 : valueKey(values.country),
    values.device === undefined ? 0 : valueKey(values.device),
    values.client === undefined ? 0 : valueKey(values.client),
  ];
}

const sec = (ms: number) => Math.max(1, Math.floor(ms / 1000));

/** Slabs that profiles live in: one allocation per {@link CHUNK} profiles. */
export class ProfileArena {
  readonly #chunks: Uint32Array[] = [];
  #u: Uint32Array = new Uint32Array(0);
  #f: Float32Array = new Float32Array(0);
  #used = CHUNK;
  /** Profiles allocated, in order. */
  count = 0;
  /** Bytes allocated so far. */
  bytes = 0;

  allocate(): { u: Uint32Array; f: Float32Array; base: number } {
    if (this.#used === CHUNK) {
      const buffer = new ArrayBuffer(CHUNK * CELLS * 4);
      this.#u = new Uint32Array(buffer);
      this.#f = new Float32Array(buffer);
      this.#chunks.push(this.#u);
      this.#used = 0;
      this.bytes += buffer.byteLength;
    }
    this.count++;
    return { u: this.#u, f: this.#f, base: this.#used++ * CELLS };
  }

  /** Every profile's bytes, in allocation order (for a snapshot). */
  dump(): Uint8Array {
    const out = new Uint8Array(this.count * PROFILE_BYTES);
    const perChunk = CHUNK * PROFILE_BYTES;
    for (let c = 0; c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!;
      const bytes = Math.min(perChunk, out.length - c * perChunk);
      out.set(new Uint8Array(chunk.buffer, 0, bytes), c * perChunk);
    }
    return out;
  }

  /** Overwrites the profiles allocated so far with `bytes` from {@link dump}. */
  load(bytes: Uint8Array): void {
    if (bytes.length !== this.count * PROFILE_BYTES)
      throw new Error(
        `profile data is ${bytes.length} bytes, expected ${this.count * PROFILE_BYTES}`,
      );
    const perChunk = CHUNK * PROFILE_BYTES;
    for (let c = 0; c < this.#chunks.length; c++) {
      const part = bytes.subarray(c * perChunk, Math.min(bytes.length, (c + 1) * perChunk));
      new Uint8Array(this.#chunks[c]!.buffer).set(part);
    }
  }
}
const CHUNK = 4096;

export class AccountProfile {
  readonly #u: Uint32Array;
  readonly #f: Float32Array;
  readonly #b: number;

  /** In `arena` when given (the engine's), else in a buffer of its own. */
  constructor(arena?: ProfileArena, account = 0) {
    if (arena) {
      const { u, f, base } = arena.allocate();
      this.#u = u;
      this.#f = f;
      this.#b = base;
    } else {
      const buffer = new ArrayBuffer(CELLS * 4);
      this.#u = new Uint32Array(buffer);
      this.#f = new Float32Array(buffer);
      this.#b = 0;
    }
    this.#u[this.#b + ACCOUNT] = account;
  }

  /** The engine's number for this account (cross-account statistics key on it). */
  get account(): number {
    return this.#u[this.#b + ACCOUNT]!;
  }

  /** Successful steps learned from, ever. */
  get learned(): number {
    return this.#u[this.#b + LEARNED]!;
  }

  /**
   * Too little history to vouch for any context (fewer than
   * {@link YOUNG_STEPS} trusted steps): its first steps, the attacker's as
   * often as not, are all it knows.
   */
  get young(): boolean {
    return this.#u[this.#b + LEARNED]! < YOUNG_STEPS;
  }

  /** Weight of sign-ins at each UTC hour, decayed. */
  hour(h: number): number {
    return this.#f[this.#b + HOURS + h]!;
  }

  /** When the last trusted location was recorded (ms), 0 when none: a check that allocates nothing. */
  get lastLocationTime(): number {
    return this.#u[this.#b + LOC_T]! * 1000;
  }

  /** The last trusted location. */
  get lastLocation(): Location | undefined {
    const b = this.#b;
    const t = this.#u[b + LOC_T]!;
    if (t === 0) return undefined;
    const cc = this.#u[b + LOC_CC]!;
    return {
      latitude: this.#f[b + LOC_LAT]!,
      longitude: this.#f[b + LOC_LON]!,
      time: t * 1000,
      ...(cc ? { country: String.fromCharCode(cc >>> 8, cc & 0xff) } : {}),
    };
  }

  set lastLocation(loc: Location) {
    const b = this.#b;
    this.#f[b + LOC_LAT] = loc.latitude;
    this.#f[b + LOC_LON] = loc.longitude;
    this.#u[b + LOC_T] = sec(loc.time);
    const c = loc.country;
    this.#u[b + LOC_CC] = c?.length === 2 ? (c.charCodeAt(0) << 8) | c.charCodeAt(1) : 0;
  }

  /** The last step scored risky (challenge or deny). */
  get lastRisk(): RiskMark | undefined {
    const b = this.#b;
    const t = this.#u[b + RISK_T]!;
    if (t === 0) return undefined;
    return { time: t * 1000, score: this.#f[b + RISK_SCORE]!, session: this.#u[b + RISK_SESSION]! };
  }

  markRisk(time: number, score: number, session: string | undefined): void {
    const b = this.#b;
    this.#u[b + RISK_T] = sec(time);
    this.#f[b + RISK_SCORE] = score;
    this.#u[b + RISK_SESSION] = session === undefined ? 0 : valueKey(session);
  }

  /**
   * The last sign-in allowed from somewhere new to the account (novelty.ts,
   * isNewPlace), until a second factor in its session proves the place.
   */
  get arrival(): SessionMark | undefined {
    const b = this.#b;
    const t = this.#u[b + ARRIVED_T]!;
    if (t === 0) return undefined;
    return { time: t * 1000, session: this.#u[b + ARRIVED_SESSION]! };
  }

  markArrival(time: number, session: string | undefined): void {
    const b = this.#b;
    this.#u[b + ARRIVED_T] = sec(time);
    this.#u[b + ARRIVED_SESSION] = session === undefined ? 0 : valueKey(session);
  }

  /** A second factor passed: the arrival in that session (or one with none) was the owner. */
  clearArrival(session: string | undefined): void {
    const b = this.#b;
    const mark = this.#u[b + ARRIVED_SESSION]!;
    if (mark === 0 || session === undefined || mark === valueKey(session))
      this.#u[b + ARRIVED_T] = 0;
  }

  /**
   * When the account's password (or a recovery step) last succeeded in a
   * step scored risky — someone else may hold the credential — and that
   * step's score; undefined once the owner has proved themselves since.
   */
  get exposed(): { time: number; score: number } | undefined {
    const t = this.#u[this.#b + EXPOSED_T]!;
    return t === 0 ? undefined : { time: t * 1000, score: this.#f[this.#b + EXPOSED_SCORE]! };
  }

  markExposed(time: number, score: number): void {
    this.#u[this.#b + EXPOSED_T] = sec(time);
    this.#f[this.#b + EXPOSED_SCORE] = score;
  }

  clearExposed(): void {
    this.#u[this.#b + EXPOSED_T] = 0;
  }

  /**
   * Raised sensitivity: the account is in the blast radius of a compromised
   * one (`by`, the engine's number for it) until `until`.
   */
  get raised(): { until: number; by: number } | undefined {
    const until = this.raisedUntil;
    return until === 0 ? undefined : { until, by: this.#u[this.#b + RAISED_BY]! };
  }

  /** When raised sensitivity ends (ms), 0 when never raised: read per event without allocating. */
  get raisedUntil(): number {
    return this.#u[this.#b + RAISED_T]! * 1000;
  }

  raise(until: number, by: number): void {
    const b = this.#b;
    if (sec(until) <= this.#u[b + RAISED_T]!) return; // a longer protection stands
    this.#u[b + RAISED_T] = sec(until);
    this.#u[b + RAISED_BY] = by;
  }

  /** Decays every weight to `time` (event time; a late event decays nothing). */
  #decay(time: number): void {
    const u = this.#u;
    const f = this.#f;
    const b = this.#b;
    const s = sec(time);
    const at = u[b + DECAYED]!;
    if (at === 0) {
      u[b + DECAYED] = s;
      return;
    }
    const dt = s - at;
    if (dt <= 0) return;
    const factor = Math.pow(0.5, dt / HALF_LIFE_S);
    for (let i = b + W, end = b + W + SLOTS; i < end; i++) f[i]! *= factor;
    for (let i = b + TOTAL, end = b + TOTAL + NF; i < end; i++) f[i]! *= factor;
    for (let i = b + HOURS, end = b + HOURS + 24; i < end; i++) f[i]! *= factor;
    u[b + DECAYED] = s;
  }

  /** The slot of a key in a feature's table, or -1. */
  #find(fi: number, key: number): number {
    const u = this.#u;
    const start = this.#b + KEY + fi * MAX_VALUES;
    for (let i = 0; i < MAX_VALUES; i++) if (u[start + i] === key) return fi * MAX_VALUES + i;
    return -1;
  }

  /** Trusted weight of a value (0: never trusted, or only tentative). */
  trusted(fi: number, key: number): number {
    if (key === 0) return 0;
    const slot = this.#find(fi, key);
    if (slot === -1 || this.#u[this.#b + META + slot]! & TENTATIVE) return 0;
    return this.#f[this.#b + W + slot]!;
  }

  /** A feature's total trusted weight (for smoothing). */
  total(fi: number): number {
    return this.#f[this.#b + TOTAL + fi]!;
  }

  /**
   * Whether the account trusts the value and used it, trusted, on a later
   * half-day than `time` (ms): its owner made it theirs after that moment,
   * rather than a single allowed step around then teaching it.
   */
  trustedAfter(fi: number, key: number, time: number): boolean {
    if (key === 0) return false;
    const slot = this.#find(fi, key);
    const u = this.#u;
    return (
      slot !== -1 &&
      !(u[this.#b + META + slot]! & TENTATIVE) &&
      this.#f[this.#b + W + slot]! > 0 &&
      u[this.#b + LAST + slot]! >= sec(time) + SIGHTING_GAP_S
    );
  }

  /** Whether the value was seen before in a risky step only. */
  isTentative(fi: number, key: number): boolean {
    if (key === 0) return false;
    const slot = this.#find(fi, key);
    return slot !== -1 && (this.#u[this.#b + META + slot]! & TENTATIVE) !== 0;
  }

  /** An allowed, successful step: its context becomes (more) familiar. */
  learn(keys: FeatureKeys, time: number, hour: number, session?: string): void {
    this.#decay(time);
    const u = this.#u;
    const b = this.#b;
    const s = sec(time);
    for (let fi = 0; fi < NF; fi++) {
      const k = keys[fi]!;
      if (k !== 0) {
        // A value a risky step left tentative is not trusted by being seen
        // again: allowed use counts towards its time test, as risky use does.
        const slot = this.#add(fi, k, 1, false);
        if (u[b + META + slot]! & TENTATIVE) this.#sighted(fi, slot, s);
        else u[b + LAST + slot] = s;
      }
      u[b + LL_KEYS + fi] = k;
    }
    this.#f[b + HOURS + hour]! += 1;
    u[b + LEARNED]!++;
    u[b + LL_T] = s;
    u[b + LL_SESSION] = session === undefined ? 0 : valueKey(session);
  }

  /**
   * A second factor failed right after a step was learned: a password alone
   * proved nothing, so what that step taught is taken back and its context
   * becomes tentative again.
   */
  unlearnRecent(time: number, session: string | undefined, windowMs: number): boolean {
    const u = this.#u;
    const f = this.#f;
    const b = this.#b;
    const last = u[b + LL_T]!;
    const s = sec(time);
    if (last === 0 || s < last || (s - last) * 1000 > windowMs) return false;
    const lastSession = u[b + LL_SESSION]!;
    if (lastSession !== 0 && session !== undefined && lastSession !== valueKey(session))
      return false;
    u[b + LL_T] = 0;
    for (let fi = 0; fi < NF; fi++) {
      const k = u[b + LL_KEYS + fi]!;
      if (k === 0) continue;
      const slot = this.#find(fi, k);
      if (slot === -1 || u[b + META + slot]! & TENTATIVE) continue;
      const w = b + W + slot;
      const taken = Math.min(1, f[w]!);
      f[w]! -= taken;
      f[b + TOTAL + fi]! -= taken;
      if (f[w]! < 0.05) {
        f[b + TOTAL + fi]! -= f[w]!;
        f[w] = 0;
        u[b + META + slot] = TENTATIVE;
        u[b + SINCE + slot] = s;
        u[b + LAST + slot] = s;
      }
    }
    if (u[b + LEARNED]! > 0) u[b + LEARNED]!--;
    return true;
  }

  /**
   * A risky step: its context is remembered, but as tentative only. A
   * successful one counts towards time-tested trust.
   */
  remember(keys: FeatureKeys, time: number, success: boolean): void {
    this.#decay(time);
    const s = sec(time);
    for (let fi = 0; fi < NF; fi++) {
      const k = keys[fi]!;
      if (k === 0) continue;
      const slot = this.#add(fi, k, 0, true);
      if (success) this.#sighted(fi, slot, s);
    }
  }

  /**
   * A successful step from a tentative value: one more sighting towards its
   * time test (on a separate half-day), and familiar once it passes.
   */
  #sighted(fi: number, slot: number, s: number): void {
    const u = this.#u;
    const f = this.#f;
    const b = this.#b;
    const m = u[b + META + slot]!;
    if (!(m & TENTATIVE)) return;
    let sightings = m & SIGHTINGS;
    if (sightings === 0) u[b + SINCE + slot] = s;
    else if (s - u[b + LAST + slot]! < SIGHTING_GAP_S) return;
    u[b + LAST + slot] = s;
    sightings = Math.min(SIGHTINGS, sightings + 1);
    if (sightings >= TESTED_SIGHTINGS && s - u[b + SINCE + slot]! >= TESTED_SPAN_S) {
      u[b + META + slot] = sightings;
      f[b + W + slot] = sightings / 2;
      f[b + TOTAL + fi]! += sightings / 2;
    } else {
      u[b + META + slot] = sightings | TENTATIVE;
    }
  }

  /**
   * A second factor or recovery challenge failed from this context: whoever
   * is there could not prove to be the owner, so its tentative values start
   * their time test over (an intruder who keeps the password but not the
   * phone must not become familiar by coming back every day).
   */
  distrust(keys: FeatureKeys, time: number): void {
    const u = this.#u;
    const b = this.#b;
    const s = sec(time);
    for (let fi = 0; fi < NF; fi++) {
      const k = keys[fi]!;
      if (k === 0) continue;
      const slot = this.#find(fi, k);
      if (slot === -1 || !(u[b + META + slot]! & TENTATIVE)) continue;
      u[b + META + slot] = TENTATIVE;
      u[b + SINCE + slot] = s;
      u[b + LAST + slot] = s;
    }
  }

  /** The user proved this context (an allowed MFA step, an analyst's verdict): trust it. */
  trust(keys: FeatureKeys, time: number): void {
    this.#decay(time);
    const u = this.#u;
    const f = this.#f;
    const b = this.#b;
    for (let fi = 0; fi < NF; fi++) {
      const k = keys[fi]!;
      if (k === 0) continue;
      let slot = this.#find(fi, k);
      if (slot !== -1 && u[b + META + slot]! & TENTATIVE) {
        u[b + META + slot] = 0;
        const w = Math.max(f[b + W + slot]!, 1);
        f[b + W + slot] = w;
        f[b + TOTAL + fi]! += w;
      } else {
        slot = this.#add(fi, k, 1, false);
      }
      u[b + LAST + slot] = sec(time);
    }
  }

  #add(fi: number, key: number, weight: number, tentative: boolean): number {
    const u = this.#u;
    const f = this.#f;
    const b = this.#b;
    let slot = this.#find(fi, key);
    if (slot === -1) {
      // A free slot, or else the weakest entry, tentative ones first.
      const first = fi * MAX_VALUES;
      let worst = -1;
      let worstRank = Infinity;
      for (let i = first; i < first + MAX_VALUES; i++) {
        if (u[b + KEY + i] === 0) {
          worst = i;
          break;
        }
        const rank = (u[b + META + i]! & TENTATIVE ? -1e9 : 0) + f[b + W + i]!;
        if (rank < worstRank) {
          worstRank = rank;
          worst = i;
        }
      }
      slot = worst;
      if (u[b + KEY + slot] !== 0 && !(u[b + META + slot]! & TENTATIVE))
        f[b + TOTAL + fi]! -= f[b + W + slot]!;
      u[b + KEY + slot] = key;
      f[b + W + slot] = 0;
      u[b + META + slot] = tentative ? TENTATIVE : 0;
      u[b + SINCE + slot] = u[b + DECAYED]!;
      u[b + LAST + slot] = u[b + DECAYED]!;
    }
    if (!tentative && u[b + META + slot]! & TENTATIVE) return slot; // only trust() or time-tested use promotes it
    f[b + W + slot]! += weight;
    if (!(u[b + META + slot]! & TENTATIVE)) f[b + TOTAL + fi]! += weight;
    return slot;
  }

  /** Records a step in one of the recent-activity rings (the last {@link RECENT} are kept). */
  note(ring: Ring, time: number): void {
    const u = this.#u;
    const head = this.#b + RING_HEAD + ring;
    const at = u[head]!;
    u[this.#b + RINGS + ring * RECENT + at] = sec(time);
    u[head] = (at + 1) % RECENT;
  }

  /** How many of a ring's entries fall within `windowMs` before `time`. */
  countSince(ring: Ring, time: number, windowMs: number): number {
    const u = this.#u;
    const start = this.#b + RINGS + ring * RECENT;
    const s = time / 1000;
    const window = windowMs / 1000;
    let n = 0;
    for (let i = start; i < start + RECENT; i++) {
      const t = u[i]!;
      if (t !== 0 && t <= s && s - t <= window) n++;
    }
    return n;
  }
}
