/**
 * The scenarios the simulator can generate. `mixed` runs several attacks at
 * once; every other name is one attack module under scenarios/.
 *
 * @example
 * isScenarioName('password-spray'); // true
 */
export const SCENARIOS = [
  'recovery-abuse',
  'password-spray',
  'mfa-fatigue',
  'aitm-phishing',
  'credential-stuffing',
  'mixed',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** An attack that has its own module: every scenario but `mixed`. */
export type AttackName = Exclude<ScenarioName, 'mixed'>;

/** Type guard for {@link ScenarioName}. */
export function isScenarioName(value: unknown): value is ScenarioName {
  return typeof value === 'string' && (SCENARIOS as readonly string[]).includes(value);
}
