/**
 * `unfamiliar-signin`: the step comes from a context this account does not
 * use (Freeman et al.'s likelihood ratio over network, ASN, country, device
 * and client; see likelihood-ratio.ts). The engine computes the ratio once and
 * passes it as `ctx.unfamiliarity`; this detector explains it.
 *
 * A learning week: for the first {@link LEARNING_MS} of watching a tenant,
 * the ratio counts in proportion to how long it has been watched. A profile
 * built from a day of data has not seen its owner's week (the phone after
 * the laptop, the office after home), and an account with little history
 * then is one the data has not watched yet, not a dormant one. On a week of
 * simulated data this one detector decided half to four fifths of the benign
 * challenges and one in fifty of the stopped attacks, which other detectors
 * carry (spread, probes, hosting and novelty, indicators); the other
 * detectors still read the full ratio. Microsoft's travel detection has the
 * same "initial learning period of seven days". A deployment that ingests a
 * few weeks of history first is past it before it enforces a decision.
 */
import { FEATURES } from '../account-profile.js';
import type { Detector } from '../detector.js';
import { unfamiliarity } from '../likelihood-ratio.js';

/** How long a tenant is watched before unfamiliarity counts in full. */
export const LEARNING_MS = 7 * 86_400_000;
/** What the ratio counts for on the first day of watching, rising to all of it over the learning week. */
const LEARNING_FLOOR = 0.5;

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
    const learning =
      ctx.watched < LEARNING_MS
        ? LEARNING_FLOOR + ((1 - LEARNING_FLOOR) * Math.max(0, ctx.watched)) / LEARNING_MS
        : 1;
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
        (learning < 1
          ? `; counted at ${Math.round(learning * 100)}%: the tenant has been watched for ${(ctx.watched / 86_400_000).toFixed(1)} of 7 learning days`
          : ''),
    };
  },
};
