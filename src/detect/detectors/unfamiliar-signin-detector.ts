/**
 * `unfamiliar-signin`: the step comes from a context this account does not
 * use (Freeman et al.'s likelihood ratio over network, ASN, country, device
 * and client; see likelihood-ratio.ts). The engine computes the ratio once and
 * passes it as `ctx.unfamiliarity`; this detector explains it.
 */
import type { Detector } from '../detector.js';

const LABEL = {
  network: 'network',
  asn: 'AS',
  country: 'country',
  device: 'device',
  client: 'client',
} as const;

export const unfamiliarSigninDetector: Detector = {
  id: 'unfamiliar-signin',
  evaluate(ctx) {
    if (ctx.unfamiliarity < 0.25) return undefined;
    const strange = ctx.ratioParts
      .filter((p) => p.llr > 0.5)
      .sort((a, b) => b.llr - a.llr)
      .map((p) => {
        const tentative = ctx.profile.isTentative(p.feature, p.value)
          ? ' (seen only in risky steps)'
          : '';
        const org = p.feature === 'asn' && ctx.enrichment.asOrg ? ` ${ctx.enrichment.asOrg}` : '';
        return `${LABEL[p.feature]} ${p.feature === 'asn' ? `AS${p.value}${org}` : p.value}${tentative}`;
      });
    const history = ctx.profile.learned;
    return {
      score: ctx.unfamiliarity,
      detail:
        `new for this account: ${strange.join(', ') || 'the combination of its context'}` +
        ` (compared with ${history} trusted step${history === 1 ? '' : 's'} of history)`,
    };
  },
};
