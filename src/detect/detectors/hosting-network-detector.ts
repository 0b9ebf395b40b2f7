/**
 * `hosting-network`: a sensitive step from a hosting provider or a VPN.
 * Never enough on its own: alone, its score stays below every challenge
 * threshold, since plenty of people use VPNs and many attacker networks are in
 * no list. Together with behaviour — a device and network the account never
 * trusted — it is enough to challenge: then the server is where the step came
 * from, not where a known user tunnels from. Not on shared egress: an address
 * many accounts of the tenant have settled on is the organisation's VPN.
 */
import type { Detector } from '../detector.js';
import { EVENT_CLASS } from '../../domain/event-class.js';

export const hostingNetworkDetector: Detector = {
  id: 'hosting-network',
  evaluate(ctx) {
    const network = ctx.enrichment.network;
    if (!network) return undefined;
    // The organisation's own cloud egress (shared-egress.ts): a cloud, but theirs.
    if (ctx.sharedEgress > 0) return undefined;
    const cls = EVENT_CLASS[ctx.event.type];
    if (cls === 'other') return undefined;
    const novel = ctx.novel;
    const score = novel
      ? network.kind === 'hosting'
        ? 0.55
        : 0.5
      : (network.kind === 'hosting' ? 0.3 : 0.22) * (cls === 'signin' || cls === 'mfa' ? 0.8 : 1);
    const asn = ctx.enrichment.asn !== undefined ? ` AS${ctx.enrichment.asn}` : '';
    const name = ctx.enrichment.asOrg ?? network.name;
    return {
      score,
      detail:
        `${network.kind === 'hosting' ? 'hosting provider' : 'VPN'}${asn}${name ? ` ${name}` : ''} for a ${cls} step` +
        (novel ? ', with a device and network this account never used' : ''),
    };
  },
};
