/**
 * Validation of {@link SimulateOptions}: the simulator's edge. Everything past
 * here trusts the resolved values.
 *
 * @example
 * resolveOptions({ scenario: 'mixed', seed: 1, outDir: 'out' }).accounts; // 3000
 */
import { SCENARIOS, type ScenarioName, isScenarioName } from './scenario-name.js';
import type { SimulateOptions } from './simulate.js';

/** Defaults and limits of {@link SimulateOptions}. */
export const DEFAULT_ACCOUNTS = 3000;
export const DEFAULT_DAYS = 30;
export const DEFAULT_START = '2026-10-01T00:00:00Z';
export const MIN_ACCOUNTS = 50;
export const MAX_ACCOUNTS = 1_000_000;
export const MAX_DAYS = 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly scenario: ScenarioName;
  readonly seed: number;
  readonly outDir: string;
  readonly accounts: number;
  readonly days: number;
  /** Window start, epoch milliseconds. */
  readonly start: number;
  readonly onProgress: SimulateOptions['onProgress'];
}

/** Check and default the options; throws an Error naming the bad option. */
export function resolveOptions(opts: SimulateOptions): ResolvedOptions {
  if (opts === null || typeof opts !== 'object')
    throw new Error('simulate: options must be an object');
  if (!isScenarioName(opts.scenario)) {
    throw new Error(
      `simulate: unknown scenario ${JSON.stringify(opts.scenario)} (expected one of: ${SCENARIOS.join(', ')})`,
    );
  }
  if (typeof opts.seed !== 'number' || !Number.isSafeInteger(opts.seed)) {
    throw new Error(`simulate: seed must be an integer, got ${JSON.stringify(opts.seed)}`);
  }
  if (typeof opts.outDir !== 'string' || opts.outDir.trim() === '') {
    throw new Error('simulate: outDir must be a non-empty path');
  }
  const accounts = opts.accounts ?? DEFAULT_ACCOUNTS;
  if (
    typeof accounts !== 'number' ||
    !Number.isInteger(accounts) ||
    accounts < MIN_ACCOUNTS ||
    accounts > MAX_ACCOUNTS
  ) {
    throw new Error(
      `simulate: accounts must be an integer from ${MIN_ACCOUNTS} to ${MAX_ACCOUNTS}, got ${JSON.stringify(accounts)}`,
    );
  }
  const days = opts.days ?? DEFAULT_DAYS;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new Error(
      `simulate: days must be an integer from 1 to ${MAX_DAYS}, got ${JSON.stringify(days)}`,
    );
  }
  const startText = opts.start ?? DEFAULT_START;
  const start =
    typeof startText === 'string' && ISO_DATE.test(startText) ? Date.parse(startText) : Number.NaN;
  if (!Number.isFinite(start)) {
    throw new Error(
      `simulate: start must be an ISO-8601 date or date-time with zone, got ${JSON.stringify(startText)}`,
    );
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new Error('simulate: onProgress must be a function');
  }
  return {
    scenario: opts.scenario,
    seed: opts.seed,
    outDir: opts.outDir,
    accounts,
    days,
    start,
    onProgress: opts.onProgress,
  };
}
