/**
 * Analysts' edits to campaigns. They are stored, never applied to the
 * correlator's state, and laid over its campaigns every time a campaign is
 * shown — so they survive re-correlation: replaying the same events gives the
 * same campaign ids, and the same edits apply to them.
 *
 * @example
 * parseCampaignEdit({ op: 'rename', campaign: 'cmp-3f2a91c0', name: 'Phosphorus, Oct 2026' });
 * // { ok: true, value: { op: 'rename', … } }
 */
import { createHash } from 'node:crypto';
import { CAMPAIGN_STATUSES } from '../domain/campaign.js';
import type { CampaignStatus } from '../domain/campaign.js';

export type CampaignEdit =
  | { readonly op: 'rename'; readonly campaign: string; readonly name: string }
  | { readonly op: 'note'; readonly campaign: string; readonly text: string }
  /** `auto` hands the status back to the correlator (by last activity). */
  | { readonly op: 'status'; readonly campaign: string; readonly status: CampaignStatus | 'auto' }
  /** `from` is folded into `campaign`. */
  | { readonly op: 'merge'; readonly campaign: string; readonly from: string }
  /** The accounts' events leave `campaign` for a new campaign. */
  | {
      readonly op: 'split';
      readonly campaign: string;
      readonly accounts: readonly string[];
      readonly name?: string;
    };

export type CampaignEditOp = CampaignEdit['op'];
export const CAMPAIGN_EDIT_OPS: readonly CampaignEditOp[] = [
  'rename',
  'note',
  'status',
  'merge',
  'split',
];

/** A stored edit: who made it and when. */
export interface AppliedEdit {
  readonly seq: number;
  readonly tenant: string;
  readonly edit: CampaignEdit;
  readonly author: string;
  readonly time: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly message: string };

const ID = /^cmp-[0-9a-f]{6,40}$/;
const MAX_TEXT = 4000;

/** Validates an edit from an untrusted source (HTTP body, CLI). */
export function parseCampaignEdit(input: unknown): ParseResult<CampaignEdit> {
  const fail = (field: string, message: string) => ({ ok: false as const, field, message });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('', 'expected a JSON object');
  const o = input as Record<string, unknown>;
  const op = o.op;
  if (typeof op !== 'string' || !(CAMPAIGN_EDIT_OPS as readonly string[]).includes(op))
    return fail('op', `expected one of ${CAMPAIGN_EDIT_OPS.join(', ')}`);
  const campaign = o.campaign;
  if (typeof campaign !== 'string' || !ID.test(campaign))
    return fail('campaign', 'expected a campaign id like cmp-3f2a91c0');
  const text = (field: string, max = MAX_TEXT): string | { error: string } => {
    const v = o[field];
    if (typeof v !== 'string' || v.trim() === '') return { error: 'expected a non-empty string' };
    if (v.length > max) return { error: `at most ${max} characters` };
    return v.trim();
  };
  switch (op as CampaignEditOp) {
    case 'rename': {
      const name = text('name', 200);
      return typeof name === 'string'
        ? { ok: true, value: { op: 'rename', campaign, name } }
        : fail('name', name.error);
    }
    case 'note': {
      const t = text('text');
      return typeof t === 'string'
        ? { ok: true, value: { op: 'note', campaign, text: t } }
        : fail('text', t.error);
    }
    case 'status': {
      const s = o.status;
      if (s !== 'auto' && !(CAMPAIGN_STATUSES as readonly unknown[]).includes(s))
        return fail('status', `expected one of ${CAMPAIGN_STATUSES.join(', ')}, auto`);
      return { ok: true, value: { op: 'status', campaign, status: s as CampaignStatus | 'auto' } };
    }
    case 'merge': {
      const from = o.from;
      if (typeof from !== 'string' || !ID.test(from))
        return fail('from', 'expected a campaign id like cmp-3f2a91c0');
      if (from === campaign) return fail('from', 'a campaign cannot be merged into itself');
      return { ok: true, value: { op: 'merge', campaign, from } };
    }
    case 'split': {
      const accounts = o.accounts;
      if (
        !Array.isArray(accounts) ||
        accounts.length === 0 ||
        accounts.length > 100_000 ||
        !accounts.every((a) => typeof a === 'string' && a !== '')
      )
        return fail('accounts', 'expected a non-empty array of account ids');
      let name: string | undefined;
      if (o.name !== undefined) {
        const n = text('name', 200);
        if (typeof n !== 'string') return fail('name', n.error);
        name = n;
      }
      return {
        ok: true,
        value: {
          op: 'split',
          campaign,
          accounts: [...new Set(accounts as string[])],
          ...(name ? { name } : {}),
        },
      };
    }
  }
}

/** The id of the campaign a split makes: stable for the stored edit. */
export function splitCampaignId(tenant: string, seq: number, campaign: string): string {
  return `cmp-${createHash('sha1').update(`${tenant}\nsplit\n${seq}\n${campaign}`).digest('hex').slice(0, 10)}`;
}
