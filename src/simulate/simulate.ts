/**
 * The scenario simulator: a synthetic organisation's identity logs over a
 * period, with one or more targeted account-takeover campaigns hidden in them,
 * and the ground truth to score detectors against.
 *
 * It shares no code with detection (it imports only src/domain and node
 * built-ins), is deterministic by seed (same options → same bytes in every
 * file) and streams day by day, so a run of millions of events needs memory
 * for about one day of traffic.
 *
 * @example
 * const summary = await simulate({ scenario: 'recovery-abuse', seed: 42, outDir: 'out/apt35' });
 * console.error(`${summary.events} events, ${summary.maliciousEvents} malicious`);
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenignActivity } from './benign-activity.js';
import { EventQueue } from './event-queue.js';
import { FileSink } from './file-sink.js';
import { type IntelCampaign, intelReport } from './intel-report.js';
import { isoTime } from '../domain/iso-time.js';
import { resolveOptions } from './options.js';
import { buildOrganisation } from './organisation.js';
import { Random, deriveSeed } from './random.js';
import type { ScenarioName } from './scenario-name.js';
import { CampaignRecorder } from './scenarios/campaign-recorder.js';
import { ATTACKS, scenarioAttacks } from './scenarios/registry.js';
import { type Truth, type TruthCampaign, type TruthLabel, renderTruth } from './truth.js';
import { DAY } from './durations.js';

export { SCENARIOS, type ScenarioName } from './scenario-name.js';

/**
 * Options of {@link simulate}.
 *
 * @example
 * const opts: SimulateOptions = { scenario: 'password-spray', seed: 1, outDir: 'out/spray', accounts: 5000, days: 14 };
 */
export interface SimulateOptions {
  scenario: ScenarioName;
  /** Any safe integer; the same seed and options always give the same files. */
  seed: number;
  /** Created if missing; directory.ndjson, events.ndjson, truth.json and threat-intel.json are (over)written there. */
  outDir: string;
  /** Accounts in the directory, 50 or more; default 3000. */
  accounts?: number;
  /** Days simulated, default 30. */
  days?: number;
  /** ISO date or date-time with zone where the window starts; default '2026-10-01T00:00:00Z'. */
  start?: string;
  /** Called after each simulated day has been written. */
  onProgress?: (p: { day: number; days: number; events: number }) => void;
}

/**
 * What {@link simulate} wrote.
 *
 * @example
 * // { scenario: 'mixed', seed: 1, accounts: 3000, days: 30, events: 175722, maliciousEvents: 3270, campaigns: 3, files: {...} }
 */
export interface SimulateSummary {
  scenario: ScenarioName;
  seed: number;
  accounts: number;
  days: number;
  events: number;
  maliciousEvents: number;
  campaigns: number;
  /**
   * Absolute or outDir-relative paths of the files written. `intel`
   * (threat-intel.json, a vendor's STIX 2.1 report on the actor) is there only
   * when a campaign attributed to a known actor wrote events.
   */
  files: { directory: string; events: string; truth: string; intel?: string };
}

interface CampaignTally {
  first: number;
  last: number;
  readonly targets: Set<string>;
  readonly succeeded: Set<string>;
}

/**
 * Generate a scenario into `outDir`: directory.ndjson (one record per account),
 * events.ndjson (native v1 events in time order), truth.json (labels and
 * campaigns) and, when a campaign is attributed to a known actor,
 * threat-intel.json (see intel-report.ts). Throws an Error with a clear
 * message for invalid options.
 *
 * @example
 * await simulate({ scenario: 'mixed', seed: 7, outDir: '/tmp/mixed', accounts: 20000 });
 */
export async function simulate(opts: SimulateOptions): Promise<SimulateSummary> {
  const o = resolveOptions(opts);
  await mkdir(o.outDir, { recursive: true });
  const files = {
    directory: join(o.outDir, 'directory.ndjson'),
    events: join(o.outDir, 'events.ndjson'),
    truth: join(o.outDir, 'truth.json'),
  };

  const org = buildOrganisation({
    seed: o.seed,
    accounts: o.accounts,
    start: o.start,
    days: o.days,
  });
  const queue = new EventQueue(o.start, o.days);

  // Attacks are planned up front (they are small) and queued by day.
  const names = scenarioAttacks(o.scenario, new Random(deriveSeed(o.seed, 'scenario', o.scenario)));
  const campaigns = names.map((name, i) => {
    const campaign = new CampaignRecorder(
      `c${i + 1}`,
      name,
      queue,
      new Random(deriveSeed(o.seed, 'render', name, i)),
    );
    ATTACKS[name].run({
      org,
      start: o.start,
      end: o.start + o.days * DAY,
      days: o.days,
      rng: new Random(deriveSeed(o.seed, 'attack', name, i)),
      campaign,
    });
    return campaign;
  });

  const directory = new FileSink(files.directory);
  for (const account of org.accounts) {
    const p = directory.write(`${account.directoryLine}\n`);
    if (p) await p;
  }
  await directory.close();

  const benign = new BenignActivity(org, { seed: o.seed, start: o.start, days: o.days });
  const events = new FileSink(files.events);
  const labels: TruthLabel[] = [];
  const tallies = new Map<string, CampaignTally>(
    campaigns.map((c) => [
      c.id,
      { first: Infinity, last: -Infinity, targets: new Set(), succeeded: new Set() },
    ]),
  );
  const idWidth = Math.max(8, String(o.accounts * o.days * 20).length);
  let count = 0;
  for (let day = 0; day < o.days; day++) {
    benign.generateDay(day, queue);
    for (const e of queue.take(day)) {
      count++;
      const id = `evt-${String(count).padStart(idWidth, '0')}`;
      const p = events.write(`{"id":"${id}","time":"${isoTime(e.t)}",${e.body}\n`);
      if (p) await p;
      if (e.label) {
        labels.push({ event_id: id, campaign: e.label.campaign, kind: e.label.kind });
        const tally = tallies.get(e.label.campaign) as CampaignTally;
        if (e.t < tally.first) tally.first = e.t;
        if (e.t > tally.last) tally.last = e.t;
        tally.targets.add(e.accountId);
        if (e.label.kind === 'success') tally.succeeded.add(e.accountId);
      }
    }
    o.onProgress?.({ day: day + 1, days: o.days, events: count });
  }
  await events.close();

  const truthCampaigns: TruthCampaign[] = campaigns.map((c) => {
    const tally = tallies.get(c.id) as CampaignTally;
    return {
      id: c.id,
      scenario: c.scenario,
      actor: c.actor,
      first_seen: Number.isFinite(tally.first) ? isoTime(tally.first) : null,
      last_seen: Number.isFinite(tally.last) ? isoTime(tally.last) : null,
      targets: [...tally.targets].sort(),
      // Only claims backed by a written success event count.
      compromised: [...c.claimed].filter((id) => tally.succeeded.has(id)).sort(),
      infrastructure: {
        ips: [...c.ips].sort(),
        asns: [...c.asns].sort((a, b) => a - b),
        user_agents: [...c.userAgents].sort(),
      },
    };
  });
  const truth: Truth = {
    scenario: o.scenario,
    seed: o.seed,
    start: isoTime(o.start),
    days: o.days,
    accounts: o.accounts,
    events: count,
    labels,
    campaigns: truthCampaigns,
  };
  await writeFile(files.truth, renderTruth(truth), 'utf8');

  const attributed = campaigns.flatMap((c): IntelCampaign[] => {
    const tally = tallies.get(c.id) as CampaignTally;
    if (c.actor === null || !Number.isFinite(tally.first)) return [];
    return [
      {
        id: c.id,
        scenario: c.scenario,
        actor: c.actor,
        first: tally.first,
        last: tally.last,
        ipFirstUse: c.ipFirstUse,
        dropAddresses: c.dropAddresses,
      },
    ];
  });
  const intel = join(o.outDir, 'threat-intel.json');
  if (attributed.length > 0) {
    const bundle = intelReport(attributed, new Random(deriveSeed(o.seed, 'intel')));
    await writeFile(intel, `${JSON.stringify(bundle, null, 2)}\n`, 'utf8');
  } else {
    // A report left by an earlier run in the same folder would describe another campaign.
    await rm(intel, { force: true });
  }

  return {
    scenario: o.scenario,
    seed: o.seed,
    accounts: o.accounts,
    days: o.days,
    events: count,
    maliciousEvents: labels.length,
    campaigns: campaigns.length,
    files: attributed.length > 0 ? { ...files, intel } : files,
  };
}
