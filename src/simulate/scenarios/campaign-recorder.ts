/**
 * What one attack campaign emitted: its events (queued with their truth
 * labels), the accounts it claims to have compromised and the infrastructure it
 * actually used. truth.json is built from this plus the written event ids, and
 * threat-intel.json from the infrastructure and when it was first used.
 *
 * Attacker events are rendered by the same {@link renderEventBody} as benign
 * ones; only the label, which never reaches events.ndjson, tells them apart.
 *
 * @example
 * campaign.emit('probe', { time, type: 'password.reset.requested', outcome: 'success', account, source, recovery: { channel: 'kba' }, session });
 * campaign.compromised(account);
 */
import type { ActorName } from '../actor-name.js';
import type { EventQueue } from '../event-queue.js';
import type { SimAccount } from '../organisation.js';
import type { Random } from '../random.js';
import type { AttackName } from '../scenario-name.js';
import { type EventSpec, type Label, type LabelKind, renderEventBody } from '../sim-event.js';

/** Collects one campaign's events and claims (see the file comment). */
export class CampaignRecorder {
  readonly id: string;
  readonly scenario: AttackName;
  /** Known threat actor behind the campaign, or null when unattributed. */
  actor: ActorName | null = null;
  readonly #queue: EventQueue;
  readonly #rng: Random;
  readonly #labels: Record<LabelKind, Label>;
  readonly #claimed = new Set<string>();
  readonly ips = new Set<string>();
  readonly asns = new Set<number>();
  readonly userAgents = new Set<string>();
  /** Each address in {@link ips} → the time of its first kept event. */
  readonly ipFirstUse = new Map<string, number>();
  /**
   * Mailboxes the attacker controls → the time of their first kept event: the
   * email recovery addresses it added and the addresses it forwarded mail to.
   * (Recovery addresses in other events are the victim's own.)
   */
  readonly dropAddresses = new Map<string, number>();

  constructor(id: string, scenario: AttackName, queue: EventQueue, renderRng: Random) {
    this.id = id;
    this.scenario = scenario;
    this.#queue = queue;
    this.#rng = renderRng;
    this.#labels = {
      probe: { campaign: id, kind: 'probe' },
      success: { campaign: id, kind: 'success' },
      persistence: { campaign: id, kind: 'persistence' },
    };
  }

  /** Queue one attacker event with its label. Events outside the window are dropped, and so not in the truth. */
  emit(kind: LabelKind, spec: EventSpec): void {
    const kept = this.#queue.add(
      spec.time,
      renderEventBody(this.#rng, spec),
      spec.account.id,
      this.#labels[kind],
    );
    if (!kept) return;
    this.ips.add(spec.source.ip);
    this.asns.add(spec.source.network.asn);
    if (spec.source.userAgent !== null) this.userAgents.add(spec.source.userAgent);
    firstUse(this.ipFirstUse, spec.source.ip, spec.time);
    if (
      spec.type === 'recovery.channel.added' &&
      spec.recovery?.channel === 'email' &&
      spec.recovery.address !== undefined
    )
      firstUse(this.dropAddresses, spec.recovery.address, spec.time);
    if (spec.mailbox?.forward_to !== undefined)
      firstUse(this.dropAddresses, spec.mailbox.forward_to, spec.time);
  }

  /** Queue an event the account's owner made as part of the story (e.g. the phished user's own sign-in). */
  emitOwner(spec: EventSpec): void {
    this.#queue.add(spec.time, renderEventBody(this.#rng, spec), spec.account.id, null);
  }

  /** Claim the attacker got into `account`; truth keeps the claim only if a `success` event was written. */
  compromised(account: SimAccount): void {
    this.#claimed.add(account.id);
  }

  /** The attacker changed the password at `t`: the owner's next sign-in will fail. */
  passwordTaken(account: SimAccount, t: number): void {
    account.takeovers.push(t);
    account.takeovers.sort((a, b) => a - b);
  }

  get claimed(): ReadonlySet<string> {
    return this.#claimed;
  }
}

/** Keep the earliest time per key: events are emitted in planning order, not time order. */
function firstUse(map: Map<string, number>, key: string, t: number): void {
  const seen = map.get(key);
  if (seen === undefined || t < seen) map.set(key, t);
}
