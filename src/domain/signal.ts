/**
 * What the score stage tells the correlate stage about one event: the event's
 * infrastructure, what the detectors found and how widely its sources are
 * used. Only events that could belong to an attack become signals (a non-allow
 * decision, a hostile-looking attempt, a success or persistence step from a
 * context new to the account); the correlator groups them into campaigns.
 *
 * @example
 * const s: CorrelationSignal = { tenant: 'default', eventId: 'evt-1', accountId: 'u-42', … };
 * correlator.observe(s); // 'cmp-3f2a91c0' once it belongs to a campaign
 */
import type { Verdict } from './decision.js';
import type { EventType, Outcome } from './event.js';

/** A source kind the engine keeps cross-account counts for. */
export type SpreadKind = 'ip' | 'network' | 'client';

/** How widely a source is used, over the engine's window (7 days). */
export interface SourceSpread {
  readonly kind: SpreadKind;
  readonly value: string;
  /** Accounts it made hostile-looking attempts on while new to them. */
  readonly attempted: number;
  /** Accounts that use it as a familiar, successful place. */
  readonly familiar: number;
}

export interface CorrelationSignal {
  readonly tenant: string;
  readonly eventId: string;
  readonly accountId: string;
  /** The account's tags: the event's own and the directory's. */
  readonly tags: readonly string[];
  /** Event time, ms since the epoch. */
  readonly time: number;
  readonly type: EventType;
  readonly outcome: Outcome;
  readonly verdict: Verdict;
  readonly score: number;
  /** Detectors whose finding counted (score ≥ 0.2), strongest first. */
  readonly detectors: readonly string[];
  /** A failure, reset request or unfinished recovery step from a context new to the account. */
  readonly attempt: boolean;
  /** The engine judged the account taken over by this step. */
  readonly compromise: boolean;
  /**
   * From somewhere new to the account: a network it never trusted, on a
   * device it never trusted (with none named, a client it never used or a
   * country it never signed in from); absent: not.
   */
  readonly stranger?: boolean;
  readonly ip?: string;
  /** The /24 (or /48). */
  readonly network?: string;
  readonly asn?: number;
  readonly asOrg?: string;
  /** The network is a known hosting provider or VPN. */
  readonly hosting: boolean;
  readonly userAgent?: string;
  readonly deviceId?: string;
  readonly sessionId?: string;
  readonly authMethod?: string;
  /** A recovery address added or used, or a forwarding target: possible drop addresses. */
  readonly emails: readonly string[];
  /** Cross-account counts for the event's address, network and client. */
  readonly spread: readonly SourceSpread[];
}

/**
 * Where the score stage sends its signals: the correlate stage. Its state is
 * saved and restored with the engine's, so a restart from a snapshot goes on
 * with the same campaigns.
 */
export interface SignalSink {
  /** Part of the engine's fingerprint: a snapshot under another version is replayed instead. */
  readonly version: string;
  /** Takes one signal; returns the campaign the event belongs to, if any. */
  observe(signal: CorrelationSignal): string | undefined;
  /** Plain JSON-able data. */
  capture(): unknown;
  restore(state: unknown): void;
}
