/**
 * Which imported indicators a campaign's own events match: its addresses,
 * AS numbers, client strings and drop addresses, each inside the indicator's
 * validity window. This is the indicator evidence attribution weighs, read
 * afresh from the campaign's members so an indicator imported after the
 * campaign formed counts too.
 *
 * @example
 * const seen = campaignSightings(group, app.indicators);
 * seen[0]; // { type: 'ip', value: '203.0.113.0/24', source: 'ACME CTI', actor: 'Charming Kitten', events: 41, accounts: 12 }
 */
import type { Member } from '../correlate/correlator.js';
import type { Indicator, IndicatorSet } from '../detect/indicator-set.js';
import type { IndicatorSighting } from '../intel/attribution.js';

export function campaignSightings(
  group: { readonly members: readonly Member[] },
  indicators: IndicatorSet,
): IndicatorSighting[] {
  if (indicators.size === 0) return [];
  const seen = new Map<Indicator, { events: number; accounts: Set<string> }>();
  for (const m of group.members) {
    const hits = indicators.match({
      ...(m.ip !== undefined ? { ip: m.ip } : {}),
      ...(m.asn !== undefined ? { asn: m.asn } : {}),
      ...(m.userAgent !== undefined ? { userAgent: m.userAgent } : {}),
      emails: m.emails,
      time: m.time,
    });
    for (const h of hits) {
      let s = seen.get(h);
      if (!s) {
        s = { events: 0, accounts: new Set() };
        seen.set(h, s);
      }
      s.events++;
      s.accounts.add(m.account);
    }
  }
  return [...seen]
    .map(([i, s]) => ({
      type: i.type,
      value: i.value,
      source: i.source,
      ...(i.actor !== undefined ? { actor: i.actor } : {}),
      events: s.events,
      accounts: s.accounts.size,
    }))
    .sort(
      (a, b) =>
        b.events - a.events ||
        (a.value < b.value ? -1 : a.value > b.value ? 1 : a.source < b.source ? -1 : 1),
    );
}
