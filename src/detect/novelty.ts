/**
 * Whether a step's context is entirely new to an account, whatever the size
 * of its history: a device it never trusted (when the event names one) on a
 * network and AS it never trusted. The likelihood ratio says little about a
 * dormant account with a handful of sign-ins; novelty still does.
 */
import type { DetectionContext } from './detector.js';

export function isNovelContext(ctx: DetectionContext): boolean {
  if (ctx.profile.learned === 0 || ctx.features.network === undefined) return false;
  const never = (f: 'device' | 'network' | 'asn') => {
    const v = ctx.features[f];
    return v === undefined || ctx.profile.weight(f, v).weight === 0;
  };
  return never('device') && never('network') && never('asn');
}
