/**
 * Attribution of a campaign to known actors (docs/ATTRIBUTION.md): vendor
 * names resolved through the real knowledge base, ambiguous and unknown
 * names, the cap on technique-only attribution, rarity and parent-level
 * credit on small made-up knowledge bases, targeting as a boost only, and a
 * deterministic order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Attribution, Campaign } from '../src/domain/campaign.js';
import { TECHNIQUE } from '../src/correlate/technique-map.js';
import { ACTOR_DATA_FORMAT, parseAttackTechniques } from '../src/intel/actor-data.js';
import type { ActorDataEntry } from '../src/intel/actor-data.js';
import { ActorKnowledgeBase } from '../src/intel/actor-knowledge-base.js';
import {
  ATTRIBUTION_SCORING,
  attributeCampaign,
  attributionLabel,
  isWeakAttribution,
} from '../src/intel/attribution.js';
import type { IndicatorSighting } from '../src/intel/attribution.js';
import { nameKey } from '../src/intel/name-key.js';
import { targetKindOfTag } from '../src/intel/target-kinds.js';
import { TechniqueRarity } from '../src/intel/technique-rarity.js';
import { apt35Campaign } from './helpers/apt35-campaign.js';

const kb = ActorKnowledgeBase.load();
const CAP = ATTRIBUTION_SCORING.withoutIndicatorsMax;
const ALL = { maxCandidates: 1_000, minConfidence: 0 } as const;

/** The APT35-like fixture: T1586.002, T1110.003, T1114.003 against staff, journalists, officials, diaspora. */
const apt35 = apt35Campaign({
  account: (i) => `u-${i}`,
  eventId: (i, _account, step) => `evt-${i}-${step}`,
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/76.0.3809.132',
  evidence: [],
}).campaign;

/** A campaign with only what a test sets. */
function campaign(techniques: readonly string[], byTag: Record<string, number> = {}): Campaign {
  return {
    ...apt35,
    targets: [],
    by_tag: byTag,
    techniques: techniques.map((id) => ({ id, name: kb.techniqueName(id) ?? id })),
    attribution: [],
  };
}
const EMPTY = campaign([]);

function sighting(actor: string | undefined, more: Partial<IndicatorSighting> = {}) {
  return {
    type: 'ip',
    value: '203.0.113.7',
    source: 'ACME CTI 2026-05',
    actor,
    events: 9,
    accounts: 4,
    ...more,
  } satisfies IndicatorSighting;
}

const byId = (list: readonly Attribution[], id: string) => list.find((a) => a.actor_id === id);
const confidenceOf = (list: readonly Attribution[], id: string) => byId(list, id)?.confidence ?? 0;

// ─── small made-up knowledge bases, with the real ATT&CK technique names ───

const TECHNIQUES = parseAttackTechniques(
  JSON.parse(readFileSync(new URL('../data/attack-techniques.json', import.meta.url), 'utf8')),
  'data/attack-techniques.json',
);
function group(n: number, techniques: readonly string[], more: Partial<ActorDataEntry> = {}) {
  const id = `G${String(n).padStart(4, '0')}`;
  return {
    ref: `attack:${id}`,
    source: 'attack',
    name: `Group ${n}`,
    techniques,
    ...more,
  } as const;
}
/** Groups 90–99 all use Valid Accounts and spearphishing links: the common background. */
const BACKGROUND = Array.from({ length: 10 }, (_, i) =>
  group(90 + i, [TECHNIQUE.validAccounts, 'T1566.002']),
);
function world(groups: readonly ActorDataEntry[]): ActorKnowledgeBase {
  return new ActorKnowledgeBase(
    { format: ACTOR_DATA_FORMAT, generated_by: 'test', sources: [], entries: [...groups] },
    TECHNIQUES,
  );
}

describe('indicators name actors', () => {
  const G0059 = kb.get('G0059')!;
  const everyAlias = [
    G0059.name,
    ...G0059.aliases.map((a) => a.name).filter((n) => n !== G0059.name),
  ];

  const vendorNames = [
    { name: 'CrowdStrike', written: 'Charming Kitten' },
    { name: 'Microsoft, old scheme', written: 'PHOSPHORUS' },
    { name: 'Microsoft, weather scheme', written: 'Mint Sandstorm' },
    { name: 'Proofpoint', written: 'TA453' },
    { name: 'Mandiant', written: 'APT 35' },
    { name: 'Secureworks', written: 'COBALT ILLUSION' },
    { name: 'ATT&CK', written: 'Magic Hound' },
  ];
  for (const { name, written } of vendorNames) {
    test(`${name}: "${written}" is APT35 (G0059) with every alias, first`, () => {
      const got = attributeCampaign(apt35, [sighting(written)], kb);
      assert.equal(got[0]?.actor_id, 'G0059');
      assert.equal(got[0]?.actor, 'APT35');
      assert.deepEqual(got[0]?.aliases, everyAlias);
      assert.ok(got[0]!.confidence >= ATTRIBUTION_SCORING.indicatorFloor);
      for (const other of got.slice(1)) assert.ok(other.confidence < got[0]!.confidence);
    });
  }

  test('aliases: the primary name first, each name once, all four vendor names there', () => {
    const [top] = attributeCampaign(EMPTY, [sighting('TA453')], kb);
    const keys = top!.aliases.map(nameKey);
    assert.equal(top!.aliases[0], 'APT35');
    assert.equal(new Set(keys).size, keys.length);
    for (const name of ['Charming Kitten', 'Phosphorus', 'Mint Sandstorm', 'TA453'])
      assert.ok(top!.aliases.includes(name), name);
  });

  test('names from four vendor schemes in four feeds make one candidate with four lines', () => {
    const sightings = [
      sighting('Charming Kitten', { source: 'CrowdStrike feed' }),
      sighting('PHOSPHORUS', { source: 'MSTIC blog', type: 'email', value: 'drop@evil.example' }),
      sighting('Mint Sandstorm', { source: 'Defender TI', type: 'domain', value: 'evil.example' }),
      sighting('TA453', { source: 'Proofpoint ET', type: 'ip', value: '198.51.100.23' }),
    ];
    const got = attributeCampaign(EMPTY, sightings, kb, ALL);
    assert.deepEqual(
      got.map((a) => a.actor_id),
      ['G0059'],
    );
    assert.equal(got[0]!.evidence.length, 4);
    for (const line of got[0]!.evidence) assert.match(line, /^1 indicator from "[^"]+" names /);
  });

  test('the evidence line names the source, the name as written, the values and counts', () => {
    const got = attributeCampaign(
      EMPTY,
      [
        sighting('Charming Kitten', { events: 9, accounts: 5 }),
        sighting('Charming Kitten', { value: '203.0.113.0/24', events: 20, accounts: 12 }),
        sighting('charming kitten', {
          type: 'email',
          value: 'Recovery.Desk@mail-verify.example',
          events: 6,
          accounts: 3,
        }),
      ],
      kb,
    );
    assert.deepEqual(got[0]!.evidence, [
      '3 indicators from "ACME CTI 2026-05" name Charming Kitten (= APT35): ' +
        'recovery.desk@mail-verify.example, 203.0.113.7, 203.0.113.0/24 (35 events, 12 accounts)',
    ]);
  });

  const strengths = [
    { name: 'one ASN', sightings: [sighting('TA453', { type: 'asn', value: 'AS64500' })] },
    { name: 'one /24 network', sightings: [sighting('TA453', { value: '203.0.113.0/24' })] },
    { name: 'one address', sightings: [sighting('TA453')] },
    {
      name: 'an address and a drop address',
      sightings: [
        sighting('TA453'),
        sighting('TA453', { type: 'email', value: 'drop@evil.example' }),
      ],
    },
    {
      name: 'the same two, reaching 12 accounts',
      sightings: [
        sighting('TA453', { accounts: 12 }),
        sighting('TA453', { type: 'email', value: 'drop@evil.example', accounts: 12 }),
      ],
    },
  ];
  test('indicator evidence grows with the kind, the number of indicators and their reach', () => {
    const got = strengths.map((c) => ({
      name: c.name,
      confidence: attributeCampaign(EMPTY, c.sightings, kb)[0]!.confidence,
    }));
    for (let i = 1; i < got.length; i++)
      assert.ok(
        got[i]!.confidence > got[i - 1]!.confidence,
        `${got[i]!.name} > ${got[i - 1]!.name}`,
      );
    assert.ok(got.at(-1)!.confidence < 1);
  });

  test('one indicator counts once, however many feeds name it', () => {
    const once = attributeCampaign(EMPTY, [sighting('TA453')], kb);
    const twice = attributeCampaign(
      EMPTY,
      [sighting('TA453'), sighting('Charming Kitten', { source: 'Other feed' })],
      kb,
    );
    assert.equal(twice[0]!.confidence, once[0]!.confidence);
    assert.equal(twice[0]!.evidence.length, 2);
  });

  test('an actor named by an indicator on a twentieth of the targets outranks the best technique-only candidate', () => {
    const small = world([
      group(1, [TECHNIQUE.mfaRequestGeneration, TECHNIQUE.deviceRegistration, TECHNIQUE.modifyMfa]),
      group(2, ['T1566.002']),
      ...BACKGROUND,
    ]);
    const c = campaign([
      TECHNIQUE.mfaRequestGeneration,
      TECHNIQUE.deviceRegistration,
      TECHNIQUE.modifyMfa,
    ]);
    assert.equal(c.targeted_count, 30);
    const weakest = sighting('Group 2', { type: 'asn', value: '64500', events: 2, accounts: 2 });
    const got = attributeCampaign(c, [weakest], small, ALL);
    assert.deepEqual(
      got.map((a) => a.actor_id),
      ['G0002', 'G0001'],
    );
    assert.ok(got[0]!.confidence >= ATTRIBUTION_SCORING.indicatorFloor);
  });

  /** The test campaign with `n` targets (only the count matters here). */
  const ofSize = (n: number): Campaign => ({ ...campaign(['T1110.003']), targeted_count: n });

  test("an actor's address on 4 of a spray's 1,200 targets is a fragment: a lead, not the author", () => {
    const got = attributeCampaign(ofSize(1200), [sighting('Mint Sandstorm')], kb);
    const apt35 = byId(got, 'G0059')!;
    assert.ok(apt35.confidence < ATTRIBUTION_SCORING.indicatorFloor, `${apt35.confidence}`);
    assert.ok(isWeakAttribution(apt35));
    assert.match(attributionLabel(got), /^unattributed \(closest: APT35, \d+%\)$/);
    assert.match(
      attributionLabel([
        { actor: 'APT28', aliases: [], confidence: 0.19, evidence: ['technique overlap 2/3'] },
      ]),
      /^unattributed \(closest by technique: APT28, 19%\)$/,
    );
    assert.ok(
      apt35.evidence.includes(
        "the indicators reach 4 of the campaign's 1200 targets (0.3%), under 5%: " +
          'a fragment of the campaign, counted at 26% of their weight',
      ),
      apt35.evidence.join('\n'),
    );
  });

  test('the same address on 4 of 40 targets keeps its full weight', () => {
    const small = attributeCampaign(ofSize(40), [sighting('Mint Sandstorm')], kb);
    const alone = attributeCampaign(
      { ...ofSize(40), targeted_count: 0 },
      [sighting('Mint Sandstorm')],
      kb,
    );
    assert.equal(confidenceOf(small, 'G0059'), confidenceOf(alone, 'G0059'));
    assert.ok(confidenceOf(small, 'G0059') >= ATTRIBUTION_SCORING.indicatorFloor);
    assert.ok(!byId(small, 'G0059')!.evidence.some((l) => l.startsWith('the indicators reach')));
  });

  test("an actor's many addresses, each on a few of a large campaign's targets, add up to its share", () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      sighting('Mint Sandstorm', { value: `203.0.113.${i + 1}`, accounts: 5 }),
    );
    const got = attributeCampaign(ofSize(1200), many, kb);
    assert.ok(confidenceOf(got, 'G0059') >= ATTRIBUTION_SCORING.indicatorFloor);
    assert.ok(!byId(got, 'G0059')!.evidence.some((l) => l.startsWith('the indicators reach')));
    // Half as many addresses: 30 of 1,200 targets, 2.5%, under the share.
    const half = attributeCampaign(ofSize(1200), many.slice(0, 6), kb);
    assert.ok(confidenceOf(half, 'G0059') < confidenceOf(got, 'G0059'));
  });
});

describe('names that do not resolve to one actor', () => {
  const ambiguous = kb.resolve('Stardust Chollima');
  test('the test name is ambiguous in the knowledge base', () => {
    assert.equal(ambiguous.kind, 'ambiguous');
  });

  const cases = [
    { name: 'an ambiguous name alone', campaign: EMPTY, want: [] },
    { name: 'an ambiguous name on the APT35 fixture', campaign: apt35, want: undefined },
  ];
  for (const c of cases) {
    test(`${c.name} gives evidence to no one`, () => {
      const got = attributeCampaign(c.campaign, [sighting('Stardust Chollima')], kb, ALL);
      if (c.want) assert.deepEqual(got, c.want);
      for (const a of got) {
        assert.ok(a.confidence <= CAP, `${a.actor} ${a.confidence}`);
        assert.ok(!a.evidence.some((e) => e.includes('Stardust')), a.actor);
      }
    });
  }

  const unknown = [
    { name: 'a name the knowledge base lacks', written: 'Yellow Garuda', nearest: undefined },
    {
      name: 'a name a typo away from Mint Sandstorm',
      written: 'Mint Sandstone',
      nearest: 'Mint Sandstorm (APT35)',
    },
  ];
  for (const u of unknown) {
    test(`${u.name} becomes a candidate of its own, as written`, () => {
      const got = attributeCampaign(EMPTY, [sighting(u.written)], kb);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.actor, u.written);
      assert.deepEqual(got[0]!.aliases, []);
      assert.ok(!('actor_id' in got[0]!));
      assert.ok(got[0]!.confidence >= ATTRIBUTION_SCORING.indicatorFloor);
      const note = got[0]!.evidence.at(-1)!;
      assert.ok(note.startsWith(`the knowledge base does not know "${u.written}"`), note);
      if (u.nearest) assert.ok(note.includes(u.nearest), note);
    });
  }

  test('sightings without an actor name, or that matched no event, attribute nothing', () => {
    const got = attributeCampaign(
      EMPTY,
      [sighting(undefined), sighting('  '), sighting('TA453', { events: 0, accounts: 0 })],
      kb,
      ALL,
    );
    assert.deepEqual(got, []);
  });
});

describe('techniques', () => {
  const observable = Object.values(TECHNIQUE);
  const techniqueOnly = [
    { name: 'the APT35 fixture', campaign: apt35, kb },
    { name: 'every technique Tripline can observe', campaign: campaign(observable), kb },
    {
      name: 'every observable technique against staff, journalists, officials and NGOs',
      campaign: campaign(observable, {
        'campaign-staff': 10,
        journalist: 10,
        official: 10,
        ngo: 10,
      }),
      kb,
    },
    {
      name: 'a made-up actor whose profile is exactly the campaign, targeting its targets',
      campaign: campaign([TECHNIQUE.mfaRequestGeneration, TECHNIQUE.modifyMfa], { journalist: 5 }),
      kb: world([
        group(1, [TECHNIQUE.mfaRequestGeneration, TECHNIQUE.modifyMfa], {
          sectors: ['Journalist'],
        }),
        ...BACKGROUND,
      ]),
    },
  ];
  for (const c of techniqueOnly) {
    test(`technique-only attribution stays at most ${CAP}: ${c.name}`, () => {
      const got = attributeCampaign(c.campaign, [], c.kb, ALL);
      assert.ok(got.length > 0);
      for (const a of got) assert.ok(a.confidence <= CAP, `${a.actor} ${a.confidence}`);
    });
  }

  const comparisons = [
    {
      name: 'a rare technique outweighs a common one',
      groups: [group(1, [TECHNIQUE.mfaRequestGeneration]), group(2, [TECHNIQUE.validAccounts])],
      techniques: [TECHNIQUE.mfaRequestGeneration, TECHNIQUE.validAccounts],
      order: ['G0001', 'G0002'],
    },
    {
      name: 'same sub-technique > the parent listed > a sibling sub-technique > nothing',
      groups: [
        group(1, [TECHNIQUE.passwordSpraying]),
        group(2, [TECHNIQUE.bruteForce]),
        group(3, [TECHNIQUE.passwordGuessing]),
        group(4, ['T1566.002']),
      ],
      techniques: [TECHNIQUE.passwordSpraying],
      order: ['G0001', 'G0002', 'G0003'],
    },
    {
      name: 'the parent observed gives partial credit to an actor listing a sub-technique',
      groups: [group(1, [TECHNIQUE.bruteForce]), group(2, [TECHNIQUE.passwordSpraying])],
      techniques: [TECHNIQUE.bruteForce],
      order: ['G0001', 'G0002'],
    },
    {
      name: 'more of the observed techniques matched ranks higher',
      groups: [
        group(1, [TECHNIQUE.deviceRegistration, TECHNIQUE.emailForwardingRule]),
        group(2, [TECHNIQUE.deviceRegistration]),
      ],
      techniques: [TECHNIQUE.deviceRegistration, TECHNIQUE.emailForwardingRule],
      order: ['G0001', 'G0002'],
    },
  ];
  for (const c of comparisons) {
    test(c.name, () => {
      const got = attributeCampaign(
        campaign(c.techniques),
        [],
        world([...c.groups, ...BACKGROUND]),
        ALL,
      );
      // The last one may have too little to be listed at all: confidence 0.
      const ranked = got.map((a) => a.actor_id).filter((id) => c.order.includes(id!));
      assert.deepEqual(ranked, c.order.slice(0, ranked.length));
      assert.ok(ranked.length >= c.order.length - 1);
      for (let i = 1; i < c.order.length; i++)
        assert.ok(confidenceOf(got, c.order[i - 1]!) > confidenceOf(got, c.order[i]!), c.order[i]);
    });
  }

  test('partial matches say so in the evidence', () => {
    const small = world([
      group(1, [TECHNIQUE.bruteForce]),
      group(3, [TECHNIQUE.passwordGuessing]),
      ...BACKGROUND,
    ]);
    const got = attributeCampaign(campaign([TECHNIQUE.passwordSpraying]), [], small, ALL);
    assert.deepEqual(byId(got, 'G0001')!.evidence, [
      'technique overlap 1/1, weighted 0.50: T1110.003 Brute Force: Password Spraying ' +
        '(partial: Group 1 lists the parent T1110 Brute Force)',
    ]);
    assert.match(
      byId(got, 'G0003')!.evidence[0]!,
      /\(partial: Group 3 lists T1110\.001, not this sub-technique\)$/,
    );
  });

  test('the APT35 fixture: APT35 earns T1586.002 and, at the parent level, T1114.003', () => {
    const got = attributeCampaign(apt35, [], kb, ALL);
    const line = byId(got, 'G0059')!.evidence[0]!;
    assert.match(line, /^technique overlap 2\/3, weighted 0\.\d\d: T1586\.002 /);
    assert.match(
      line,
      /T1114\.003 Email Collection: Email Forwarding Rule \(partial: APT35 lists the parent T1114 /,
    );
  });

  test('rarity is counted over the actors with a technique profile, once per knowledge base', () => {
    const rarity = TechniqueRarity.of(kb);
    assert.equal(TechniqueRarity.of(kb), rarity);
    assert.equal(rarity.profiled, kb.all().filter((a) => a.techniques.length > 0).length);
    const small = world([group(1, [TECHNIQUE.modifyMfa]), ...BACKGROUND]);
    const r = TechniqueRarity.of(small);
    assert.deepEqual(
      [r.weight(TECHNIQUE.modifyMfa), r.weight(TECHNIQUE.validAccounts), r.weight('T1566.002')],
      [1, Math.log(11 / 10) / Math.log(11), Math.log(11 / 10) / Math.log(11)],
    );
    assert.notEqual(TechniqueRarity.of(small), rarity);
  });
});

describe('targeting', () => {
  const small = world([
    group(1, [TECHNIQUE.emailForwardingRule], { sectors: ['Journalist', 'Civil society'] }),
    group(2, [TECHNIQUE.emailForwardingRule], { categories: ['Energy'] }),
    ...BACKGROUND,
  ]);
  const techniques = [TECHNIQUE.emailForwardingRule];

  test('targeting alone makes no candidate', () => {
    assert.deepEqual(attributeCampaign(campaign([], { journalist: 30 }), [], small, ALL), []);
    assert.deepEqual(
      attributeCampaign(campaign([], { journalist: 30, official: 4 }), [], kb, ALL),
      [],
    );
  });

  const cases: readonly {
    name: string;
    tags: Record<string, number>;
    boosted: readonly string[];
  }[] = [
    { name: 'no tags', tags: {}, boosted: [] },
    { name: 'journalists', tags: { journalist: 12 }, boosted: ['G0001'] },
    {
      name: 'diaspora and energy staff',
      tags: { diaspora: 3, energy: 3 },
      boosted: ['G0001', 'G0002'],
    },
    { name: 'tags that say nothing', tags: { general: 40, vip: 2 }, boosted: [] },
  ];
  const base = attributeCampaign(campaign(techniques), [], small, ALL);
  for (const c of cases) {
    test(`a small boost for actors known to target them: ${c.name}`, () => {
      const got = attributeCampaign(campaign(techniques, c.tags), [], small, ALL);
      for (const id of ['G0001', 'G0002']) {
        const gain = confidenceOf(got, id) - confidenceOf(base, id);
        if (c.boosted.includes(id))
          assert.ok(gain > 0 && gain <= ATTRIBUTION_SCORING.targetingMax + 0.01, `${id} ${gain}`);
        else assert.equal(gain, 0, id);
        assert.ok(confidenceOf(got, id) <= CAP);
      }
    });
  }

  const tags = [
    { tag: 'journalist', want: 'media' },
    { tag: 'Journalists', want: 'media' },
    { tag: 'campaign-staff', want: 'political' },
    { tag: 'Campaign Staff', want: 'political' },
    { tag: 'official', want: 'government' },
    { tag: 'government', want: 'government' },
    { tag: 'diaspora', want: 'civil-society' },
    { tag: 'NGO', want: 'civil-society' },
    { tag: 'diplomat', want: 'diplomatic' },
    { tag: 'general', want: undefined },
    { tag: 'vip', want: undefined },
  ];
  for (const { tag, want } of tags) {
    test(`tag "${tag}" is ${want ?? 'no kind'}`, () => assert.equal(targetKindOfTag(tag), want));
  }
});

describe('order and limits', () => {
  const sightings = [
    sighting('Charming Kitten'),
    sighting('Yellow Garuda', { type: 'email', value: 'x@y.example' }),
    sighting('Fancy Bear', { type: 'asn', value: '64500' }),
    sighting('TA453', { type: 'url', value: 'https://evil.example/login' }),
  ];
  test('the same list whatever the order of the sightings', () => {
    const want = attributeCampaign(apt35, sightings, kb, ALL);
    assert.deepEqual(attributeCampaign(apt35, [...sightings].reverse(), kb, ALL), want);
    assert.deepEqual(
      attributeCampaign(apt35, [...sightings.slice(2), ...sightings.slice(0, 2)], kb, ALL),
      want,
    );
    for (let i = 1; i < want.length; i++) assert.ok(want[i]!.confidence <= want[i - 1]!.confidence);
  });

  test('equal confidence: by actor id', () => {
    const small = world([
      group(7, [TECHNIQUE.modifyMfa]),
      group(3, [TECHNIQUE.modifyMfa]),
      ...BACKGROUND,
    ]);
    const got = attributeCampaign(campaign([TECHNIQUE.modifyMfa]), [], small, ALL);
    assert.deepEqual(
      got.map((a) => a.actor_id),
      ['G0003', 'G0007'],
    );
    assert.equal(got[0]!.confidence, got[1]!.confidence);
  });

  const limits = [
    { name: 'an empty campaign', campaign: EMPTY, sightings: [], options: ALL, want: 0 },
    {
      name: 'no candidates asked for',
      campaign: apt35,
      sightings,
      options: { maxCandidates: 0 },
      want: 0,
    },
    { name: 'the default: three', campaign: apt35, sightings, options: {}, want: 3 },
  ];
  for (const c of limits) {
    test(`${c.name} → ${c.want} candidates`, () => {
      const got = attributeCampaign(c.campaign, c.sightings, kb, c.options);
      assert.equal(got.length, c.want);
    });
  }

  const thresholds = [0.1, 0.5, 0.8];
  for (const min of thresholds) {
    test(`minConfidence ${min} keeps exactly the candidates at or above it`, () => {
      const all = attributeCampaign(apt35, sightings, kb, ALL);
      const got = attributeCampaign(apt35, sightings, kb, {
        maxCandidates: 100,
        minConfidence: min,
      });
      assert.deepEqual(
        got,
        all.filter((a) => a.confidence >= min),
      );
      assert.ok(got.length > 0 && got.length < all.length);
    });
  }

  test('under 5 ms a campaign once the knowledge base is indexed', () => {
    attributeCampaign(apt35, sightings, kb);
    const runs = 50;
    const start = performance.now();
    for (let i = 0; i < runs; i++) attributeCampaign(apt35, sightings, kb);
    const each = (performance.now() - start) / runs;
    assert.ok(each < 5, `${each.toFixed(2)} ms`);
  });
});
