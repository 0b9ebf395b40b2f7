import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openTripline } from '../../app.js';
import type { Tripline } from '../../app.js';
import { CAMPAIGN_STATUSES } from '../../domain/campaign.js';
import type { Campaign } from '../../domain/campaign.js';
import { parseCampaignEdit } from '../../correlate/campaign-edits.js';
import { attributionLabel } from '../../intel/attribution.js';
import { campaignToStix, knowledgeBaseActors } from '../../intel/stix-bundle.js';
import { campaignHtml, campaignMarkdown } from '../../report/campaign-report.js';
import type { CliIo, Command } from '../command.js';
import { UsageError } from '../command.js';

export const campaignsCommand: Command = {
  name: 'campaigns',
  summary: 'List the campaigns found: targeted, compromised, techniques, actor',
  usage: `tripline campaigns [--json] [--status active|dormant|closed] [--tenant T]
                   [--events-out FILE] [--db …]

  Every campaign the correlator found, most recently active first. --json
  prints a JSON array of campaign objects (DESIGN.md), targets included, and
  nothing else. --events-out writes which event is in which campaign, one
  {"campaign_id","event_id"} per line (for tripline eval).`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        db: { type: 'string' },
        tenant: { type: 'string' },
        status: { type: 'string' },
        json: { type: 'boolean', default: false },
        'events-out': { type: 'string' },
      },
    });
    const status = values.status;
    if (status !== undefined && !(CAMPAIGN_STATUSES as readonly string[]).includes(status))
      throw new UsageError(`--status: expected one of ${CAMPAIGN_STATUSES.join(', ')}`);
    const app = await openApp(values.db, io);
    try {
      const all = app.campaigns!.list(values.tenant ?? 'default');
      const list = status ? all.filter((c) => c.status === status) : all;
      const eventsOut = values['events-out'];
      if (eventsOut) {
        let text = '';
        for (const c of list)
          for (const e of app.campaigns!.events(values.tenant ?? 'default', c.id) ?? [])
            text += `${JSON.stringify({ campaign_id: c.id, event_id: e.event_id })}\n`;
        await writeFile(eventsOut, text);
      }
      io.stdout.write(values.json ? `${JSON.stringify(list)}\n` : renderList(list));
      return 0;
    } finally {
      await app.close();
    }
  },
};

const EDITS = ['rename', 'note', 'status', 'merge', 'split'] as const;

export const campaignCommand: Command = {
  name: 'campaign',
  summary: 'Show, export (STIX, Markdown, HTML) or edit one campaign',
  usage: `tripline campaign ID [--json | --md | --html | --stix | --events] [--out FILE]
                  [--show-targets] [--org NAME] [--tenant T] [--db …]
tripline campaign ID rename NAME…        give it a name
tripline campaign ID note TEXT…          add an analyst's note
tripline campaign ID status active|dormant|closed|auto
tripline campaign ID merge OTHER_ID      fold OTHER_ID into ID
tripline campaign ID split ACCOUNT… [--name NAME]
                                          move these accounts' events to a new campaign
  Edits are stored and laid over the correlator's campaigns every time they
  are shown, so they survive re-correlation. --author (default $USER) is
  recorded with each.

  --stix writes a STIX 2.1 bundle, --md and --html a disclosure report;
  targets are anonymised unless --show-targets is given. --org names the
  reporting organisation (default: $TRIPLINE_ORG, else "Tripline").`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
        md: { type: 'boolean', default: false },
        html: { type: 'boolean', default: false },
        stix: { type: 'boolean', default: false },
        events: { type: 'boolean', default: false },
        out: { type: 'string' },
        org: { type: 'string' },
        'show-targets': { type: 'boolean', default: false },
        name: { type: 'string' },
        author: { type: 'string' },
      },
    });
    const [id, action, ...rest] = positionals;
    if (!id) throw new UsageError('expected a campaign id');
    const tenant = values.tenant ?? 'default';
    const formats = (['json', 'md', 'html', 'stix', 'events'] as const).filter((f) => values[f]);
    if (formats.length > 1) throw new UsageError(`choose one of --${formats.join(', --')}`);
    if (action !== undefined && !(EDITS as readonly string[]).includes(action))
      throw new UsageError(`unknown action "${action}": expected one of ${EDITS.join(', ')}`);
    const app = await openApp(values.db, io);
    try {
      if (action) {
        const edit = parseCampaignEdit(
          editInput(action as (typeof EDITS)[number], id, rest, values),
        );
        if (!edit.ok) throw new UsageError(`${edit.field ? `${edit.field}: ` : ''}${edit.message}`);
        const found = app.campaigns!.get(tenant, id);
        if (found.kind === 'none') {
          io.stderr.write(`tripline campaign: no campaign ${id}\n`);
          return 1;
        }
        if (
          edit.value.op === 'merge' &&
          app.campaigns!.get(tenant, edit.value.from).kind === 'none'
        ) {
          io.stderr.write(`tripline campaign: no campaign ${edit.value.from}\n`);
          return 1;
        }
        const author = values.author ?? process.env.USER ?? 'cli';
        const seq = await app.editCampaign(tenant, edit.value, author);
        io.stderr.write(`recorded edit #${seq} (${action}) on ${id}\n`);
        return 0;
      }
      const found = app.campaigns!.get(tenant, id);
      if (found.kind === 'none') {
        io.stderr.write(`tripline campaign: no campaign ${id} (tripline campaigns lists them)\n`);
        return 1;
      }
      if (found.kind === 'merged') {
        io.stderr.write(`${id} was merged into ${found.into}; showing ${found.into}\n`);
      }
      const campaign =
        found.kind === 'found'
          ? found.campaign
          : (app.campaigns!.get(tenant, found.into) as { campaign: Campaign }).campaign;
      const events = app.campaigns!.events(tenant, campaign.id) ?? [];
      const now = new Date().toISOString();
      const organisation = values.org ?? process.env.TRIPLINE_ORG ?? 'Tripline';
      const anonymiseTargets = !values['show-targets'];
      let text: string;
      if (values.json) text = `${JSON.stringify(campaign)}\n`;
      else if (values.events) text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
      else if (values.stix)
        text = `${JSON.stringify(
          campaignToStix(campaign, {
            organisation: { name: organisation },
            now,
            anonymiseTargets,
            events,
            actors: knowledgeBaseActors(app.actors()),
          }),
          null,
          2,
        )}\n`;
      else if (values.md)
        text = campaignMarkdown({ campaign, events, organisation, now, anonymiseTargets });
      else if (values.html)
        text = campaignHtml({ campaign, events, organisation, now, anonymiseTargets });
      else text = renderOne(campaign);
      if (values.out) {
        await writeFile(values.out, text);
        io.stderr.write(`wrote ${values.out}\n`);
      } else io.stdout.write(text);
      return 0;
    } finally {
      await app.close();
    }
  },
};

function editInput(
  action: (typeof EDITS)[number],
  campaign: string,
  rest: readonly string[],
  values: { name?: string | undefined },
): Record<string, unknown> {
  switch (action) {
    case 'rename':
      return { op: 'rename', campaign, name: rest.join(' ') };
    case 'note':
      return { op: 'note', campaign, text: rest.join(' ') };
    case 'status':
      return { op: 'status', campaign, status: rest[0] };
    case 'merge':
      return { op: 'merge', campaign, from: rest[0] };
    case 'split':
      return {
        op: 'split',
        campaign,
        accounts: rest,
        ...(values.name ? { name: values.name } : {}),
      };
  }
}

async function openApp(db: string | undefined, io: CliIo): Promise<Tripline> {
  const app = await openTripline(db ? { db } : {});
  if (app.restored && app.restored.replayed > 0 && io.stderr.isTTY)
    io.stderr.write(`(replayed ${app.restored.replayed} events to rebuild state)\n`);
  return app;
}

function renderList(list: readonly Campaign[]): string {
  if (list.length === 0) return 'No campaigns found.\n';
  const lines = [
    `${list.length} campaign(s), most recently active first:`,
    '',
    `${'ID'.padEnd(15)} ${'STATUS'.padEnd(8)} ${'TARGETED'.padStart(8)} ${'COMPROMISED'.padStart(11)}  ${'FIRST SEEN'.padEnd(10)}  ${'LAST SEEN'.padEnd(10)}  NAME / ACTOR`,
  ];
  for (const c of list) {
    const actor = c.attribution[0] ? ` — ${attributionLabel(c.attribution)}` : '';
    lines.push(
      `${c.id.padEnd(15)} ${c.status.padEnd(8)} ${String(c.targeted_count).padStart(8)} ${String(c.compromised_count).padStart(11)}  ${c.first_seen.slice(0, 10)}  ${c.last_seen.slice(0, 10)}  ${c.name ?? ''}${actor}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function renderOne(c: Campaign): string {
  const lines = [
    `${c.id}  ${c.name ?? ''}`,
    `  status ${c.status}, ${c.first_seen} → ${c.last_seen}, ${c.events ?? '?'} events`,
    `  targeted ${c.targeted_count}, compromised ${c.compromised_count}`,
  ];
  const tags = Object.entries(c.by_tag);
  if (tags.length) lines.push(`  by tag: ${tags.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  lines.push('', '  Techniques:');
  for (const t of c.techniques) lines.push(`    ${t.id.padEnd(10)} ${t.name}`);
  const infra = c.infrastructure;
  const list = <T>(label: string, items: readonly T[] | undefined) => {
    if (!items?.length) return;
    const shown = items.slice(0, 10).join(', ');
    lines.push(
      `    ${label}: ${shown}${items.length > 10 ? `, and ${items.length - 10} more` : ''}`,
    );
  };
  lines.push('', '  Infrastructure:');
  list('addresses', infra.ips);
  list('networks', infra.networks);
  list(
    'ASNs',
    infra.asns.map((a) => `AS${a}`),
  );
  list('drop addresses', infra.emails);
  list(
    'user agents',
    infra.user_agents.map((u) => (u.length > 70 ? `${u.slice(0, 67)}...` : u)),
  );
  if (c.joined_by?.length) {
    lines.push('', '  Joined by (strongest links):');
    for (const j of c.joined_by.slice(0, 8))
      lines.push(
        `    ${j.link} ${j.value.length > 70 ? `${j.value.slice(0, 67)}...` : j.value} (${j.events} events)`,
      );
  }
  lines.push('', '  Attribution:');
  if (c.attribution.length === 0) lines.push('    none');
  for (const a of c.attribution) {
    lines.push(
      `    ${a.actor} ${Math.round(a.confidence * 100)}% (${a.aliases.slice(0, 8).join(', ')})`,
    );
    for (const e of a.evidence) lines.push(`      - ${e}`);
  }
  const compromised = c.targets.filter((t) => t.compromised);
  if (compromised.length) {
    lines.push('', '  Compromised accounts:');
    for (const t of compromised)
      lines.push(`    ${t.account_id} [${t.tags.join(', ')}] since ${t.first_seen}`);
  }
  if (c.notes?.length) {
    lines.push('', '  Notes:');
    for (const n of c.notes) lines.push(`    ${n.time} ${n.author}: ${n.text}`);
  }
  return `${lines.join('\n')}\n`;
}
