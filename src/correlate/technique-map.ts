/**
 * Which MITRE ATT&CK techniques a step of an attack shows. Per event, from
 * what happened (type, outcome, method) and what the detectors found; the
 * campaign view adds what only shows across events (a spray, a relayed
 * session). Names come from the ATT&CK data (data/attack-techniques.json).
 *
 * @example
 * eventTechniques({ type: 'mailbox.forwarding.set', outcome: 'success', … }); // ['T1114.003']
 */
import type { CorrelationSignal } from '../domain/signal.js';

type StepFacts = Pick<
  CorrelationSignal,
  'type' | 'outcome' | 'detectors' | 'authMethod' | 'emails'
>;

export const TECHNIQUE = {
  bruteForce: 'T1110',
  passwordGuessing: 'T1110.001',
  passwordSpraying: 'T1110.003',
  validAccounts: 'T1078',
  compromiseEmailAccounts: 'T1586.002',
  accountManipulation: 'T1098',
  deviceRegistration: 'T1098.005',
  modifyMfa: 'T1556.006',
  emailForwardingRule: 'T1114.003',
  emailHidingRules: 'T1564.008',
  mfaRequestGeneration: 'T1621',
  adversaryInTheMiddle: 'T1557',
  stealAccessToken: 'T1528',
} as const;

/** The techniques one step shows by itself. */
export function eventTechniques(s: StepFacts): string[] {
  const ok = s.outcome === 'success';
  switch (s.type) {
    case 'signin':
      if (!ok) return [TECHNIQUE.bruteForce];
      return [TECHNIQUE.validAccounts];
    case 'mfa.challenge':
      // Pushes the user did not ask for: fatigue. A code that failed is a guess.
      if (s.authMethod === 'mfa_push' || s.detectors.includes('recovery-probe'))
        return [TECHNIQUE.mfaRequestGeneration];
      return ok ? [TECHNIQUE.validAccounts] : [];
    case 'password.reset.requested':
    case 'recovery.challenge':
    case 'password.reset.completed':
      return [TECHNIQUE.compromiseEmailAccounts];
    case 'password.changed':
    case 'recovery.channel.added':
    case 'recovery.channel.removed':
      return ok ? [TECHNIQUE.accountManipulation] : [];
    case 'mfa.enrolled':
      return ok ? [TECHNIQUE.deviceRegistration] : [];
    case 'mfa.removed':
      return ok ? [TECHNIQUE.modifyMfa] : [];
    case 'mailbox.forwarding.set':
      return ok ? [TECHNIQUE.emailForwardingRule] : [];
    case 'mailbox.rule.created':
      if (!ok) return [];
      return s.emails.length > 0
        ? [TECHNIQUE.emailForwardingRule, TECHNIQUE.emailHidingRules]
        : [TECHNIQUE.emailHidingRules];
    case 'oauth.consent.granted':
      return ok ? [TECHNIQUE.stealAccessToken] : [];
    case 'account.locked':
    case 'risk.detected':
      return [];
  }
}
