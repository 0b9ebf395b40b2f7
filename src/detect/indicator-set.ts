/**
 * Indicators of compromise the `ioc-match` detector looks for: addresses,
 * networks (CIDR), AS numbers, user agents and email domains or addresses
 * (recovery addresses, forwarding targets) tied to known actors. Empty until
 * indicator lists are imported (the intel stage); the detector is live and
 * matches whatever is loaded.
 *
 * @example
 * const iocs = new IndicatorSet();
 * iocs.add({ type: 'ip', value: '203.0.113.7', source: 'report-2019', actor: 'APT35' });
 * iocs.match({ ip: '203.0.113.7' }); // [{ type: 'ip', ... }]
 */
export type IndicatorType = 'ip' | 'asn' | 'user_agent' | 'email' | 'domain';

export interface Indicator {
  readonly type: IndicatorType;
  readonly value: string;
  /** Where it comes from (report, feed), for the reason shown to people. */
  readonly source: string;
  readonly actor?: string;
}

export interface IndicatorQuery {
  readonly ip?: string;
  readonly asn?: number;
  readonly userAgent?: string;
  /** Recovery addresses and forwarding targets in the event. */
  readonly emails?: readonly string[];
}

export class IndicatorSet {
  readonly #byKey = new Map<string, Indicator>();

  get size(): number {
    return this.#byKey.size;
  }

  add(indicator: Indicator): void {
    this.#byKey.set(`${indicator.type}:${normalise(indicator.type, indicator.value)}`, indicator);
  }

  match(query: IndicatorQuery): Indicator[] {
    if (this.#byKey.size === 0) return [];
    const found: Indicator[] = [];
    const look = (type: IndicatorType, value: string | undefined) => {
      if (value === undefined) return;
      const hit = this.#byKey.get(`${type}:${normalise(type, value)}`);
      if (hit) found.push(hit);
    };
    look('ip', query.ip);
    look('asn', query.asn === undefined ? undefined : String(query.asn));
    look('user_agent', query.userAgent);
    for (const email of query.emails ?? []) {
      look('email', email);
      look('domain', email.slice(email.lastIndexOf('@') + 1));
    }
    return found;
  }
}

function normalise(type: IndicatorType, value: string): string {
  return type === 'user_agent' ? value : value.trim().toLowerCase();
}
