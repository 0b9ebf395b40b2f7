/**
 * Where simulated people live: time zone, phone numbering, naming culture.
 *
 * Offsets are fixed per person (no daylight-saving switch inside a run): a
 * detector that models "local hour" sees a stable, plausible clock per account.
 * Phone numbers use ranges reserved for fiction where a country has one
 * (US/CA 555-01xx, UK 07700 900xxx, FR 06 39 98, AU 0491 570), so no real
 * subscriber is ever named.
 *
 * @example
 * const us = countryByCode('US');
 * const phone = us.phone(rng); // "+12025550147"
 */
import type { Random } from './random.js';
import type { NameCulture } from './names.js';

/** A country people live in or travel to. */
export interface Country {
  readonly code: string;
  /** UTC offsets in minutes with their share of the population. */
  readonly zones: readonly { readonly offset: number; readonly weight: number }[];
  readonly culture: NameCulture;
  readonly phone: (rng: Random) => string;
}

const digits = (rng: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
};

const US_AREA_CODES = [
  '202',
  '212',
  '213',
  '305',
  '312',
  '404',
  '415',
  '503',
  '512',
  '602',
  '617',
  '646',
  '703',
  '718',
  '720',
  '917',
];
const CA_AREA_CODES = ['416', '514', '604', '613', '647', '403'];

/** Every country the simulator models (each has at least one residential network). */
export const COUNTRIES: readonly Country[] = [
  {
    code: 'US',
    zones: [
      { offset: -240, weight: 0.5 },
      { offset: -300, weight: 0.25 },
      { offset: -360, weight: 0.05 },
      { offset: -420, weight: 0.2 },
    ],
    culture: 'anglo',
    phone: (r) => `+1${r.pick(US_AREA_CODES)}55501${digits(r, 2)}`,
  },
  {
    code: 'GB',
    zones: [{ offset: 60, weight: 1 }],
    culture: 'anglo',
    phone: (r) => `+447700900${digits(r, 3)}`,
  },
  {
    code: 'DE',
    zones: [{ offset: 120, weight: 1 }],
    culture: 'german',
    phone: (r) => `+4915${r.int(1, 7)}${digits(r, 8)}`,
  },
  {
    code: 'FR',
    zones: [{ offset: 120, weight: 1 }],
    culture: 'french',
    phone: (r) => `+33639980${digits(r, 3)}`,
  },
  {
    code: 'ES',
    zones: [{ offset: 120, weight: 1 }],
    culture: 'spanish',
    phone: (r) => `+346${digits(r, 8)}`,
  },
  {
    code: 'IT',
    zones: [{ offset: 120, weight: 1 }],
    culture: 'italian',
    phone: (r) => `+393${digits(r, 9)}`,
  },
  {
    code: 'NL',
    zones: [{ offset: 120, weight: 1 }],
    culture: 'dutch',
    phone: (r) => `+316${digits(r, 8)}`,
  },
  {
    code: 'SE',
    zones: [{ offset: 120, weight: 1 }],
    culture: 'swedish',
    phone: (r) => `+4670${digits(r, 7)}`,
  },
  {
    code: 'CA',
    zones: [
      { offset: -240, weight: 0.6 },
      { offset: -420, weight: 0.4 },
    ],
    culture: 'anglo',
    phone: (r) => `+1${r.pick(CA_AREA_CODES)}55501${digits(r, 2)}`,
  },
  {
    code: 'TR',
    zones: [{ offset: 180, weight: 1 }],
    culture: 'turkish',
    phone: (r) => `+905${digits(r, 9)}`,
  },
  {
    code: 'AU',
    zones: [{ offset: 600, weight: 1 }],
    culture: 'anglo',
    phone: (r) => `+61491570${digits(r, 3)}`,
  },
  {
    code: 'IN',
    zones: [{ offset: 330, weight: 1 }],
    culture: 'indian',
    phone: (r) => `+9198${digits(r, 8)}`,
  },
];

const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/**
 * A country by its ISO code; throws for one the simulator does not model.
 *
 * @example
 * countryByCode('DE').zones[0]?.offset; // 120
 */
export function countryByCode(code: string): Country {
  const c = BY_CODE.get(code);
  if (!c) throw new Error(`simulate: unknown country "${code}"`);
  return c;
}

/** A weighted country code, e.g. `pickCountry(rng, { US: 5, GB: 1 })`. */
export function pickCountry(rng: Random, weights: Readonly<Record<string, number>>): Country {
  const codes = Object.keys(weights);
  return countryByCode(rng.weighted(codes, (c) => weights[c] ?? 0));
}
