/**
 * How well the campaigns found match the campaigns that really happened
 * (truth.json): per real campaign, the found campaign holding most of its
 * events, its targets' recall and precision, compromised accounts missed and
 * falsely claimed; and over all found campaigns, any that merged two real
 * ones and any made of benign events only.
 *
 * @example
 * const m = campaignMetrics(truth, found); // { perCampaign: [...], merged: 0, benignOnly: 0 }
 */
import type { Attribution } from '../domain/campaign.js';
import { isWeakAttribution } from '../intel/attribution.js';
import type { Truth } from './truth-file.js';

/** A found campaign, reduced to what scoring needs. */
export interface FoundCampaign {
  readonly id: string;
  readonly targets: readonly { readonly account_id: string; readonly compromised: boolean }[];
  readonly event_ids: readonly string[];
  /** Ranked candidates, as the campaign object carries them. */
  readonly attribution?: readonly Pick<Attribution, 'actor' | 'aliases' | 'confidence'>[];
}

export interface CampaignMatch {
  readonly truth: string;
  readonly scenario: string;
  /** The found campaign holding most of its labelled events (undefined: none). */
  readonly found: string | undefined;
  readonly targets: number;
  readonly foundTargets: number;
  readonly targetRecall: number;
  readonly targetPrecision: number;
  readonly compromised: number;
  readonly compromisedMissed: number;
  readonly compromisedFalse: number;
  /** Found campaigns holding at least a tenth of its events (1 = kept together). */
  readonly pieces: number;
  /** The real actor, when there is one. */
  readonly actor: string | undefined;
  /** The found campaign's best candidate, unless it is only a lead (technique overlap). */
  readonly attributedTo: string | undefined;
  /** Attributed to the real actor (by name or alias), or not attributed when there is none. */
  readonly attributionOk: boolean;
}

export interface CampaignMetrics {
  readonly perCampaign: readonly CampaignMatch[];
  /** Found campaigns holding at least a tenth of the events of two or more real ones. */
  readonly merged: number;
  /** Found campaigns with no attack event at all. */
  readonly benignOnly: number;
  readonly found: number;
}

/** A real campaign counts as present in a found one from this share of its events. */
const SHARE = 0.1;

export function campaignMetrics(truth: Truth, found: readonly FoundCampaign[]): CampaignMetrics {
  const labelOf = new Map<string, string>();
  const labelled = new Map<string, number>();
  for (const [eventId, l] of truth.labels) {
    labelOf.set(eventId, l.campaign);
    labelled.set(l.campaign, (labelled.get(l.campaign) ?? 0) + 1);
  }
  /** found id → truth campaign → events. */
  const overlap = new Map<string, Map<string, number>>();
  let benignOnly = 0;
  for (const f of found) {
    const counts = new Map<string, number>();
    for (const id of f.event_ids) {
      const c = labelOf.get(id);
      if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    overlap.set(f.id, counts);
    if (counts.size === 0) benignOnly++;
  }
  let merged = 0;
  for (const counts of overlap.values()) {
    let present = 0;
    for (const [c, n] of counts) if (n >= SHARE * (labelled.get(c) ?? 1)) present++;
    if (present >= 2) merged++;
  }
  const perCampaign: CampaignMatch[] = truth.campaigns.map((t) => {
    let best: FoundCampaign | undefined;
    let bestN = 0;
    let pieces = 0;
    for (const f of found) {
      const n = overlap.get(f.id)?.get(t.id) ?? 0;
      if (n >= SHARE * (labelled.get(t.id) ?? 1)) pieces++;
      if (n > bestN) {
        best = f;
        bestN = n;
      }
    }
    const real = new Set(t.targets);
    const realCompromised = new Set(t.compromised);
    const foundTargets = best ? best.targets.map((x) => x.account_id) : [];
    const hit = foundTargets.filter((a) => real.has(a)).length;
    const foundCompromised = best ? best.targets.filter((x) => x.compromised) : [];
    const claimed = new Set(foundCompromised.map((x) => x.account_id));
    const top = best?.attribution?.[0];
    const strong = top && !isWeakAttribution({ ...top, evidence: [] }) ? top : undefined;
    return {
      truth: t.id,
      scenario: t.scenario,
      found: best?.id,
      targets: real.size,
      foundTargets: foundTargets.length,
      targetRecall: real.size ? hit / real.size : 1,
      targetPrecision: foundTargets.length ? hit / foundTargets.length : 0,
      compromised: realCompromised.size,
      compromisedMissed: [...realCompromised].filter((a) => !claimed.has(a)).length,
      compromisedFalse: [...claimed].filter((a) => !realCompromised.has(a)).length,
      pieces,
      actor: t.actor,
      attributedTo: strong?.actor,
      attributionOk: t.actor
        ? strong !== undefined && (strong.actor === t.actor || strong.aliases.includes(t.actor))
        : strong === undefined,
    };
  });
  return { perCampaign, merged, benignOnly, found: found.length };
}
