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
 * @example
 * const p = new AccountProfile();
 * p.learn(features, time);        // an allowed, successful step
 * p.familiarity('device', 'd-1'); // 1 after one sighting, decaying
 */

export const FEATURES = ['network', 'asn', 'country', 'device', 'client'] as const;
export type Feature = (typeof FEATURES)[number];
export type FeatureValues = Partial<Record<Feature, string>>;

export const MAX_VALUES = 6;
const HALF_LIFE_MS = 30 * 86_400_000;
const RECENT = 12;

interface FeatureTable {
  values: string[];
  weights: number[];
  /** Seen only in risky steps so far: not familiar until proven. */
  tentative: boolean[];
  /** For tentative values: successful risky steps seen (at most one per half day), the first and the last. */
  sightings: number[];
  since: number[];
  lastSighting: number[];
}

/**
 * A tentative context used successfully on this many separate half-days,
 * over at least {@link TESTED_SPAN_MS}, becomes familiar: the owner of a new
 * phone keeps using it day after day, while an attacker's steps after a reset
 * come minutes apart and stay unfamiliar.
 */
const TESTED_SIGHTINGS = 3;
const TESTED_SPAN_MS = 2 * 86_400_000;
const SIGHTING_GAP_MS = 12 * 3_600_000;

export interface Location {
  readonly latitude: number;
  readonly longitude: number;
  readonly time: number;
  readonly country?: string;
}

function emptyTable(): FeatureTable {
  return { values: [], weights: [], tentative: [], sightings: [], since: [], lastSighting: [] };
}

export class AccountProfile {
  readonly #tables: Record<Feature, FeatureTable> = {
    network: emptyTable(),
    asn: emptyTable(),
    country: emptyTable(),
    device: emptyTable(),
    client: emptyTable(),
  };
  /** Trusted weight per feature, decayed with the tables. */
  readonly #totals: Record<Feature, number> = {
    network: 0,
    asn: 0,
    country: 0,
    device: 0,
    client: 0,
  };
  readonly hours = new Float32Array(24);
  #decayedAt = Number.NaN;
  /** Successful steps learned from, ever. */
  learned = 0;
  lastLocation: Location | undefined;
  /** Times of recent password reset requests, oldest first. */
  readonly resets: number[] = [];
  /** Times of recent failed recovery or MFA challenges. */
  readonly failedChallenges: number[] = [];
  /** Times of recent failed sign-ins. */
  readonly failedSignins: number[] = [];
  /** The last step scored risky (challenge or deny), with its score and session. */
  lastRisk: { time: number; score: number; session?: string } | undefined;
  #lastLearned: { time: number; values: FeatureValues; session?: string } | undefined;

  /** Decays every weight to `time` (event time; a late event decays nothing). */
  #decay(time: number): void {
    if (Number.isNaN(this.#decayedAt)) {
      this.#decayedAt = time;
      return;
    }
    const dt = time - this.#decayedAt;
    if (dt <= 0) return;
    const factor = Math.pow(0.5, dt / HALF_LIFE_MS);
    for (const f of FEATURES) {
      const t = this.#tables[f];
      for (let i = 0; i < t.weights.length; i++) t.weights[i]! *= factor;
      this.#totals[f] *= factor;
    }
    for (let h = 0; h < 24; h++) this.hours[h]! *= factor;
    this.#decayedAt = time;
  }

  /** Trusted weight of a value, and the feature's total (for smoothing). */
  weight(feature: Feature, value: string): { weight: number; total: number } {
    const t = this.#tables[feature];
    const i = t.values.indexOf(value);
    return {
      weight: i === -1 || t.tentative[i] ? 0 : t.weights[i]!,
      total: this.#totals[feature],
    };
  }

  /** Whether the value was seen before in a risky step only. */
  isTentative(feature: Feature, value: string): boolean {
    const t = this.#tables[feature];
    const i = t.values.indexOf(value);
    return i !== -1 && t.tentative[i]!;
  }

  /** An allowed, successful step: its context becomes (more) familiar. */
  learn(values: FeatureValues, time: number, hour: number, session?: string): void {
    this.#decay(time);
    for (const f of FEATURES) {
      const v = values[f];
      if (v !== undefined) this.#add(f, v, 1, false);
    }
    this.hours[hour]! += 1;
    this.learned++;
    this.#lastLearned = { time, values, ...(session !== undefined ? { session } : {}) };
  }

  /**
   * A second factor failed right after a step was learned: a password alone
   * proved nothing, so what that step taught is taken back and its context
   * becomes tentative again.
   */
  unlearnRecent(time: number, session: string | undefined, windowMs: number): boolean {
    const last = this.#lastLearned;
    if (!last || time < last.time || time - last.time > windowMs) return false;
    if (last.session !== undefined && session !== undefined && last.session !== session)
      return false;
    this.#lastLearned = undefined;
    for (const f of FEATURES) {
      const v = last.values[f];
      if (v === undefined) continue;
      const t = this.#tables[f];
      const i = t.values.indexOf(v);
      if (i === -1 || t.tentative[i]) continue;
      const taken = Math.min(1, t.weights[i]!);
      t.weights[i]! -= taken;
      this.#totals[f] -= taken;
      if (t.weights[i]! < 0.05) {
        this.#totals[f] -= t.weights[i]!;
        t.weights[i] = 0;
        t.tentative[i] = true;
        t.sightings[i] = 0;
        t.since[i] = time;
        t.lastSighting[i] = time;
      }
    }
    this.learned = Math.max(0, this.learned - 1);
    return true;
  }

  /**
   * A risky step: its context is remembered, but as tentative only. A
   * successful one counts towards time-tested trust.
   */
  remember(values: FeatureValues, time: number, success: boolean): void {
    this.#decay(time);
    for (const f of FEATURES) {
      const v = values[f];
      if (v === undefined) continue;
      const i = this.#add(f, v, 0, true);
      const t = this.#tables[f];
      if (!success || !t.tentative[i]) continue;
      if (t.sightings[i] === 0) t.since[i] = time;
      else if (time - t.lastSighting[i]! < SIGHTING_GAP_MS) continue;
      t.lastSighting[i] = time;
      t.sightings[i]!++;
      if (t.sightings[i]! >= TESTED_SIGHTINGS && time - t.since[i]! >= TESTED_SPAN_MS) {
        t.tentative[i] = false;
        t.weights[i] = t.sightings[i]! / 2;
        this.#totals[f] += t.weights[i]!;
      }
    }
  }

  /** The user proved this context (an allowed MFA step, an analyst's verdict): trust it. */
  trust(values: FeatureValues, time: number): void {
    this.#decay(time);
    for (const f of FEATURES) {
      const v = values[f];
      if (v === undefined) continue;
      const t = this.#tables[f];
      const i = t.values.indexOf(v);
      if (i !== -1 && t.tentative[i]) {
        t.tentative[i] = false;
        t.weights[i] = Math.max(t.weights[i]!, 1);
        this.#totals[f] += t.weights[i]!;
      } else {
        this.#add(f, v, 1, false);
      }
    }
  }

  #add(feature: Feature, value: string, weight: number, tentative: boolean): number {
    const t = this.#tables[feature];
    let i = t.values.indexOf(value);
    if (i === -1) {
      if (t.values.length >= MAX_VALUES) {
        // Evict the weakest entry, tentative ones first.
        let worst = 0;
        for (let j = 1; j < t.values.length; j++) {
          const a = (t.tentative[j] ? -1e9 : 0) + t.weights[j]!;
          const b = (t.tentative[worst] ? -1e9 : 0) + t.weights[worst]!;
          if (a < b) worst = j;
        }
        if (!t.tentative[worst]) this.#totals[feature] -= t.weights[worst]!;
        t.values.splice(worst, 1);
        t.weights.splice(worst, 1);
        t.tentative.splice(worst, 1);
        t.sightings.splice(worst, 1);
        t.since.splice(worst, 1);
        t.lastSighting.splice(worst, 1);
      }
      t.values.push(value);
      t.weights.push(0);
      t.tentative.push(tentative);
      t.sightings.push(0);
      t.since.push(this.#decayedAt);
      t.lastSighting.push(this.#decayedAt);
      i = t.values.length - 1;
    }
    if (!tentative && t.tentative[i]) return i; // only trust() or time-tested use promotes it
    t.weights[i]! += weight;
    if (!t.tentative[i]) this.#totals[feature] += weight;
    return i;
  }

  /** Records a step in one of the recent-activity rings (bounded). */
  static note(ring: number[], time: number): void {
    ring.push(time);
    if (ring.length > RECENT) ring.shift();
  }

  /** How many ring entries fall within `windowMs` before `time`. */
  static countSince(ring: readonly number[], time: number, windowMs: number): number {
    let n = 0;
    for (const t of ring) if (t <= time && time - t <= windowMs) n++;
    return n;
  }
}
