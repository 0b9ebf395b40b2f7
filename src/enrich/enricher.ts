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
import type { AsnRecord } from './asn-database.js';
import { GeoDatabase } from './geo-database.js';
import type { GeoRecord } from './geo-database.js';
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
  /**
   * Addresses looked up lately, in two generations: when the newer fills,
   * it becomes the older and the older is dropped; an address found in the
   * older moves to the newer. A returning user's address stays, where
   * clearing one full map dropped it with the rest.
   */
  #cache = new Map<string, AddressInfo>();
  #older = new Map<string, AddressInfo>();

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
    const { asn, networks, userAgents, directory } = this.#parts;
    const source = event.source;
    const ip = source?.ip;
    const address = ip ? this.#address(ip) : undefined;
    const located = address?.geo;
    const routed = address?.asn;

    // Built field by field: this runs per event, and spreads of conditional
    // objects cost more than the lookups themselves.
    const provenance: Mutable<Enrichment['provenance']> = {};
    const e: Mutable<Enrichment> = { device: 'unknown', provenance };
    const country = source?.country ?? located?.country;
    if (country !== undefined) {
      e.country = country;
      provenance.country = source?.country ? 'event' : 'geoip';
    }
    if (located?.city !== undefined) e.city = located.city;
    // Coordinates only where the country is the database's own: a supplied
    // country with the database's coordinates could contradict itself.
    if (
      located?.latitude !== undefined &&
      (!source?.country || source.country === located.country)
    ) {
      e.latitude = located.latitude;
      e.longitude = located.longitude!;
    }
    const asNumber = source?.asn ?? routed?.asn;
    if (asNumber !== undefined) {
      e.asn = asNumber;
      provenance.asn = source?.asn !== undefined ? 'event' : 'asn-db';
      const org =
        source?.asn !== undefined && source.asn !== routed?.asn
          ? asn?.orgOf(source.asn)
          : routed?.org;
      if (org !== undefined) e.asOrg = org;
    }
    if (address?.prefix !== undefined) e.prefix = address.prefix;
    const network = networks?.classify(ip, asNumber);
    if (network) e.network = network;
    const client = userAgents.parse(source?.user_agent);
    if (client.browser !== undefined) e.browser = client.browser;
    if (client.browserMajor !== undefined) e.browserMajor = client.browserMajor;
    if (client.os !== undefined) e.os = client.os;
    e.device = client.device;
    const record = directory?.(event.tenant, event.account.id);
    if (record) e.directory = record;
    return e;
  }

  /** Geolocation, AS and prefix of an address, cached: users come back from the same few addresses. */
  #address(ip: string): AddressInfo {
    let info = this.#cache.get(ip);
    if (info) return info;
    info = this.#older.get(ip);
    if (info) return this.#keep(ip, info);
    const geo = this.#parts.geo?.lookup(ip);
    const routed = this.#parts.asn?.lookup(ip);
    const prefix = networkPrefix(ip);
    // One shape for every entry: objects built by conditional spreads each
    // get a hidden class of their own, which costs more than the entry.
    return this.#keep(ip, { geo, asn: routed, prefix });
  }

  #keep(ip: string, info: AddressInfo): AddressInfo {
    if (this.#cache.size >= ADDRESS_GENERATION) {
      this.#older = this.#cache;
      this.#cache = new Map();
    }
    this.#cache.set(ip, info);
    return info;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface AddressInfo {
  readonly geo: GeoRecord | undefined;
  readonly asn: AsnRecord | undefined;
  readonly prefix: string | undefined;
}

/** Addresses per cache generation (two are kept). */
const ADDRESS_GENERATION = 100_000;
