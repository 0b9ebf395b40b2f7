/**
 * `ioc-match`: the address, network, client or a recovery / forwarding
 * address in the event is a known indicator (loaded by the intel stage).
 */
import type { Detector } from '../detector.js';

export const iocMatchDetector: Detector = {
  id: 'ioc-match',
  evaluate(ctx) {
    if (ctx.indicators.size === 0) return undefined;
    const emails = [ctx.event.recovery?.address, ctx.event.mailbox?.forward_to].filter(
      (e): e is string => typeof e === 'string' && e.includes('@'),
    );
    const hits = ctx.indicators.match({
      ...(ctx.event.source?.ip ? { ip: ctx.event.source.ip } : {}),
      ...(ctx.enrichment.asn !== undefined ? { asn: ctx.enrichment.asn } : {}),
      ...(ctx.event.source?.user_agent ? { userAgent: ctx.event.source.user_agent } : {}),
      emails,
    });
    if (hits.length === 0) return undefined;
    const h = hits[0]!;
    return {
      score: 0.9,
      detail:
        `${h.type} ${h.value} is an indicator from ${h.source}${h.actor ? ` (${h.actor})` : ''}` +
        (hits.length > 1 ? `, and ${hits.length - 1} more` : ''),
    };
  },
};
