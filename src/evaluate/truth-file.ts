/**
 * Reads and validates a ground-truth file (`truth.json`, written by
 * `tripline simulate`, or hand-made in the same shape): the labels of the
 * malicious events and the campaigns they belong to.
 *
 * @example
 * const truth = await readTruth('out/truth.json');
 * truth.labels.get('evt-00000412'); // { campaign: 'c1', kind: 'success', scenario: 'recovery-abuse' }
 */
import { readFile } from 'node:fs/promises';

export type LabelKind = 'probe' | 'success' | 'persistence';
const KINDS: readonly LabelKind[] = ['probe', 'success', 'persistence'];

export interface Label {
  readonly campaign: string;
  readonly kind: LabelKind;
  /** The campaign's scenario, or its id when the file names none. */
  readonly scenario: string;
}

/** A campaign as it really happened: who was targeted, who was compromised. */
export interface TruthCampaign {
  readonly id: string;
  readonly scenario: string;
  readonly targets: readonly string[];
  readonly compromised: readonly string[];
  /** The actor behind it, when the simulator attributed it (`APT35`). */
  readonly actor?: string;
}

export interface Truth {
  readonly labels: ReadonlyMap<string, Label>;
  readonly scenarios: readonly string[];
  readonly campaigns: readonly TruthCampaign[];
}

export async function readTruth(path: string): Promise<Truth> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new Error(e.code === 'ENOENT' ? `${path}: no such file` : `${path}: ${e.message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  return parseTruth(json, path);
}

export function parseTruth(json: unknown, name = 'truth'): Truth {
  const fail = (what: string): never => {
    throw new Error(`${name}: ${what}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('must be a JSON object');
  const doc = json as { labels?: unknown; campaigns?: unknown };
  if (!Array.isArray(doc.labels)) fail('labels: must be an array');
  const scenarioOf = new Map<string, string>();
  const campaigns: TruthCampaign[] = [];
  const strings = (v: unknown, field: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      fail(`${field}: must be an array of strings`);
    return v as string[];
  };
  if (doc.campaigns !== undefined) {
    if (!Array.isArray(doc.campaigns)) fail('campaigns: must be an array');
    (doc.campaigns as unknown[]).forEach((c, i) => {
      const campaign = c as {
        id?: unknown;
        scenario?: unknown;
        targets?: unknown;
        compromised?: unknown;
        actor?: unknown;
      };
      if (typeof campaign?.id !== 'string') fail(`campaigns[${i}].id: must be a string`);
      campaigns.push({
        id: campaign.id as string,
        scenario:
          typeof campaign.scenario === 'string' ? campaign.scenario : (campaign.id as string),
        targets: strings(campaign.targets, `campaigns[${i}].targets`),
        compromised: strings(campaign.compromised, `campaigns[${i}].compromised`),
        ...(typeof campaign.actor === 'string' ? { actor: campaign.actor } : {}),
      });
      scenarioOf.set(
        campaign.id as string,
        typeof campaign.scenario === 'string' ? campaign.scenario : (campaign.id as string),
      );
    });
  }
  const labels = new Map<string, Label>();
  (doc.labels as unknown[]).forEach((l, i) => {
    const label = l as { event_id?: unknown; campaign?: unknown; kind?: unknown };
    if (typeof label?.event_id !== 'string') fail(`labels[${i}].event_id: must be a string`);
    if (typeof label.campaign !== 'string') fail(`labels[${i}].campaign: must be a string`);
    if (!KINDS.includes(label.kind as LabelKind)) {
      fail(`labels[${i}].kind: must be one of ${KINDS.join(', ')}`);
    }
    const campaign = label.campaign as string;
    labels.set(label.event_id as string, {
      campaign,
      kind: label.kind as LabelKind,
      scenario: scenarioOf.get(campaign) ?? campaign,
    });
  });
  const scenarios = [...new Set([...labels.values()].map((l) => l.scenario))].sort();
  return { labels, scenarios, campaigns };
}
