/**
 * Indicators from a STIX 2.1 bundle (`{"type": "bundle", "objects": […]}`,
 * or a bare array of objects, or one object). Each `indicator` whose STIX
 * pattern is a plain OR list of comparisons on an account-takeover
 * observable (address, network, domain, email, URL, AS, user agent) gives
 * one indicator per comparison; its actor is found through `indicates` and
 * `attributed-to` relationships. Everything else is skipped with a counted
 * reason, and malformed objects are problems at `objects[i] (id)`.
 *
 * @example
 * const reading = readStixIndicators(JSON.parse(text), { fileName: 'apt35.json' });
 * reading.indicators; // [{ type: 'ip', value: '203.0.113.7', source: 'Example CERT', actor: 'Charming Kitten', … }]
 */
import type { IndicatorType } from '../domain/indicator.js';
import { IndicatorFileError, IndicatorReading } from './indicator-reading.js';
import type { ClaimFieldNames, IndicatorImport } from './indicator-reading.js';
import { orComparisons, parseStixPattern } from './indicator-stix-pattern.js';
import type { StixComparison, StixObjectPath } from './indicator-stix-pattern.js';
import { isRecord, ownField, ownString, quote } from './indicator-value.js';

/**
 * Where indicators are credited when the file does not say.
 *
 * @example
 * readStixIndicators(bundle, { source: 'ACME CTI' });
 */
export interface StixReadOptions {
  /** Overrides the bundle's own producer. */
  readonly source?: string | undefined;
  /** Used when neither `source` nor a `created_by_ref` identity names one. */
  readonly fileName?: string | undefined;
}

const FIELD_NAMES: ClaimFieldNames = {
  validFrom: 'valid_from',
  validUntil: 'valid_until',
  confidence: 'confidence',
};

/** Object paths that name an account-takeover observable, lower case, steps joined by dots. */
const OBSERVABLE_PATHS: ReadonlyMap<string, { type: IndicatorType; ipVersion?: 4 | 6 }> = new Map<
  string,
  { type: IndicatorType; ipVersion?: 4 | 6 }
>([
  ['ipv4-addr:value', { type: 'ip', ipVersion: 4 }],
  ['ipv6-addr:value', { type: 'ip', ipVersion: 6 }],
  ['domain-name:value', { type: 'domain' }],
  ['email-addr:value', { type: 'email' }],
  ['url:value', { type: 'url' }],
  ['autonomous-system:number', { type: 'asn' }],
  ['network-traffic:extensions.http-request-ext.request_header.user-agent', { type: 'user_agent' }],
  ['email-message:from_ref.value', { type: 'email' }],
  ['email-message:sender_ref.value', { type: 'email' }],
]);

const OBSERVABLE_TYPES: ReadonlySet<string> = new Set(
  [...OBSERVABLE_PATHS.keys()].map((path) => path.slice(0, path.indexOf(':'))),
);

const COMPOUND = 'compound pattern (AND / FOLLOWEDBY) not importable as single values';
const QUALIFIED =
  'qualified pattern (WITHIN / REPEATS / START…STOP) not importable as single values';

/**
 * Whether a parsed JSON document looks like STIX: a bundle, an array whose
 * first element is a STIX object, or a STIX object (`type` and an id
 * `<type>--…`).
 *
 * @example
 * isStixDocument({ type: 'bundle', id: 'bundle--…', objects: [] }); // true
 */
export function isStixDocument(document: unknown): boolean {
  if (Array.isArray(document)) return document.length > 0 && isStixObject(document[0]);
  return ownField(document, 'type') === 'bundle' || isStixObject(document);
}

function isStixObject(value: unknown): boolean {
  const type = ownField(value, 'type');
  const id = ownField(value, 'id');
  return typeof type === 'string' && typeof id === 'string' && id.startsWith(`${type}--`);
}

/**
 * Reads the indicators of a parsed STIX document. Throws
 * {@link IndicatorFileError} when the document is not STIX at all.
 *
 * @example
 * readStixIndicators([{ type: 'indicator', id: 'indicator--1', pattern: "[url:value = 'https://evil.example/']", pattern_type: 'stix' }], {});
 */
export function readStixIndicators(document: unknown, options: StixReadOptions): IndicatorImport {
  const objects = stixObjects(document);
  const reading = new IndicatorReading('stix', FIELD_NAMES);
  const graph = new StixGraph(objects);
  objects.forEach((object, i) => {
    const id = ownField(object, 'id');
    const position = `objects[${i}]` + (typeof id === 'string' ? ` (${cut(id)})` : '');
    if (!isRecord(object)) return reading.problem(position, 'not an object');
    const type = ownField(object, 'type');
    if (typeof type !== 'string') return reading.problem(position, 'type: required');
    if (type !== 'indicator') return;
    readIndicator(object, position, graph, reading, options);
  });
  return reading.result();
}

function stixObjects(document: unknown): readonly unknown[] {
  if (Array.isArray(document)) return document;
  if (ownField(document, 'type') === 'bundle') {
    const objects = ownField(document, 'objects');
    if (objects === undefined) return [];
    if (!Array.isArray(objects)) {
      throw new IndicatorFileError('expected the STIX bundle\'s "objects" to be an array');
    }
    return objects;
  }
  if (isStixObject(document)) return [document];
  throw new IndicatorFileError(
    'expected a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}), an array of STIX objects or one STIX object',
  );
}

/** The objects and relationships actors and sources are looked up in. */
class StixGraph {
  readonly #named = new Map<string, { readonly type: string; readonly name: string | undefined }>();
  readonly #indicates = new Map<string, string[]>();
  readonly #attributedTo = new Map<string, string[]>();

  constructor(objects: readonly unknown[]) {
    for (const object of objects) {
      const type = ownField(object, 'type');
      const id = ownField(object, 'id');
      if (typeof type !== 'string' || typeof id !== 'string') continue;
      if (type === 'relationship') {
        const kind = ownField(object, 'relationship_type');
        const from = ownField(object, 'source_ref');
        const to = ownField(object, 'target_ref');
        if (typeof from !== 'string' || typeof to !== 'string') continue;
        if (kind === 'indicates') push(this.#indicates, from, to);
        else if (kind === 'attributed-to') push(this.#attributedTo, from, to);
      } else {
        this.#named.set(id, { type, name: ownString(object, 'name') });
      }
    }
  }

  /** The name of an identity, for `created_by_ref`. */
  identityName(id: unknown): string | undefined {
    if (typeof id !== 'string') return undefined;
    const object = this.#named.get(id);
    return object?.type === 'identity' ? object.name : undefined;
  }

  /**
   * Every actor name an indicator is tied to, the chosen one first: an
   * intrusion-set it `indicates` directly, else the first by id of the
   * threat-actors it indicates and the intrusion-sets / threat-actors its
   * campaigns are `attributed-to`.
   */
  actorsOf(indicatorId: unknown): string[] {
    if (typeof indicatorId !== 'string') return [];
    const direct: [string, string][] = [];
    const others: [string, string][] = [];
    for (const target of this.#indicates.get(indicatorId) ?? []) {
      const object = this.#named.get(target);
      if (object?.type === 'intrusion-set' && object.name) direct.push([target, object.name]);
      else if (object?.type === 'threat-actor' && object.name) others.push([target, object.name]);
      else if (object?.type === 'campaign') {
        for (const actor of this.#attributedTo.get(target) ?? []) {
          const a = this.#named.get(actor);
          if ((a?.type === 'intrusion-set' || a?.type === 'threat-actor') && a.name) {
            others.push([actor, a.name]);
          }
        }
      }
    }
    const byId = (a: [string, string], b: [string, string]) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    const names = [...direct.sort(byId), ...others.sort(byId)].map(([, name]) => name);
    return [...new Set(names)];
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function readIndicator(
  object: Readonly<Record<string, unknown>>,
  position: string,
  graph: StixGraph,
  reading: IndicatorReading,
  options: StixReadOptions,
): void {
  const actors = graph.actorsOf(ownField(object, 'id'));
  for (const name of actors) reading.actor(name);
  if (ownField(object, 'revoked') === true) return reading.skip('revoked');
  const patternType = ownField(object, 'pattern_type');
  // STIX 2.0 indicators have no pattern_type: their patterns are STIX patterns.
  if (patternType !== undefined && patternType !== 'stix') {
    if (typeof patternType !== 'string')
      return reading.problem(position, 'pattern_type: expected a string');
    return reading.skip(`pattern_type ${cut(patternType, 40)} (only STIX patterns are imported)`);
  }
  const pattern = ownField(object, 'pattern');
  if (typeof pattern !== 'string') return reading.problem(position, 'pattern: required');
  const parsed = parseStixPattern(pattern);
  if (!parsed.ok) return reading.problem(position, `pattern: ${parsed.message}`);
  const shape = orComparisons(parsed.pattern);
  if (shape.kind === 'compound') return reading.skip(COMPOUND);
  if (shape.kind === 'qualified') return reading.skip(QUALIFIED);

  const source =
    options.source ??
    graph.identityName(ownField(object, 'created_by_ref')) ??
    options.fileName ??
    'stix';
  const base = {
    source,
    actor: actors[0],
    validFrom: ownField(object, 'valid_from'),
    validUntil: ownField(object, 'valid_until'),
    description: ownString(object, 'description') ?? ownString(object, 'name'),
    confidence: ownField(object, 'confidence'),
  };
  // One indicator may mix importable comparisons with others (an address OR a
  // file hash): import what can be, and count each other reason once.
  const reasons = new Set<string>();
  for (const comparison of shape.comparisons) {
    const values = comparisonValues(comparison);
    if (values.kind === 'skip') reasons.add(values.reason);
    else if (values.kind === 'problem') reading.problem(position, values.message);
    else {
      const field = displayPath(comparison.path);
      for (const value of values.values) {
        reading.add(position, { ...base, ...values.claim, value, field });
      }
    }
  }
  for (const reason of reasons) reading.skip(reason);
}

type ComparisonValues =
  | {
      readonly kind: 'values';
      readonly claim: { type: IndicatorType; ipVersion?: 4 | 6 };
      readonly values: readonly string[];
    }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'problem'; readonly message: string };

function comparisonValues(comparison: StixComparison): ComparisonValues {
  const { path, operator, negated, literal } = comparison;
  const key = `${path.objectType}:${path.steps.join('.')}`.toLowerCase();
  const claim = OBSERVABLE_PATHS.get(key);
  if (claim === undefined) {
    const first = typeof path.steps[0] === 'string' ? `:${cut(path.steps[0], 40)}` : '';
    return {
      kind: 'skip',
      reason: OBSERVABLE_TYPES.has(path.objectType)
        ? `pattern on ${displayPath(path)} (object path not importable)`
        : `pattern on ${cut(path.objectType, 40)}${first} (not an account-takeover observable)`,
    };
  }
  const importable =
    !negated &&
    (operator === '=' || operator === 'IN' || (operator === 'ISSUBSET' && claim.type === 'ip'));
  if (!importable || literal === undefined) {
    return {
      kind: 'skip',
      reason: `comparison ${negated ? 'NOT ' : ''}${operator} on ${displayPath(path)} not importable as a single value`,
    };
  }
  const values: string[] = [];
  for (const item of literal.kind === 'set' ? literal.values : [literal]) {
    if (item.kind === 'string') values.push(item.value);
    else if (item.kind === 'number' && claim.type === 'asn') values.push(String(item.value));
    else {
      return {
        kind: 'problem',
        message: `${displayPath(path)} compared with a ${item.kind} literal, expected ${claim.type === 'asn' ? 'a number' : 'a string'}`,
      };
    }
  }
  return { kind: 'values', claim, values };
}

/** `network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'`, as STIX writes it. */
function displayPath(path: StixObjectPath): string {
  let text = cut(path.objectType, 40) + ':';
  path.steps.forEach((step, i) => {
    if (typeof step === 'number' || step === '*') text += `[${step}]`;
    else {
      const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(step)
        ? step
        : quote(step).replace(/^"|"$/g, "'");
      text += (i === 0 ? '' : '.') + cut(plain, 40);
    }
  });
  return text;
}

function cut(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
