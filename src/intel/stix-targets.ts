/**
 * How a campaign's targets appear in an export: counts per tag (targeted
 * from the contract's `by_tag`, compromised counted from `targets`), and a
 * redactor that removes account ids from free text (attribution evidence,
 * names) when targets are anonymised.
 *
 * @example
 * targetsByTag(campaign); // [{ tag: 'campaign-staff', targeted: 12, compromised: 2, first_seen: '…' }, …]
 * accountRedactor(['u-42'], () => '[account]')('reset of u-42 via backup'); // 'reset of [account] via backup'
 */
import type { Campaign } from '../domain/campaign.js';

/** The tag given to targets that have none. */
export const UNTAGGED = 'untagged';

export interface TagCount {
  readonly tag: string;
  readonly targeted: number;
  readonly compromised: number;
  /** Earliest `first_seen` of the tag's targets, when the campaign lists any. */
  readonly first_seen?: string;
}

/**
 * One row per tag, most targeted first. `targeted` is the larger of
 * `by_tag[tag]` and the count in `targets` (the list may be a page of the
 * whole); targets without a tag count under `untagged` (default
 * {@link UNTAGGED}); a campaign with neither tags nor targets gives one such
 * row with the campaign's own counts, unless `fillEmpty` is false.
 */
export function targetsByTag(
  campaign: Campaign,
  { untagged = UNTAGGED, fillEmpty = true }: { untagged?: string; fillEmpty?: boolean } = {},
): readonly TagCount[] {
  const rows = new Map<string, { targeted: number; compromised: number; first_seen?: string }>();
  const row = (tag: string) => {
    let r = rows.get(tag);
    if (!r) rows.set(tag, (r = { targeted: 0, compromised: 0 }));
    return r;
  };
  for (const target of campaign.targets) {
    for (const tag of target.tags.length > 0 ? new Set(target.tags) : [untagged]) {
      const r = row(tag);
      r.targeted += 1;
      if (target.compromised) r.compromised += 1;
      if (r.first_seen === undefined || Date.parse(target.first_seen) < Date.parse(r.first_seen)) {
        r.first_seen = target.first_seen;
      }
    }
  }
  for (const [tag, count] of Object.entries(campaign.by_tag)) {
    const r = row(tag);
    r.targeted = Math.max(r.targeted, count);
  }
  if (fillEmpty && rows.size === 0 && campaign.targeted_count > 0) {
    rows.set(untagged, {
      targeted: campaign.targeted_count,
      compromised: campaign.compromised_count,
    });
  }
  return [...rows]
    .map(([tag, r]) => ({ tag, ...r }))
    .sort((a, b) => b.targeted - a.targeted || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

/**
 * Replaces every occurrence of any of `accountIds` in a text by
 * `replacement(id)`; longer ids first, so `u-42` is not left half-replaced
 * by `u-4`. Over-redaction (an id that also occurs inside another word) is
 * the safe failure.
 */
export function accountRedactor(
  accountIds: Iterable<string>,
  replacement: (accountId: string) => string,
): (text: string) => string {
  const ids = [...new Set(accountIds)]
    .filter((id) => id !== '')
    .sort((a, b) => b.length - a.length);
  if (ids.length === 0) return (text) => text;
  const pattern = new RegExp(
    ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'g',
  );
  return (text) => text.replace(pattern, (id) => replacement(id));
}
