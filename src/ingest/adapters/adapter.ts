/**
 * A vendor log adapter: one vendor record in, native v1 events out
 * (DESIGN.md, docs/EVENTS.md), or a counted skip, or a malformed record. The
 * ingest job reads the records (NDJSON, JSON arrays and API wrappers, as
 * streams), calls the adapter, sets `raw` to the vendor record, validates the
 * event like any native one and stores it; skips are counted by reason and
 * malformed records are quarantined with their position.
 *
 * Adapters are pure: no I/O, no clock. The same record always gives the same
 * events, with ids derived from the vendor's own ids, so re-ingesting an
 * export is idempotent.
 *
 * @example
 * const outcome = ADAPTERS.okta.adapt(record, { tenant: 'default' });
 * if (outcome.kind === 'events') outcome.events[0]!.type; // 'signin'
 */

/** The vendor formats `tripline ingest --format` and `POST /v1/ingest/:format` take. */
export const VENDOR_FORMATS = ['entra', 'okta', 'workspace', 'ocsf', 'm365'] as const;
export type VendorFormat = (typeof VENDOR_FORMATS)[number];

/**
 * A native v1 event as plain JSON, before validation: the fields of
 * docs/EVENTS.md (`id`, `time`, `type`, `outcome`, `account`, `source`,
 * `auth`, `recovery`, `mailbox`, `actor`, `session`, `vendor_risk`). `tenant`
 * and `raw` are set by the ingest job. The validator has the last word: an
 * adapter that emits an invalid event gets the record quarantined with the
 * validator's problems, so build only what the record really says.
 */
export type AdaptedEvent = Readonly<Record<string, unknown>>;

export type AdaptOutcome =
  /** One record may hold several events (a Workspace activity lists several). */
  | { readonly kind: 'events'; readonly events: readonly AdaptedEvent[] }
  /**
   * A record of a kind Tripline does not use (an Okta group change, an Entra
   * app-consent audit…): counted by `reason`, which names the vendor's event
   * type in a stable form (`okta eventType group.user_membership.add`), so the
   * summary lists what was skipped and how often.
   */
  | { readonly kind: 'skip'; readonly reason: string }
  /** Not a record of this format, or one missing what any event needs (a time, a user): quarantined. */
  | { readonly kind: 'malformed'; readonly message: string };

export interface AdaptContext {
  /** The tenant the events go to (the caller's; vendors' own tenant ids stay in `raw`). */
  readonly tenant: string;
}

export interface Adapter {
  readonly format: VendorFormat;
  /** `Microsoft Entra ID`, for messages. */
  readonly vendor: string;
  /**
   * Whether a record looks like this format (for `--format auto`, asked of
   * the first records of a file). Cheap and strict: look at fields only this
   * vendor's records carry.
   */
  detect(record: unknown): boolean;
  adapt(record: unknown, context: AdaptContext): AdaptOutcome;
}
