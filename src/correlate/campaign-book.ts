/**
 * The campaigns a user reads: the correlator's, with analysts' edits laid
 * over them and attribution added, cached until either changes.
 *
 * @example
 * const book = new CampaignBook(correlator, { techniqueName });
 * book.list('default'); // Campaign[]
 * book.get('default', 'cmp-3f2a91c0');
 */
import type { Attribution, Campaign, CampaignEvent } from '../domain/campaign.js';
import type { AppliedEdit } from './campaign-edits.js';
import { campaignEvents, campaignView, layoutCampaigns } from './campaign-view.js';
import type { CampaignGroup, CampaignLayout, OwnPlaceTest } from './campaign-view.js';
import type { Correlator, Member } from './correlator.js';

export interface CampaignBookOptions {
  /** ATT&CK id → full name. */
  readonly techniqueName: (id: string) => string | undefined;
  /** Ranks candidate actors for a campaign (the attribute stage); none when absent. */
  readonly attribute?: (campaign: Campaign, group: CampaignGroup) => readonly Attribution[];
  /**
   * In hindsight: whether the account of a stopped step now owns the place it
   * came from (the engine's `owns`). Campaigns count no compromise there.
   */
  readonly owned?: (tenant: string, m: Member) => boolean;
  /** Changes whenever what `owned` answers may have (the engine's events processed). */
  readonly revision?: () => number;
}

export type CampaignLookup =
  | { readonly kind: 'found'; readonly campaign: Campaign }
  /** The id was merged into another campaign. */
  | { readonly kind: 'merged'; readonly into: string }
  | { readonly kind: 'none' };

export class CampaignBook {
  readonly #correlator: Correlator;
  readonly #options: CampaignBookOptions;
  readonly #edits: AppliedEdit[] = [];
  #layouts = new Map<string, { observed: number; edits: number; layout: CampaignLayout }>();
  readonly #views = new Map<string, { seen: string; edits: number; view: Campaign }>();
  readonly #events = new Map<string, { seen: string; edits: number; events: CampaignEvent[] }>();
  /** Bumped when the attribute stage's knowledge changes (indicators, overrides). */
  #generation = 0;

  constructor(correlator: Correlator, options: CampaignBookOptions) {
    this.#correlator = correlator;
    this.#options = options;
  }

  /** Stored edits, in seq order (loaded on open). */
  load(edits: readonly AppliedEdit[]): void {
    this.#edits.push(...edits);
    this.#edits.sort((a, b) => a.seq - b.seq);
    this.invalidate();
  }

  addEdit(edit: AppliedEdit): void {
    this.#edits.push(edit);
    this.invalidate();
  }

  /** Drops cached views: attribution knowledge changed. */
  invalidate(): void {
    this.#generation++;
    this.#layouts = new Map();
    this.#views.clear();
    this.#events.clear();
  }

  edits(tenant: string): AppliedEdit[] {
    return this.#edits.filter((e) => e.tenant === tenant);
  }

  #layout(tenant: string): CampaignLayout {
    const observed = this.#correlator.observed;
    const cached = this.#layouts.get(tenant);
    if (cached && cached.observed === observed && cached.edits === this.#generation)
      return cached.layout;
    const layout = layoutCampaigns(this.#correlator.campaigns(tenant), this.edits(tenant));
    this.#layouts.set(tenant, { observed, edits: this.#generation, layout });
    return layout;
  }

  /** What a view depends on besides edits: the signals seen, and what owners did since. */
  #seen(): string {
    return `${this.#correlator.observed}/${this.#options.revision?.() ?? 0}`;
  }

  #owned(tenant: string): OwnPlaceTest | undefined {
    const owned = this.#options.owned;
    return owned && ((m) => owned(tenant, m));
  }

  #view(g: CampaignGroup): Campaign {
    const seen = this.#seen();
    const key = `${g.tenant}\n${g.id}`;
    const cached = this.#views.get(key);
    if (cached && cached.seen === seen && cached.edits === this.#generation) return cached.view;
    const now = this.#correlator.now(g.tenant) ?? Date.now();
    const owned = this.#owned(g.tenant);
    let view = campaignView(g, {
      now,
      techniqueName: this.#options.techniqueName,
      ...(owned ? { owned } : {}),
    });
    if (this.#options.attribute) {
      const attribution = this.#options.attribute(view, g);
      if (attribution.length) view = { ...view, attribution };
    }
    this.#views.set(key, { seen, edits: this.#generation, view });
    return view;
  }

  /** Every campaign of a tenant, most recently active first. */
  list(tenant: string): Campaign[] {
    const views = [...this.#layout(tenant).groups.values()].map((g) => this.#view(g));
    return views.sort((a, b) =>
      a.last_seen > b.last_seen ? -1 : a.last_seen < b.last_seen ? 1 : a.id < b.id ? -1 : 1,
    );
  }

  get(tenant: string, id: string): CampaignLookup {
    const layout = this.#layout(tenant);
    const g = layout.groups.get(id);
    if (g) return { kind: 'found', campaign: this.#view(g) };
    let at = layout.aliases.get(id);
    for (let hops = 0; at && hops < 64; hops++) {
      if (layout.groups.has(at)) return { kind: 'merged', into: at };
      at = layout.aliases.get(at);
    }
    return { kind: 'none' };
  }

  /** The campaign's events, oldest first (cached like the views: exports and reports read them). */
  events(tenant: string, id: string): CampaignEvent[] | undefined {
    const g = this.#layout(tenant).groups.get(id);
    if (!g) return undefined;
    const seen = this.#seen();
    const key = `${g.tenant}\n${g.id}`;
    const cached = this.#events.get(key);
    if (cached && cached.seen === seen && cached.edits === this.#generation) return cached.events;
    const events = campaignEvents(g, this.#owned(g.tenant));
    this.#events.set(key, { seen, edits: this.#generation, events });
    return events;
  }
}
