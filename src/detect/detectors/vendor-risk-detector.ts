/**
 * `vendor-risk`: what the identity provider itself said about the step or
 * the account (`vendor_risk`, filled by the vendor adapters: Entra's risk
 * level and risk event types, Okta's threat and risk fields, Workspace's
 * suspicious-login flag and government-backed attack warning). Vendors' levels
 * are noisy — a new phone or a trip often rates "medium" — so a level weighs
 * little on its own and adds to what Tripline sees itself; the signals that
 * name an attack on the account (a government-backed attack warning, a
 * hijacked or leaked account, a threat the vendor confirmed) weigh more.
 */
import type { RiskLevel } from '../../domain/event.js';
import type { Detector } from '../detector.js';

const LEVEL_SCORE: Readonly<Record<RiskLevel, number>> = {
  none: 0,
  low: 0,
  medium: 0.05,
  high: 0.15,
};

/**
 * Signals that say the account is under attack, not just that the context is
 * new; compared without case, spaces, hyphens or Entra's `riskEventType:`
 * prefix (see {@link signalKey}).
 */
const ATTACK_SIGNALS: ReadonlySet<string> = new Set([
  'gov_attack_warning',
  'account_disabled_hijacked',
  'account_disabled_password_leak',
  'leakedcredentials',
  'threatsuspected',
  'maliciousipaddress',
  'passwordspray',
  'attackerinthemiddle',
  'tokenissueranomaly',
  'suspiciousapitraffic',
]);

function signalKey(signal: string): string {
  return signal
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/^riskeventtype:/, '');
}
const ATTACK_SCORE = 0.5;

export const vendorRiskDetector: Detector = {
  id: 'vendor-risk',
  evaluate(ctx) {
    const risk = ctx.event.vendor_risk;
    if (!risk) return undefined;
    const signals = risk.signals ?? [];
    const attack = signals.filter((s) => ATTACK_SIGNALS.has(signalKey(s)));
    const level = risk.level ? LEVEL_SCORE[risk.level] : 0;
    const score = Math.max(level, attack.length > 0 ? ATTACK_SCORE : 0);
    if (score === 0) return undefined;
    const said = [
      risk.level ? `rated it ${risk.level} risk` : '',
      signals.length ? `reported ${signals.slice(0, 5).join(', ')}` : '',
    ]
      .filter((x) => x !== '')
      .join(' and ');
    return {
      score,
      detail: `the identity provider ${said}${attack.length ? ' (an attack on the account, not just a new context)' : ''}`,
    };
  },
};
