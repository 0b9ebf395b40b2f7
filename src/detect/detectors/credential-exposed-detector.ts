/**
 * `credential-exposed`: a sign-in from a device and network the account
 * does not trust (nor its provider with its browser), after its password (or a recovery step) succeeded in a
 * step scored risky. Someone else may hold the credential now: the intruder
 * who was stopped once comes back from elsewhere, or a sprayed password is
 * used again. The owner's own devices and networks pass; proving a second
 * factor, or setting a new password from a trusted context, clears it.
 */
import { FEATURE } from '../account-profile.js';
import type { Detector } from '../detector.js';

const WINDOW_MS = 14 * 86_400_000;

export const credentialExposedDetector: Detector = {
  id: 'credential-exposed',
  evaluate(ctx) {
    if (ctx.event.type !== 'signin' || ctx.event.outcome !== 'success') return undefined;
    const exposed = ctx.profile.exposed;
    if (!exposed || ctx.time < exposed.time || ctx.time - exposed.time > WINDOW_MS)
      return undefined;
    // The owner's own: a trusted device or network, or their provider with
    // their browser (a phone on mobile data, without a device id).
    const trusted = (f: number) => ctx.profile.trusted(f, ctx.keys[f]!) > 0;
    if (
      trusted(FEATURE.device) ||
      trusted(FEATURE.network) ||
      (trusted(FEATURE.asn) && trusted(FEATURE.client))
    )
      return undefined;
    const hours = (ctx.time - exposed.time) / 3_600_000;
    const ago =
      hours < 48 ? `${Math.max(1, Math.round(hours))} h` : `${Math.round(hours / 24)} days`;
    return {
      score: 0.6,
      detail:
        `the password succeeded in a risky step ${ago} ago (score ${exposed.score.toFixed(2)}), ` +
        'and this sign-in is from a device and network the account does not trust',
    };
  },
};
