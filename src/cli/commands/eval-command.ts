import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateDecisions, TARGETS } from '../../evaluate/evaluate.js';
import type { EvaluationReport, ScenarioReport } from '../../evaluate/evaluate.js';
import { readTruth } from '../../evaluate/truth-file.js';
import { campaignMetrics } from '../../evaluate/campaign-metrics.js';
import type { CampaignMetrics, FoundCampaign } from '../../evaluate/campaign-metrics.js';
import { readFile } from 'node:fs/promises';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

interface Run {
  readonly name: string;
  readonly truth: string;
  readonly decisions: string;
  /** The folder, when campaigns.json and campaign-events.ndjson may be in it. */
  readonly dir?: string;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score decisions against a simulated run’s ground truth',
  usage: `tripline eval DIR… [--json] [--check]
tripline eval DIR --decisions FILE
tripline eval --truth FILE --decisions FILE

  DIR is a simulate output folder holding truth.json and decisions.ndjson
  (tripline ingest DIR/events.ndjson --decisions DIR/decisions.ndjson).
  Reports, per run and attack scenario: benign events challenged or denied,
  attacker successful steps stopped, probes flagged, precision and recall of
  non-allow decisions, ROC-AUC and PR-AUC of the score; with several DIRs, the
  mean per scenario too. A labelled event without a decision counts as allowed.

  When DIR also holds campaigns.json and campaign-events.ndjson
  (tripline campaigns --json --events-out DIR/campaign-events.ndjson > DIR/campaigns.json),
  the campaigns are scored too: per real campaign, the found campaign holding
  most of its events, its targets' recall and precision, compromised accounts
  missed and falsely claimed; per run, found campaigns that merged real ones
  and any made of benign events only.

  --check  exit with code 4 when a run misses a target (benign ≤ ${pct(TARGETS.benignChallengeRate)},
           successful steps stopped ≥ ${pct(TARGETS.successStoppedRate)}, probes flagged ≥ ${pct(TARGETS.probesFlaggedRate)})`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        truth: { type: 'string' },
        decisions: { type: 'string' },
        json: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
      },
    });
    const runs: Run[] = [];
    if (positionals.length === 0) {
      if (!values.truth || !values.decisions) {
        throw new UsageError('eval: name a simulate folder, or both --truth and --decisions');
      }
      runs.push({
        name: basename(values.decisions),
        truth: values.truth,
        decisions: values.decisions,
      });
    } else {
      if (values.truth) throw new UsageError('eval: --truth goes without DIR');
      if (values.decisions && positionals.length > 1) {
        throw new UsageError('eval: --decisions takes one DIR');
      }
      for (const dir of positionals) {
        if (!existsSync(dir) || !statSync(dir).isDirectory())
          throw new Error(`${dir}: not a folder`);
        runs.push({
          name: basename(dir),
          truth: join(dir, 'truth.json'),
          decisions: values.decisions ?? join(dir, 'decisions.ndjson'),
          dir,
        });
      }
    }

    const results: { run: string; report: EvaluationReport; campaigns?: CampaignMetrics }[] = [];
    for (const run of runs) {
      const truth = await readTruth(run.truth);
      const found = run.dir ? await readFoundCampaigns(run.dir) : undefined;
      results.push({
        run: run.name,
        report: await evaluateDecisions(truth, run.decisions),
        ...(found ? { campaigns: campaignMetrics(truth, found) } : {}),
      });
    }
    if (values.json) {
      io.stdout.write(
        JSON.stringify(results, (_k, v: unknown) => (Number.isNaN(v) ? null : v)) + '\n',
      );
    } else {
      io.stdout.write(renderTable(results));
      const scored = results.filter((r) => r.campaigns);
      if (scored.length) io.stdout.write(`\n${renderCampaigns(scored)}`);
    }
    const missed = results.some(({ report }) => missesTargets(report));
    return values.check && missed ? 4 : 0;
  },
};

function missesTargets(r: EvaluationReport): boolean {
  return (
    r.benignChallengeRate > TARGETS.benignChallengeRate ||
    r.overall.successStoppedRate < TARGETS.successStoppedRate ||
    r.overall.probesFlaggedRate < TARGETS.probesFlaggedRate
  );
}

function pct(x: number): string {
  return Number.isNaN(x) ? '—' : `${(x * 100).toFixed(x < 0.1 && x > 0 ? 2 : 1)}%`;
}

function num(x: number): string {
  return Number.isNaN(x) ? '—' : x.toFixed(3);
}

function mark(ok: boolean): string {
  return ok ? '' : ' ✗';
}

function renderTable(results: { run: string; report: EvaluationReport }[]): string {
  const header =
    '| run | scenario | benign challenged | successful steps stopped | probes flagged | precision | recall | ROC-AUC | PR-AUC |\n' +
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n';
  const rows: string[] = [];
  const byScenario = new Map<
    string,
    { r: ScenarioReport; benign: number; report: EvaluationReport }[]
  >();
  for (const { run, report } of results) {
    const benign = `${pct(report.benignChallengeRate)}${mark(!(report.benignChallengeRate > TARGETS.benignChallengeRate))}`;
    for (const s of [
      ...report.scenarios,
      ...(report.scenarios.length > 1 ? [report.overall] : []),
    ]) {
      rows.push(row(run, s, benign));
      const list = byScenario.get(s.scenario) ?? [];
      list.push({ r: s, benign: report.benignChallengeRate, report });
      byScenario.set(s.scenario, list);
    }
    if (report.missing > 0)
      rows.push(
        `| ${run} | (${report.missing} labelled events had no decision: counted as allowed) | | | | | | | |`,
      );
  }
  if (results.length > 1) {
    for (const [scenario, list] of byScenario) {
      const mean = (f: (x: { r: ScenarioReport; benign: number }) => number) =>
        list.reduce((a, x) => a + f(x), 0) / list.length;
      rows.push(
        `| **mean of ${list.length}** | ${scenario} | ${pct(mean((x) => x.benign))} | ${pct(mean((x) => x.r.successStoppedRate))} | ` +
          `${pct(mean((x) => x.r.probesFlaggedRate))} | ${num(mean((x) => x.r.precision))} | ${num(mean((x) => x.r.recall))} | ` +
          `${num(mean((x) => x.r.rocAuc))} | ${num(mean((x) => x.r.prAuc))} |`,
      );
    }
    // Pooled: every run's events counted together. A spray lands on a handful
    // of accounts a run, so one miss moves a run's rate by many points; the
    // pooled rate says how many of all the successes were stopped.
    for (const [scenario, list] of byScenario) {
      const sum = (f: (x: { r: ScenarioReport; report: EvaluationReport }) => number) =>
        list.reduce((a, x) => a + f(x), 0);
      const ratio = (a: number, b: number) => `${pct(a / b)} (${a}/${b})`;
      // `flagged` counts this scenario's events that were not allowed.
      const flagged = sum((x) => x.r.flagged);
      const benignChallenged = sum((x) => x.report.benignChallenged);
      const malicious = sum((x) => x.r.malicious);
      const benign = ratio(
        benignChallenged,
        sum((x) => x.report.benign),
      );
      const stopped = ratio(
        sum((x) => x.r.successStopped),
        sum((x) => x.r.successSteps),
      );
      const probes = ratio(
        sum((x) => x.r.probesFlagged),
        sum((x) => x.r.probes),
      );
      const precision = num(flagged / (flagged + benignChallenged));
      const recall = num(flagged / malicious);
      rows.push(
        `| **pooled, ${list.length}** | ${scenario} | ${benign} | ${stopped} | ${probes} | ` +
          `${precision} | ${recall} | — | — |`,
      );
    }
  }
  const targets = `\nTargets: benign challenged ≤ ${pct(TARGETS.benignChallengeRate)}, successful steps stopped ≥ ${pct(TARGETS.successStoppedRate)}, probes flagged ≥ ${pct(TARGETS.probesFlaggedRate)} (✗ marks a miss).\n`;
  return header + rows.join('\n') + '\n' + targets;
}

function row(run: string, s: ScenarioReport, benign: string): string {
  return (
    `| ${run} | ${s.scenario} | ${benign} | ` +
    `${pct(s.successStoppedRate)}${mark(!(s.successStoppedRate < TARGETS.successStoppedRate))} (${s.successStopped}/${s.successSteps}) | ` +
    `${pct(s.probesFlaggedRate)}${mark(!(s.probesFlaggedRate < TARGETS.probesFlaggedRate))} (${s.probesFlagged}/${s.probes}) | ` +
    `${num(s.precision)} | ${num(s.recall)} | ${num(s.rocAuc)} | ${num(s.prAuc)} |`
  );
}

/** campaigns.json and campaign-events.ndjson of a run folder, if both are there. */
async function readFoundCampaigns(dir: string): Promise<FoundCampaign[] | undefined> {
  const listPath = join(dir, 'campaigns.json');
  const eventsPath = join(dir, 'campaign-events.ndjson');
  if (!existsSync(listPath) || !existsSync(eventsPath)) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(await readFile(listPath, 'utf8'));
  } catch (error) {
    throw new Error(`${listPath}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(list)) throw new Error(`${listPath}: expected a JSON array of campaigns`);
  const events = new Map<string, string[]>();
  const lines = (await readFile(eventsPath, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: { campaign_id?: unknown; event_id?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new Error(`${eventsPath}:${i + 1}: not valid JSON`);
    }
    if (typeof row.campaign_id !== 'string' || typeof row.event_id !== 'string')
      throw new Error(`${eventsPath}:${i + 1}: expected {"campaign_id","event_id"}`);
    const ids = events.get(row.campaign_id) ?? [];
    ids.push(row.event_id);
    events.set(row.campaign_id, ids);
  });
  return (list as { id?: unknown; targets?: unknown }[]).map((c, i) => {
    if (typeof c?.id !== 'string' || !Array.isArray(c.targets))
      throw new Error(`${listPath}: campaign ${i} has no id or targets`);
    const attribution = (c as { attribution?: unknown }).attribution;
    return {
      id: c.id,
      targets: c.targets as FoundCampaign['targets'],
      event_ids: events.get(c.id) ?? [],
      ...(Array.isArray(attribution)
        ? { attribution: attribution as FoundCampaign['attribution'] & object }
        : {}),
    };
  });
}

function renderCampaigns(results: { run: string; campaigns?: CampaignMetrics }[]): string {
  const lines = [
    '| run | campaign | scenario | targets | found | target recall | target precision | compromised | missed | false | found in | actor |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const notes: string[] = [];
  for (const { run, campaigns: m } of results) {
    if (!m) continue;
    for (const c of m.perCampaign)
      lines.push(
        `| ${run} | ${c.truth} | ${c.scenario} | ${c.targets} | ${c.foundTargets} | ` +
          `${num(c.targetRecall)}${mark(c.targetRecall >= 0.95)} | ${num(c.targetPrecision)}${mark(c.targetPrecision >= 0.9)} | ` +
          `${c.compromised} | ${c.compromisedMissed}${mark(c.compromisedMissed === 0)} | ${c.compromisedFalse}${mark(c.compromisedFalse <= 1)} | ${c.pieces} | ` +
          `${c.attributedTo ?? '—'}${c.actor && c.actor !== c.attributedTo ? ` (real: ${c.actor})` : ''}${mark(c.attributionOk)} |`,
      );
    notes.push(
      `${run}: ${m.found} campaign(s) found, ${m.merged} merging real ones${mark(m.merged === 0)}, ${m.benignOnly} of benign events only${mark(m.benignOnly === 0)}`,
    );
  }
  return (
    `${lines.join('\n')}\n\n${notes.join('\n')}\n` +
    '\nTargets per campaign: target recall ≥ 0.95, precision ≥ 0.9, no compromised account missed, at most one false; no campaigns merged, none of benign events only (✗ marks a miss). "found in": found campaigns holding a tenth or more of its events. "actor": the found campaign’s attribution (leads from technique overlap alone do not count), against the real actor if there is one.\n'
  );
}
