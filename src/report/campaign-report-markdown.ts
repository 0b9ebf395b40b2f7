/**
 * The campaign report as Markdown (CommonMark with GFM tables). Every value
 * goes through the `safeMd` template tag, which escapes it unless it is
 * already {@link Md}: a value cannot open a link, an image or raw HTML,
 * start a heading or a list, or break out of a table cell.
 *
 * @example
 * renderMarkdown(buildReportModel({ campaign, now }));
 * escapeMarkdown('a|b `c` <img>'); // 'a\\|b \\`c\\` \\<img\\>'
 */
import type { ReportModel, ValueList } from './campaign-report-model.js';

/** Markdown that is already safe: written by this module, values escaped. */
class Md {
  constructor(readonly text: string) {}
}
type MdValue = string | number | Md;

/**
 * A value as literal text. Newlines and control characters become spaces
 * (a value never starts a block of its own); the characters that make
 * links, images, raw HTML, entities, emphasis, code, strikethrough and table
 * cells are backslash-escaped; so is a leading character that would start a
 * heading, quote, list or setext underline where the value begins a line.
 */
export function escapeMarkdown(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- control characters are what is removed
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/^\s+/, '')
      .replace(/[\\`*_[\]<>|&~]/g, '\\$&')
      .replace(/^([#>+=-])(?=[\s#>+=-]|$)/, '\\$1')
      .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  );
}

// Not named `md`: Prettier would reformat templates with that tag as Markdown.
function safeMd(strings: TemplateStringsArray, ...values: readonly MdValue[]): Md {
  let text = strings[0]!;
  values.forEach((v, i) => {
    text += cell(v) + strings[i + 1]!;
  });
  return new Md(text);
}

function cell(v: MdValue): string {
  return v instanceof Md ? v.text : escapeMarkdown(String(v));
}

const BLANK = new Md('');

/** A link whose URL this module built from a validated id. */
function link(label: string, url: string): Md {
  return safeMd`[${label}](${new Md(url)})`;
}

function table(
  header: readonly string[],
  align: readonly ('left' | 'right')[],
  rows: readonly (readonly MdValue[])[],
): Md[] {
  const line = (cells: readonly MdValue[]) => new Md(`| ${cells.map(cell).join(' | ')} |`);
  const rule = new Md(`| ${align.map((a) => (a === 'right' ? '---:' : '---')).join(' | ')} |`);
  return [line(header), rule, ...rows.map(line), BLANK];
}

function bullets(values: readonly MdValue[], indent = ''): Md[] {
  return values.map((v) => new Md(`${indent}- ${cell(v)}`));
}

function valueList(values: ValueList): Md[] {
  const more = values.total - values.items.length;
  return [
    safeMd`### ${values.label} (${values.total})`,
    BLANK,
    ...bullets(values.items),
    ...(more > 0 ? [safeMd`- … and ${more} more`] : []),
    BLANK,
  ];
}

function header(m: ReportModel): Md[] {
  return [
    safeMd`# Campaign report: ${m.title}`,
    BLANK,
    // Two trailing spaces: a line break before "Prepared …".
    safeMd`Campaign ${m.campaignId} · status ${m.status} · first seen ${m.firstSeen} · last seen ${m.lastSeen}  `,
    m.organisation !== undefined
      ? safeMd`Prepared by ${m.organisation} on ${m.prepared} with Tripline.`
      : safeMd`Prepared on ${m.prepared} with Tripline.`,
    BLANK,
    safeMd`## What happened`,
    BLANK,
    safeMd`${m.summary} ${m.attributionSentence}`,
    BLANK,
    ...(m.maskedAccounts > 0
      ? [
          safeMd`Accounts are masked as account 1 to account ${m.maskedAccounts} (in order of first sighting); their ids are withheld from this report.`,
          BLANK,
        ]
      : []),
  ];
}

function tagSection(m: ReportModel): Md[] {
  return [
    safeMd`## Targeted and compromised accounts by tag`,
    BLANK,
    ...table(
      ['Tag', 'Targeted', 'Compromised'],
      ['left', 'right', 'right'],
      [
        ...m.tags.map((r) => [r.tag, r.targeted, r.compromised]),
        [safeMd`**${m.totals.tag}**`, m.totals.targeted, m.totals.compromised],
      ],
    ),
    ...(m.tagNote !== undefined ? [safeMd`${m.tagNote}`, BLANK] : []),
  ];
}

function timelineSection(m: ReportModel): Md[] {
  const { timeline } = m;
  const moments = timeline.moments.map((x) => safeMd`${x.time}: ${x.text}`);
  if (timeline.momentsOmitted > 0) {
    moments.push(safeMd`… and ${timeline.momentsOmitted} more compromises`);
  }
  return [
    safeMd`## Timeline`,
    BLANK,
    safeMd`Key moments (UTC):`,
    BLANK,
    ...bullets(moments),
    BLANK,
    ...(timeline.basis === 'events'
      ? table(
          ['Day (UTC)', 'Events', 'Accounts targeted', 'Compromises'],
          ['left', 'right', 'right', 'right'],
          timeline.days.map((d) => [d.day, d.events ?? 0, d.accounts, d.compromises]),
        )
      : [
          safeMd`Built from each target's first sighting (no events were given).`,
          BLANK,
          ...table(
            ['Day (UTC)', 'Accounts first targeted', 'Of them later compromised'],
            ['left', 'right', 'right'],
            timeline.days.map((d) => [d.day, d.accounts, d.compromises]),
          ),
        ]),
  ];
}

function techniqueSection(m: ReportModel): Md[] {
  const withEvents = m.techniques.some((t) => t.events !== undefined);
  return [
    safeMd`## Techniques (MITRE ATT&CK)`,
    BLANK,
    ...(m.techniques.length === 0
      ? [safeMd`No technique was identified.`, BLANK]
      : table(
          withEvents ? ['ID', 'Technique', 'Events'] : ['ID', 'Technique'],
          withEvents ? ['left', 'left', 'right'] : ['left', 'left'],
          m.techniques.map((t) => [
            t.url !== undefined ? link(t.id, t.url) : t.id,
            t.name,
            ...(withEvents ? [t.events ?? 0] : []),
          ]),
        )),
  ];
}

function infrastructureSection(m: ReportModel): Md[] {
  return [
    safeMd`## Infrastructure`,
    BLANK,
    ...(m.infrastructure.length === 0 ? [safeMd`No infrastructure was recorded.`, BLANK] : []),
    ...m.infrastructure.flatMap(valueList),
    ...(m.joinedBy.length > 0
      ? [
          safeMd`### Why these events are one campaign`,
          BLANK,
          ...bullets(
            m.joinedBy.map((j) => safeMd`shared ${j.link} ${j.value}: ${j.events} events`),
          ),
          BLANK,
        ]
      : []),
  ];
}

function attributionSection(m: ReportModel): Md[] {
  const out = [safeMd`## Attribution`, BLANK];
  if (m.attribution.length === 0) out.push(safeMd`${m.attributionSentence}`, BLANK);
  for (const a of m.attribution) {
    out.push(safeMd`### ${a.actor}: ${a.confidence}% confidence`, BLANK);
    if (a.actorId !== undefined) {
      out.push(
        safeMd`- Knowledge base: ${a.url !== undefined ? link(a.actorId, a.url) : a.actorId}`,
      );
    }
    if (a.aliases.length > 0) out.push(safeMd`- Also known as: ${a.aliases.join(', ')}`);
    if (a.evidence.length > 0) out.push(safeMd`- Evidence:`, ...bullets(a.evidence, '  '));
    out.push(BLANK);
  }
  return out;
}

function targetSection(m: ReportModel): Md[] {
  return [
    safeMd`## Targets`,
    BLANK,
    ...(m.targets.length === 0
      ? [safeMd`The campaign lists no targets.`, BLANK]
      : table(
          ['Account', 'Tags', 'Compromised', 'First seen', 'Events'],
          ['left', 'left', 'left', 'left', 'right'],
          m.targets.map((t) => [
            t.label,
            t.tags.join(', '),
            t.compromised ? safeMd`**yes**` : 'no',
            t.firstSeen,
            t.events,
          ]),
        )),
  ];
}

function actionSection(m: ReportModel): Md[] {
  return [
    safeMd`## Recommended actions`,
    BLANK,
    ...m.actions.flatMap((g) => [safeMd`### ${g.title}`, BLANK, ...bullets(g.items), BLANK]),
  ];
}

function noteSection(m: ReportModel): Md[] {
  if (m.notes.length === 0) return [];
  return [
    safeMd`## Analyst notes`,
    BLANK,
    ...bullets(m.notes.map((n) => safeMd`${n.time}, ${n.author}: ${n.text}`)),
    BLANK,
  ];
}

function footer(m: ReportModel): Md[] {
  return [
    new Md('---'),
    BLANK,
    ...(m.usesAttack
      ? [
          safeMd`Technique and group names and ids are from MITRE ATT&CK®. © The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.`,
          BLANK,
        ]
      : []),
    safeMd`Generated by Tripline.`,
  ];
}

/** Renders the model. */
export function renderMarkdown(m: ReportModel): string {
  const lines = [
    ...header(m),
    ...tagSection(m),
    ...timelineSection(m),
    ...techniqueSection(m),
    ...infrastructureSection(m),
    ...attributionSection(m),
    ...targetSection(m),
    ...actionSection(m),
    ...noteSection(m),
    ...footer(m),
  ];
  return `${lines.map((l) => l.text).join('\n')}\n`;
}
