/**
 * `npm run bench:campaign-view`: the campaign view in process, without HTTP —
 * how long `campaignView` and the compromised-account pass
 * (`compromisingEvents`) take on the largest campaign of the store that
 * `npm run bench:campaign-http` builds (run that first), and how many
 * hindsight questions (`RiskEngine.owns`) the pass asks. The view is timed
 * twice: reading the cluster's running tally (campaign-tally.ts), as a
 * server does, and counting every step afresh, as for a campaign an analyst
 * merged or split.
 *
 *   npm run bench:campaign-view                 # 30 views
 *   npm run bench:campaign-view -- --runs 100
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openTripline } from '../src/app.js';
import { isBurstLed } from '../src/correlate/burst.js';
import {
  campaignView,
  compromisingEvents,
  layoutCampaigns,
} from '../src/correlate/campaign-view.js';
import { Correlator } from '../src/correlate/correlator.js';
import type { Member } from '../src/correlate/correlator.js';

const { values } = parseArgs({
  options: {
    db: {
      type: 'string',
      default: join(import.meta.dirname, 'out', 'campaign-http-23000x7-s47.db'),
    },
    runs: { type: 'string', default: '30' },
  },
});
const runs = Math.max(1, Number(values.runs));
if (!existsSync(values.db)) {
  process.stderr.write(`no store at ${values.db}: run \`npm run bench:campaign-http\` first\n`);
  process.exit(1);
}

const app = await openTripline({ db: `sqlite:${values.db}` });
try {
  const engine = app.engine!;
  const correlator = engine.correlator;
  if (!(correlator instanceof Correlator)) throw new Error('the engine runs no correlator');
  const { groups } = layoutCampaigns(correlator.campaigns('default'), []);
  const g = [...groups.values()].sort((a, b) => b.members.length - a.members.length)[0];
  if (!g) throw new Error('the store holds no campaign');
  let asked = 0;
  const owned = (m: Member) => {
    asked++;
    return engine.owns('default', m.account, m);
  };
  const burst = isBurstLed(g.burst ?? 0, g.members.length);
  const time = (f: () => unknown) => {
    f(); // once for the JIT
    const t = performance.now();
    for (let i = 0; i < runs; i++) f();
    return (performance.now() - t) / runs;
  };
  const compromising = time(() => compromisingEvents(g.members, burst, owned));
  const questions = asked / (runs + 1);
  const now = correlator.now('default') ?? Date.now();
  const view = time(() => campaignView(g, { now, techniqueName: (id) => id, owned }));
  const detached = { ...g, cluster: undefined };
  const afresh = time(() => campaignView(detached, { now, techniqueName: (id) => id, owned }));
  const targets = new Set(g.members.map((m) => m.account)).size;
  process.stdout.write(
    `campaign ${g.id}: ${targets.toLocaleString('en')} targets, ${g.members.length.toLocaleString('en')} events; ` +
      `mean of ${runs}: campaignView ${view.toFixed(1)} ms (counted afresh ${afresh.toFixed(1)} ms), compromisingEvents ${compromising.toFixed(1)} ms ` +
      `(${questions} hindsight questions); Node ${process.version}\n`,
  );
} finally {
  await app.close();
}
