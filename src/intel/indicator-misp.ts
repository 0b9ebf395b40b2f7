/**
 * Indicators from MISP event JSON: `{"Event": {…}}`, `{"response": [{"Event":
 * …}, …]}`, an array of those, or a bare event with `Attribute`. Attributes
 * come from `Event.Attribute` and `Event.Object[].Attribute`; the actor from
 * threat-actor galaxy clusters or `misp-galaxy:…` tags, the attribute's own
 * before the event's. Attributes not meant for detection (`to_ids` false),
 * deleted ones and types that are not account-takeover observables are
 * skipped with a counted reason; malformed ones are problems at their path
 * (`Event.Attribute[7]`, `response[1].Event.Object[0].Attribute[2]`).
 *
 * @example
 * const reading = readMispIndicators(JSON.parse(text), { fileName: 'misp-event.json' });
 * reading.indicators; // [{ type: 'domain', value: 'evil.example', source: 'CIRCL', actor: 'Charming Kitten', … }]
 */
import type { IndicatorType } from '../domain/indicator.js';
import { IndicatorFileError, IndicatorReading } from './indicator-reading.js';
import type { ClaimFieldNames, IndicatorImport } from './indicator-reading.js';
import { isRecord, ownField, ownString } from './indicator-value.js';

/**
 * Where indicators are credited when the file does not say.
 *
 * @example
 * readMispIndicators(event, { source: 'ACME CTI' });
 */
export interface MispReadOptions {
  /** Overrides the event's creating organisation (`Orgc.name`). */
  readonly source?: string | undefined;
  /** Used when neither `source` nor the event names an organisation. */
  readonly fileName?: string | undefined;
}

const FIELD_NAMES: ClaimFieldNames = {
  validFrom: 'first_seen',
  validUntil: 'last_seen',
  confidence: 'confidence',
};

/**
 * MISP attribute types Tripline imports: the indicator type of each part of
 * the value (`domain|ip` has two; `ip-dst|port` keeps only the address).
 */
const ATTRIBUTE_TYPES: ReadonlyMap<string, readonly (IndicatorType | undefined)[]> = new Map<
  string,
  readonly (IndicatorType | undefined)[]
>([
  ['ip-src', ['ip']],
  ['ip-dst', ['ip']],
  ['ip-src|port', ['ip', undefined]],
  ['ip-dst|port', ['ip', undefined]],
  ['domain', ['domain']],
  ['hostname', ['domain']],
  ['hostname|port', ['domain', undefined]],
  ['domain|ip', ['domain', 'ip']],
  ['email', ['email']],
  ['email-src', ['email']],
  ['email-dst', ['email']],
  ['email-reply-to', ['email']],
  ['url', ['url']],
  ['user-agent', ['user_agent']],
  ['AS', ['asn']],
]);

/** Galaxies whose clusters name threat actors. */
const ACTOR_GALAXIES: ReadonlySet<string> = new Set([
  'threat-actor',
  'mitre-intrusion-set',
  'microsoft-activity-group',
]);
const ACTOR_TAG =
  /^misp-galaxy:(threat-actor|mitre-intrusion-set|microsoft-activity-group)="(.+)"$/;

/**
 * Whether a parsed JSON document looks like MISP: an `Event` or `response`
 * wrapper (or an array of them), or a bare event with `Attribute`.
 *
 * @example
 * isMispDocument({ Event: { info: 'phishing', Attribute: [] } }); // true
 */
export function isMispDocument(document: unknown): boolean {
  const first = Array.isArray(document) ? document[0] : document;
  return (
    ownField(first, 'Event') !== undefined ||
    Array.isArray(ownField(first, 'response')) ||
    Array.isArray(ownField(first, 'Attribute'))
  );
}

/**
 * Reads the indicators of a parsed MISP document. Throws
 * {@link IndicatorFileError} when the document is not MISP event JSON.
 *
 * @example
 * readMispIndicators({ Event: { Orgc: { name: 'CIRCL' }, Attribute: [{ type: 'ip-dst', value: '203.0.113.7', to_ids: true }] } }, {});
 */
export function readMispIndicators(document: unknown, options: MispReadOptions): IndicatorImport {
  if (!isMispDocument(document)) {
    throw new IndicatorFileError(
      'expected a MISP event ({"Event": {...}}, {"response": [{"Event": {...}}]} or an event with "Attribute")',
    );
  }
  const reading = new IndicatorReading('misp', FIELD_NAMES);
  const wrapped = (value: unknown, at: string): void => {
    const event = ownField(value, 'Event');
    if (isRecord(event)) readEvent(event, join(at, 'Event'), reading, options);
    else if (Array.isArray(ownField(value, 'Attribute')))
      readEvent(value as Readonly<Record<string, unknown>>, at, reading, options);
    else reading.problem(at || 'Event', 'expected a MISP event ({"Event": {...}})');
  };
  const top = Array.isArray(document) ? document : [document];
  top.forEach((item, i) => {
    const at = Array.isArray(document) ? `[${i}]` : '';
    const response = ownField(item, 'response');
    if (Array.isArray(response)) response.forEach((r, j) => wrapped(r, join(at, `response[${j}]`)));
    else wrapped(item, at);
  });
  return reading.result();
}

/** A path inside the document: `response[0]` + `Event` is `response[0].Event`. */
function join(at: string, step: string): string {
  return at === '' ? step : `${at}.${step}`;
}

function readEvent(
  event: Readonly<Record<string, unknown>>,
  at: string,
  reading: IndicatorReading,
  options: MispReadOptions,
): void {
  const eventActors = actorsOf(event);
  for (const name of eventActors) reading.actor(name);
  const source =
    options.source ??
    ownString(ownField(event, 'Orgc'), 'name') ??
    ownString(ownField(event, 'Org'), 'name') ??
    options.fileName ??
    'misp';
  const context: EventContext = {
    source,
    actor: eventActors[0],
    info: ownString(event, 'info'),
    reading,
  };
  readAttributes(ownField(event, 'Attribute'), join(at, 'Attribute'), context, false);
  const objects = ownField(event, 'Object');
  if (Array.isArray(objects)) {
    objects.forEach((object, i) => {
      const deleted = isTrue(ownField(object, 'deleted'));
      readAttributes(
        ownField(object, 'Attribute'),
        join(at, `Object[${i}].Attribute`),
        context,
        deleted,
      );
    });
  }
}

interface EventContext {
  readonly source: string;
  readonly actor: string | undefined;
  readonly info: string | undefined;
  readonly reading: IndicatorReading;
}

function readAttributes(
  attributes: unknown,
  at: string,
  context: EventContext,
  objectDeleted: boolean,
): void {
  if (attributes === undefined) return;
  const { reading } = context;
  if (!Array.isArray(attributes)) return reading.problem(at, 'expected an array of attributes');
  attributes.forEach((attribute, i) => {
    const position = `${at}[${i}]`;
    if (!isRecord(attribute)) return reading.problem(position, 'not an object');
    if (objectDeleted || isTrue(ownField(attribute, 'deleted')))
      return reading.skip('deleted in MISP');
    const type = ownField(attribute, 'type');
    if (typeof type !== 'string') return reading.problem(position, 'type: required');
    const parts = ATTRIBUTE_TYPES.get(type);
    if (parts === undefined) {
      const shown = type.length > 40 ? `${type.slice(0, 40)}…` : type;
      return reading.skip(`attribute type ${shown} (not an account-takeover observable)`);
    }
    // MISP writes booleans as true/false, "1"/"0" or 1/0, depending on version.
    const toIds = ownField(attribute, 'to_ids');
    if (toIds !== undefined && !isTrue(toIds)) {
      return reading.skip('to_ids is false: context, not for detection');
    }
    const value = ownField(attribute, 'value');
    if (typeof value !== 'string' || value.trim() === '') {
      return reading.problem(position, 'value: required');
    }
    const pieces = parts.length > 1 ? value.split('|') : [value];
    if (pieces.length !== parts.length) {
      return reading.problem(
        position,
        `value: expected ${parts.length} parts separated by | for ${type}`,
      );
    }
    const attributeActors = actorsOf(attribute);
    for (const name of attributeActors) reading.actor(name);
    const base = {
      source: context.source,
      actor: attributeActors[0] ?? context.actor,
      validFrom: ownField(attribute, 'first_seen'),
      validUntil: ownField(attribute, 'last_seen'),
      description: ownString(attribute, 'comment') ?? context.info,
    };
    parts.forEach((part, j) => {
      if (part !== undefined) {
        reading.add(position, { ...base, type: part, value: pieces[j]!, field: 'value' });
      }
    });
  });
}

/** Actor names of an event or attribute: galaxy clusters first, then tags, in file order. */
function actorsOf(record: Readonly<Record<string, unknown>>): string[] {
  const names: string[] = [];
  const galaxies = ownField(record, 'Galaxy');
  if (Array.isArray(galaxies)) {
    for (const galaxy of galaxies) {
      const type = ownField(galaxy, 'type');
      const clusters = ownField(galaxy, 'GalaxyCluster');
      if (typeof type !== 'string' || !ACTOR_GALAXIES.has(type) || !Array.isArray(clusters))
        continue;
      for (const cluster of clusters) {
        const name = ownString(cluster, 'value');
        if (name) names.push(name);
      }
    }
  }
  const tags = ownField(record, 'Tag');
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      const name = ownString(tag, 'name');
      const match = name && name.length <= 300 ? ACTOR_TAG.exec(name) : null;
      if (match) names.push(match[2]!);
    }
  }
  return [...new Set(names)];
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}
