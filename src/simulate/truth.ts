/**
 * truth.json: what really happened in a simulated run, for scoring detectors.
 *
 * One label per malicious event (benign events are unlabelled) and one entry
 * per campaign. Targets and compromised accounts are derived from the events
 * that were actually written, so the file is consistent by construction:
 * every target has at least one labelled event, every compromised account is a
 * target with at least one `success` label.
 *
 * @example
 * const truth = JSON.parse(readFileSync('out/truth.json', 'utf8')) as Truth;
 * truth.campaigns[0]?.compromised; // ["u-00412", "u-01877"]
 */
import type { LabelKind } from './sim-event.js';
import type { AttackName, ScenarioName } from './scenario-name.js';

/** The label of one malicious event. */
export interface TruthLabel {
  readonly event_id: string;
  readonly campaign: string;
  readonly kind: LabelKind;
}

/** One campaign as it really happened. */
export interface TruthCampaign {
  readonly id: string;
  readonly scenario: AttackName;
  readonly actor: string | null;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
  readonly targets: readonly string[];
  readonly compromised: readonly string[];
  readonly infrastructure: {
    readonly ips: readonly string[];
    readonly asns: readonly number[];
    readonly user_agents: readonly string[];
  };
}

/** The whole truth.json document. */
export interface Truth {
  readonly scenario: ScenarioName;
  readonly seed: number;
  readonly start: string;
  readonly days: number;
  readonly accounts: number;
  readonly events: number;
  readonly labels: readonly TruthLabel[];
  readonly campaigns: readonly TruthCampaign[];
}

/**
 * Render truth.json: readable at the top, one label per line so a diff or
 * `grep c2` stays useful on large runs.
 */
export function renderTruth(truth: Truth): string {
  const { labels, campaigns, ...head } = truth;
  const lines = Object.entries(head).map(
    ([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
  );
  const labelLines = labels.map((l) => `    ${JSON.stringify(l)}`).join(',\n');
  lines.push(`  "labels": [${labels.length ? `\n${labelLines}\n  ` : ''}]`);
  const campaignText = JSON.stringify(campaigns, null, 2).replace(/\n/g, '\n  ');
  lines.push(`  "campaigns": ${campaignText}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
