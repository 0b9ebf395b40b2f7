/**
 * Disclosure-style reports of a campaign, for the people who must act on it:
 * what happened, who was targeted and who fell (by tag), a timeline, the
 * techniques, the infrastructure, the attribution with aliases, the targets
 * (masked by default) and what each party should do now. Markdown for
 * tickets and e-mail, HTML as one self-contained file (inline CSS, no
 * scripts, no external requests). Pure: no I/O, no clock.
 *
 * Every value taken from the campaign — names, notes, user agents, account
 * ids — comes from attackers or analysts, and is escaped by the renderers.
 *
 * @example
 * const md = campaignMarkdown({ campaign, events, organisation: 'Example Mail', now: new Date().toISOString() });
 * const html = campaignHtml({ campaign, now: '2019-09-02T09:00:00.000Z', anonymiseTargets: false });
 */
import type { Campaign, CampaignEvent } from '../domain/campaign.js';
import { renderHtml } from './campaign-report-html.js';
import { renderMarkdown } from './campaign-report-markdown.js';
import { buildReportModel } from './campaign-report-model.js';

export interface CampaignReportInput {
  readonly campaign: Campaign;
  /** The campaign's events: a timeline per event; without them, per target's first sighting. */
  readonly events?: readonly CampaignEvent[];
  /** Who prepares the report, for its header. */
  readonly organisation?: string;
  /** ISO time the report is prepared. */
  readonly now: string;
  /** Default true: accounts appear as `account 1…N`, and their ids are removed from free text. */
  readonly anonymiseTargets?: boolean;
}

/**
 * The report as Markdown (CommonMark + GFM tables). Values are escaped so
 * none can open a link, an image, HTML, or break a table.
 *
 * @example
 * campaignMarkdown({ campaign, now }).split('\n')[0]; // '# Campaign report: Recovery abuse …'
 */
export function campaignMarkdown(input: CampaignReportInput): string {
  return renderMarkdown(buildReportModel(input));
}

/**
 * The report as one self-contained HTML document. Values are HTML-escaped,
 * and a Content-Security-Policy forbids scripts and external loads anyway.
 *
 * @example
 * await writeFile('cmp-7.html', campaignHtml({ campaign, events, now }));
 */
export function campaignHtml(input: CampaignReportInput): string {
  return renderHtml(buildReportModel(input));
}
