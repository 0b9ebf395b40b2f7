/**
 * One indicator file being read, whatever its format: the format readers
 * (STIX, MISP, CSV) hand it claimed indicators, skips and problems; it checks
 * and normalises each claim (indicator-value.ts), keeps the first of each
 * (type, value, source), counts skip reasons and gives the result.
 *
 * @example
 * const reading = new IndicatorReading('csv', CSV_FIELD_NAMES);
 * reading.add('line 2', { type: 'ip', value: '203.0.113.7', field: 'value', source: 'ACME CTI' });
 * reading.problem('line 3', 'value: required');
 * reading.result(); // { format: 'csv', indicators: [{ type: 'ip', … }], skipped: [], problems: [{ position: 'line 3', … }], actors: [] }
 */
import type { Indicator, IndicatorType } from '../domain/indicator.js';
import { checkConfidence, checkIndicatorTime, checkIndicatorValue } from './indicator-value.js';

/**
 * Every indicator file format, in one list.
 *
 * @example
 * INDICATOR_FORMATS.includes(query.format); // validate a `?format=` parameter
 */
export const INDICATOR_FORMATS = ['stix', 'misp', 'csv'] as const;

/**
 * An indicator file format: a STIX 2.1 bundle, MISP event JSON, or CSV.
 *
 * @example
 * const f: IndicatorFormat = 'misp';
 */
export type IndicatorFormat = (typeof INDICATOR_FORMATS)[number];

/**
 * What reading one indicator file gave.
 *
 * @example
 * `${r.indicators.length} imported, ${r.problems.length} problems, naming ${r.actors.join(', ')}`;
 */
export interface IndicatorImport {
  readonly format: IndicatorFormat;
  /** Validated, normalised, one per (type, value, source): the first in the file. */
  readonly indicators: readonly Indicator[];
  /** Records understood but not importable, counted by reason, in the order first met. */
  readonly skipped: readonly { readonly reason: string; readonly count: number }[];
  /** Malformed records, where they are (`line 14`, `objects[3] (indicator--…)`, `Event.Attribute[7]`), in file order. */
  readonly problems: readonly { readonly position: string; readonly message: string }[];
  /** Actor names the file ties indicators to, as written, in the order first met. */
  readonly actors: readonly string[];
}

/**
 * The whole file cannot be read as indicators: not JSON where JSON was
 * expected, JSON of another kind, a CSV without `type` and `value` columns,
 * an unknown format. The message says what was expected.
 *
 * @example
 * try { parseIndicators(text, {}); } catch (e) { if (e instanceof IndicatorFileError) reply400(e.message); }
 */
export class IndicatorFileError extends Error {
  override readonly name = 'IndicatorFileError';
}

/**
 * One indicator as a file states it: the value and fields still raw.
 *
 * @example
 * const c: IndicatorClaim = { type: 'ip', value: '203.0.113.0/24', field: 'value', source: 'Example CERT', validFrom: '2019-08-01' };
 */
export interface IndicatorClaim {
  readonly type: IndicatorType;
  readonly value: string;
  /** Restricts an `ip` value to one family (STIX `ipv4-addr`, CSV `ipv6`). */
  readonly ipVersion?: 4 | 6;
  readonly source: string;
  /** Where the value sits in the record, for messages: `value`, `ipv4-addr:value`. */
  readonly field: string;
  readonly actor?: string | undefined;
  readonly validFrom?: unknown;
  readonly validUntil?: unknown;
  readonly description?: string | undefined;
  readonly confidence?: unknown;
}

/**
 * What the format calls the validity and confidence fields, for messages.
 *
 * @example
 * const misp: ClaimFieldNames = { validFrom: 'first_seen', validUntil: 'last_seen', confidence: 'confidence' };
 */
export interface ClaimFieldNames {
  readonly validFrom: string;
  readonly validUntil: string;
  readonly confidence: string;
}

/**
 * The reading of one file in progress (see the file comment).
 *
 * @example
 * const reading = new IndicatorReading('misp', { validFrom: 'first_seen', validUntil: 'last_seen', confidence: 'confidence' });
 */
export class IndicatorReading {
  readonly #format: IndicatorFormat;
  readonly #names: ClaimFieldNames;
  readonly #indicators = new Map<string, Indicator>();
  readonly #skipped = new Map<string, number>();
  readonly #problems: { readonly position: string; readonly message: string }[] = [];
  readonly #actors = new Set<string>();

  constructor(format: IndicatorFormat, names: ClaimFieldNames) {
    this.#format = format;
    this.#names = names;
  }

  /**
   * Checks one claim and keeps it, or records why not: a problem at
   * `position`, a skip reason, or a duplicate of an earlier (type, value,
   * source).
   *
   * @example
   * reading.add('Event.Attribute[0]', { type: 'domain', value: 'Evil.Example.', field: 'value', source: 'CIRCL' });
   */
  add(position: string, claim: IndicatorClaim): void {
    const value = checkIndicatorValue(claim.type, claim.value, claim.ipVersion);
    if (!value.ok) {
      if (value.skip) this.skip(value.message);
      else this.problem(position, `${claim.field}: ${value.message}`);
      return;
    }
    const from = checkIndicatorTime(claim.validFrom);
    if (!from.ok) return this.problem(position, `${this.#names.validFrom}: ${from.message}`);
    const until = checkIndicatorTime(claim.validUntil);
    if (!until.ok) return this.problem(position, `${this.#names.validUntil}: ${until.message}`);
    if (from.value !== undefined && until.value !== undefined && until.value < from.value) {
      return this.problem(
        position,
        `${this.#names.validUntil} ${until.value} is before ${this.#names.validFrom} ${from.value}`,
      );
    }
    const confidence = checkConfidence(claim.confidence);
    if (!confidence.ok) {
      return this.problem(position, `${this.#names.confidence}: ${confidence.message}`);
    }
    const actor = claim.actor?.trim() || undefined;
    if (actor !== undefined) this.#actors.add(actor);
    const key = `${claim.type}\u0000${value.value}\u0000${claim.source}`;
    if (this.#indicators.has(key)) {
      this.skip('duplicate (same type, value and source as an earlier record)');
      return;
    }
    const description = claim.description?.trim() || undefined;
    this.#indicators.set(key, {
      type: claim.type,
      value: value.value,
      source: claim.source,
      ...(actor !== undefined ? { actor } : {}),
      ...(from.value !== undefined ? { validFrom: from.value } : {}),
      ...(until.value !== undefined ? { validUntil: until.value } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(confidence.value !== undefined ? { confidence: confidence.value } : {}),
    });
  }

  /**
   * Counts one record understood but not importable.
   *
   * @example
   * reading.skip('revoked');
   */
  skip(reason: string): void {
    this.#skipped.set(reason, (this.#skipped.get(reason) ?? 0) + 1);
  }

  /**
   * Records one malformed record; the reading goes on.
   *
   * @example
   * reading.problem('line 14', 'type: required');
   */
  problem(position: string, message: string): void {
    this.#problems.push({ position, message });
  }

  /**
   * Notes an actor name the file ties indicators to.
   *
   * @example
   * reading.actor('Charming Kitten');
   */
  actor(name: string): void {
    const trimmed = name.trim();
    if (trimmed !== '') this.#actors.add(trimmed);
  }

  /**
   * The result so far.
   *
   * @example
   * const { indicators, skipped } = reading.result();
   */
  result(): IndicatorImport {
    return {
      format: this.#format,
      indicators: [...this.#indicators.values()],
      skipped: Array.from(this.#skipped, ([reason, count]) => ({ reason, count })),
      problems: [...this.#problems],
      actors: [...this.#actors],
    };
  }
}
