import { parseArgs } from 'node:util';
import { openTripline } from '../../app.js';
import { exposureJson, exposureReport } from '../../graph/exposure.js';
import type { ExposureReport } from '../../graph/exposure.js';
import type { Command } from '../command.js';
import { parseIntegerOption } from '../command.js';

export const exposureCommand: Command = {
  name: 'exposure',
  summary: 'Report high-risk accounts recoverable through weak channels, with fixes',
  usage: `tripline exposure [--tag TAG]… [--json] [--depth N] [--tenant T] [--db …]

  For accounts with the given tags (default: the policy's watch-listed tags,
  campaign-staff, government, journalist, diaspora), every weak way in through
  the recovery graph — security questions, SMS, a mailbox without MFA, a
  mailbox outside the provider, the support desk — however many hops away,
  counted by tag, with the fix for each account. Addresses are masked.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        db: { type: 'string' },
        tenant: { type: 'string' },
        tag: { type: 'string', multiple: true },
        depth: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const depth = parseIntegerOption(values.depth, '--depth', { min: 1, max: 8 }) ?? 4;
    const app = await openTripline(values.db ? { db: values.db } : {});
    try {
      const tags = values.tag?.length ? values.tag : app.engine!.policy.watchlist.tags;
      const report = exposureReport(app.engine!.graph, {
        tags,
        depth,
        ...(values.tenant ? { tenant: values.tenant } : {}),
      });
      io.stdout.write(
        values.json ? `${JSON.stringify(exposureJson(report))}\n` : renderText(report),
      );
      return 0;
    } finally {
      await app.close();
    }
  },
};

function renderText(r: ExposureReport): string {
  const lines = [
    `${r.exposed} of ${r.accounts} account(s) tagged ${r.tags.join(', ')} can be recovered through a weak channel.`,
    '',
    ...r.summary.map((s) => `  ${s.text}`),
  ];
  if (r.details.length > 0) lines.push('', 'Fixes, weakest accounts first:');
  for (const d of r.details) {
    lines.push(
      `  ${d.account.id} [${(d.account.tags ?? []).join(', ')}] (weakest path strength ${d.strength})`,
    );
    for (const f of d.findings) lines.push(`    - ${f.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
