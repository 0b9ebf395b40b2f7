import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  importDirectoryFiles,
  importIndicatorFile,
  ingestEventFiles,
  openTripline,
} from '../../app.js';
import type { Decision } from '../../domain/decision.js';
import { exposureReport } from '../../graph/exposure.js';
import { evaluateDecisions } from '../../evaluate/evaluate.js';
import { readTruth } from '../../evaluate/truth-file.js';
import { attributionLabel } from '../../intel/attribution.js';
import { campaignHtml } from '../../report/campaign-report.js';
import { simulate } from '../../simulate/index.js';
import type { Command } from '../command.js';
import { parseIntegerOption } from '../command.js';
import { formatCount, ProgressBar } from '../progress-bar.js';
import { progressText } from './ingest-output.js';

function pct(x: number): string {
  return Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

interface TruthCampaign {
  id: string;
  scenario: string;
  actor: string | null;
  targets: string[];
  compromised: string[];
  infrastructure: { ips: string[]; asns: number[] };
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Simulate the mixed scenario and ingest it into ./tripline.db',
  usage: `tripline demo [--seed N] [--accounts N] [--days N] [--db …] [--keep] [--reports DIR]

  Simulates the "mixed" scenario into a temporary folder (kept with --keep),
  imports its directory, ingests and scores its events, prints the
  decisions against the simulator's ground truth, the recovery graph and the
  campaigns found, and writes the HTML disclosure report of the largest
  campaign to DIR (default ./tripline-reports).`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        db: { type: 'string' },
        seed: { type: 'string', default: '7' },
        accounts: { type: 'string', default: '3000' },
        days: { type: 'string', default: '30' },
        keep: { type: 'boolean', default: false },
        reports: { type: 'string' },
      },
    });
    const seed = parseIntegerOption(values.seed, '--seed', { min: 0, max: 2 ** 32 - 1 })!;
    const accounts = parseIntegerOption(values.accounts, '--accounts', {
      min: 50,
      max: 1_000_000,
    })!;
    const days = parseIntegerOption(values.days, '--days', { min: 1, max: 365 })!;
    const out = io.stdout;
    const dir = await mkdtemp(join(tmpdir(), 'tripline-demo-'));
    const bar = new ProgressBar(io);
    const started = performance.now();
    try {
      out.write(
        `1. Simulating the "mixed" scenario (seed ${seed}, ${formatCount(accounts)} accounts, ${days} days)…\n`,
      );
      const sim = await simulate({
        scenario: 'mixed',
        seed,
        outDir: dir,
        accounts,
        days,
        onProgress: (p) => bar.update(p.day / p.days, `day ${p.day}/${p.days}`),
      });
      bar.done();
      out.write(
        `   ${formatCount(sim.events)} events, ${formatCount(sim.maliciousEvents)} of them hostile, in ${dir}\n`,
      );

      const app = await openTripline(values.db ? { db: values.db } : {});
      try {
        out.write(`2. Importing the directory into ${app.store.location}…\n`);
        const directory = await importDirectoryFiles(app, [sim.files.directory]);
        out.write(
          `   ${formatCount(directory.accepted)} accounts created, ${formatCount(directory.duplicates)} updated\n`,
        );

        out.write('3. Ingesting and scoring the events (enrich → score → decide → store)…\n');
        const decisionsPath = join(dir, 'decisions.ndjson');
        const ingest = await ingestEventFiles(app, [sim.files.events], {
          decisions: decisionsPath,
          onProgress: (p) =>
            bar.update(p.bytesTotal ? p.bytesRead / p.bytesTotal : undefined, progressText(p)),
        });
        bar.done();
        out.write(
          `   ${formatCount(ingest.accepted)} accepted, ${formatCount(ingest.duplicates)} duplicates, ` +
            `${formatCount(ingest.rejected)} rejected in ${ingest.seconds.toFixed(1)} s ` +
            `(${formatCount(Math.round(ingest.lines / Math.max(ingest.seconds, 1e-3)))} events/s)\n`,
        );
        if (ingest.accepted === 0 && ingest.duplicates > 0) {
          out.write(
            '   (all already stored: re-ingesting is idempotent, and keeps the first decisions)\n',
          );
        }

        const verdicts = { allow: 0, challenge: 0, deny: 0, pivots: 0 };
        let example: Decision | undefined;
        // Cross-account: steps stopped because the whole tenant was in a burst of attempts.
        let bursts = 0;
        let burstExample: { id: string; detail: string } | undefined;
        for (const line of (await readFile(decisionsPath, 'utf8')).split('\n')) {
          if (!line) continue;
          const d = JSON.parse(line) as Decision;
          verdicts[d.decision]++;
          if (
            d.decision !== 'allow' &&
            d.reasons.some((r) => r.detector === 'recovery-pivot' && r.score >= 0.5)
          )
            verdicts.pivots++;
          if (!example && d.decision === 'deny' && d.reasons.length >= 2) example = d;
          const burst =
            d.decision !== 'allow'
              ? d.reasons.find((r) => r.detector === 'attempt-burst')
              : undefined;
          if (burst) {
            bursts++;
            burstExample ??= { id: d.event_id, detail: burst.detail };
          }
        }
        out.write(
          `4. Decisions: ${formatCount(verdicts.allow)} allow, ${formatCount(verdicts.challenge)} challenge, ` +
            `${formatCount(verdicts.deny)} deny\n`,
        );
        if (example) {
          out.write(`   e.g. ${example.event_id}: deny, score ${example.score}\n`);
          for (const r of example.reasons.slice(0, 3)) {
            out.write(`     - ${r.detector} (${r.score}): ${r.detail}\n`);
          }
        }
        if (burstExample) {
          out.write(
            `   ${formatCount(bursts)} step(s) stopped while far more accounts than usual were tried from somewhere new (attempt-burst)\n` +
              `   e.g. ${burstExample.id}: ${burstExample.detail}\n`,
          );
        }

        const truth = JSON.parse(await readFile(sim.files.truth, 'utf8')) as {
          campaigns: TruthCampaign[];
        };
        out.write('5. What the simulator planted, and what Tripline stopped (tripline eval):\n');
        for (const c of truth.campaigns) {
          out.write(
            `   ${c.id} ${c.scenario.padEnd(15)} ${c.actor ? `(${c.actor}) ` : ''}` +
              `${formatCount(c.targets.length)} targeted, ${formatCount(c.compromised.length)} compromised, ` +
              `from ${formatCount(c.infrastructure.ips.length)} IPs\n`,
          );
        }
        const report = await evaluateDecisions(await readTruth(sim.files.truth), decisionsPath);
        for (const r of report.scenarios) {
          out.write(
            `   ${r.scenario.padEnd(15)} attacker successful steps stopped ${pct(r.successStoppedRate)}` +
              ` (${r.successStopped}/${r.successSteps}), probes flagged ${pct(r.probesFlaggedRate)}` +
              ` (${r.probesFlagged}/${r.probes})\n`,
          );
        }
        out.write(
          `   benign events challenged or denied: ${pct(report.benignChallengeRate)} ` +
            `(${formatCount(report.benignChallenged)} of ${formatCount(report.benign)})\n`,
        );

        const engine = app.engine!;
        const exposure = exposureReport(engine.graph, { tags: engine.policy.watchlist.tags });
        const pivots = verdicts.pivots;
        out.write(
          `6. The account-recovery graph: ${formatCount(engine.graph.nodeCount)} nodes, ` +
            `${formatCount(engine.graph.edgeCount)} recovery links; ${formatCount(pivots)} step(s) ` +
            `stopped as a pivot through a compromised backup mailbox.\n` +
            `   ${formatCount(exposure.exposed)} of ${formatCount(exposure.accounts)} watch-listed accounts can be recovered through a weak channel:\n`,
        );
        for (const line of exposure.summary.slice(0, 4)) out.write(`     - ${line.text}\n`);
        const weakest = exposure.details[0];
        if (weakest) {
          const worst = weakest.findings.reduce((a, b) =>
            b.path.strength < a.path.strength ? b : a,
          );
          out.write(
            `   e.g. ./bin/tripline graph ${weakest.account.id}${values.db ? ` --db ${values.db}` : ''}` +
              `   (fix: ${worst.fix})\n`,
          );
        }

        if (sim.files.intel) {
          out.write(
            '7. A vendor publishes a threat-intel report (STIX 2.1) on the attributed actor: importing it…\n',
          );
          const intel = await importIndicatorFile(app, sim.files.intel, {
            onProgress: (p) =>
              bar.update(
                p.total > 0 ? p.done / p.total : undefined,
                `${p.phase === 'scan' ? 'matching stored events' : 'rebuilding state'} ${formatCount(p.done)}/${formatCount(p.total)}`,
              ),
          });
          bar.done();
          const x = intel.result.reexamined;
          out.write(
            `   ${formatCount(intel.parsed.indicators.length)} indicators naming ${intel.parsed.actors.join(', ') || 'no actor'}; ` +
              `re-examined ${formatCount(x?.scanned ?? 0)} stored events: ${formatCount(x?.matched ?? 0)} matched ` +
              `on ${formatCount(x?.accounts ?? 0)} accounts` +
              (x?.replayed ? `, state rebuilt from ${formatCount(x.replayed)} events` : '') +
              '\n',
          );
        }
        const campaigns = app.campaigns!.list('default');
        out.write(
          `${sim.files.intel ? 8 : 7}. Campaigns found by correlating the hostile steps across accounts: ${campaigns.length}\n`,
        );
        for (const c of campaigns.slice(0, 6)) {
          const actor = attributionLabel(c.attribution);
          out.write(
            `   ${c.id} ${(c.name ?? '').padEnd(40)} ${formatCount(c.targeted_count)} targeted, ` +
              `${formatCount(c.compromised_count)} compromised, actor: ${actor}\n`,
          );
        }
        if (campaigns.length > 6)
          out.write(
            `   … and ${campaigns.length - 6} more: ./bin/tripline campaigns${values.db ? ` --db ${values.db}` : ''}\n`,
          );
        const top = campaigns.reduce<(typeof campaigns)[number] | undefined>(
          (a, b) => (!a || b.targeted_count > a.targeted_count ? b : a),
          undefined,
        );
        if (top) {
          const reportDir = resolve(values.reports ?? 'tripline-reports');
          await mkdir(reportDir, { recursive: true });
          const reportPath = join(reportDir, `${top.id}.html`);
          await writeFile(
            reportPath,
            campaignHtml({
              campaign: top,
              events: app.campaigns!.events('default', top.id) ?? [],
              organisation: 'Tripline demo',
              now: new Date().toISOString(),
            }),
          );
          out.write(
            `   disclosure report of the largest: ${reportPath}\n` +
              `   e.g. ./bin/tripline campaign ${top.id}${values.db ? ` --db ${values.db}` : ''} --stix\n`,
          );
        }
      } finally {
        await app.close();
      }
      out.write(
        `Done in ${((performance.now() - started) / 1000).toFixed(1)} s. Next: ./bin/tripline serve\n`,
      );
      return 0;
    } finally {
      bar.done();
      if (!values.keep) await rm(dir, { recursive: true, force: true });
      else io.stderr.write(`kept the simulated files in ${dir}\n`);
    }
  },
};
