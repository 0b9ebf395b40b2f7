/**
 * `impossible-travel`: the step is farther from the account's last trusted
 * location than anyone could travel in the time between them. Shared egress
 * (shared-egress.ts) is neither a destination nor a last location: it is
 * located at its data centre.
 */
import { FEATURE } from '../account-profile.js';
import type { Detector } from '../detector.js';

const EARTH_KM = 6371;
const MIN_KM = 500;
const MIN_KM_SAME_COUNTRY = 2500;
/** Faster than an airliner, with slack for geolocation error. */
const MAX_KMH = 1000;

export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export const impossibleTravelDetector: Detector = {
  id: 'impossible-travel',
  evaluate(ctx) {
    const { latitude, longitude, country } = ctx.enrichment;
    // Shared egress is located at its data centre, not where its user is.
    if (ctx.sharedEgress > 0) return undefined;
    // Checked before the location is read out: most steps stop here.
    const lastTime = ctx.profile.lastLocationTime;
    if (latitude === undefined || longitude === undefined || lastTime === 0 || ctx.time <= lastTime)
      return undefined;
    const last = ctx.profile.lastLocation!;
    const km = distanceKm(last.latitude, last.longitude, latitude, longitude);
    if (km < MIN_KM) return undefined;
    // Geolocation of a familiar network jumps about (carrier NAT, national ISPs):
    // only a move onto a network the account does not use, and across a border
    // or an ocean, counts.
    const familiarNetwork =
      ctx.profile.trusted(FEATURE.network, ctx.keys[FEATURE.network]!) > 0 ||
      ctx.profile.trusted(FEATURE.asn, ctx.keys[FEATURE.asn]!) > 0;
    if (familiarNetwork) return undefined;
    if (country !== undefined && country === last.country && km < MIN_KM_SAME_COUNTRY)
      return undefined;
    const hours = (ctx.time - last.time) / 3_600_000;
    const kmh = km / Math.max(hours, 1 / 60);
    if (kmh <= MAX_KMH) return undefined;
    // A known device far away is usually a VPN or a wrong geolocation, not a second person.
    const knownDevice = ctx.profile.trusted(FEATURE.device, ctx.keys[FEATURE.device]!) > 0;
    const score = Math.min(0.8, 0.4 + 0.1 * Math.log2(kmh / MAX_KMH)) * (knownDevice ? 0.4 : 1);
    return {
      score,
      detail:
        `${Math.round(km)} km from the last trusted location${last.country ? ` (${last.country})` : ''} ` +
        `in ${hours < 1 ? `${Math.round(hours * 60)} min` : `${hours.toFixed(1)} h`}` +
        `${country ? ` to ${country}` : ''}: ${Math.round(kmh)} km/h` +
        (knownDevice ? ', from a known device' : ''),
    };
  },
};
