/**
 * Every attack module, registered once, and which attacks each scenario runs.
 * Both maps are keyed by the name unions, so a new attack or scenario does not
 * compile until it is wired in here.
 *
 * @example
 * const names = scenarioAttacks('mixed', rng); // ['recovery-abuse', 'password-spray', 'mfa-fatigue']
 * for (const name of names) ATTACKS[name].run(ctx);
 */
import type { Random } from '../random.js';
import type { AttackName, ScenarioName } from '../scenario-name.js';
import { aitmPhishing } from './aitm-phishing.js';
import type { AttackModule } from './attack-module.js';
import { credentialStuffing } from './credential-stuffing.js';
import { mfaFatigue } from './mfa-fatigue.js';
import { passwordSpray } from './password-spray.js';
import { recoveryAbuse } from './recovery-abuse.js';

/** Every attack module by name. */
export const ATTACKS: Readonly<Record<AttackName, AttackModule>> = {
  'recovery-abuse': recoveryAbuse,
  'password-spray': passwordSpray,
  'mfa-fatigue': mfaFatigue,
  'aitm-phishing': aitmPhishing,
  'credential-stuffing': credentialStuffing,
};

const PLANS: Readonly<Record<ScenarioName, (rng: Random) => readonly AttackName[]>> = {
  'recovery-abuse': () => ['recovery-abuse'],
  'password-spray': () => ['password-spray'],
  'mfa-fatigue': () => ['mfa-fatigue'],
  'aitm-phishing': () => ['aitm-phishing'],
  'credential-stuffing': () => ['credential-stuffing'],
  // Several independent actors at once, overlapping in time: the reference case
  // hidden under commodity noise, plus at least one MFA-defeating attack.
  mixed: (rng) => [
    'recovery-abuse',
    'password-spray',
    ...rng.pick<readonly AttackName[]>([
      ['mfa-fatigue'],
      ['aitm-phishing'],
      ['mfa-fatigue', 'aitm-phishing'],
    ]),
  ],
};

/** The attacks a scenario runs, in campaign order (c1, c2, …). */
export function scenarioAttacks(scenario: ScenarioName, rng: Random): readonly AttackName[] {
  return PLANS[scenario](rng);
}
