/**
 * The enrich stage: adds to each event where it comes from, whose network
 * it is, what the client is and who the account is ({@link Enrichment}).
 * Values the event supplies (`source.country`, `source.asn`) win over the
 * databases, which are a snapshot and sometimes wrong.
 *
 * Pure given its databases: no I/O per event, no clock.
 *
 * @example
 * const enricher = Enricher.load({ directory: (tenant, id) => records.get(id) });
 * enricher.enrich(event).country; // 'US'
 */
import type { DirectoryRecord } from '../domain/directory-record.js';
import type { Enrichment } from '../domain/enrichment.js';
import type { NativeEvent } from '../domain/event.js';
import { AsnDatabase } from './asn-database.js';
import { GeoDatabase } from './geo-database.js';
import { networkPrefix } from './ip-address.js';
import { NetworkClassifier } from './network-classifier.js';
import { UserAgentParser } from './user-agent-parser.js';

export type DirectoryLookup = (tenant: string, accountId: string) => DirectoryRecord | undefined;

export interface EnricherParts {
  /** Null: no geolocation (events keep only what they carry). */
  readonly geo: GeoDatabase | null;
  readonly asn: AsnDatabase | null;
  readonly networks: NetworkClassifier | null;
  readonly userAgents: UserAgentParser;
  readonly directory?: DirectoryLookup;
}

export class Enricher {
  readonly #parts: EnricherParts;

  constructor(parts: EnricherParts) {
    this.#parts = parts;
  }

  /** With the real data shipped in the npm packages and data/. */
  static load(options: { directory?: DirectoryLookup } = {}): Enricher {
    return new Enricher({
      geo: GeoDatabase.load(),
      asn: AsnDatabase.load(),
      networks: NetworkClassifier.load(),
      userAgents: new UserAgentParser(),
      ...(options.directory ? { directory: options.directory } : {}),
    });
  }

  enrich(event: NativeEvent): Enrichment {
    const { geo, asn, networks, userAgents, directory } = this.#parts;
    const source = event.source;
    const ip = source?.ip;

    const located = ip && geo ? geo.lookup(ip) : undefined;
    const routed = ip && asn ? asn.lookup(ip) : undefined;
    const country = source?.country ?? located?.country;
    const asNumber = source?.asn ?? routed?.asn;
    const asOrg =
      source?.asn !== undefined && source.asn !== routed?.asn
        ? asn?.orgOf(source.asn)
        : routed?.org;
    const network = networks?.classify(ip, asNumber);
    const client = userAgents.parse(source?.user_agent);
    const prefix = ip ? networkPrefix(ip) : undefined;
    const record = directory?.(event.tenant, event.account.id);

    return {
      ...(country !== undefined ? { country } : {}),
      ...(located?.city !== undefined ? { city: located.city } : {}),
      // Coordinates only where the country is the database's own: a supplied
      // country with the database's coordinates could contradict itself.
      ...(located?.latitude !== undefined &&
      (!source?.country || source.country === located.country)
        ? { latitude: located.latitude, longitude: located.longitude }
        : {}),
      ...(asNumber !== undefined ? { asn: asNumber } : {}),
      ...(asOrg !== undefined ? { asOrg } : {}),
      ...(prefix !== undefined ? { prefix } : {}),
      ...(network ? { network } : {}),
      ...(client.browser !== undefined ? { browser: client.browser } : {}),
      ...(client.browserMajor !== undefined ? { browserMajor: client.browserMajor } : {}),
      ...(client.os !== undefined ? { os: client.os } : {}),
      device: client.device,
      ...(record ? { directory: record } : {}),
      provenance: {
        ...(country !== undefined ? { country: source?.country ? 'event' : 'geoip' } : {}),
        ...(asNumber !== undefined ? { asn: source?.asn !== undefined ? 'event' : 'asn-db' } : {}),
      },
    };
  }
}
