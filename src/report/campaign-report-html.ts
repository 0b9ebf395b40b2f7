/**
 * The campaign report as one self-contained HTML file: inline CSS, no
 * scripts, no external resources. Every value goes through the `safeHtml`
 * template tag, which escapes it unless it is already {@link Html}; a
 * Content-Security-Policy (`default-src 'none'`) makes a slip inert anyway.
 *
 * @example
 * renderHtml(buildReportModel({ campaign, now }));
 * escapeHtml('"><img src=x onerror=alert(1)>'); // '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
 */
import type { ReportModel, ValueList } from './campaign-report-model.js';

/** HTML that is already safe: written by this module, values escaped. */
class Html {
  constructor(readonly text: string) {}
}
type HtmlValue = string | number | Html | readonly Html[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values: `& < > " '` as entities. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

// Not named `html`: Prettier would reformat templates with that tag as HTML.
function safeHtml(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let text = strings[0]!;
  values.forEach((v, i) => {
    text += piece(v) + strings[i + 1]!;
  });
  return new Html(text);
}

function piece(v: HtmlValue): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map((h: Html) => h.text).join('');
  return escapeHtml(String(v));
}

const NOTHING = new Html('');

/** A link whose URL this module built from a validated id. */
function link(label: string, url: string): Html {
  return safeHtml`<a href="${url}" rel="noreferrer">${label}</a>`;
}

type Cell = string | number | Html;

function table(
  header: readonly string[],
  numeric: readonly boolean[],
  rows: readonly (readonly Cell[])[],
  rowClass: (index: number) => 'compromised' | 'total' | '' = () => '',
): Html {
  const cell = (tag: 'th' | 'td', v: Cell, i: number) =>
    safeHtml`${new Html(numeric[i] ? `<${tag} class="n">` : `<${tag}>`)}${v}${new Html(`</${tag}>`)}`;
  const row = (cells: readonly Cell[], index: number) => {
    const cls = rowClass(index);
    return safeHtml`${new Html(cls ? `<tr class="${cls}">` : '<tr>')}${cells.map((v, i) => cell('td', v, i))}</tr>\n`;
  };
  return safeHtml`<table>
<thead><tr>${header.map((h, i) => cell('th', h, i))}</tr></thead>
<tbody>
${rows.map(row)}</tbody>
</table>
`;
}

function items(values: readonly Cell[]): Html {
  return safeHtml`<ul>
${values.map((v) => safeHtml`<li>${v}</li>\n`)}</ul>
`;
}

function valueList(values: ValueList): Html {
  const more = values.total - values.items.length;
  return safeHtml`<h3>${values.label} (${values.total})</h3>
<ul class="values">
${values.items.map((v) => safeHtml`<li>${v}</li>\n`)}${more > 0 ? safeHtml`<li>… and ${more} more</li>\n` : NOTHING}</ul>
`;
}

function header(m: ReportModel): Html {
  const prepared =
    m.organisation !== undefined
      ? safeHtml`Prepared by ${m.organisation} on ${m.prepared} with Tripline.`
      : safeHtml`Prepared on ${m.prepared} with Tripline.`;
  return safeHtml`<h1>Campaign report: ${m.title}</h1>
<p class="meta">Campaign ${m.campaignId} · status ${m.status} · first seen ${m.firstSeen} · last seen ${m.lastSeen}<br>
${prepared}</p>
<section>
<h2>What happened</h2>
<p class="summary">${m.summary} ${m.attributionSentence}</p>
${m.maskedAccounts > 0 ? safeHtml`<p>Accounts are masked as account 1 to account ${m.maskedAccounts} (in order of first sighting); their ids are withheld from this report.</p>\n` : NOTHING}</section>
`;
}

function tagSection(m: ReportModel): Html {
  const rows = [...m.tags, m.totals].map((r) => [r.tag, r.targeted, r.compromised]);
  return safeHtml`<section>
<h2>Targeted and compromised accounts by tag</h2>
${table(['Tag', 'Targeted', 'Compromised'], [false, true, true], rows, (i) => (i === m.tags.length ? 'total' : ''))}${m.tagNote !== undefined ? safeHtml`<p>${m.tagNote}</p>\n` : NOTHING}</section>
`;
}

function timelineSection(m: ReportModel): Html {
  const { timeline } = m;
  const moments = timeline.moments.map((x) => safeHtml`<time>${x.time}</time>: ${x.text}`);
  if (timeline.momentsOmitted > 0) {
    moments.push(safeHtml`… and ${timeline.momentsOmitted} more compromises`);
  }
  const days =
    timeline.basis === 'events'
      ? table(
          ['Day (UTC)', 'Events', 'Accounts targeted', 'Compromises'],
          [false, true, true, true],
          timeline.days.map((d) => [d.day, d.events ?? 0, d.accounts, d.compromises]),
        )
      : safeHtml`<p>Built from each target's first sighting (no events were given).</p>
${table(
  ['Day (UTC)', 'Accounts first targeted', 'Of them later compromised'],
  [false, true, true],
  timeline.days.map((d) => [d.day, d.accounts, d.compromises]),
)}`;
  return safeHtml`<section>
<h2>Timeline</h2>
<p>Key moments (UTC):</p>
${items(moments)}${days}</section>
`;
}

function techniqueSection(m: ReportModel): Html {
  const withEvents = m.techniques.some((t) => t.events !== undefined);
  const body =
    m.techniques.length === 0
      ? safeHtml`<p>No technique was identified.</p>\n`
      : table(
          withEvents ? ['ID', 'Technique', 'Events'] : ['ID', 'Technique'],
          [false, false, true],
          m.techniques.map((t) => [
            t.url !== undefined ? link(t.id, t.url) : t.id,
            t.name,
            ...(withEvents ? [t.events ?? 0] : []),
          ]),
        );
  return safeHtml`<section>
<h2>Techniques (MITRE ATT&amp;CK)</h2>
${body}</section>
`;
}

function infrastructureSection(m: ReportModel): Html {
  const lists =
    m.infrastructure.length === 0
      ? safeHtml`<p>No infrastructure was recorded.</p>\n`
      : m.infrastructure.map(valueList);
  const joined =
    m.joinedBy.length > 0
      ? safeHtml`<h3>Why these events are one campaign</h3>
${items(m.joinedBy.map((j) => safeHtml`shared ${j.link} ${j.value}: ${j.events} events`))}`
      : NOTHING;
  return safeHtml`<section>
<h2>Infrastructure</h2>
${lists}${joined}</section>
`;
}

function attributionSection(m: ReportModel): Html {
  const candidates = m.attribution.map((a) => {
    const facts: Html[] = [];
    if (a.actorId !== undefined) {
      facts.push(
        safeHtml`Knowledge base: ${a.url !== undefined ? link(a.actorId, a.url) : a.actorId}`,
      );
    }
    if (a.aliases.length > 0) facts.push(safeHtml`Also known as: ${a.aliases.join(', ')}`);
    if (a.evidence.length > 0) facts.push(safeHtml`Evidence:\n${items(a.evidence)}`);
    return safeHtml`<h3>${a.actor}: ${a.confidence}% confidence</h3>
${items(facts)}`;
  });
  return safeHtml`<section>
<h2>Attribution</h2>
${m.attribution.length === 0 ? safeHtml`<p>${m.attributionSentence}</p>\n` : candidates}</section>
`;
}

function targetSection(m: ReportModel): Html {
  const body =
    m.targets.length === 0
      ? safeHtml`<p>The campaign lists no targets.</p>\n`
      : table(
          ['Account', 'Tags', 'Compromised', 'First seen', 'Events'],
          [false, false, false, false, true],
          m.targets.map((t) => [
            t.label,
            t.tags.join(', '),
            t.compromised ? 'yes' : 'no',
            t.firstSeen,
            t.events,
          ]),
          (i) => (m.targets[i]?.compromised ? 'compromised' : ''),
        );
  return safeHtml`<section>
<h2>Targets</h2>
${body}</section>
`;
}

function actionSection(m: ReportModel): Html {
  return safeHtml`<section>
<h2>Recommended actions</h2>
${m.actions.map((g) => safeHtml`<h3>${g.title}</h3>\n${items(g.items)}`)}</section>
`;
}

function noteSection(m: ReportModel): Html {
  if (m.notes.length === 0) return NOTHING;
  return safeHtml`<section>
<h2>Analyst notes</h2>
${items(m.notes.map((n) => safeHtml`<time>${n.time}</time>, ${n.author}: ${n.text}`))}</section>
`;
}

function footer(m: ReportModel): Html {
  const attack = m.usesAttack
    ? safeHtml`<p>Technique and group names and ids are from MITRE ATT&amp;CK®. © The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.</p>\n`
    : NOTHING;
  return safeHtml`<footer>
${attack}<p>Generated by Tripline.</p>
</footer>
`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#57606a}
.summary{font-size:1.1rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.n{text-align:right;font-variant-numeric:tabular-nums}
tr.compromised td{background:#ffebe9}
tr.total td{font-weight:600}
.values li{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;overflow-wrap:anywhere}
footer{margin-top:2rem;color:#57606a;font-size:.85rem}
`;

/** Renders the model. */
export function renderHtml(m: ReportModel): string {
  const body = [
    header(m),
    tagSection(m),
    timelineSection(m),
    techniqueSection(m),
    infrastructureSection(m),
    attributionSection(m),
    targetSection(m),
    actionSection(m),
    noteSection(m),
    footer(m),
  ];
  return safeHtml`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Campaign report: ${m.title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
${body}</body>
</html>
`.text;
}
