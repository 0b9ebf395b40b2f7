/**
 * The actor knowledge base: alias resolution on the shipped data (the APT35
 * textbook case), the merge rules on small made-up data, overrides, technique
 * names, the `tripline actors` command, the HTTP routes, and the derivation
 * of the data files from shared intel.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { ActorOverride, ActorResolution } from '../src/domain/actor.js';
import { actorsRoutes } from '../src/api/actors-routes.js';
import { buildServer } from '../src/api/server.js';
import { openTripline } from '../src/app.js';
import type { Tripline } from '../src/app.js';
import { main } from '../src/cli/main.js';
import {
  ACTOR_DATA_FORMAT,
  ATTACK_TECHNIQUES_FORMAT,
  parseActorData,
} from '../src/intel/actor-data.js';
import type { ActorData, ActorDataEntry, AttackTechniquesData } from '../src/intel/actor-data.js';
import { ActorKnowledgeBase, summarize } from '../src/intel/actor-knowledge-base.js';
import { ActorOverrideError, checkOverride } from '../src/intel/actor-overrides.js';
import { editDistance } from '../src/intel/edit-distance.js';
import { nameKey } from '../src/intel/name-key.js';
import { sqliteBackend } from './helpers/backends.js';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED_INTEL = resolve(ROOT, '../shared/intel');
const scratch = mkdtempSync(join(tmpdir(), 'tripline-actors-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const kb = ActorKnowledgeBase.load();

const MISP = {
  apt35: 'misp:b8967b3c-3bc9-11e8-8701-8b1ead8c099e',
  charmingKitten: 'misp:f98bac6b-12fd-4cad-be84-c84666932232',
  ta453: 'misp:c1d44f44-425e-48fd-b78b-84b988da8bc3',
  mintSandstorm: 'misp:400cd1b8-52b7-5a5c-984f-9b4af35ea231',
  cleverKitten: 'misp:d56c99fa-4710-472c-81a6-41b7a84ea4be',
  flyingKitten: 'misp:ba724df5-9aa0-45ca-8e0e-7101c208ae48',
} as const;

function actorOf(r: ActorResolution): Extract<ActorResolution, { kind: 'actor' }> {
  assert.equal(
    r.kind,
    'actor',
    `expected one actor for '${r.query}', got ${JSON.stringify(r).slice(0, 300)}`,
  );
  return r as Extract<ActorResolution, { kind: 'actor' }>;
}

describe('resolution on the shipped data', () => {
  const cases: { name: string; query: string; alias: string; distance: number }[] = [
    { name: 'Microsoft old name', query: 'phosphorus', alias: 'Phosphorus', distance: 0 },
    {
      name: 'CrowdStrike name, two words',
      query: 'charming kitten',
      alias: 'Charming Kitten',
      distance: 0,
    },
    { name: 'spaced', query: 'APT 35', alias: 'APT35', distance: 0 },
    { name: 'hyphenated', query: 'apt-35', alias: 'APT35', distance: 0 },
    { name: 'Proofpoint name', query: 'TA453', alias: 'TA453', distance: 0 },
    {
      name: 'Microsoft weather name',
      query: 'mint sandstorm',
      alias: 'Mint Sandstorm',
      distance: 0,
    },
    { name: 'ATT&CK name', query: 'Magic Hound', alias: 'Magic Hound', distance: 0 },
    { name: 'a letter missing', query: 'charmng kitten', alias: 'Charming Kitten', distance: 1 },
    { name: 'a letter too many', query: 'phosphorous', alias: 'Phosphorus', distance: 1 },
    { name: 'two letters swapped', query: 'Mint Sandstrom', alias: 'Mint Sandstorm', distance: 1 },
    { name: 'revoked ATT&CK id', query: 'G0058', alias: 'G0058', distance: 0 },
    { name: 'ATT&CK id, lower case', query: 'g0059', alias: 'G0059', distance: 0 },
  ];
  for (const { name, query, alias, distance } of cases) {
    test(`${name}: '${query}' is APT35 (G0059)`, () => {
      const r = actorOf(kb.resolve(query));
      assert.equal(r.actor.id, 'G0059');
      assert.equal(r.actor.name, 'APT35');
      assert.equal(r.actor.attack_id, 'G0059');
      assert.deepEqual(r.matched.alias, alias);
      assert.equal(r.matched.distance, distance);
    });
  }

  test('APT35 carries every alias with its provenance and naming scheme', () => {
    const actor = kb.get('G0059')!;
    const alias = (n: string) => {
      const found = actor.aliases.find((a) => a.name === n);
      assert.ok(found, `alias ${n} missing`);
      assert.ok(found.provenance.length > 0, `alias ${n} has no provenance`);
      return found;
    };
    for (const n of [
      'APT35',
      'Charming Kitten',
      'Phosphorus',
      'TA453',
      'Mint Sandstorm',
      'Magic Hound',
    ])
      alias(n);
    assert.deepEqual(alias('Mint Sandstorm').schemes, ['Microsoft']);
    assert.ok(
      alias('Mint Sandstorm').provenance.some(
        (p) =>
          p.source === 'misp-threat-actor' && p.entry === MISP.apt35 && p.scheme === 'Microsoft',
      ),
    );
    assert.deepEqual(alias('TA453').schemes, ['Proofpoint']);
    assert.deepEqual(alias('Charming Kitten').schemes, ['CrowdStrike']);
    assert.deepEqual(alias('Magic Hound').schemes, ['Palo Alto']);
    assert.ok(alias('Magic Hound').provenance.some((p) => p.entry === 'attack:G0059'));
    // Microsoft's galaxy spells it PHOSPHORUS: kept as the entry's spelling.
    assert.ok(
      alias('Phosphorus').provenance.some(
        (p) => p.entry === MISP.mintSandstorm && p.spelling === 'PHOSPHORUS',
      ),
    );
    assert.deepEqual(actor.attack_ids, ['G0058', 'G0059']);
    assert.deepEqual(
      actor.entries.map((e) => e.ref).sort(),
      [
        'attack:G0058',
        'attack:G0059',
        MISP.apt35,
        MISP.charmingKitten,
        MISP.mintSandstorm,
        MISP.ta453,
      ].sort(),
    );
    assert.equal(actor.country, 'IR');
    assert.ok(actor.targeting.categories.includes('Government'));
  });

  test('ATT&CK techniques come with their full names', () => {
    const actor = kb.get('G0059')!;
    assert.deepEqual(
      actor.techniques.find((t) => t.id === 'T1586.002'),
      { id: 'T1586.002', name: 'Compromise Accounts: Email Accounts' },
    );
    assert.ok(actor.techniques.every((t) => t.name !== t.id && /^T\d{4}(\.\d{3})?$/.test(t.id)));
  });

  test('Ajax Security Team is its own actor, with APT35 related, not merged', () => {
    const r = actorOf(kb.resolve('ajax security team'));
    assert.equal(r.actor.id, 'G0130');
    assert.notEqual(r.actor.id, 'G0059');
    const related = r.actor.related.find((x) => x.id === 'G0059');
    assert.ok(related, 'APT35 should be related');
    assert.equal(related.name, 'APT35');
    assert.ok(related.links.every((l) => l.kind === 'misp-link'));
    assert.ok(!kb.get('G0059')!.aliases.some((a) => nameKey(a.name) === 'ajaxsecurityteam'));
  });

  test("MISP's similar links never merge: Clever Kitten stays apart from APT35", () => {
    const clever = kb.get(MISP.cleverKitten)!;
    assert.equal(clever.id, MISP.cleverKitten);
    assert.ok(
      clever.related.some(
        (r) =>
          r.id === 'G0059' &&
          r.links.some((l) => l.text.includes('similar to ATT&CK G0059 (Magic Hound)')),
      ),
    );
  });

  test('a name the sources give to several actors is ambiguous, the own-name holder first', () => {
    const r = kb.resolve('Stardust Chollima');
    assert.equal(r.kind, 'ambiguous');
    const ids = r.kind === 'ambiguous' ? r.candidates.map((c) => c.actor.id) : [];
    assert.equal(ids[0], 'G0082');
    assert.ok(ids.includes('G0032'));
  });

  test('nothing near: none, with suggestions when something is close', () => {
    assert.deepEqual(kb.resolve('xyzzy frobnicate'), {
      kind: 'none',
      query: 'xyzzy frobnicate',
      suggestions: [],
    });
    assert.deepEqual(kb.resolve('  '), { kind: 'none', query: '  ', suggestions: [] });
    const r = kb.resolve('APT 53');
    assert.equal(r.kind, 'none', 'a digit change is never a typo');
    assert.ok(r.kind === 'none' && r.suggestions.some((s) => s.actor.id === 'G0059'));
  });

  test('explain lists the evidence, revoked-by first', () => {
    const e = kb.explain('G0059')!;
    assert.equal(e.actor.id, 'G0059');
    const texts = e.merges.map((m) => m.text);
    assert.equal(texts[0], 'ATT&CK G0058 (Charming Kitten) is revoked-by G0059 (Magic Hound)');
    for (const want of [
      'MISP threat-actor Charming Kitten lists ATT&CK id G0058',
      'MISP threat-actor APT35 lists ATT&CK id G0059',
      "MISP threat-actor APT35 lists 'Mint Sandstorm' (credited to Microsoft), the name of MISP microsoft-activity-group Mint Sandstorm",
      "ATT&CK G0059 (Magic Hound) lists 'TA453', the name of MISP threat-actor TA453",
    ])
      assert.ok(texts.includes(want), `missing evidence: ${want}`);
    assert.equal(kb.explain('G9999'), undefined);
  });

  test('search finds partial names, best first', () => {
    const hits = kb.search('sandstorm', 50);
    assert.ok(hits.length > 5);
    assert.ok(hits.every((h) => nameKey(h.alias).includes('sandstorm') || h.match === 'typo'));
    assert.equal(kb.search('apt35', 3)[0]!.match, 'exact');
    assert.deepEqual(kb.search('', 5), []);
  });

  test('resolve is fast: a typo well under a millisecond', () => {
    const queries = [
      'phosphorous',
      'charmng kitten',
      'mint sandstrom',
      'APT 35',
      'no such actor here',
    ];
    const start = performance.now();
    for (let i = 0; i < 200; i++) for (const q of queries) kb.resolve(q);
    const perQuery = (performance.now() - start) / (200 * queries.length);
    assert.ok(perQuery < 1, `${perQuery.toFixed(3)} ms per query`);
  });
});

describe('technique names from ATT&CK', () => {
  const cases: { id: string; want: string }[] = [
    { id: 'T1110', want: 'Brute Force' },
    { id: 'T1110.001', want: 'Brute Force: Password Guessing' },
    { id: 'T1110.003', want: 'Brute Force: Password Spraying' },
    { id: 'T1110.004', want: 'Brute Force: Credential Stuffing' },
    { id: 'T1078', want: 'Valid Accounts' },
    { id: 'T1078.004', want: 'Valid Accounts: Cloud Accounts' },
    { id: 'T1098', want: 'Account Manipulation' },
    { id: 'T1098.005', want: 'Account Manipulation: Device Registration' },
    { id: 'T1114', want: 'Email Collection' },
    { id: 'T1114.003', want: 'Email Collection: Email Forwarding Rule' },
    { id: 'T1586.002', want: 'Compromise Accounts: Email Accounts' },
    { id: 'T1621', want: 'Multi-Factor Authentication Request Generation' },
    { id: 'T1557', want: 'Adversary-in-the-Middle' },
    { id: 'T1556.006', want: 'Modify Authentication Process: Multi-Factor Authentication' },
    { id: 'T1564.008', want: 'Hide Artifacts: Email Hiding Rules' },
    { id: 'T1566', want: 'Phishing' },
    { id: 'T1589', want: 'Gather Victim Identity Information' },
    { id: 'T1598', want: 'Phishing for Information' },
  ];
  for (const { id, want } of cases)
    test(`${id} is "${want}"`, () => assert.equal(kb.techniqueName(id), want));

  test('short name, tactics, status; unknown ids', () => {
    assert.deepEqual(kb.technique('t1110.003'), {
      id: 'T1110.003',
      name: 'Brute Force: Password Spraying',
      short_name: 'Password Spraying',
      tactics: ['credential-access'],
      status: 'active',
    });
    assert.equal(kb.technique('T1002')?.status, 'revoked');
    assert.equal(kb.techniqueName('T9999'), undefined);
  });
});

describe('analyst overrides', () => {
  test('split undoes a merge; the entry becomes an actor of its own, related by the split', () => {
    const split = kb.withOverrides([{ op: 'split', entry: MISP.ta453, reason: 'tracked apart' }]);
    const ta453 = split.get(MISP.ta453)!;
    assert.equal(ta453.id, MISP.ta453);
    assert.deepEqual(
      ta453.entries.map((e) => e.ref),
      [MISP.ta453],
    );
    assert.ok(
      ta453.related.some((r) => r.id === 'G0059' && r.links.some((l) => l.kind === 'split')),
    );
    // ATT&CK still lists TA453 for G0059: now two actors carry the name.
    const r = split.resolve('TA453');
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual(r.kind === 'ambiguous' && r.candidates.map((c) => c.actor.id), [
      MISP.ta453,
      'G0059',
    ]);
    assert.deepEqual(split.explain('G0059')!.overrides, [
      { op: 'split', entry: MISP.ta453, reason: 'tracked apart' },
    ]);
    // The original is untouched.
    assert.equal(kb.get(MISP.ta453)!.id, 'G0059');
    assert.equal(kb.overrides.length, 0);
  });

  test('splitting the revoked ATT&CK group keeps the rest together on other evidence', () => {
    const split = kb.withOverrides([{ op: 'split', entry: 'attack:G0058', reason: 'x' }]);
    assert.equal(split.get('G0058')!.id, 'G0058');
    // Both actors now hold an entry named Charming Kitten: the name is ambiguous.
    const r = split.resolve('charming kitten');
    assert.deepEqual(r.kind === 'ambiguous' && r.candidates.map((c) => c.actor.id), [
      'G0059',
      'G0058',
    ]);
    assert.ok(split.get('G0059')!.entries.some((e) => e.ref === MISP.charmingKitten));
  });

  test('merge joins two actors, keeps the first id, and explains itself', () => {
    const merged = kb.withOverrides([
      { op: 'merge', actors: ['G0059', 'G0130'], reason: 'one cluster here' },
    ]);
    const actor = merged.get('G0130')!;
    assert.equal(actor.id, 'G0059');
    assert.equal(actorOf(merged.resolve('Flying Kitten')).actor.id, 'G0059');
    assert.ok(
      merged
        .explain('G0059')!
        .merges.some((m) => m.kind === 'analyst-merge' && m.text.endsWith('one cluster here')),
    );
  });

  test('detach-alias drops the name; a merge that rested on it is undone', () => {
    const detached = kb.withOverrides([
      { op: 'detach-alias', actor: 'G0059', alias: 'phosphorus', reason: 'not ours' },
    ]);
    assert.ok(!detached.get('G0059')!.aliases.some((a) => a.name === 'Phosphorus'));
    assert.notEqual(detached.resolve('Phosphorus').kind, 'actor');
  });

  test('a merge keeps an ATT&CK id over a MISP one', () => {
    const merged = kb.withOverrides([
      { op: 'merge', actors: [MISP.cleverKitten, 'G0059'], reason: 'x' },
    ]);
    assert.equal(merged.get(MISP.cleverKitten)!.id, 'G0059');
  });

  test('overrides are data: the same list, serialised and replayed, gives the same actors', () => {
    const list: ActorOverride[] = [
      { op: 'split', entry: MISP.ta453, reason: 'a' },
      { op: 'merge', actors: [MISP.ta453, 'G0059'], reason: 'b' },
    ];
    const once = kb.withOverrides(list);
    const replayed = ActorKnowledgeBase.load({ overrides: JSON.parse(JSON.stringify(list)) });
    assert.deepEqual(replayed.get('G0059'), once.get('G0059'));
    assert.equal(once.get(MISP.ta453)!.id, 'G0059');
  });

  const invalid: { name: string; overrides: unknown[]; wantErr: string }[] = [
    {
      name: 'not an object',
      overrides: ['split'],
      wantErr: 'override 0: an override must be an object with op, reason and the fields of its op',
    },
    {
      name: 'unknown op',
      overrides: [{ op: 'rename', reason: 'x' }],
      wantErr: 'override 0: op: expected split, merge or detach-alias, got "rename"',
    },
    {
      name: 'no reason',
      overrides: [{ op: 'split', entry: MISP.ta453 }],
      wantErr: 'override 0: split: reason must be a non-empty string of at most 2000 characters',
    },
    {
      name: 'extra field',
      overrides: [{ op: 'split', entry: MISP.ta453, reason: 'x', force: true }],
      wantErr: 'override 0: split: unknown field "force"',
    },
    {
      name: 'bad entry ref',
      overrides: [{ op: 'split', entry: 'G0058', reason: 'x' }],
      wantErr:
        'override 0: split: entry must be a source entry ref like attack:G0058 or misp:<uuid>',
    },
    {
      name: 'unknown entry',
      overrides: [{ op: 'split', entry: 'misp:00000000-0000-0000-0000-000000000000', reason: 'x' }],
      wantErr: 'override 0: split: no entry misp:00000000-0000-0000-0000-000000000000',
    },
    {
      name: 'split twice',
      overrides: [
        { op: 'split', entry: MISP.ta453, reason: 'x' },
        { op: 'split', entry: MISP.ta453, reason: 'y' },
      ],
      wantErr: `override 1: split: entry ${MISP.ta453} is already an actor of its own (${MISP.ta453})`,
    },
    {
      name: 'merge one actor',
      overrides: [{ op: 'merge', actors: ['G0059'], reason: 'x' }],
      wantErr: 'override 0: merge: actors must be two actor ids',
    },
    {
      name: 'merge unknown',
      overrides: [{ op: 'merge', actors: ['G0059', 'G9999'], reason: 'x' }],
      wantErr: 'override 0: merge: no actor G9999',
    },
    {
      name: 'merge with itself',
      overrides: [{ op: 'merge', actors: ['G0059', 'G0058'], reason: 'x' }],
      wantErr: 'override 0: merge: G0059 and G0058 are already one actor (G0059)',
    },
    {
      name: 'detach unknown alias',
      overrides: [{ op: 'detach-alias', actor: 'G0059', alias: 'Fancy Bear', reason: 'x' }],
      wantErr: "override 0: detach-alias: actor G0059 (APT35) has no alias 'Fancy Bear'",
    },
    {
      name: "detach an entry's own name",
      overrides: [{ op: 'detach-alias', actor: 'G0059', alias: 'TA453', reason: 'x' }],
      wantErr: `override 0: detach-alias: 'TA453' is the name of entry ${MISP.ta453} of G0059; split that entry instead`,
    },
    {
      name: 'detach from unknown actor',
      overrides: [{ op: 'detach-alias', actor: 'G9999', alias: 'x', reason: 'x' }],
      wantErr: 'override 0: detach-alias: no actor G9999',
    },
  ];
  for (const { name, overrides, wantErr } of invalid) {
    test(`invalid override: ${name}`, () => {
      assert.throws(
        () => kb.withOverrides(overrides as ActorOverride[]),
        (error: unknown) => {
          assert.ok(error instanceof ActorOverrideError);
          assert.equal(error.message, wantErr);
          return true;
        },
      );
    });
  }

  test('withOverrides counts the index in the list it is given', () => {
    const once = kb.withOverrides([{ op: 'split', entry: MISP.ta453, reason: 'x' }]);
    assert.throws(() => once.withOverrides([{ op: 'split', entry: MISP.ta453, reason: 'y' }]), {
      message: `override 0: split: entry ${MISP.ta453} is already an actor of its own (${MISP.ta453})`,
    });
    assert.equal(once.overrides.length, 1);
  });

  test('checkOverride types input from outside', () => {
    assert.deepEqual(checkOverride({ op: 'merge', actors: ['a', 'b'], reason: 'r' }), {
      ok: true,
      override: { op: 'merge', actors: ['a', 'b'], reason: 'r' },
    });
    assert.deepEqual(checkOverride(null), {
      ok: false,
      error: 'an override must be an object with op, reason and the fields of its op',
    });
  });
});

/** Small made-up data for the merge rules. */
function entry(ref: string, name: string, more: Partial<ActorDataEntry> = {}): ActorDataEntry {
  return { ref, source: ref.startsWith('attack:') ? 'attack' : 'misp-threat-actor', name, ...more };
}
const uuid = (n: number) => `misp:${String(n).padStart(8, '0')}-0000-0000-0000-000000000000`;
const TECHNIQUES: AttackTechniquesData = {
  format: ATTACK_TECHNIQUES_FORMAT,
  generated_by: 'test',
  source: {
    id: 'attack',
    name: 'test',
    url: 'x',
    version: '1',
    commit: 'x',
    date: 'x',
    license: 'x',
    notices: [],
  },
  techniques: {
    T1110: { name: 'Brute Force', tactics: ['credential-access'] },
    'T1110.003': {
      name: 'Password Spraying',
      full_name: 'Brute Force: Password Spraying',
      tactics: ['credential-access'],
    },
  },
};
function smallKb(entries: readonly ActorDataEntry[]): ActorKnowledgeBase {
  const data: ActorData = { format: ACTOR_DATA_FORMAT, generated_by: 'test', sources: [], entries };
  return new ActorKnowledgeBase(data, TECHNIQUES);
}

describe('merge rules (made-up data)', () => {
  const world = [
    entry('attack:G0001', 'Alpha Hound', { aliases: ['Alpha Kitten'], techniques: ['T1110.003'] }),
    entry('attack:G0002', 'Old Alpha', { status: 'revoked', revoked_by: 'G0001' }),
    entry('attack:G0003', 'Beta Group'),
    entry(uuid(1), 'APT99', {
      attack_ids: ['G0001'],
      aliases: ['Alpha Storm'],
      schemes: { 'Alpha Storm': ['Microsoft'] },
    }),
    entry(uuid(2), 'Alpha Kitten', { aliases: ['Kitty'] }),
    entry(uuid(3), 'Lookalike', { links: [['similar', 'attack:G0001', 'likely']] }),
    entry(uuid(4), 'Greedy', { attack_ids: ['G0001', 'G0003'] }),
    entry(uuid(5), 'Sibling', { aliases: ['APT99'] }),
    entry(uuid(6), 'Shared One', { aliases: ['Common'] }),
    entry(uuid(7), 'Shared Two', { aliases: ['Common'] }),
    entry(uuid(8), 'Alpha Storm', {
      source: 'misp-microsoft-activity-group',
      schemes: { 'Alpha Storm': ['Microsoft'] },
    }),
    entry(uuid(9), 'Delta Kilo'),
    entry(uuid(10), 'Delta Kilt'),
  ];
  const small = smallKb(world);

  test('revoked-by, ATT&CK id, names-entry and Microsoft credit merge; the MISP name carrying the id is shown', () => {
    const a = small.get('G0001')!;
    assert.equal(a.name, 'APT99');
    assert.deepEqual(
      a.entries.map((e) => e.ref),
      ['attack:G0001', 'attack:G0002', uuid(1), uuid(2), uuid(8)],
    );
    assert.deepEqual(
      small.explain('G0001')!.merges.map((m) => m.kind),
      ['revoked-by', 'attack-id', 'names-entry', 'names-entry'],
    );
    assert.deepEqual(a.techniques, [{ id: 'T1110.003', name: 'Brute Force: Password Spraying' }]);
  });

  test('a similar link relates but never merges', () => {
    assert.equal(small.get(uuid(3))!.id, uuid(3));
    assert.deepEqual(
      small.get(uuid(3))!.related.map((r) => [r.id, r.links[0]!.kind]),
      [['G0001', 'misp-link']],
    );
  });

  test('an entry naming two ATT&CK groups joins neither; the evidence is set aside', () => {
    assert.equal(small.get(uuid(4))!.id, uuid(4));
    assert.deepEqual(
      small.explain(uuid(4))!.set_aside.map((m) => m.reason),
      [
        'it points at ATT&CK G0001 (Alpha Hound) and ATT&CK G0003 (Beta Group); which one is contested',
        'it points at ATT&CK G0001 (Alpha Hound) and ATT&CK G0003 (Beta Group); which one is contested',
      ],
    );
  });

  test('two entries of one source never merge on a name; a shared name is ambiguous', () => {
    assert.equal(small.get(uuid(5))!.id, uuid(5));
    const r = small.resolve('common');
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual(r.kind === 'ambiguous' && r.candidates.map((c) => c.actor.id), [
      uuid(6),
      uuid(7),
    ]);
    assert.ok(
      small
        .get(uuid(6))!
        .related.some((x) => x.id === uuid(7) && x.links[0]!.kind === 'shared-alias'),
    );
  });

  test('typos: one for short names, two for long ones, never a digit; ties are ambiguous', () => {
    assert.equal(actorOf(small.resolve('Alpa Hound')).actor.id, 'G0001');
    assert.equal(actorOf(small.resolve('Alpah Hund')).matched.distance, 2);
    assert.equal(small.resolve('APT98').kind, 'none');
    assert.equal(small.resolve('Kity').kind, 'none', 'four letters allow no typo');
    assert.equal(actorOf(small.resolve('Shared Tw')).actor.id, uuid(7));
    const tie = small.resolve('delta kil');
    assert.equal(tie.kind, 'ambiguous', 'one edit from both Delta Kilo and Delta Kilt');
    assert.deepEqual(
      tie.kind === 'ambiguous' && tie.candidates.map((c) => c.matched.distance),
      [1, 1],
    );
  });

  test('the outcome does not depend on the order of the entries', () => {
    const reversed = smallKb([...world].reverse());
    assert.deepEqual(reversed.all(), small.all());
    assert.deepEqual(reversed.explain('G0001'), small.explain('G0001'));
  });

  test('a malformed data file is refused with the field named', () => {
    assert.throws(
      () =>
        parseActorData(
          {
            format: ACTOR_DATA_FORMAT,
            generated_by: 'x',
            sources: [],
            entries: [{ ref: 'G1', source: 'attack', name: 'x' }],
          },
          'f.json',
        ),
      {
        message:
          'f.json: entries[0].ref: expected attack:G0000 or misp:<uuid>; regenerate it with scripts/derive-actors.ts',
      },
    );
    assert.throws(() => parseActorData({ format: 'other' }, 'f.json'), {
      message:
        'f.json: format must be "tripline-actors/1", got "other"; regenerate it with scripts/derive-actors.ts',
    });
  });
});

describe('names and edit distance', () => {
  test('nameKey ignores case, spaces, hyphens, punctuation and accents', () => {
    for (const [input, want] of [
      ['APT 35', 'apt35'],
      ['apt-35', 'apt35'],
      ['Charming  Kitten', 'charmingkitten'],
      ['TEMP.Beanie', 'tempbeanie'],
      ['Équipe', 'equipe'],
    ])
      assert.equal(nameKey(input!), want);
  });
  test('editDistance counts swaps as one and stops past the bound', () => {
    for (const [a, b, max, want] of [
      ['charmngkitten', 'charmingkitten', 2, 1],
      ['mintsandstrom', 'mintsandstorm', 2, 1],
      ['abc', 'abc', 0, 0],
      ['abc', 'xyz', 1, 2],
      ['kitten', 'sitting', 3, 3],
    ] as const)
      assert.equal(editDistance(a, b, max), want, `${a} ~ ${b}`);
  });
});

/** Runs `tripline …` in-process with captured output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough() });
  return { code, stdout: out, stderr: err };
}

describe('tripline actors', () => {
  test('several words are one name; the actor with aliases, techniques and related', async () => {
    const r = await cli(['actors', 'charming', 'kitten']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^APT35 \(ATT&CK G0059, also G0058\)\nmatched 'charming kitten' as Charming Kitten\n/,
    );
    assert.match(
      r.stdout,
      /^ {2}Mint Sandstorm +ATT&CK G0059 \(Magic Hound\); MISP threat-actor APT35 \[Microsoft\];/m,
    );
    assert.match(r.stdout, /^ {2}T1586\.002 +Compromise Accounts: Email Accounts$/m);
    assert.match(r.stdout, /^ {2}G0130 Ajax Security Team: /m);
    assert.doesNotMatch(r.stdout, /Merge evidence/);
  });

  test('--explain adds the evidence; --json prints only the resolution', async () => {
    const explained = await cli(['actors', 'phosphorus', '--explain']);
    assert.match(
      explained.stdout,
      /^ {2}- ATT&CK G0058 \(Charming Kitten\) is revoked-by G0059 \(Magic Hound\)$/m,
    );
    const json = await cli(['actors', 'TA453', '--json']);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.kind, 'actor');
    assert.equal(parsed.actor.id, 'G0059');
    assert.equal(parsed.explanation, undefined);
  });

  test('ambiguous exits 3 with the candidates; none exits 1 with suggestions; no query exits 2', async () => {
    const ambiguous = await cli(['actors', 'stardust', 'chollima']);
    assert.equal(ambiguous.code, 3);
    assert.match(ambiguous.stdout, /^'stardust chollima' names 3 actors; ask again by id/);
    assert.match(
      ambiguous.stdout,
      /^ {2}G0082 +APT38 — as Stardust Chollima: ATT&CK G0082 \(APT38\)/m,
    );
    const none = await cli(['actors', 'APT', '53']);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^no actor matches 'APT 53'; did you mean .*APT35/);
    const json = await cli(['actors', 'zzqqxx', '--json']);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), { kind: 'none', query: 'zzqqxx', suggestions: [] });
    const usage = await cli(['actors']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /name an actor: tripline actors QUERY/);
  });

  test('--sources prints the attribution the licences ask for', async () => {
    const r = await cli(['actors', '--sources']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /© 2025 The MITRE Corporation\. This work is reproduced and distributed/,
    );
    assert.match(r.stdout, /CC0-1\.0 OR BSD-2-Clause/);
  });
});

describe('HTTP: /v1/actors', () => {
  const backend = sqliteBackend();
  let app: Tripline;
  let server: FastifyInstance;
  let read: Record<string, string> = {};
  before(async () => {
    app = await openTripline({ db: await backend.fresh() });
    server = await buildServer(app);
    read = { authorization: `Bearer ${(await app.keys.create({ scope: 'read' })).key}` };
  });
  after(async () => {
    await server.close();
    await app.close();
    await backend.cleanup();
  });
  const get = (url: string, headers?: Record<string, string>) =>
    server.inject({ method: 'GET', url, headers: headers ?? read });

  test('?q= resolves the name and lists partial matches', async () => {
    const res = await get('/v1/actors?q=mint%20sandstorm&limit=5');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.query, 'mint sandstorm');
    assert.equal(body.resolution.kind, 'actor');
    assert.equal(body.resolution.actor.id, 'G0059');
    assert.deepEqual(body.resolution.matched.alias, 'Mint Sandstorm');
    assert.equal(body.matches[0].actor.id, 'G0059');
    assert.ok(body.matches.length <= 5);
  });

  test('no q: a page of summaries', async () => {
    const res = await get('/v1/actors?limit=2&offset=1');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.actors.length, 2);
    assert.deepEqual(body.actors[0], summarize(kb.all()[1]!));
    assert.deepEqual(
      [body.total, body.limit, body.offset, body.next_offset],
      [kb.all().length, 2, 1, 3],
    );
  });

  test('/v1/actors/:id by any id; the explanation; 404', async () => {
    const byRevoked = await get('/v1/actors/G0058');
    assert.equal(byRevoked.statusCode, 200);
    assert.equal(byRevoked.json().id, 'G0059');
    const explanation = await get('/v1/actors/G0059/explanation');
    assert.equal(explanation.json().merges[0].kind, 'revoked-by');
    const missing = await get('/v1/actors/G9999');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: { code: 'NOT_FOUND', message: 'no actor G9999' } });
  });

  const bad: { url: string; field: string; message: string }[] = [
    { url: '/v1/actors?q=', field: 'q', message: 'q: 1 to 200 characters' },
    { url: `/v1/actors?q=${'a'.repeat(201)}`, field: 'q', message: 'q: 1 to 200 characters' },
    { url: '/v1/actors?q=a&q=b', field: 'q', message: 'q: give it once' },
    { url: '/v1/actors?limit=0', field: 'limit', message: 'limit: a whole number from 1 to 200' },
    { url: '/v1/actors?offset=-1', field: 'offset', message: 'offset: a whole number from 0 up' },
    { url: '/v1/actors?q=x&offset=2', field: 'offset', message: 'offset: only without q' },
  ];
  for (const { url, field, message } of bad) {
    test(`400 for ${url.slice(0, 40)}`, async () => {
      const res = await get(url);
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { error: { code: 'INVALID_REQUEST', message, field } });
    });
  }

  test('needs a key with the read scope', async () => {
    const res = await get('/v1/actors?q=apt35', {});
    assert.equal(res.statusCode, 401);
  });

  test('the plugin serves the knowledge base it is given', async () => {
    const bare = Fastify();
    await bare.register(actorsRoutes, {
      knowledgeBase: () => kb.withOverrides([{ op: 'split', entry: MISP.ta453, reason: 'r' }]),
    });
    const res = await bare.inject({ method: 'GET', url: `/v1/actors/${MISP.ta453}` });
    assert.equal(res.json().id, MISP.ta453);
    await bare.close();
  });
});

test(
  'derive: re-running on shared intel gives the committed data files byte for byte',
  { skip: existsSync(SHARED_INTEL) ? false : `no shared intel at ${SHARED_INTEL}` },
  () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'derive-actors.ts'),
        '--intel',
        SHARED_INTEL,
        '--out',
        scratch,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    for (const file of ['actors.json', 'attack-techniques.json'])
      assert.ok(
        readFileSync(join(scratch, file)).equals(readFileSync(join(ROOT, 'data', file))),
        `data/${file} differs: regenerate it and commit the data`,
      );
  },
);
