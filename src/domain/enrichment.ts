/**
 * What the enrich stage adds to an event before scoring: where the source is
 * (country, city, coordinates), whose network it is (ASN, organisation,
 * hosting/VPN), what the client is (browser, OS, device class) and who the
 * account is (its directory record). Values the event supplied win over
 * looked-up ones; `provenance` says which is which.
 *
 * @example
 * const e: Enrichment = { country: 'US', asn: 15169, asOrg: 'Google LLC', device: 'desktop',
 *   provenance: { country: 'geoip', asn: 'asn-db' } };
 */
import type { DirectoryRecord } from './directory-record.js';

export type DeviceClass = 'desktop' | 'mobile' | 'tablet' | 'bot' | 'unknown';
export type NetworkKind = 'hosting' | 'vpn';

export interface Enrichment {
  /** ISO 3166-1 alpha-2. */
  readonly country?: string;
  readonly city?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly asn?: number;
  readonly asOrg?: string;
  /** The address's network block: `/24` for IPv4, `/48` for IPv6, e.g. `203.0.113.0/24`. */
  readonly prefix?: string;
  /** Set when the network is a known hosting provider or VPN; absent is not evidence of anything. */
  readonly network?: {
    readonly kind: NetworkKind;
    readonly by: 'asn' | 'range';
    readonly name?: string;
  };
  readonly browser?: string;
  readonly browserMajor?: string;
  readonly os?: string;
  readonly device: DeviceClass;
  readonly directory?: DirectoryRecord;
  readonly provenance: {
    readonly country?: 'event' | 'geoip';
    readonly asn?: 'event' | 'asn-db';
  };
}
