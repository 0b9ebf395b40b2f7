/**
 * `ioc-match`: the address, network, client or a recovery / forwarding
 * address in the event is a known indicator (loaded by the intel stage),
 * valid at the event's time.
 *
 * @example
 * engine.indicators.add({ type: 'ip', value: '198.51.100.0/24', source: 'test list', actor: 'APT35' });
 * iocMatchDetector.evaluate(ctx); // { score: 0.9, detail: 'ip 198.51.100.9 is in 198.51.100.0/24, an indicator from test list (APT35)' }
 */
import type { Detector } from '../detector.js';
import { eventIndicatorQuery } from '../indicator-set.js';

export const iocMatchDetector: Detector = {
  id: 'ioc-match',
  evaluate(ctx) {
    if (ctx.indicators.size === 0) return undefined;
    const hits = ctx.indicators.match(eventIndicatorQuery(ctx.event, ctx.enrichment.asn, ctx.time));
    if (hits.length === 0) return undefined;
    const h = hits[0]!;
    const what =
      h.type === 'ip' && h.value.includes('/')
        ? `ip ${ctx.event.source?.ip} is in ${h.value}, an indicator`
        : `${h.type} ${h.value} is an indicator`;
    return {
      score: 0.9,
      detail:
        `${what} from ${h.source}${h.actor ? ` (${h.actor})` : ''}` +
        (hits.length > 1 ? `, and ${hits.length - 1} more` : ''),
    };
  },
};
