/**
 * The score and decide stages: for each event, in event-time order, run every
 * detector against the account's state before the event, combine their
 * findings, apply the policy, then let the event teach the state.
 *
 * Findings combine as a noisy OR — 1 − Π(1 − sᵢ) — so independent weak
 * signals add up while no single detector needs to be certain.
 *
 * @example
 * const engine = new RiskEngine({ enricher: Enricher.load() });
 * engine.process(event, timeMs); // { event_id, decision: 'challenge', score: 0.71, reasons: [...] }
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Decision, Reason, Verdict } from '../domain/decision.js';
import type { Enrichment } from '../domain/enrichment.js';
import type { NativeEvent } from '../domain/event.js';
import type { CorrelationSignal, SignalSink, SourceSpread } from '../domain/signal.js';
import type { Enricher } from '../enrich/enricher.js';
import {
  AccountProfile,
  FEATURE,
  featureKeys,
  OWN_NETWORK_WEIGHT,
  PROFILE_BYTES,
  ProfileArena,
  RING,
  valueKey,
} from './account-profile.js';
import type { FeatureValues } from './account-profile.js';
import type { DetectionContext } from './detector.js';
import { EVENT_CLASS } from '../domain/event-class.js';
import { RecoveryGraph } from '../graph/recovery-graph.js';
import type { EventEdge } from '../graph/recovery-graph.js';
import { IndicatorSet } from './indicator-set.js';
import { logLikelihoodRatio, unfamiliarity } from './likelihood-ratio.js';
import { decide, DEFAULT_POLICY } from './policy.js';
import type { Policy } from './policy.js';
import { Population } from './population.js';
import type { PopulationState } from './population.js';
import { DETECTORS } from './registry.js';
import { SourceStats } from './source-stats.js';
import type { SourceStatsState } from './source-stats.js';
import { sourceKeys } from './source-keys.js';
import type { SourceKey } from './source-keys.js';
import { SHARED_EGRESS_ACCOUNTS, sharedEgressAccounts } from './shared-egress.js';
import { isNewCountry, isNewPlace, isNovelContext } from './novelty.js';
import { AttemptBursts } from './hourly-burst.js';
import { hourOf } from '../domain/burst-rate.js';
import type { AttemptBurstsState } from './hourly-burst.js';

/** The engine's learned state, copied out (RiskEngine.capture). */
export interface CapturedState {
  readonly accounts: [string, string][];
  /** The earliest event time per tenant. */
  readonly watchedFrom: [string, number][];
  readonly population: PopulationState;
  readonly sources: SourceStatsState;
  readonly graph: EventEdge[];
  readonly bursts: AttemptBurstsState;
  readonly profiles: Uint8Array;
  /** The correlate stage's state, when there is one. */
  readonly correlator?: unknown;
}

export interface RiskEngineOptions {
  readonly enricher: Enricher;
  /** The account-recovery graph; recovery-channel events update it. */
  readonly graph?: RecoveryGraph;
  readonly policy?: Policy;
  readonly indicators?: IndicatorSet;
  /** The correlate stage, sent a signal for every event that could be part of an attack. */
  readonly correlator?: SignalSink;
}

/** The snapshot layout; bump it when the state's meaning or layout changes (or what detectors let it learn). */
const STATE_FORMAT = 'tripline-engine-13';

/** A finding at least this strong counts as evidence (a discounted one does not). */
const EVIDENCE_SCORE = 0.3;
/** Detectors whose findings are evidence of an attack, not just of a new context. */
const ATTACK_EVIDENCE: ReadonlySet<string> = new Set([
  'source-spread',
  'recovery-probe',
  'reset-velocity',
  'ioc-match',
]);

/** Unfamiliarity above which a hostile-looking step counts against its source. */
const NEW_TO_ACCOUNT = 0.5;
/** A failed second factor this soon after a learned sign-in takes that learning back. */
const UNLEARN_WINDOW_MS = 15 * 60_000;

/** Where a step came from, as {@link RiskEngine.owns} asks about it. */
export interface OwnedPlace {
  /** The /24 (or /48). */
  readonly network?: string | undefined;
  readonly deviceId?: string | undefined;
  /** When the step was (ms since the epoch). */
  readonly time: number;
}

export class RiskEngine {
  readonly #enricher: Enricher;
  readonly policy: Policy;
  readonly indicators: IndicatorSet;
  readonly graph: RecoveryGraph;
  readonly correlator: SignalSink | undefined;
  /** By tenant, then account id. */
  readonly #profiles = new Map<string, Map<string, AccountProfile>>();
  #accounts = 0;
  #processed = 0;
  /** Account ids by engine account number (index 0 unused). */
  readonly #ids: string[] = [''];
  /** The earliest event time seen, per tenant: how long the engine has watched it. */
  readonly #watchedFrom = new Map<string, number>();
  /** Where the profiles live: fixed-size records in shared slabs. */
  readonly arena = new ProfileArena();
  readonly population = new Population();
  readonly sources = new SourceStats();
  /** Per tenant and hour, accounts with attempts from somewhere new to them (hourly-burst.ts). */
  readonly bursts = new AttemptBursts();

  constructor(options: RiskEngineOptions) {
    this.#enricher = options.enricher;
    this.policy = options.policy ?? DEFAULT_POLICY;
    this.indicators = options.indicators ?? new IndicatorSet();
    this.graph = options.graph ?? new RecoveryGraph();
    this.correlator = options.correlator;
  }

  /** Accounts with a profile. */
  get accounts(): number {
    return this.#accounts;
  }

  /** The profile of an account, if it has one. */
  profile(tenant: string, accountId: string): AccountProfile | undefined {
    return this.#profiles.get(tenant)?.get(accountId);
  }

  /** Events processed: whatever the engine knows about owners changes with it. */
  get processed(): number {
    return this.#processed;
  }

  /**
   * Whether the account trusts, now, the network (/24) or device a step came
   * from, and used it, trusted, on a later half-day: the owner made that
   * place their own after the step, whatever the engine thought of it then.
   * The correlator's campaigns ask this in hindsight of steps the engine
   * stopped: a traveller stopped on their first day abroad who then stays
   * there, or an owner's new laptop on the office network, was never a
   * campaign's way in. A stopped step taught nothing itself (its context
   * stays tentative until a second factor passed there, steady use on
   * several days, or an analyst proves it); an attacker's own allowed step
   * minutes before does not count, being no later use.
   */
  owns(tenant: string, accountId: string, place: OwnedPlace): boolean {
    const p = this.#profiles.get(tenant)?.get(accountId);
    if (!p) return false;
    const { network, deviceId, time } = place;
    return (
      (network !== undefined && p.trustedAfter(FEATURE.network, valueKey(network), time)) ||
      (deviceId !== undefined && p.trustedAfter(FEATURE.device, valueKey(deviceId), time))
    );
  }

  #profile(event: NativeEvent): AccountProfile {
    let tenant = this.#profiles.get(event.tenant);
    if (!tenant) {
      tenant = new Map();
      this.#profiles.set(event.tenant, tenant);
    }
    let p = tenant.get(event.account.id);
    if (!p) {
      p = new AccountProfile(this.arena, ++this.#accounts);
      tenant.set(event.account.id, p);
      this.#ids.push(event.account.id);
    }
    return p;
  }

  #profileFor(tenant: string, accountId: string): AccountProfile {
    let byId = this.#profiles.get(tenant);
    if (!byId) {
      byId = new Map();
      this.#profiles.set(tenant, byId);
    }
    let p = byId.get(accountId);
    if (!p) {
      p = new AccountProfile(this.arena, ++this.#accounts);
      byId.set(accountId, p);
      this.#ids.push(accountId);
    }
    return p;
  }

  readonly #profileOf = (tenant: string, accountId: string) =>
    this.#profiles.get(tenant)?.get(accountId);
  readonly #accountIdOf = (n: number) => this.#ids[n];

  /**
   * What the learned state depends on besides the events: the state format,
   * the detectors and the policy (which decides what is learned). A snapshot
   * made under another fingerprint is not restored; the events are replayed.
   */
  get fingerprint(): string {
    return createHash('sha256')
      .update(`${STATE_FORMAT}/${PROFILE_BYTES}\n${DETECTORS.map((d) => d.id).join(',')}\n`)
      .update(`${this.correlator?.version ?? 'no-correlator'}\n`)
      .update(JSON.stringify(this.policy))
      .digest('hex')
      .slice(0, 32);
  }

  /**
   * The learned state as bytes (gzip): accounts and their profiles,
   * population, source statistics and what events taught the recovery graph.
   * {@link restore} reads it back.
   */
  snapshot(): Uint8Array {
    return RiskEngine.encode(this.capture());
  }

  /**
   * A copy of the learned state, taken at once (profiles are copied byte for
   * byte): cheap next to {@link encode}, so a caller that must hold the writer
   * still while the state is taken holds it only for this.
   */
  capture(): CapturedState {
    const accounts: [string, string, number][] = [];
    for (const [tenant, byId] of this.#profiles)
      for (const [id, p] of byId) accounts.push([tenant, id, p.account]);
    accounts.sort((a, b) => a[2] - b[2]);
    return {
      accounts: accounts.map(([tenant, id]) => [tenant, id]),
      watchedFrom: [...this.#watchedFrom],
      population: this.population.export(),
      sources: this.sources.export(),
      graph: this.graph.eventEdges(),
      bursts: this.bursts.export(),
      profiles: this.arena.dump(),
      ...(this.correlator ? { correlator: this.correlator.capture() } : {}),
    };
  }

  /** A {@link capture} as snapshot bytes. */
  static encode(state: CapturedState): Uint8Array {
    const head = Buffer.from(
      JSON.stringify({
        format: STATE_FORMAT,
        accounts: state.accounts,
        watchedFrom: state.watchedFrom,
        population: state.population,
        sources: state.sources,
        graph: state.graph,
        bursts: state.bursts,
        correlator: state.correlator ?? null,
      }),
      'utf8',
    );
    const out = Buffer.allocUnsafe(4 + head.length + state.profiles.length);
    out.writeUInt32LE(head.length, 0);
    head.copy(out, 4);
    out.set(state.profiles, 4 + head.length);
    return gzipSync(out, { level: 1 });
  }

  /** Loads a {@link snapshot} into this engine, which must not have seen any event yet. */
  restore(data: Uint8Array): void {
    if (this.#accounts > 0) throw new Error('a snapshot restores into a fresh engine only');
    const raw = gunzipSync(data);
    const length = raw.readUInt32LE(0);
    const state = JSON.parse(raw.subarray(4, 4 + length).toString('utf8')) as {
      format: string;
      accounts: [string, string][];
      watchedFrom: [string, number][];
      population: PopulationState;
      sources: SourceStatsState;
      graph: EventEdge[];
      bursts: AttemptBurstsState;
      correlator: unknown;
    };
    if (state.format !== STATE_FORMAT)
      throw new Error(`snapshot format ${state.format}, expected ${STATE_FORMAT}`);
    for (const [tenant, from] of state.watchedFrom) this.#watchedFrom.set(tenant, from);
    for (const [tenant, id] of state.accounts) {
      let byId = this.#profiles.get(tenant);
      if (!byId) {
        byId = new Map();
        this.#profiles.set(tenant, byId);
      }
      byId.set(id, new AccountProfile(this.arena, ++this.#accounts));
      this.#ids.push(id);
    }
    this.arena.load(raw.subarray(4 + length));
    this.population.import(state.population);
    this.sources.import(state.sources);
    this.bursts.import(state.bursts);
    if (this.correlator && state.correlator) this.correlator.restore(state.correlator);
    // Infinity does not survive JSON: null stands for it.
    this.graph.restoreEventEdges(
      state.graph.map(([t, a, c, addr, since, until]) => [
        t,
        a,
        c,
        addr,
        since ?? -Infinity,
        until ?? Infinity,
      ]),
    );
  }

  process(event: NativeEvent, time: number): Decision {
    this.#processed++;
    let watchedFrom = this.#watchedFrom.get(event.tenant);
    if (watchedFrom === undefined || time < watchedFrom) {
      watchedFrom = time;
      this.#watchedFrom.set(event.tenant, time);
    }
    const enrichment = this.#enricher.enrich(event);
    const features = featuresOf(event, enrichment);
    const profile = this.#profile(event);
    const keys = featureKeys(features);
    const hasContext = features.network !== undefined || features.device !== undefined;
    const srcKeys = sourceKeys(event, enrichment);
    const ip = srcKeys[0]?.kind === 'ip' ? srcKeys[0] : undefined;
    // Asked only where it could matter: a network the account does not trust, or a hosting one.
    const networkKey = keys[FEATURE.network]!;
    const settledBefore =
      networkKey !== 0 && profile.trusted(FEATURE.network, networkKey) >= OWN_NETWORK_WEIGHT;
    const sharedEgress =
      ip && (enrichment.network !== undefined || (networkKey !== 0 && !settledBefore))
        ? sharedEgressAccounts(this.sources, ip, time)
        : 0;
    const newPlace = hasContext && isNewPlace(keys, profile);
    const hour = hourOf(time);
    const ratioParts: number[] = [];
    const u = hasContext
      ? unfamiliarity(
          logLikelihoodRatio(keys, profile, this.population, ratioParts, sharedEgress > 0),
        )
      : 0;
    const ctx: DetectionContext = {
      event,
      enrichment,
      features,
      keys,
      profile,
      population: this.population,
      sources: this.sources,
      indicators: this.indicators,
      time,
      unfamiliarity: u,
      ratioParts,
      novel: isNovelContext(keys, profile),
      newPlace,
      // Only a step from somewhere new can be a burst's: no lookup for the rest.
      burst: newPlace ? this.bursts.running(event.tenant, hour) : undefined,
      sourceKeys: srcKeys,
      sharedEgress,
      watched: time - watchedFrom,
      graph: this.graph,
      profileOf: this.#profileOf,
      accountIdOf: this.#accountIdOf,
    };
    const reasons: Reason[] = [];
    let keep = 1;
    for (const detector of DETECTORS) {
      const finding = detector.evaluate(ctx);
      if (!finding || finding.score <= 0) continue;
      const score = Math.min(1, finding.score);
      keep *= 1 - score;
      reasons.push({ detector: detector.id, score: round(score), detail: finding.detail });
    }
    if (reasons.length > 1) reasons.sort((a, b) => b.score - a.score);
    const score = round(1 - keep);
    const own = event.account.tags;
    const listed = enrichment.directory?.account.tags;
    const tags = listed?.length
      ? own?.length
        ? unionTags(own, listed)
        : listed
      : (own ?? NO_TAGS);
    // A second factor passed from a context that is merely new — nothing but
    // unfamiliarity against it — is the user proving that context: allowed,
    // and learned as trusted. Fatigue, a hosting network or a known indicator
    // on the same step (relayed or coerced MFA) is no proof.
    const proof =
      event.type === 'mfa.challenge' &&
      event.outcome === 'success' &&
      reasons.every((r) => r.detector === 'unfamiliar-signin');
    const verdict = proof
      ? 'allow'
      : decide(this.policy, score, event.type, tags, time < profile.raisedUntil);
    const hostile = isAttempt(event);
    const attempt = hostile && isNewToAccount(ctx);
    if (hostile && newPlace) this.bursts.add(event.tenant, hour, profile.account, watchedFrom);
    else if (newPlace && event.type === 'signin' && event.outcome === 'success')
      this.bursts.arrive(
        event.tenant,
        hour,
        profile.account,
        watchedFrom,
        profile.learned === 0,
        isNewCountry(keys, profile),
      );
    this.#learn(ctx, verdict !== 'allow', score, reasons, attempt, settledBefore ? ip : undefined);
    const compromised = this.#compromised(ctx, verdict, reasons);
    const protect = compromised ? this.#protect(ctx) : undefined;
    const campaign =
      this.correlator &&
      (verdict !== 'allow' ||
        attempt ||
        (event.outcome === 'success' && (ctx.novel || u >= NEW_TO_ACCOUNT)))
        ? this.correlator.observe(
            this.#signal(ctx, verdict, score, reasons, tags, attempt, compromised),
          )
        : undefined;
    const out =
      verdict === 'allow' && reasons.length > 0 ? reasons.filter((r) => r.score >= 0.2) : reasons;
    // Most events are in no campaign and protect nobody: no spreads for them.
    if (!campaign && !protect?.length)
      return { event_id: event.id, decision: verdict, score, reasons: out };
    return {
      event_id: event.id,
      decision: verdict,
      score,
      reasons: out,
      ...(campaign ? { campaign_id: campaign } : {}),
      ...(protect?.length ? { blast_radius: protect } : {}),
    };
  }

  #signal(
    ctx: DetectionContext,
    verdict: Verdict,
    score: number,
    reasons: readonly Reason[],
    tags: readonly string[],
    attempt: boolean,
    compromise: boolean,
  ): CorrelationSignal {
    const { event, enrichment } = ctx;
    const emails: string[] = [];
    if (event.type === 'recovery.channel.added' && event.recovery?.address?.includes('@'))
      emails.push(event.recovery.address);
    if (event.mailbox?.forward_to?.includes('@')) emails.push(event.mailbox.forward_to);
    const spread: SourceSpread[] = [];
    for (const key of ctx.sourceKeys)
      spread.push({ ...key, ...this.sources.spread(key, ctx.time) });
    const src = event.source;
    return {
      tenant: event.tenant,
      eventId: event.id,
      accountId: event.account.id,
      tags,
      time: ctx.time,
      type: event.type,
      outcome: event.outcome,
      verdict,
      score,
      detectors: reasons.filter((r) => r.score >= 0.2).map((r) => r.detector),
      attempt,
      compromise,
      ...(ctx.newPlace ? { stranger: true } : {}),
      ...(src?.ip ? { ip: src.ip } : {}),
      ...(enrichment.prefix ? { network: enrichment.prefix } : {}),
      ...(enrichment.asn !== undefined ? { asn: enrichment.asn } : {}),
      ...(enrichment.asOrg ? { asOrg: enrichment.asOrg } : {}),
      hosting: enrichment.network !== undefined,
      ...(src?.user_agent ? { userAgent: src.user_agent } : {}),
      ...(src?.device_id ? { deviceId: src.device_id } : {}),
      ...(event.session?.id ? { sessionId: event.session.id } : {}),
      ...(event.auth?.method ? { authMethod: event.auth.method } : {}),
      emails,
      spread,
    };
  }

  /**
   * Whether this step shows the account taken over: a successful sign-in or
   * recovery step denied, or a persistence step stopped after a risky one.
   */
  #compromised(ctx: DetectionContext, verdict: string, reasons: readonly Reason[]): boolean {
    if (verdict === 'allow' || ctx.event.outcome !== 'success') return false;
    const cls = EVENT_CLASS[ctx.event.type];
    if ((cls === 'signin' || cls === 'recovery') && verdict === 'deny') return true;
    return cls === 'persistence' && reasons.some((r) => r.detector === 'post-takeover');
  }

  /**
   * Pre-emptive protection: every account the compromised one can recover
   * gets raised sensitivity (the watch-list factor) for the policy's window.
   */
  #protect(ctx: DetectionContext): string[] {
    const { window_hours, depth } = this.policy.blast_radius;
    if (window_hours <= 0) return [];
    const { tenant, account } = ctx.event;
    const until = ctx.time + window_hours * 3_600_000;
    const ids: string[] = [];
    for (const r of this.graph.blastRadius(tenant, account.id, { time: ctx.time, depth })) {
      this.#profileFor(tenant, r.node.id).raise(until, ctx.profile.account);
      ids.push(r.node.id);
    }
    return ids;
  }

  /** What the event teaches: only allowed successes become familiar; risky context stays tentative. */
  #learn(
    ctx: DetectionContext,
    risky: boolean,
    score: number,
    reasons: readonly Reason[],
    attempt: boolean,
    settledOn: SourceKey | undefined,
  ): void {
    const { event, keys, profile, time, enrichment } = ctx;
    const cls = EVENT_CLASS[event.type];
    const success = event.outcome === 'success';
    // The recovery graph records what happened, whatever was decided: the log says it did.
    if (success && event.recovery?.channel) {
      if (event.type === 'recovery.channel.added')
        this.graph.channelAdded(
          event.tenant,
          event.account.id,
          event.recovery.channel,
          event.recovery.address,
          time,
        );
      else if (event.type === 'recovery.channel.removed')
        this.graph.channelRemoved(
          event.tenant,
          event.account.id,
          event.recovery.channel,
          event.recovery.address,
          time,
        );
    }
    const hour = Math.floor(time / 3_600_000) % 24;

    if (event.type === 'password.reset.requested') profile.note(RING.resets, time);
    if ((cls === 'recovery' || cls === 'mfa') && event.outcome === 'failure') {
      profile.note(RING.failedChallenges, time);
      profile.distrust(keys, time);
      if (cls === 'mfa') profile.unlearnRecent(time, event.session?.id, UNLEARN_WINDOW_MS);
    }
    if (event.type === 'signin' && event.outcome === 'failure')
      profile.note(RING.failedSignins, time);

    if (attempt) {
      for (const key of ctx.sourceKeys) this.sources.attempt(key, profile.account, time);
    }

    if (risky) {
      // A reset request that went through proves nothing here either: it is
      // no sighting towards the time test (an intruder asking for resets on
      // three days from one laptop must not make it the owner's).
      profile.remember(keys, time, success && event.type !== 'password.reset.requested');
      profile.markRisk(time, score, event.session?.id);
      // The credential may be someone else's now — on evidence of an attack
      // (a campaign's source, guessing, an indicator), not on a new context
      // alone, however high its score: a traveller's hotel network or a first
      // day on the corporate VPN is no reason to suspect every later sign-in.
      if (
        success &&
        (cls === 'signin' || cls === 'recovery') &&
        reasons.some((r) => r.score >= EVIDENCE_SCORE && ATTACK_EVIDENCE.has(r.detector))
      )
        profile.markExposed(time, score);
      return;
    }
    // Asking for a reset proves nothing (anyone can ask for anyone's): it
    // teaches no context, or the attacker's own request would vouch for the
    // recovery steps that follow it from the same place.
    if (!success || event.type === 'password.reset.requested') return;
    if (event.type === 'mfa.challenge' || event.auth?.method === 'passkey') {
      // The user proved this context: what was tentative becomes familiar,
      // and a credential exposed earlier is theirs again.
      profile.trust(keys, time);
      profile.clearExposed();
      profile.clearArrival(event.session?.id);
    } else {
      profile.learn(keys, time, hour, event.session?.id);
      if (ctx.newPlace && cls === 'signin') profile.markArrival(time, event.session?.id);
      // A new password set by the owner, from where they are trusted.
      if (event.type === 'password.changed' || event.type === 'password.reset.completed')
        profile.clearExposed();
    }
    this.population.observe(keys);
    // Any allowed success: the source is a place people really use.
    for (const key of ctx.sourceKeys) this.sources.familiar(key, profile.account, time);
    // An address on the account's own, long-trusted network: the account
    // settled there. Kept only for addresses several accounts use (a home
    // line's one or two people need no list of their own); an address fewer
    // use has fewer settled on it, so it cannot be shared egress either.
    const busy =
      settledOn !== undefined &&
      this.sources.familiarUpTo(settledOn, time, SHARED_EGRESS_ACCOUNTS) >= SHARED_EGRESS_ACCOUNTS;
    if (busy && !profile.young) this.sources.settle(settledOn, profile.account, time);
    // Shared egress is located at its data centre, not where the user is
    // (asked again for an account settled there: the engine did not need to know before).
    if (
      enrichment.latitude !== undefined &&
      enrichment.longitude !== undefined &&
      ctx.sharedEgress === 0 &&
      !(busy && sharedEgressAccounts(this.sources, settledOn, time) > 0)
    ) {
      profile.lastLocation = {
        latitude: enrichment.latitude,
        longitude: enrichment.longitude,
        time,
        ...(enrichment.country ? { country: enrichment.country } : {}),
      };
    }
  }
}

/** The event's tags and the directory's, each once (a tag on both counts once in `by_tag`). */
function unionTags(own: readonly string[], listed: readonly string[]): readonly string[] {
  // Per event: the usual case, the same tags in both, allocates nothing.
  if (listed.every((t) => own.includes(t))) return own;
  return [...own, ...listed.filter((t) => !own.includes(t))];
}

/** A hostile-looking step: a failure, a reset request or an unfinished recovery step. */
function isAttempt(event: NativeEvent): boolean {
  return (
    event.outcome === 'failure' ||
    event.type === 'password.reset.requested' ||
    (EVENT_CLASS[event.type] === 'recovery' && event.outcome !== 'success')
  );
}

/**
 * Whether a step comes from somewhere the account does not (yet) use: an
 * unfamiliar context, an entirely novel one, or an account with too little
 * history to tell.
 */
export function isNewToAccount(ctx: DetectionContext): boolean {
  return ctx.unfamiliarity >= NEW_TO_ACCOUNT || ctx.profile.young || ctx.novel;
}

/** The profile features of an event's context. */
export function featuresOf(event: NativeEvent, e: Enrichment): FeatureValues {
  const f: Partial<Record<keyof FeatureValues, string>> = {};
  if (e.prefix !== undefined) f.network = e.prefix;
  if (e.asn !== undefined) f.asn = asnText(e.asn);
  if (e.country !== undefined) f.country = e.country;
  const device = event.source?.device_id;
  if (device !== undefined) f.device = device;
  if (e.browser !== undefined || e.os !== undefined) f.client = clientLabel(e.browser, e.os);
  return f;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const NO_TAGS: readonly string[] = [];

// Feature values repeat endlessly: the same few thousand AS numbers and
// browser/OS pairs. Their texts are made once (bounded caches).
const asnTexts = new Map<number, string>();
function asnText(asn: number): string {
  let t = asnTexts.get(asn);
  if (t === undefined) {
    if (asnTexts.size >= 100_000) asnTexts.clear();
    t = String(asn);
    asnTexts.set(asn, t);
  }
  return t;
}

const clientLabels = new Map<string, Map<string, string>>();
function clientLabel(browser: string | undefined, os: string | undefined): string {
  const b = browser ?? '?';
  const o = os ?? '?';
  let byOs = clientLabels.get(b);
  if (byOs === undefined) {
    if (clientLabels.size >= 1_000) clientLabels.clear();
    byOs = new Map();
    clientLabels.set(b, byOs);
  }
  let label = byOs.get(o);
  if (label === undefined) {
    if (byOs.size >= 1_000) byOs.clear();
    label = os === undefined ? b : `${b} on ${o}`;
    byOs.set(o, label);
  }
  return label;
}
