/**
 * `tripline eval`: how well decisions match the ground truth of a simulated
 * run. Reads the decisions as a stream (one per event, DESIGN.md's shape) and
 * reports, overall and per attack scenario: precision and recall of non-allow
 * decisions, the benign challenge rate, attacker successful steps stopped,
 * probes flagged, and ROC-AUC / PR-AUC of the score.
 *
 * @example
 * const truth = await readTruth('out/truth.json');
 * const report = await evaluateDecisions(truth, 'out/decisions.ndjson');
 * report.benignChallengeRate; // 0.004
 */
import { openNdjson } from '../ingest/ndjson-reader.js';
import { prAuc, rocAuc } from './metrics.js';
import type { Truth } from './truth-file.js';

export const TARGETS = {
  /** Benign events challenged or denied, at most. */
  benignChallengeRate: 0.01,
  /** Attacker successful steps (and persistence) not allowed, at least. */
  successStoppedRate: 0.95,
  /** Attacker probes challenged or denied, at least. */
  probesFlaggedRate: 0.8,
} as const;

export interface ScenarioReport {
  readonly scenario: string;
  /** Labelled events of this scenario (those without a decision count as allowed). */
  readonly malicious: number;
  readonly flagged: number;
  readonly precision: number;
  readonly recall: number;
  readonly successSteps: number;
  readonly successStopped: number;
  readonly successStoppedRate: number;
  readonly probes: number;
  readonly probesFlagged: number;
  readonly probesFlaggedRate: number;
  readonly rocAuc: number;
  readonly prAuc: number;
}

export interface EvaluationReport {
  readonly decisions: number;
  readonly benign: number;
  readonly benignChallenged: number;
  readonly benignChallengeRate: number;
  /** Labelled events no decision was found for (counted as allowed). */
  readonly missing: number;
  /** Decisions seen again for an event already decided (the first one counts). */
  readonly repeated: number;
  readonly overall: ScenarioReport;
  readonly scenarios: readonly ScenarioReport[];
}

const VERDICTS = new Set(['allow', 'challenge', 'deny']);

/** Streams a decisions NDJSON file; a malformed line is an error naming its line. */
export async function evaluateDecisions(
  truth: Truth,
  decisionsPath: string,
): Promise<EvaluationReport> {
  const source = await openNdjson(decisionsPath);
  const scenarioIndex = new Map(truth.scenarios.map((s, i) => [s, i + 1]));
  const seen = new Set<string>();
  const scores: number[] = [];
  /** 0 benign, else 1 + scenario index */
  const classes: number[] = [];
  const flaggedFlags: boolean[] = [];
  const counts = truth.scenarios.map(() => ({
    successSteps: 0,
    successStopped: 0,
    probes: 0,
    probesFlagged: 0,
  }));
  let repeated = 0;

  for await (const line of source.lines()) {
    if (line.text.trim() === '') continue;
    const where = `${decisionsPath}:${line.number}`;
    let d: { event_id?: unknown; decision?: unknown; score?: unknown };
    try {
      d = JSON.parse(line.text) as typeof d;
    } catch (error) {
      throw new Error(`${where}: invalid JSON: ${(error as Error).message}`);
    }
    if (typeof d !== 'object' || d === null)
      throw new Error(`${where}: a decision must be a JSON object`);
    if (typeof d.event_id !== 'string') throw new Error(`${where}: event_id: must be a string`);
    if (!VERDICTS.has(d.decision as string)) {
      throw new Error(`${where}: decision: must be allow, challenge or deny`);
    }
    if (typeof d.score !== 'number' || !(d.score >= 0 && d.score <= 1)) {
      throw new Error(`${where}: score: must be a number from 0 to 1`);
    }
    if (seen.has(d.event_id)) {
      repeated++;
      continue;
    }
    seen.add(d.event_id);
    const flagged = d.decision !== 'allow';
    const label = truth.labels.get(d.event_id);
    const cls = label ? scenarioIndex.get(label.scenario)! : 0;
    scores.push(d.score);
    classes.push(cls);
    flaggedFlags.push(flagged);
    if (label) {
      const c = counts[cls - 1]!;
      if (label.kind === 'probe') {
        c.probes++;
        if (flagged) c.probesFlagged++;
      } else {
        c.successSteps++;
        if (flagged) c.successStopped++;
      }
    }
  }

  // A labelled event nobody decided on was let through: it counts as allowed.
  let missing = 0;
  const missingBy = truth.scenarios.map(() => 0);
  for (const [id, label] of truth.labels) {
    if (seen.has(id)) continue;
    missing++;
    const i = scenarioIndex.get(label.scenario)! - 1;
    missingBy[i]!++;
    if (label.kind === 'probe') counts[i]!.probes++;
    else counts[i]!.successSteps++;
  }
  let benign = 0;
  let benignChallenged = 0;
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] === 0) {
      benign++;
      if (flaggedFlags[i]) benignChallenged++;
    }
  }

  const report = (
    name: string,
    member: (cls: number) => boolean,
    c: (typeof counts)[number],
    unseen: number,
  ): ScenarioReport => {
    // This scenario's events against the benign ones; other scenarios' events are left out.
    const s: number[] = [];
    const p: boolean[] = [];
    let malicious = unseen;
    let flagged = 0;
    for (let i = 0; i < classes.length; i++) {
      const cls = classes[i]!;
      if (cls !== 0 && !member(cls)) continue;
      s.push(scores[i]!);
      p.push(cls !== 0);
      if (cls !== 0) {
        malicious++;
        if (flaggedFlags[i]) flagged++;
      }
    }
    return {
      scenario: name,
      malicious,
      flagged,
      precision: ratio(flagged, flagged + benignChallenged),
      recall: ratio(flagged, malicious),
      successSteps: c.successSteps,
      successStopped: c.successStopped,
      successStoppedRate: ratio(c.successStopped, c.successSteps),
      probes: c.probes,
      probesFlagged: c.probesFlagged,
      probesFlaggedRate: ratio(c.probesFlagged, c.probes),
      rocAuc: rocAuc(s, p),
      prAuc: prAuc(s, p),
    };
  };
  const total = counts.reduce(
    (a, c) => ({
      successSteps: a.successSteps + c.successSteps,
      successStopped: a.successStopped + c.successStopped,
      probes: a.probes + c.probes,
      probesFlagged: a.probesFlagged + c.probesFlagged,
    }),
    { successSteps: 0, successStopped: 0, probes: 0, probesFlagged: 0 },
  );
  return {
    decisions: classes.length,
    benign,
    benignChallenged,
    benignChallengeRate: ratio(benignChallenged, benign),
    missing,
    repeated,
    overall: report('all', () => true, total, missing),
    scenarios: truth.scenarios.map((name, i) =>
      report(name, (cls) => cls === i + 1, counts[i]!, missingBy[i]!),
    ),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}
