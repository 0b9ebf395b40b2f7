/**
 * The detector contract. Detectors are pure: `evaluate` reads the event, its
 * enrichment and the state *before* this event, and returns a finding or
 * nothing. No I/O, no clock: time is the event's.
 *
 * @example
 * export const myDetector: Detector = {
 *   id: 'my-detector',
 *   evaluate: (ctx) => ctx.enrichment.device === 'bot'
 *     ? { score: 0.3, detail: 'scripted client' } : undefined,
 * };
 */
import type { Enrichment } from '../domain/enrichment.js';
import type { NativeEvent } from '../domain/event.js';
import type { AccountProfile, FeatureKeys, FeatureValues } from './account-profile.js';
import type { RecoveryGraph } from '../graph/recovery-graph.js';
import type { IndicatorSet } from './indicator-set.js';
import type { Population } from './population.js';
import type { SourceKey } from './source-keys.js';
import type { SourceStats } from './source-stats.js';
import type { RunningBurst } from './hourly-burst.js';

export interface DetectionContext {
  readonly event: NativeEvent;
  readonly enrichment: Enrichment;
  /** The event's context as profile features (network, asn, country, device, client). */
  readonly features: FeatureValues;
  /** The same as keys (account-profile.ts `valueKey`), in FEATURES order; 0 where absent. */
  readonly keys: FeatureKeys;
  readonly profile: AccountProfile;
  readonly population: Population;
  readonly sources: SourceStats;
  readonly indicators: IndicatorSet;
  /** Event time, ms since the epoch. */
  readonly time: number;
  /** The unfamiliarity of this context to the account, in [0, 1] (likelihood-ratio.ts). */
  readonly unfamiliarity: number;
  /** The weighted log likelihood ratio of each feature behind it, in FEATURES order (NaN where absent). */
  readonly ratioParts: readonly number[];
  /** Device, network and AS all never trusted by the account (novelty.ts). */
  readonly novel: boolean;
  /** From somewhere new to the account (novelty.ts `isNewPlace`). */
  readonly newPlace: boolean;
  /**
   * The burst of attempts the tenant is in, this hour or the last
   * (hourly-burst.ts), if any; asked only for a step from somewhere new
   * (`newPlace`), undefined for the rest.
   */
  readonly burst: RunningBurst | undefined;
  /** The source keys the event counts under across accounts (source-keys.ts). */
  readonly sourceKeys: readonly SourceKey[];
  /**
   * Accounts settled on the step's address when it is shared egress (the
   * organisation's VPN, shared-egress.ts), else 0. Asked only for a network
   * the account does not trust or a hosting one: 0 says nothing otherwise.
   */
  readonly sharedEgress: number;
  /** How long the engine has watched the event's tenant (ms since its earliest event). */
  readonly watched: number;
  /** The account-recovery graph (src/graph). */
  readonly graph: RecoveryGraph;
  /** Another account's profile (state before this event), if it has one. */
  profileOf(tenant: string, accountId: string): AccountProfile | undefined;
  /** The account id behind an engine account number (`AccountProfile.account`). */
  accountIdOf(account: number): string | undefined;
}

export interface Finding {
  /** In [0, 1]. */
  readonly score: number;
  readonly detail: string;
}

export interface Detector {
  readonly id: string;
  evaluate(ctx: DetectionContext): Finding | undefined;
}
