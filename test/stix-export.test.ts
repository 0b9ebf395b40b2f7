/**
 * STIX 2.1 export of a campaign: every object valid against the OASIS JSON
 * schemas (shared/intel/stix2-schemas), deterministic ids, anonymised
 * targets, ATT&CK marking, and patterns that survive hostile values.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Campaign } from '../src/domain/campaign.js';
import {
  ATTACK_MARKING_DEFINITION,
  ATTACK_MARKING_ID,
  MITRE_IDENTITY,
} from '../src/intel/stix-attack-marking.js';
import { campaignToStix } from '../src/intel/stix-bundle.js';
import type { StixExportOptions } from '../src/intel/stix-bundle.js';
import { TRIPLINE_STIX_NAMESPACE, URL_NAMESPACE, uuidV5 } from '../src/intel/stix-id.js';
import type {
  StixBundle,
  StixIdentity,
  StixIndicator,
  StixObject,
} from '../src/intel/stix-objects.js';
import { INDICATOR_KINDS, stixString } from '../src/intel/stix-pattern.js';
import { apt35Campaign, NOW } from './helpers/apt35-campaign.js';

// ─── fixture: an APT35-like recovery-abuse campaign (test/helpers) ─────────

const ORG = { name: 'Example Mail Security', contact: 'security@mail.example' } as const;

const apt35 = () =>
  apt35Campaign({
    account: (i) => `u-${1001 + i}`,
    eventId: (_i, account, step) => `evt-${account}-${step}`,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/76.0.3809.132 Safari/537.36',
    evidence: [
      '9 of 12 source addresses in ranges reported for APT35',
      'recovery through the backup mailbox of u-1003, itself reset from 203.0.113.7 two hours earlier',
      'targets campaign staff and journalists, as in the 2019 reporting',
    ],
    firstExtraTags: ['vip'],
  });

function exportOf(campaign: Campaign, extra: Partial<StixExportOptions> = {}): StixBundle {
  return campaignToStix(campaign, { organisation: ORG, now: NOW, ...extra });
}

const ofType = <T extends StixObject['type']>(bundle: StixBundle, type: T) =>
  bundle.objects.filter((o): o is Extract<StixObject, { type: T }> => o.type === type);

// ─── the OASIS schemas ─────────────────────────────────────────────────────

const INTEL = fileURLToPath(new URL('../../shared/intel/', import.meta.url));
const SCHEMAS = join(INTEL, 'stix2-schemas', 'schemas');
const SCHEMA_BASE =
  'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
const SCHEMA_OF: Readonly<Record<StixObject['type'] | 'bundle', string>> = {
  'attack-pattern': 'sdos/attack-pattern.json',
  campaign: 'sdos/campaign.json',
  identity: 'sdos/identity.json',
  indicator: 'sdos/indicator.json',
  'intrusion-set': 'sdos/intrusion-set.json',
  relationship: 'sros/relationship.json',
  'marking-definition': 'common/marking-definition.json',
  bundle: 'common/bundle.json',
};

let validators: ((type: keyof typeof SCHEMA_OF) => ValidateFunction) | undefined;
function schemaValidator(type: keyof typeof SCHEMA_OF): ValidateFunction {
  if (!validators) {
    // The schemas write `\-` inside patterns, which a `u`-flag RegExp rejects.
    const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    // Used only by domain-name observables, which Tripline does not emit; ajv-formats lacks it.
    ajv.addFormat('idn-hostname', true);
    for (const dir of readdirSync(SCHEMAS)) {
      for (const file of readdirSync(join(SCHEMAS, dir))) {
        ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, dir, file), 'utf8')) as object);
      }
    }
    validators = (t) => ajv.getSchema(SCHEMA_BASE + SCHEMA_OF[t])!;
  }
  return validators(type);
}

/** Every schema error of the bundle and of each object, as readable lines. */
function schemaErrors(bundle: StixBundle): string[] {
  const errors: string[] = [];
  for (const o of bundle.objects) {
    const { id, type } = o;
    const validate = schemaValidator(type);
    if (!validate(o)) {
      for (const e of validate.errors ?? []) errors.push(`${id}${e.instancePath} ${e.message}`);
    }
  }
  // The bundle schema tries every type for every object (anyOf/oneOf), so its
  // raw errors run to hundreds of lines: name the objects it rejects instead.
  const validateBundle = schemaValidator('bundle');
  if (!validateBundle(bundle)) {
    const rejected = new Set<string>();
    for (const e of validateBundle.errors ?? []) {
      const index = /^\/objects\/(\d+)/.exec(e.instancePath)?.[1];
      if (index === undefined) errors.push(`bundle${e.instancePath} ${e.message}`);
      else rejected.add(`bundle rejects ${bundle.objects[Number(index)]?.id}`);
    }
    errors.push(...rejected);
  }
  return errors;
}

const schemasPresent = existsSync(SCHEMAS);

// ─── schema validity ───────────────────────────────────────────────────────

test('the validator is wired: it rejects broken objects', (t) => {
  if (!schemasPresent) return t.skip('../shared/intel absent');
  const bundle = exportOf(apt35().campaign);
  const rel = ofType(bundle, 'relationship').find((r) => r.relationship_type === 'attributed-to')!;
  const indicator = ofType(bundle, 'indicator')[0]!;
  const cases: { name: string; type: keyof typeof SCHEMA_OF; value: unknown }[] = [
    { name: 'fractional confidence', type: 'relationship', value: { ...rel, confidence: 72.5 } },
    {
      name: 'no pattern',
      type: 'indicator',
      value: { ...indicator, pattern: undefined },
    },
    {
      name: 'seconds-only created',
      type: 'indicator',
      value: { ...indicator, created: '2019-09-02T09:00:00Z' },
    },
    {
      name: 'id not a UUID',
      type: 'campaign',
      value: { ...ofType(bundle, 'campaign')[0], id: 'campaign--cmp-7' },
    },
    { name: 'empty bundle', type: 'bundle', value: { ...bundle, objects: [] } },
  ];
  for (const c of cases) {
    const validate = schemaValidator(c.type);
    assert.equal(validate(JSON.parse(JSON.stringify(c.value))), false, c.name);
  }
});

test('every object of the bundle validates against the OASIS STIX 2.1 schema for its type', (t) => {
  if (!schemasPresent) return t.skip('../shared/intel absent');
  const { campaign, events } = apt35();
  for (const anonymiseTargets of [true, false]) {
    const bundle = exportOf(campaign, { events, anonymiseTargets });
    assert.deepEqual(schemaErrors(JSON.parse(JSON.stringify(bundle)) as StixBundle), []);
  }
});

test('the bundle holds what the issue asks for, linked to each other', () => {
  const { campaign, events } = apt35();
  const bundle = exportOf(campaign, { events });
  const count = (type: StixObject['type']) => ofType(bundle, type).length;
  assert.equal(count('campaign'), 1);
  assert.equal(count('intrusion-set'), 1);
  assert.equal(count('attack-pattern'), 3);
  // 12 IPs + 1 network + 1 drop address + 2 ASNs + 1 user agent
  assert.equal(count('indicator'), 17);
  assert.equal(count('marking-definition'), 1);

  const [org, ...rest] = bundle.objects;
  assert.equal(org!.type, 'identity');
  assert.deepEqual(
    { name: (org as StixIdentity).name, cls: (org as StixIdentity).identity_class },
    { name: ORG.name, cls: 'organization' },
  );
  assert.equal((org as StixIdentity).contact_information, ORG.contact);
  assert.equal(
    (org as StixIdentity).created_by_ref,
    org!.id,
    'the organisation vouches for itself',
  );
  for (const o of rest) {
    if (o === ATTACK_MARKING_DEFINITION || o === MITRE_IDENTITY) continue;
    assert.equal('created_by_ref' in o && o.created_by_ref, org!.id, `${o.id} created by us`);
    assert.equal('modified' in o && o.modified, NOW);
    assert.equal(o.spec_version, '2.1');
  }

  const stixCampaign = ofType(bundle, 'campaign')[0]!;
  assert.equal(stixCampaign.first_seen, '2019-08-01T06:12:00.000Z');
  assert.equal(stixCampaign.x_tripline_targeted_count, 30);
  assert.equal(stixCampaign.x_tripline_compromised_count, 3);
  assert.deepEqual(stixCampaign.x_tripline_compromised_by_tag, {
    'campaign-staff': 1,
    journalist: 1,
    official: 1,
    diaspora: 0,
    vip: 0,
  });
  assert.match(stixCampaign.description!, /30 accounts targeted, 3 compromised, 96 events\./);
  for (const key of Object.keys(stixCampaign)) {
    assert.ok(
      /^(type|spec_version|id|created|modified|created_by_ref|name|description|first_seen|last_seen|external_references)$/.test(
        key,
      ) || key.startsWith('x_tripline_'),
      `custom property ${key} has the x_ prefix`,
    );
  }

  const actor = ofType(bundle, 'intrusion-set')[0]!;
  assert.equal(actor.name, 'APT35');
  assert.deepEqual(actor.aliases, ['Charming Kitten', 'Phosphorus', 'Mint Sandstorm', 'TA453']);
  assert.deepEqual(actor.external_references, [
    {
      source_name: 'mitre-attack',
      external_id: 'G0059',
      url: 'https://attack.mitre.org/groups/G0059/',
    },
  ]);

  const rels = ofType(bundle, 'relationship');
  const attributed = rels.filter((r) => r.relationship_type === 'attributed-to');
  assert.equal(attributed.length, 1);
  assert.equal(attributed[0]!.confidence, 72);
  assert.equal(attributed[0]!.source_ref, stixCampaign.id);
  assert.equal(attributed[0]!.target_ref, actor.id);
  assert.match(
    attributed[0]!.description!,
    /^Tripline attributes .* 72% confidence\.\nEvidence:\n- 9 of 12/,
  );

  const spray = ofType(bundle, 'attack-pattern').find(
    (p) => p.name === 'Brute Force: Password Spraying',
  )!;
  assert.deepEqual(spray.external_references, [
    {
      source_name: 'mitre-attack',
      external_id: 'T1110.003',
      url: 'https://attack.mitre.org/techniques/T1110/003/',
    },
  ]);
  const uses = rels.filter((r) => r.relationship_type === 'uses');
  assert.deepEqual(
    uses.map((r) => r.target_ref).sort(),
    ofType(bundle, 'attack-pattern')
      .map((p) => p.id)
      .sort(),
  );
  assert.equal(
    uses.find((r) => r.target_ref === spray.id)!.description,
    '30 events of the campaign.',
  );

  // 72% is "high" on the STIX scale: strong indicators also indicate the actor, weak ones do not.
  const indicates = rels.filter((r) => r.relationship_type === 'indicates');
  assert.equal(indicates.filter((r) => r.target_ref === stixCampaign.id).length, 17);
  assert.equal(indicates.filter((r) => r.target_ref === actor.id).length, 14);

  // Referential integrity: every *_ref names an object of the bundle.
  const ids = new Set<string>(bundle.objects.map((o) => o.id));
  for (const o of bundle.objects) {
    for (const [key, value] of Object.entries(o)) {
      if (!key.endsWith('_ref') && !key.endsWith('_refs')) continue;
      for (const ref of [value].flat() as string[])
        assert.ok(ids.has(ref), `${o.id}.${key} → ${ref}`);
    }
  }
});

test('indicators: pattern per kind, valid_from the campaign start, IP event counts from the events', () => {
  const { campaign, events } = apt35();
  const indicators = ofType(exportOf(campaign, { events }), 'indicator');
  const byPattern = new Map(indicators.map((i) => [i.pattern, i]));
  const ip = byPattern.get("[ipv4-addr:value = '203.0.113.7']")!;
  assert.ok(ip);
  assert.deepEqual(ip.indicator_types, ['malicious-activity']);
  assert.equal(ip.valid_from, '2019-08-01T06:12:00.000Z');
  assert.equal(ip.pattern_type, 'stix');
  assert.match(ip.description, /\d+ events against \d+ accounts, 2019-08-\d\d to 2019-08-\d\d\.$/);
  assert.ok(byPattern.has("[ipv4-addr:value ISSUBSET '203.0.113.0/24']"));
  assert.ok(byPattern.has("[email-addr:value = 'recovery.desk@mail-verify.example']"));
  assert.deepEqual(byPattern.get('[autonomous-system:number = 64500]')!.indicator_types, [
    'anomalous-activity',
  ]);
  assert.ok(
    indicators.some((i) =>
      i.pattern.startsWith(
        "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 (Windows",
      ),
    ),
  );
});

// ─── determinism ───────────────────────────────────────────────────────────

test('deterministic: the same campaign exported twice gives the same bundle, byte for byte', () => {
  const a = exportOf(apt35().campaign, { events: apt35().events });
  const b = exportOf(apt35().campaign, { events: apt35().events });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.match(
    a.id,
    /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );

  // A later export is a new version of the same objects: same ids, new `modified`, new bundle id.
  const later = exportOf(apt35().campaign, { now: '2019-09-09T09:00:00.000Z', created: NOW });
  assert.deepEqual(
    later.objects.map((o) => o.id),
    a.objects.map((o) => o.id),
  );
  assert.notEqual(later.id, a.id);
  const laterCampaign = ofType(later, 'campaign')[0]!;
  assert.deepEqual(
    [laterCampaign.created, laterCampaign.modified],
    [NOW, '2019-09-09T09:00:00.000Z'],
  );

  // Another organisation's export of "cmp-7" is another campaign.
  const other = campaignToStix(apt35().campaign, { organisation: { name: 'Other Org' }, now: NOW });
  assert.notEqual(ofType(other, 'campaign')[0]!.id, ofType(a, 'campaign')[0]!.id);
});

test('uuidV5 matches RFC 9562, and the Tripline namespace is what its comment says', () => {
  assert.equal(
    uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'),
    '886313e1-3b8a-5372-9b90-0c9aee199e5d',
  );
  assert.equal(uuidV5(URL_NAMESPACE, 'urn:tripline:stix'), TRIPLINE_STIX_NAMESPACE);
  assert.throws(() => uuidV5('not-a-uuid', 'x'), /namespace is not a UUID/);
});

// ─── anonymisation ─────────────────────────────────────────────────────────

test('anonymised by default: targets as classes per tag, no account id anywhere in the bundle', () => {
  const { campaign, events } = apt35();
  const bundle = exportOf(campaign, { events });
  const json = JSON.stringify(bundle);
  for (const t of campaign.targets)
    assert.ok(!json.includes(t.account_id), `${t.account_id} leaked`);

  const classes = ofType(bundle, 'identity').filter((i) => i.identity_class === 'class');
  assert.deepEqual(
    classes.map((c) => c.name),
    [
      'campaign-staff (12 accounts, 1 compromised)',
      'journalist (8 accounts, 1 compromised)',
      'official (6 accounts, 1 compromised)',
      'diaspora (4 accounts, 0 compromised)',
      'vip (1 account, 0 compromised)',
    ],
  );
  assert.equal(
    ofType(bundle, 'identity').filter((i) => i.identity_class === 'individual').length,
    0,
  );
  const targets = ofType(bundle, 'relationship').filter((r) => r.relationship_type === 'targets');
  assert.deepEqual(targets.map((r) => r.target_ref).sort(), classes.map((c) => c.id).sort());
  // The evidence named an account: it is redacted, the rest of the sentence kept.
  const attributed = ofType(bundle, 'relationship').find(
    (r) => r.relationship_type === 'attributed-to',
  )!;
  assert.match(
    attributed.description!,
    /backup mailbox of \[account\], itself reset from 203\.0\.113\.7/,
  );
});

test('anonymiseTargets: false adds one individual identity per account with its id and compromise flag', (t) => {
  const { campaign } = apt35();
  const bundle = exportOf(campaign, { anonymiseTargets: false });
  const people = ofType(bundle, 'identity').filter((i) => i.identity_class === 'individual');
  assert.equal(people.length, 30);
  const u1003 = people.find((p) => p.x_tripline_account_id === 'u-1003')!;
  assert.deepEqual(
    { name: u1003.name, compromised: u1003.x_tripline_compromised, tags: u1003.x_tripline_tags },
    { name: 'u-1003', compromised: true, tags: ['campaign-staff'] },
  );
  assert.equal(people.filter((p) => p.x_tripline_compromised).length, 3);
  const attributed = ofType(bundle, 'relationship').find(
    (r) => r.relationship_type === 'attributed-to',
  )!;
  assert.match(attributed.description!, /backup mailbox of u-1003/);
  if (schemasPresent) assert.deepEqual(schemaErrors(bundle), []);
  else t.diagnostic('schemas absent: validity not checked');
});

// ─── ATT&CK marking ────────────────────────────────────────────────────────

test('ATT&CK content carries the ATT&CK marking, copied verbatim, with MITRE identity', () => {
  const bundle = exportOf(apt35().campaign);
  for (const o of [...ofType(bundle, 'attack-pattern'), ...ofType(bundle, 'intrusion-set')]) {
    assert.deepEqual(o.object_marking_refs, [ATTACK_MARKING_ID], o.id);
  }
  for (const o of [...ofType(bundle, 'campaign'), ...ofType(bundle, 'indicator')]) {
    assert.equal(o.object_marking_refs, undefined, `${o.id} is ours, not ATT&CK's`);
  }
  assert.ok(bundle.objects.includes(ATTACK_MARKING_DEFINITION));
  assert.ok(bundle.objects.includes(MITRE_IDENTITY));
});

test('the ATT&CK marking and MITRE identity constants equal the objects in the ATT&CK bundle', (t) => {
  const file = join(INTEL, 'attack', 'enterprise-attack-subset.json');
  if (!existsSync(file)) return t.skip('../shared/intel absent');
  const attack = JSON.parse(readFileSync(file, 'utf8')) as { objects: { id: string }[] };
  assert.deepEqual(
    attack.objects.find((o) => o.id === ATTACK_MARKING_ID),
    ATTACK_MARKING_DEFINITION,
  );
  assert.deepEqual(
    attack.objects.find((o) => o.id === MITRE_IDENTITY.id),
    MITRE_IDENTITY,
  );
});

// ─── awkward input ─────────────────────────────────────────────────────────

test('awkward input still gives a valid bundle: no techniques, no attribution, IPv6, quotes, junk', (t) => {
  const { campaign } = apt35();
  const awkward: Campaign = {
    ...campaign,
    name: "O'Brien's \\ campaign",
    first_seen: '2019-08-01T06:12:00Z', // no milliseconds
    techniques: [],
    attribution: [],
    targets: [],
    by_tag: {},
    infrastructure: {
      ips: ['2001:db8::7', '2001:db8::7', '203.0.113.7', 'not-an-ip', ''],
      asns: [64500, -1, 2 ** 33],
      user_agents: ["Mozilla/5.0 'quoted' \\ backslash", '   '],
      networks: ['2001:db8:1::/48', '203.0.113.0/33', '203.0.113.0'],
      emails: ["o'brien\\x@evil.example", 'no-at-sign'],
    },
  };
  const bundle = exportOf(awkward);
  assert.equal(ofType(bundle, 'marking-definition').length, 0, 'no ATT&CK content, no marking');
  assert.equal(ofType(bundle, 'intrusion-set').length, 0);
  assert.equal(ofType(bundle, 'campaign')[0]!.first_seen, '2019-08-01T06:12:00.000Z');
  assert.deepEqual(
    ofType(bundle, 'indicator').map((i) => i.pattern),
    [
      "[ipv6-addr:value = '2001:db8::7']",
      "[ipv4-addr:value = '203.0.113.7']",
      "[ipv6-addr:value ISSUBSET '2001:db8:1::/48']",
      "[email-addr:value = 'o\\'brien\\\\x@evil.example']",
      '[autonomous-system:number = 64500]',
      "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 \\'quoted\\' \\\\ backslash']",
    ],
  );
  // No targets listed: one class with the campaign's own counts.
  assert.deepEqual(
    ofType(bundle, 'identity')
      .filter((i) => i.identity_class === 'class')
      .map((i) => i.name),
    ['untagged (30 accounts, 3 compromised)'],
  );
  if (schemasPresent) assert.deepEqual(schemaErrors(bundle), []);
  else t.diagnostic('schemas absent: validity not checked');
});

test('low-confidence attribution: intrusion-sets for every candidate, indicators point at the campaign only', (t) => {
  const { campaign } = apt35();
  const bundle = exportOf(
    {
      ...campaign,
      attribution: [
        { actor: 'Unknown cluster', aliases: [], confidence: 0.2, evidence: [] },
        { ...campaign.attribution[0]!, confidence: 0.45 },
      ],
    },
    {
      actors: (a) =>
        a.actor_id === 'G0059'
          ? {
              name: 'Magic Hound',
              aliases: ['Magic Hound', 'APT35', 'Charming Kitten', 'Charming Kitten'],
              attack_id: 'G0059',
              description: 'Iranian-sponsored threat group.',
              country: 'IR',
            }
          : undefined,
    },
  );
  const sets = ofType(bundle, 'intrusion-set');
  assert.deepEqual(
    sets.map((s) => [s.name, s.aliases, s.object_marking_refs]),
    [
      ['Magic Hound', ['APT35', 'Charming Kitten'], [ATTACK_MARKING_ID]],
      ['Unknown cluster', undefined, undefined],
    ],
  );
  const rels = ofType(bundle, 'relationship');
  assert.deepEqual(
    rels.filter((r) => r.relationship_type === 'attributed-to').map((r) => r.confidence),
    [45, 20],
  );
  const setIds = new Set<string>(sets.map((s) => s.id));
  assert.equal(
    rels.filter((r) => r.relationship_type === 'indicates' && setIds.has(r.target_ref)).length,
    0,
  );
  assert.equal(sets[0]!.description, 'Iranian-sponsored threat group.\n\nSuspected origin: IR.');
  if (schemasPresent) assert.deepEqual(schemaErrors(bundle), []);
  else t.diagnostic('schemas absent: validity not checked');
});

// ─── pattern syntax ────────────────────────────────────────────────────────

/**
 * The STIX 2.1 grammar for the one comparison Tripline writes:
 * `[type:path (=|ISSUBSET) literal]`, where a StringLiteral is
 * `'` ( ~['\\] | `\'` | `\\` )* `'` and a hyphenated path step is quoted.
 */
const LITERAL = String.raw`'(?:[^'\\]|\\['\\])*'`;
const STEP = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|${LITERAL})`;
const COMPARISON = new RegExp(
  String.raw`^\[([A-Za-z_][A-Za-z0-9_-]*):(${STEP}(?:\.${STEP})*) (=|ISSUBSET) (${LITERAL}|\d+)\]$`,
);
function parsePattern(pattern: string): {
  type: string;
  path: string[];
  op: string;
  value: string;
} {
  const m = COMPARISON.exec(pattern);
  if (!m) throw new SyntaxError(`not a STIX comparison: ${pattern}`);
  const unquote = (s: string) =>
    s.startsWith("'") ? s.slice(1, -1).replace(/\\(['\\])/g, '$1') : s;
  const path = m[2]!.match(new RegExp(STEP, 'g'))!.map(unquote);
  return { type: m[1]!, path, op: m[3]!, value: unquote(m[4]!) };
}

test('the pattern checker rejects what it should', () => {
  for (const bad of [
    "[ipv4-addr:value = 'it's']",
    "[ipv4-addr:value = 'trailing\\']",
    "[network-traffic:extensions.http-request-ext.request_header = 'x']",
    "ipv4-addr:value = '203.0.113.7'",
  ]) {
    assert.throws(() => parsePattern(bad), SyntaxError, bad);
  }
});

test('patterns are syntactically right and give back the exact value, for hostile values too', () => {
  const cases: {
    name: string;
    kind: keyof typeof INDICATOR_KINDS;
    value: string;
    want: { type: string; path: string[]; op: string } | undefined;
  }[] = [
    {
      name: 'IPv4',
      kind: 'ip',
      value: '203.0.113.7',
      want: { type: 'ipv4-addr', path: ['value'], op: '=' },
    },
    {
      name: 'IPv6',
      kind: 'ip',
      value: '2001:db8::1',
      want: { type: 'ipv6-addr', path: ['value'], op: '=' },
    },
    { name: 'not an IP', kind: 'ip', value: "1.2.3.4' OR '1'='1", want: undefined },
    {
      name: 'IPv4 /24',
      kind: 'network',
      value: '203.0.113.0/24',
      want: { type: 'ipv4-addr', path: ['value'], op: 'ISSUBSET' },
    },
    {
      name: 'IPv6 /48',
      kind: 'network',
      value: '2001:db8:1::/48',
      want: { type: 'ipv6-addr', path: ['value'], op: 'ISSUBSET' },
    },
    { name: 'prefix too long', kind: 'network', value: '2001:db8::/129', want: undefined },
    {
      name: 'quote and backslash in an address',
      kind: 'email',
      value: "o'neil\\x@evil.example",
      want: { type: 'email-addr', path: ['value'], op: '=' },
    },
    {
      name: 'ASN',
      kind: 'asn',
      value: '64500',
      want: { type: 'autonomous-system', path: ['number'], op: '=' },
    },
    { name: 'ASN too large', kind: 'asn', value: '4294967296', want: undefined },
    ...[
      "Mozilla/5.0 (X11; Linux x86_64) 'evil' \\' ] OR [ipv4-addr:value = '0.0.0.0']",
      'ends with a backslash \\',
      "'",
      '<script>alert(1)</script>',
      'Ünïcödé 🦊 agent',
    ].map((value) => ({
      name: `user agent ${JSON.stringify(value)}`,
      kind: 'user_agent' as const,
      value,
      want: {
        type: 'network-traffic',
        path: ['extensions', 'http-request-ext', 'request_header', 'User-Agent'],
        op: '=',
      },
    })),
  ];
  for (const c of cases) {
    const pattern = INDICATOR_KINDS[c.kind].pattern(c.value);
    if (c.want === undefined) {
      assert.equal(pattern, undefined, c.name);
      continue;
    }
    assert.ok(pattern, c.name);
    const parsed = parsePattern(pattern);
    assert.deepEqual(parsed, { ...c.want, value: c.value }, c.name);
  }
  assert.equal(stixString("a'b\\c"), "'a\\'b\\\\c'");
});

test('indicator names and patterns of a bundle all parse', () => {
  const { campaign } = apt35();
  const indicators: StixIndicator[] = ofType(exportOf(campaign), 'indicator');
  for (const i of indicators) assert.doesNotThrow(() => parsePattern(i.pattern), i.pattern);
});

test('a time that is not a time is a bug in the caller: RangeError', () => {
  assert.throws(
    () => exportOf(apt35().campaign, { now: 'yesterday' }),
    /now is not a time: yesterday/,
  );
});
