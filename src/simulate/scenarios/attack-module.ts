/**
 * The contract every attack scenario implements, and what it is given.
 *
 * A module plans its whole campaign up front (attack traffic is small next to
 * the benign background) and emits its events through the campaign recorder;
 * it must derive every random choice from `ctx.rng` and keep its parameters
 * randomised within plausible ranges, so detectors cannot be tuned to one run.
 *
 * @example
 * export const myAttack: AttackModule = {
 *   name: 'password-spray',
 *   summary: 'low-and-slow password guessing from residential proxies',
 *   run(ctx) { ctx.campaign.emit('probe', { ... }); },
 * };
 */
import type { Organisation } from '../organisation.js';
import type { Random } from '../random.js';
import type { AttackName } from '../scenario-name.js';
import type { CampaignRecorder } from './campaign-recorder.js';

/** What a scenario gets to plan its campaign with. */
export interface AttackContext {
  readonly org: Organisation;
  /** First and last (exclusive) millisecond of the simulated window. */
  readonly start: number;
  readonly end: number;
  readonly days: number;
  /** The campaign's own random stream. */
  readonly rng: Random;
  readonly campaign: CampaignRecorder;
}

/** One attack scenario, registered in scenarios/registry.ts. */
export interface AttackModule {
  readonly name: AttackName;
  /** One line for docs and progress output. */
  readonly summary: string;
  run(ctx: AttackContext): void;
}
