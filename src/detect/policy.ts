/**
 * Policy: how a score becomes a decision. Thresholds per event class
 * (optionally per event type), lowered for accounts with a watch-listed tag.
 * Rules are data: a JSON file validated on load (docs/POLICY.md).
 *
 * @example
 * const policy = parsePolicy(JSON.parse(readFileSync('policy.json', 'utf8')));
 * decide(policy, 0.62, 'signin', ['journalist']); // 'challenge'
 */
import { EVENT_TYPES } from '../domain/event.js';
import type { EventType } from '../domain/event.js';
import type { Verdict } from '../domain/decision.js';
import { EVENT_CLASS } from '../domain/event-class.js';
import type { EventClass } from '../domain/event-class.js';

export interface Thresholds {
  /** Scores at or above this are challenged. */
  readonly challenge: number;
  /** Scores at or above this are denied. */
  readonly deny: number;
}

export interface Policy {
  readonly thresholds: Readonly<Record<EventClass, Thresholds>>;
  /** Overrides for single event types. */
  readonly types: Readonly<Partial<Record<EventType, Thresholds>>>;
  /** Accounts with any of these tags get thresholds multiplied by `factor` (< 1: stricter). */
  readonly watchlist: { readonly tags: readonly string[]; readonly factor: number };
  /**
   * Pre-emptive protection: when an account is judged compromised, the
   * accounts it can recover (its blast radius, up to `depth` hops) get the
   * watch-list factor for `window_hours`.
   */
  readonly blast_radius: { readonly window_hours: number; readonly depth: number };
}

export const DEFAULT_POLICY: Policy = {
  thresholds: {
    signin: { challenge: 0.5, deny: 0.85 },
    mfa: { challenge: 0.5, deny: 0.85 },
    recovery: { challenge: 0.45, deny: 0.8 },
    persistence: { challenge: 0.4, deny: 0.75 },
    other: { challenge: 0.6, deny: 0.9 },
  },
  types: {},
  watchlist: { tags: ['campaign-staff', 'government', 'journalist', 'diaspora'], factor: 0.85 },
  blast_radius: { window_hours: 72, depth: 4 },
};

const CLASSES = Object.keys(DEFAULT_POLICY.thresholds) as EventClass[];

/** Validates a policy document; every problem is named with its path. Missing parts take the defaults. */
export function parsePolicy(input: unknown): Policy {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(input)) throw new Error('policy: must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!['thresholds', 'types', 'watchlist', 'blast_radius', '$comment'].includes(key))
      problems.push(`${key}: unknown setting`);
  }
  const thresholds = (v: unknown, path: string, fallback: Thresholds): Thresholds => {
    if (v === undefined) return fallback;
    if (!isObject(v)) {
      problems.push(`${path}: must be an object {challenge, deny}`);
      return fallback;
    }
    const challenge = v.challenge ?? fallback.challenge;
    const deny = v.deny ?? fallback.deny;
    for (const [name, x] of [
      ['challenge', challenge],
      ['deny', deny],
    ] as const) {
      if (typeof x !== 'number' || !(x >= 0 && x <= 1))
        problems.push(`${path}.${name}: must be a number from 0 to 1`);
    }
    if (typeof challenge === 'number' && typeof deny === 'number' && challenge > deny) {
      problems.push(`${path}: challenge must not exceed deny`);
    }
    return { challenge: challenge as number, deny: deny as number };
  };

  const byClass = {} as Record<EventClass, Thresholds>;
  const t = input.thresholds;
  if (t !== undefined && !isObject(t)) problems.push('thresholds: must be an object');
  for (const key of isObject(t) ? Object.keys(t) : []) {
    if (!CLASSES.includes(key as EventClass))
      problems.push(`thresholds.${key}: unknown event class (expected ${CLASSES.join(', ')})`);
  }
  for (const c of CLASSES) {
    byClass[c] = thresholds(
      isObject(t) ? t[c] : undefined,
      `thresholds.${c}`,
      DEFAULT_POLICY.thresholds[c],
    );
  }

  const types: Partial<Record<EventType, Thresholds>> = {};
  if (input.types !== undefined) {
    if (!isObject(input.types)) problems.push('types: must be an object');
    else {
      for (const [type, v] of Object.entries(input.types)) {
        if (!(EVENT_TYPES as readonly string[]).includes(type)) {
          problems.push(`types.${type}: unknown event type`);
          continue;
        }
        types[type as EventType] = thresholds(
          v,
          `types.${type}`,
          byClass[EVENT_CLASS[type as EventType]],
        );
      }
    }
  }

  let watchlist = DEFAULT_POLICY.watchlist;
  if (input.watchlist !== undefined) {
    const w = input.watchlist;
    if (!isObject(w)) problems.push('watchlist: must be an object {tags, factor}');
    else {
      const tags = w.tags ?? watchlist.tags;
      const factor = w.factor ?? watchlist.factor;
      if (!Array.isArray(tags) || !tags.every((x) => typeof x === 'string'))
        problems.push('watchlist.tags: must be an array of strings');
      if (typeof factor !== 'number' || !(factor > 0 && factor <= 1))
        problems.push('watchlist.factor: must be a number above 0, at most 1');
      watchlist = { tags: tags as string[], factor: factor as number };
    }
  }
  let blastRadius = DEFAULT_POLICY.blast_radius;
  if (input.blast_radius !== undefined) {
    const b = input.blast_radius;
    if (!isObject(b)) problems.push('blast_radius: must be an object {window_hours, depth}');
    else {
      for (const key of Object.keys(b))
        if (!['window_hours', 'depth'].includes(key))
          problems.push(`blast_radius.${key}: unknown setting`);
      const hours = b.window_hours ?? blastRadius.window_hours;
      const depth = b.depth ?? blastRadius.depth;
      if (typeof hours !== 'number' || !(hours >= 0 && hours <= 24 * 90))
        problems.push('blast_radius.window_hours: must be a number from 0 (off) to 2160');
      if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > 8)
        problems.push('blast_radius.depth: must be a whole number from 1 to 8');
      blastRadius = { window_hours: hours as number, depth: depth as number };
    }
  }
  if (problems.length > 0) throw new Error(`policy: ${problems.join('; ')}`);
  return { thresholds: byClass, types, watchlist, blast_radius: blastRadius };
}

/**
 * The decision for a score, given the event type and the account's tags;
 * `raised`: the account is in the blast radius of a compromised one, and gets
 * the watch-list factor as if it had a watched tag.
 */
export function decide(
  policy: Policy,
  score: number,
  type: EventType,
  tags: readonly string[],
  raised = false,
): Verdict {
  const base = policy.types[type] ?? policy.thresholds[EVENT_CLASS[type]];
  const watched = raised || tags.some((t) => policy.watchlist.tags.includes(t));
  const factor = watched ? policy.watchlist.factor : 1;
  if (score >= base.deny * factor) return 'deny';
  if (score >= base.challenge * factor) return 'challenge';
  return 'allow';
}
