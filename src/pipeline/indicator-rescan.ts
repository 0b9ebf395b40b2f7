/**
 * A late indicator re-examines the past: every stored event is matched
 * against indicators that were just imported, the way the `ioc-match`
 * detector matches a new event (address or network, AS number, client
 * string, recovery and forwarding addresses, inside the indicator's validity
 * window). The result says what matched and where; whether the engine's
 * state is then rebuilt with the indicators in place is the caller's choice.
 *
 * @example
 * const found = await rescanEvents(store, fresh, { asnOf: (ip) => asn.lookup(ip)?.asn });
 * `${found.matched} past events match, on ${found.accounts} accounts`;
 */
import { eventIndicatorQuery } from '../detect/indicator-set.js';
import type { Indicator, IndicatorSet } from '../detect/indicator-set.js';
import type { Store } from '../store/port.js';

export interface RescanOptions {
  /** The AS number of an address, for events that do not carry one. */
  readonly asnOf?: (ip: string) => number | undefined;
  /** Called after each chunk: events scanned so far, of about `total`. */
  readonly onProgress?: (scanned: number, total: number) => void;
  /** Matched event keys kept for the caller (tenant, id); the counts go on past it. */
  readonly keepEvents?: number;
}

/** One indicator that matched past events. */
export interface IndicatorHit {
  readonly indicator: Indicator;
  readonly events: number;
  readonly accounts: number;
  readonly first: string;
  readonly last: string;
}

export interface RescanResult {
  readonly scanned: number;
  /** Events at least one indicator matched. */
  readonly matched: number;
  /** Distinct accounts (by tenant) among them. */
  readonly accounts: number;
  /** Most events first. */
  readonly hits: readonly IndicatorHit[];
  /** `tenant\nevent id` of matched events, up to `keepEvents`. */
  readonly events: ReadonlySet<string>;
  readonly seconds: number;
}

const CHUNK = 10_000;

export async function rescanEvents(
  store: Store,
  indicators: IndicatorSet,
  options: RescanOptions = {},
): Promise<RescanResult> {
  const started = performance.now();
  const keep = options.keepEvents ?? 100_000;
  const total = await store.countEvents();
  const events = new Set<string>();
  const accounts = new Set<string>();
  const byIndicator = new Map<
    Indicator,
    { events: number; accounts: Set<string>; first: string; last: string }
  >();
  let scanned = 0;
  let matched = 0;
  let after = 0;
  if (indicators.size > 0) {
    for (;;) {
      const chunk = await store.scanEvents(after, CHUNK);
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.seq;
      for (const { event, timeMs } of chunk) {
        const ip = event.source?.ip;
        const asn = event.source?.asn ?? (ip && options.asnOf ? options.asnOf(ip) : undefined);
        const hits = indicators.match(eventIndicatorQuery(event, asn, timeMs));
        if (hits.length === 0) continue;
        matched++;
        const account = `${event.tenant}\n${event.account.id}`;
        accounts.add(account);
        if (events.size < keep) events.add(`${event.tenant}\n${event.id}`);
        for (const h of hits) {
          let s = byIndicator.get(h);
          if (!s) {
            s = { events: 0, accounts: new Set(), first: event.time, last: event.time };
            byIndicator.set(h, s);
          }
          s.events++;
          s.accounts.add(account);
          if (event.time < s.first) s.first = event.time;
          if (event.time > s.last) s.last = event.time;
        }
      }
      scanned += chunk.length;
      options.onProgress?.(scanned, total);
    }
  }
  const hits = [...byIndicator].map(([indicator, s]) => ({
    indicator,
    events: s.events,
    accounts: s.accounts.size,
    first: s.first,
    last: s.last,
  }));
  hits.sort(
    (a, b) =>
      b.events - a.events ||
      (a.indicator.value < b.indicator.value ? -1 : a.indicator.value > b.indicator.value ? 1 : 0),
  );
  return {
    scanned,
    matched,
    accounts: accounts.size,
    hits,
    events,
    seconds: (performance.now() - started) / 1000,
  };
}
