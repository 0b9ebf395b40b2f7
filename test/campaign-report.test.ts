/**
 * Disclosure-style campaign reports (Markdown and HTML): the key sentences,
 * counts by tag, timeline, masking of accounts, escaping of hostile values,
 * and recommended actions that follow from what the campaign did.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Campaign, CampaignEvent } from '../src/domain/campaign.js';
import { campaignHtml, campaignMarkdown } from '../src/report/campaign-report.js';
import type { CampaignReportInput } from '../src/report/campaign-report.js';
import { escapeMarkdown } from '../src/report/campaign-report-markdown.js';
import { apt35Campaign, iso, NOW, T0 } from './helpers/apt35-campaign.js';

// ─── fixture: an APT35-like recovery-abuse campaign (test/helpers) ─────────

/** Account ids that look like what directories hold: e-mail addresses. */
const account = (i: number) => `staff${String(i + 1).padStart(2, '0')}@campaign.example`;
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'] as const;

const apt35 = () =>
  apt35Campaign({
    account,
    eventId: (i, _account, step) => `evt-${i}-${step}`,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/76.0.3809.132',
    evidence: [
      '9 of 12 source addresses in ranges reported for APT35',
      `recovery through the backup mailbox of ${account(2)}, itself reset from 203.0.113.7 two hours earlier`,
    ],
    extra: {
      joined_by: [
        { link: 'network', value: '203.0.113.0/24', events: 40 },
        { link: 'account', value: account(2), events: 5 },
      ],
      notes: [
        {
          time: '2019-08-28T10:00:00.000Z',
          author: 'analyst@mail.example',
          text: `Called the holder of ${account(13)}; forwarding rule removed.`,
        },
      ],
    },
  });

const input = (extra: Partial<CampaignReportInput> = {}): CampaignReportInput => {
  const { campaign, events } = apt35();
  return { campaign, events, organisation: 'Example Mail Security', now: NOW, ...extra };
};

/** The text of a Markdown section, from its `## heading` to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `section ${heading}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

// ─── content ───────────────────────────────────────────────────────────────

test('markdown: title, the one-sentence summary and the attribution sentence', () => {
  const md = campaignMarkdown(input());
  const lines = md.split('\n');
  assert.equal(lines[0], '# Campaign report: Recovery abuse against campaign staff, August 2019');
  assert.equal(
    lines[2],
    'Campaign cmp-7 · status active · first seen 2019-08-01 06:12 UTC · last seen 2019-08-27 20:14 UTC  ',
  );
  assert.equal(
    lines[3],
    'Prepared by Example Mail Security on 2019-09-02 09:00 UTC with Tripline.',
  );
  assert.ok(
    md.includes(
      'One actor tried 30 accounts over 27 days from 12 addresses in 3 networks and got into 3. ' +
        'Tripline attributes the campaign to APT35 (also known as Charming Kitten, Phosphorus, Mint Sandstorm, TA453) with 72% confidence.',
    ),
  );
});

test('summary sentence: singular, one day, no addresses, no compromise, no attribution', () => {
  const { campaign } = apt35();
  const small: Campaign = {
    ...campaign,
    first_seen: '2019-08-01T06:00:00.000Z',
    last_seen: '2019-08-01T23:00:00.000Z',
    targeted_count: 1,
    compromised_count: 0,
    targets: [{ ...campaign.targets[0]!, compromised: false }],
    by_tag: {},
    infrastructure: { ips: [], asns: [], user_agents: [] },
    attribution: [],
  };
  const md = campaignMarkdown({ campaign: small, now: NOW });
  assert.ok(
    md.includes(
      'One actor tried 1 account in one day and did not get in. Tripline has not attributed the campaign to a known actor.',
    ),
    md,
  );
  const one = campaignMarkdown({
    campaign: { ...small, infrastructure: { ips: ['2001:db8::1'], asns: [], user_agents: [] } },
    now: NOW,
  });
  assert.ok(one.includes('from 1 address in 1 network and did not get in.'));
});

test('a technique-only candidate is a lead, not an attribution, in the sentence and the actions', () => {
  const { campaign } = apt35();
  const weak: Campaign = {
    ...campaign,
    attribution: [
      { actor: 'APT28', aliases: ['APT28'], confidence: 0.19, evidence: ['technique overlap'] },
      { actor: 'Kimsuky', aliases: ['Kimsuky'], confidence: 0.12, evidence: [] },
    ],
  };
  const md = campaignMarkdown({ campaign: weak, now: NOW });
  assert.ok(
    md.includes(
      'Tripline has not attributed the campaign to a known actor: no indicator names one. By techniques and targeting alone the closest are APT28 (19%), Kimsuky (12%) — a lead to check, not an attribution.',
    ),
    md,
  );
  assert.ok(!md.includes('APT28 singled them out'), 'actions do not name a weak candidate');
});

test('an actor whose indicators reach a fragment of the campaign is a lead, and the sentence says why', () => {
  const { campaign } = apt35();
  const fragment: Campaign = {
    ...campaign,
    attribution: [
      {
        actor: 'APT35',
        aliases: ['APT35'],
        confidence: 0.27,
        evidence: [
          '1 indicator from "ACME" names Mint Sandstorm (= APT35): 192.0.2.7 (8 events, 4 accounts)',
          "the indicators reach 4 of the campaign's 1200 targets (0.3%), under 5%: a fragment of the campaign, counted at 26% of their weight",
        ],
      },
    ],
  };
  const md = campaignMarkdown({ campaign: fragment, now: NOW });
  assert.ok(
    md.includes(
      'Tripline has not attributed the campaign to a known actor: the only indicators naming one reach a small fragment of it. The closest is APT35 (27%) — a lead to check, not an attribution.',
    ),
    md,
  );
});

test('counts by tag: targeted from by_tag, compromised from the targets, with totals', () => {
  const tags = section(campaignMarkdown(input()), 'Targeted and compromised accounts by tag');
  assert.ok(
    tags.includes(
      [
        '| Tag | Targeted | Compromised |',
        '| --- | ---: | ---: |',
        '| campaign-staff | 12 | 1 |',
        '| journalist | 8 | 1 |',
        '| official | 6 | 1 |',
        '| diaspora | 4 | 0 |',
        '| **All accounts** | 30 | 3 |',
      ].join('\n'),
    ),
    tags,
  );
  const { campaign } = apt35();
  const paged = campaignMarkdown({
    campaign: { ...campaign, targets: campaign.targets.slice(0, 20), targeted_count: 241 },
    now: NOW,
  });
  assert.ok(
    paged.includes(
      'The target list holds 20 of the 241 targeted accounts; compromised counts per tag come from that list.',
    ),
  );
});

test('timeline from events: a row per day, first event, each compromise, last event', () => {
  const timeline = section(campaignMarkdown(input()), 'Timeline');
  assert.ok(timeline.includes('| Day (UTC) | Events | Accounts targeted | Compromises |'));
  assert.ok(timeline.includes('| 2019-08-01 | 3 | 1 | 0 |'), timeline);
  assert.ok(timeline.includes('| 2019-08-03 | 5 | 1 | 1 |'), timeline);
  const moments = timeline.split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(moments, [
    '- 2019-08-01 06:12 UTC: First event: signin (failure) against account 1 from 203.0.113.7.',
    '- 2019-08-03 02:15 UTC: Compromise of account 3: password.reset.completed (success) from 203.0.113.200.',
    '- 2019-08-13 04:15 UTC: Compromise of account 14: password.reset.completed (success) from 203.0.113.101.',
    '- 2019-08-20 12:15 UTC: Compromise of account 22: password.reset.completed (success) from 203.0.113.7.',
    '- 2019-08-27 20:14 UTC: Last event: recovery.challenge (failure) against account 30 from 198.51.100.24.',
  ]);
});

test('timeline without events: from the targets first sightings', () => {
  const timeline = section(campaignMarkdown(input({ events: undefined })), 'Timeline');
  assert.ok(timeline.includes("Built from each target's first sighting (no events were given)."));
  assert.ok(
    timeline.includes('| Day (UTC) | Accounts first targeted | Of them later compromised |'),
  );
  assert.ok(timeline.includes('| 2019-08-03 | 1 | 1 |'), timeline);
  assert.ok(timeline.includes('- 2019-08-01 06:12 UTC: Campaign first seen.'));
  assert.ok(
    timeline.includes('- 2019-08-03 02:12 UTC: First sighting of account 3, later compromised.'),
  );
});

test('techniques link to ATT&CK, infrastructure is listed and truncated beyond 50', () => {
  const md = campaignMarkdown(input());
  assert.ok(
    md.includes(
      '| [T1110.003](https://attack.mitre.org/techniques/T1110/003/) | Brute Force: Password Spraying | 30 |',
    ),
  );
  assert.ok(md.includes('### IP addresses (12)\n\n- 203.0.113.7 (8 events)\n'));
  assert.ok(md.includes('### Autonomous systems (2)\n\n- AS64500\n- AS64511\n'));
  assert.ok(md.includes('- Knowledge base: [G0059](https://attack.mitre.org/groups/G0059/)'));
  assert.ok(md.includes('Technique and group names and ids are from MITRE ATT&CK®.'));

  const { campaign } = apt35();
  const many = Array.from({ length: 75 }, (_, i) => `198.18.${i >> 8}.${i & 255}`);
  const big = campaignMarkdown({
    campaign: { ...campaign, infrastructure: { ...campaign.infrastructure, ips: many } },
    now: NOW,
  });
  const ips = big.slice(big.indexOf('### IP addresses (75)'), big.indexOf('### Networks'));
  assert.equal(ips.split('\n').filter((l) => l.startsWith('- 198.18.')).length, 50);
  assert.ok(ips.includes('- … and 25 more'));
});

// ─── masking ───────────────────────────────────────────────────────────────

test('masked by default: no account id anywhere, account 1…N in order of first sighting', () => {
  const { campaign } = apt35();
  for (const render of [campaignMarkdown, campaignHtml]) {
    const out = render(input());
    for (const t of campaign.targets)
      assert.ok(!out.includes(t.account_id), `${t.account_id} leaked`);
    assert.ok(out.includes('account 3'));
  }
  const md = campaignMarkdown(input());
  assert.ok(md.includes('| account 3 | campaign-staff | **yes** | 2019-08-03 02:12 UTC | 5 |'));
  // Ids inside free text (evidence, notes, join reasons) are replaced by the same labels.
  assert.ok(md.includes('recovery through the backup mailbox of account 3, itself reset'));
  assert.ok(md.includes('Called the holder of account 14; forwarding rule removed.'));
  assert.ok(md.includes('- shared account account 3: 5 events'));
  assert.ok(md.includes('Accounts are masked as account 1 to account 30'));
});

test('anonymiseTargets: false shows the account ids', () => {
  const md = campaignMarkdown(input({ anonymiseTargets: false }));
  assert.ok(
    md.includes(
      '| staff03@campaign.example | campaign-staff | **yes** | 2019-08-03 02:12 UTC | 5 |',
    ),
  );
  assert.ok(!md.includes('account 3'));
  assert.ok(!md.includes('Accounts are masked'));
});

// ─── escaping ──────────────────────────────────────────────────────────────

function hostile(): CampaignReportInput {
  const { campaign, events } = apt35();
  return {
    campaign: {
      ...campaign,
      name: `${XSS[0]} ${XSS[1]} | \`code\` [x](javascript:alert(1))`,
      infrastructure: {
        ...campaign.infrastructure,
        user_agents: [...XSS, 'a|b `c`', '# not a heading'],
      },
      attribution: [{ ...campaign.attribution[0]!, evidence: [XSS[1]], aliases: [XSS[0]] }],
      notes: [{ time: NOW, author: XSS[0], text: XSS[1] }],
      targets: campaign.targets.map((t, i) =>
        i === 0 ? { ...t, tags: ['</td><script>x()</script>'] } : t,
      ),
    },
    events,
    organisation: XSS[1],
    now: NOW,
    anonymiseTargets: false,
  };
}

test('html: one self-contained file, no script, no external request, every value escaped', () => {
  const out = campaignHtml(hostile());
  assert.ok(out.startsWith('<!doctype html>'));
  assert.ok(!/<script/i.test(out), 'no script element');
  assert.ok(!/<img/i.test(out), 'no img element');
  assert.ok(!/\son\w+=/i.test(out.replace(/&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/g, '')));
  assert.ok(!/<link|<iframe|<object|<embed|src=["']?http|url\(/i.test(out));
  assert.ok(
    out.includes("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""),
  );
  assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(out.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(
    out.includes('<title>Campaign report: &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img'),
  );
  assert.ok(out.includes('&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt;'));
  // The only hrefs are the ATT&CK links built from validated ids.
  const hrefs = [...out.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(hrefs.length > 0);
  for (const href of hrefs)
    assert.match(href!, /^https:\/\/attack\.mitre\.org\/(techniques|groups)\//);
});

test('markdown: values cannot open HTML, links or code, start blocks, or break tables', () => {
  const out = campaignMarkdown(hostile());
  // No `<` is left unescaped, so no HTML tag or autolink can open.
  assert.deepEqual(out.match(/(?<!\\)</g), null);
  // The only links are the ATT&CK ones.
  const links = [...out.matchAll(/(?<!\\)\[[^\]]*\]\(([^)]*)\)/g)].map((m) => m[1]);
  assert.ok(links.length > 0);
  for (const url of links)
    assert.match(url!, /^https:\/\/attack\.mitre\.org\/(techniques|groups)\//);
  assert.ok(out.includes('\\<script\\>alert(1)\\</script\\>'));
  assert.ok(
    out.includes(
      '# Campaign report: \\<script\\>alert(1)\\</script\\> "\\>\\<img src=x onerror=alert(1)\\> \\| \\`code\\` \\[x\\](javascript:alert(1))',
    ),
  );
  assert.ok(out.includes('- a\\|b \\`c\\`'));
  assert.ok(out.includes('- \\# not a heading'));
  // Every table row keeps its column count: escaped pipes do not split cells.
  const targetRows = section(out, 'Targets')
    .split('\n')
    .filter((l) => l.startsWith('|'));
  for (const row of targetRows) {
    assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 5, row);
  }
});

test('escapeMarkdown', () => {
  const cases: { input: string; want: string }[] = [
    { input: 'plain 203.0.113.7', want: 'plain 203.0.113.7' },
    { input: 'a|b', want: 'a\\|b' },
    { input: '`x`', want: '\\`x\\`' },
    { input: '![i](http://x/y.png)', want: '!\\[i\\](http://x/y.png)' },
    { input: '<b>&amp;', want: '\\<b\\>\\&amp;' },
    { input: '*a* _b_ ~~c~~ \\', want: '\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\\\' },
    { input: 'line\nbreak\r\n# heading', want: 'line break # heading' },
    { input: '  - item', want: '\\- item' },
    { input: '1. first', want: '1\\. first' },
    { input: '> quote', want: '\\> quote' },
  ];
  for (const c of cases) assert.equal(escapeMarkdown(c.input), c.want, JSON.stringify(c.input));
});

// ─── recommended actions ───────────────────────────────────────────────────

function actions(report: string): string {
  return section(report, 'Recommended actions');
}

test('recommended actions follow from what happened (recovery abuse, forwarding, spraying)', () => {
  const a = actions(campaignMarkdown(input()));
  assert.ok(
    a.includes('### For the 3 compromised accounts (account 3, account 14 and account 22)'),
  );
  assert.ok(
    a.includes(
      '- Reset the password of account 3, account 14 and account 22 and revoke every session, app password and token issued since 2019-08-01 06:12 UTC.',
    ),
  );
  assert.ok(a.includes('Check the backup mailbox each account recovers through'));
  assert.ok(
    a.includes(
      'Replace security questions and SMS recovery with an authenticator app or a passkey',
    ),
  );
  assert.ok(
    a.includes(
      'Audit inbox rules and forwarding on every targeted mailbox, not only the compromised ones, looking for the drop addresses',
    ),
  );
  assert.ok(a.includes('Require long, unique passwords and rate-limit sign-in'));
  assert.ok(
    a.includes('Warn the 27 accounts targeted but not compromised that APT35 singled them out'),
  );
  assert.ok(
    a.includes(
      'Block or challenge sign-in and account recovery from the 12 IP addresses and 1 network',
    ),
  );
  assert.ok(
    a.includes('Import the STIX 2.1 bundle of this campaign (tripline campaign cmp-7 --stix)'),
  );
  assert.ok(!a.includes('number matching'), 'no MFA fatigue in this campaign');
});

test('recommended actions change with the techniques: MFA fatigue, no compromise, no recovery abuse', () => {
  const { campaign } = apt35();
  const fatigue: Campaign = {
    ...campaign,
    compromised_count: 0,
    targets: campaign.targets.map((t) => ({ ...t, compromised: false })),
    techniques: [{ id: 'T1621', name: 'Multi-Factor Authentication Request Generation' }],
    infrastructure: { ips: [], asns: [], user_agents: [] },
    attribution: [],
  };
  const a = actions(campaignMarkdown({ campaign: fatigue, now: NOW }));
  assert.ok(a.includes('Turn on number matching for push approvals'));
  assert.ok(!a.includes('compromised account'));
  assert.ok(!a.includes('security questions'));
  assert.ok(!a.includes('inbox rules'));
  assert.ok(!a.includes('Block or challenge'));
  assert.ok(
    a.includes('Warn the 30 accounts targeted but not compromised that they were singled out'),
  );

  // Repeated failed MFA challenges in the events count as fatigue even without T1621.
  const pushes: CampaignEvent[] = [0, 1, 2].map((i) => ({
    event_id: `p-${i}`,
    time: iso(T0 + i * 60_000),
    account_id: campaign.targets[0]!.account_id,
    type: 'mfa.challenge',
    outcome: 'failure',
    decision: 'challenge',
    score: 0.6,
    techniques: [],
    compromise: false,
  }));
  const b = actions(
    campaignMarkdown({ campaign: { ...fatigue, techniques: [] }, events: pushes, now: NOW }),
  );
  assert.ok(b.includes('number matching'));
});

test('html carries the same sections and actions', () => {
  const out = campaignHtml(input());
  for (const heading of [
    'What happened',
    'Targeted and compromised accounts by tag',
    'Timeline',
    'Techniques (MITRE ATT&amp;CK)',
    'Infrastructure',
    'Attribution',
    'Targets',
    'Recommended actions',
    'Analyst notes',
  ]) {
    assert.ok(out.includes(`<h2>${heading}</h2>`), heading);
  }
  assert.ok(
    out.includes(
      '<p class="summary">One actor tried 30 accounts over 27 days from 12 addresses in 3 networks and got into 3. Tripline attributes',
    ),
  );
  assert.ok(out.includes('<tr class="compromised"><td>account 3</td>'));
  assert.ok(
    out.includes(
      '<td><a href="https://attack.mitre.org/techniques/T1586/002/" rel="noreferrer">T1586.002</a></td>',
    ),
  );
  assert.ok(out.includes('<li>Replace security questions and SMS recovery'));
});

test('deterministic: the same input gives the same report', () => {
  assert.equal(campaignMarkdown(input()), campaignMarkdown(input()));
  assert.equal(campaignHtml(input()), campaignHtml(input()));
});

test('a time that is not a time is a bug in the caller: RangeError', () => {
  assert.throws(() => campaignMarkdown(input({ now: 'yesterday' })), /not a time: yesterday/);
});
