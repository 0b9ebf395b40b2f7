/**
 * `unfamiliar-signin`: the step comes from a context this account does not
 * use (Freeman et al.'s likelihood ratio over network, ASN, country, device
 * and client; see likelihood-ratio.ts). The engine computes the ratio once and
 * passes it as `ctx.unfamiliarity`; this detector explains it.
 *
 * In the tenant's first week the ratio counts for less (learning-week.ts);
 * the other detectors still read it in full.
 */
import { FEATURES } from '../account-profile.js';
import type { Detector } from '../detector.js';
import { learningNote, learningWeight } from '../learning-week.js';
import { unfamiliarity } from '../likelihood-ratio.js';

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
    let score = ctx.unfamiliarity;
    const learning = learningWeight(ctx.watched);
    if (learning < 1) {
      let llr = 0;
      for (const part of ctx.ratioParts) if (!Number.isNaN(part)) llr += part;
      score = unfamiliarity(llr * learning);
      if (score < 0.25) return undefined;
    }
    const strange = FEATURES.map((feature, fi) => ({ feature, fi, llr: ctx.ratioParts[fi]! }))
      .filter((p) => p.llr > 0.5)
      .sort((a, b) => b.llr - a.llr)
      .map(({ feature, fi }) => {
        const value = ctx.features[feature]!;
        const tentative = ctx.profile.isTentative(fi, ctx.keys[fi]!)
          ? ' (seen only in risky steps)'
          : '';
        const org = feature === 'asn' && ctx.enrichment.asOrg ? ` ${ctx.enrichment.asOrg}` : '';
        return `${LABEL[feature]} ${feature === 'asn' ? `AS${value}${org}` : value}${tentative}`;
      });
    const history = ctx.profile.learned;
    return {
      score,
      detail:
        `new for this account: ${strange.join(', ') || 'the combination of its context'}` +
        ` (compared with ${history} trusted step${history === 1 ? '' : 's'} of history)` +
        (ctx.sharedEgress > 0
          ? `; the place not counted: shared egress, ${ctx.sharedEgress} accounts have settled on its address`
          : '') +
        (learning < 1 ? `; ${learningNote(learning, ctx.watched)}` : ''),
    };
  },
};
