/**
 * Indicator — one indicator of compromise from a threat-intelligence source
 * (a STIX bundle, a MISP event, a CSV list): the value to look for, who
 * reports it and the actor the source ties it to. The intel stage produces
 * them (src/intel/indicator-import.ts), the `ioc-match` detector matches them
 * (src/detect/indicator-set.ts), attribution and export read them.
 *
 * @example
 * const ioc: Indicator = {
 *   type: 'ip',
 *   value: '203.0.113.0/24',
 *   source: 'Example CERT',
 *   actor: 'Charming Kitten',
 *   validFrom: '2019-08-01T00:00:00.000Z',
 * };
 */

/**
 * Every indicator type, in one list.
 *
 * @example
 * (INDICATOR_TYPES as readonly string[]).includes(query.type);
 */
export const INDICATOR_TYPES = ['ip', 'asn', 'user_agent', 'email', 'domain', 'url'] as const;

/**
 * What an indicator's value is. `url` indicators never match events (events
 * carry no URLs) but are kept for attribution and export.
 *
 * @example
 * const t: IndicatorType = 'domain';
 */
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/**
 * One indicator of compromise, validated and normalised.
 *
 * @example
 * const ioc: Indicator = { type: 'email', value: 'drop@evil.example', source: 'report-2019' };
 */
export interface Indicator {
  readonly type: IndicatorType;
  /**
   * Normalised. `ip`: an address or a CIDR network (`203.0.113.0/24`, v4 or
   * v6, host bits zero). `asn`: decimal digits. `email`, `domain`: lower
   * case. `url`: as given, trimmed.
   */
  readonly value: string;
  /** Where it comes from (feed, report, organisation), shown to people. */
  readonly source: string;
  /** The actor name the source gives (any vendor's name; resolved later through the actor knowledge base). */
  readonly actor?: string;
  /** ISO 8601. */
  readonly validFrom?: string;
  /** ISO 8601. */
  readonly validUntil?: string;
  readonly description?: string;
  /** 0–100, when the source gives one. */
  readonly confidence?: number;
}
