/**
 * Indicators from CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF,
 * a byte-order mark). A header row is required and read case-insensitively:
 * `type` and `value`, optionally `actor`, `source`, `valid_from`,
 * `valid_until`, `description`, `confidence`. Type names may be Tripline's
 * (`ip`, `asn`, `user_agent`, …), STIX's (`ipv4-addr`, `domain-name`, …) or
 * MISP's (`ip-dst`, `email-src`, …). Lines starting with `#` are comments.
 * Problems carry the line the record starts on (`line 14`).
 *
 * @example
 * readCsvIndicators('type,value,actor\nip,203.0.113.7,APT35\n', { fileName: 'iocs.csv' }).indicators;
 * // [{ type: 'ip', value: '203.0.113.7', source: 'iocs.csv', actor: 'APT35' }]
 */
import type { IndicatorType } from '../domain/indicator.js';
import { IndicatorFileError, IndicatorReading } from './indicator-reading.js';
import type { ClaimFieldNames, IndicatorImport } from './indicator-reading.js';

/**
 * Where indicators are credited when the file does not say.
 *
 * @example
 * readCsvIndicators(text, { source: 'ACME CTI' });
 */
export interface CsvReadOptions {
  /** Overrides the `source` column. */
  readonly source?: string | undefined;
  /** Used when neither `source` nor the row names one. */
  readonly fileName?: string | undefined;
}

/**
 * One CSV record: its fields and the line it starts on, or why it is malformed.
 *
 * @example
 * const r: CsvRecord = { line: 3, fields: ['ip', '203.0.113.7'] };
 */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
  readonly error?: string;
}

const FIELD_NAMES: ClaimFieldNames = {
  validFrom: 'valid_from',
  validUntil: 'valid_until',
  confidence: 'confidence',
};

type Column =
  | 'type'
  | 'value'
  | 'actor'
  | 'source'
  | 'valid_from'
  | 'valid_until'
  | 'description'
  | 'confidence';

/** Header names (lower case, `-` and spaces as `_`) and the column each means. */
const COLUMNS: ReadonlyMap<string, Column> = new Map<string, Column>([
  ['type', 'type'],
  ['value', 'value'],
  ['actor', 'actor'],
  ['source', 'source'],
  ['valid_from', 'valid_from'],
  ['first_seen', 'valid_from'],
  ['valid_until', 'valid_until'],
  ['last_seen', 'valid_until'],
  ['description', 'description'],
  ['comment', 'description'],
  ['confidence', 'confidence'],
]);

/** Type names (lower case, `_` as `-`) and the indicator type each means. */
const TYPE_NAMES: ReadonlyMap<string, { type: IndicatorType; ipVersion?: 4 | 6 }> = new Map<
  string,
  { type: IndicatorType; ipVersion?: 4 | 6 }
>([
  ['ip', { type: 'ip' }],
  ['ipv4', { type: 'ip', ipVersion: 4 }],
  ['ipv6', { type: 'ip', ipVersion: 6 }],
  ['cidr', { type: 'ip' }],
  ['network', { type: 'ip' }],
  ['ipv4-addr', { type: 'ip', ipVersion: 4 }],
  ['ipv6-addr', { type: 'ip', ipVersion: 6 }],
  ['ip-src', { type: 'ip' }],
  ['ip-dst', { type: 'ip' }],
  ['asn', { type: 'asn' }],
  ['as', { type: 'asn' }],
  ['autonomous-system', { type: 'asn' }],
  ['domain', { type: 'domain' }],
  ['hostname', { type: 'domain' }],
  ['domain-name', { type: 'domain' }],
  ['email', { type: 'email' }],
  ['email-addr', { type: 'email' }],
  ['email-src', { type: 'email' }],
  ['email-dst', { type: 'email' }],
  ['email-reply-to', { type: 'email' }],
  ['url', { type: 'url' }],
  ['user-agent', { type: 'user_agent' }],
]);

/**
 * Reads the indicators of a CSV file. Throws {@link IndicatorFileError} when
 * there is no header row naming `type` and `value`.
 *
 * @example
 * readCsvIndicators('\uFEFFType,Value\r\ndomain,evil.example\r\n', {}).indicators[0]?.value; // 'evil.example'
 */
export function readCsvIndicators(text: string, options: CsvReadOptions): IndicatorImport {
  const records = csvRecords(text);
  const header = records.next();
  if (header.done) {
    throw new IndicatorFileError(
      'expected a CSV header row naming the columns "type" and "value"; the file is empty',
    );
  }
  const columns = new Map<Column, number>();
  header.value.fields.forEach((name, i) => {
    const column = COLUMNS.get(
      name
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_'),
    );
    if (column !== undefined && !columns.has(column)) columns.set(column, i);
  });
  const typeAt = columns.get('type');
  const valueAt = columns.get('value');
  if (header.value.error !== undefined || typeAt === undefined || valueAt === undefined) {
    const found = header.value.fields.join(', ');
    throw new IndicatorFileError(
      `expected a CSV header row naming the columns "type" and "value" (line ${header.value.line} has: ${found.length > 120 ? `${found.slice(0, 120)}…` : found})`,
    );
  }
  const width = header.value.fields.length;
  const reading = new IndicatorReading('csv', FIELD_NAMES);
  for (const record of records) {
    const position = `line ${record.line}`;
    if (record.error === undefined && record.fields.every((f) => f.trim() === '')) continue;
    if (record.error !== undefined) {
      reading.problem(position, record.error);
      continue;
    }
    if (record.fields.length > width) {
      reading.problem(
        position,
        `${record.fields.length} fields, the header has ${width} (quote values that contain commas)`,
      );
      continue;
    }
    const field = (column: Column): string | undefined => {
      const i = columns.get(column);
      const value = i === undefined ? undefined : record.fields[i]?.trim();
      return value === '' ? undefined : value;
    };
    const typeName = field('type');
    const value = field('value');
    if (typeName === undefined) {
      reading.problem(position, 'type: required');
      continue;
    }
    if (value === undefined) {
      reading.problem(position, 'value: required');
      continue;
    }
    const actor = field('actor');
    if (actor !== undefined) reading.actor(actor);
    const type = TYPE_NAMES.get(typeName.toLowerCase().replace(/_/g, '-'));
    if (type === undefined) {
      const shown = typeName.length > 40 ? `${typeName.slice(0, 40)}…` : typeName;
      reading.skip(`type ${shown} (not an account-takeover observable)`);
      continue;
    }
    reading.add(position, {
      ...type,
      value,
      field: 'value',
      source: options.source ?? field('source') ?? options.fileName ?? 'csv',
      actor,
      validFrom: field('valid_from'),
      validUntil: field('valid_until'),
      description: field('description'),
      confidence: field('confidence'),
    });
  }
  return reading.result();
}

/**
 * The records of a CSV text, skipping blank lines and `#` comment lines
 * (outside quoted fields). A lone CR ends a line as CRLF and LF do.
 *
 * @example
 * [...csvRecords('a,"b ""c"""\n# note\nd,e')]; // [{ line: 1, fields: ['a', 'b "c"'] }, { line: 3, fields: ['d', 'e'] }]
 */
export function* csvRecords(text: string): Generator<CsvRecord, void, undefined> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  const newlineLength = (at: number): number =>
    text[at] === '\n' ? 1 : text[at] === '\r' ? (text[at + 1] === '\n' ? 2 : 1) : 0;

  while (i < n) {
    const start = line;
    if (newlineLength(i) > 0) {
      i += newlineLength(i);
      line++;
      continue;
    }
    if (text[i] === '#') {
      while (i < n && newlineLength(i) === 0) i++;
      continue;
    }
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1) {
            error ??= `unterminated quoted field (opened on line ${line})`;
            value += text.slice(from);
            i = n;
            break;
          }
          value += text.slice(from, quote);
          if (text[quote + 1] === '"') {
            value += '"';
            from = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) line++;
        if (i < n && text[i] !== ',' && newlineLength(i) === 0) {
          error ??= `text after the closing quote of field ${fields.length + 1}`;
          while (i < n && text[i] !== ',' && newlineLength(i) === 0) i++;
        }
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && newlineLength(i) === 0) i++;
        value = text.slice(from, i);
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      const end = newlineLength(i);
      if (end > 0) {
        i += end;
        line++;
      }
      break;
    }
    yield error === undefined ? { line: start, fields } : { line: start, fields, error };
  }
}
