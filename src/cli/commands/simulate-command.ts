import { parseArgs } from 'node:util';
import { SCENARIOS, simulate } from '../../simulate/index.js';
import type { ScenarioName } from '../../simulate/index.js';
import type { Command } from '../command.js';
import { parseIntegerOption, UsageError } from '../command.js';
import { formatCount, ProgressBar } from '../progress-bar.js';

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Generate a scenario: directory, events and ground truth',
  usage: `tripline simulate --scenario NAME --seed N --out DIR [--accounts N] [--days N] [--start ISO]

  Scenarios: ${SCENARIOS.join(', ')}.
  Writes DIR/directory.ndjson, DIR/events.ndjson (time-ordered native v1) and
  DIR/truth.json (labels of malicious events, campaigns). Same seed, same bytes.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        scenario: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        accounts: { type: 'string' },
        days: { type: 'string' },
        start: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.scenario || !SCENARIOS.includes(values.scenario as ScenarioName)) {
      throw new UsageError(`--scenario: expected one of ${SCENARIOS.join(', ')}`);
    }
    if (!values.out) throw new UsageError('--out DIR is required');
    const seed = parseIntegerOption(values.seed ?? undefined, '--seed', {
      min: 0,
      max: 2 ** 32 - 1,
    });
    if (seed === undefined) throw new UsageError('--seed N is required');
    const accounts = parseIntegerOption(values.accounts, '--accounts', {
      min: 50,
      max: 10_000_000,
    });
    const days = parseIntegerOption(values.days, '--days', { min: 1, max: 3650 });
    const bar = new ProgressBar(io);
    const summary = await simulate({
      scenario: values.scenario as ScenarioName,
      seed,
      outDir: values.out,
      ...(accounts !== undefined ? { accounts } : {}),
      ...(days !== undefined ? { days } : {}),
      ...(values.start ? { start: values.start } : {}),
      onProgress: (p) =>
        bar.update(p.day / p.days, `day ${p.day}/${p.days}, ${formatCount(p.events)} events`),
    });
    bar.done();
    if (values.json) {
      io.stdout.write(JSON.stringify(summary) + '\n');
    } else {
      io.stdout.write(
        `${summary.scenario} (seed ${summary.seed}): ${formatCount(summary.accounts)} accounts, ` +
          `${formatCount(summary.events)} events over ${summary.days} days, ` +
          `${formatCount(summary.maliciousEvents)} malicious in ${summary.campaigns} campaign(s) → ${values.out}\n`,
      );
    }
    return 0;
  },
};
