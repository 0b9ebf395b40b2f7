/**
 * Threat-intel indicator import: a file's text (a STIX 2.1 bundle, MISP event
 * JSON, or CSV) to validated, normalised indicators for the `ioc-match`
 * detector and attribution, with what was skipped and why, and every
 * malformed record and where it is. Pure: no I/O; the CLI and HTTP layers
 * read the file and store the result.
 *
 * A file that cannot be read as indicators at all throws
 * {@link IndicatorFileError}; a bad record never aborts the import.
 *
 * @example
 * const r = parseIndicators(await readFile('apt35.json', 'utf8'), { fileName: 'apt35.json' });
 * `${r.format}: ${r.indicators.length} indicators naming ${r.actors.join(', ')}`;
 * for (const p of r.problems) console.error(`${p.position}: ${p.message}`);
 */
import { csvRecords, readCsvIndicators } from './indicator-csv.js';
import { isMispDocument, readMispIndicators } from './indicator-misp.js';
import { INDICATOR_FORMATS, IndicatorFileError } from './indicator-reading.js';
import type { IndicatorFormat, IndicatorImport } from './indicator-reading.js';
import { isStixDocument, readStixIndicators } from './indicator-stix.js';

export { INDICATOR_FORMATS, IndicatorFileError } from './indicator-reading.js';
export type { IndicatorFormat, IndicatorImport } from './indicator-reading.js';

/**
 * How to read a file.
 *
 * @example
 * const options: ParseIndicatorsOptions = { format: 'csv', source: 'ACME CTI', fileName: 'iocs.csv' };
 */
export interface ParseIndicatorsOptions {
  /** Default `auto`: told from the content ({@link detectIndicatorFormat}). */
  readonly format?: IndicatorFormat | 'auto' | undefined;
  /** Who the indicators are credited to; default the file's own producer, else `fileName`. */
  readonly source?: string | undefined;
  readonly fileName?: string | undefined;
}

/** The text, and its JSON parsed at most once. */
class IndicatorInput {
  readonly text: string;
  #json: { value: unknown } | undefined;

  constructor(text: string) {
    this.text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  json(expected: string): unknown {
    if (this.#json === undefined) {
      try {
        this.#json = { value: JSON.parse(this.text) as unknown };
      } catch (error) {
        throw new IndicatorFileError(
          `not valid JSON (expected ${expected}): ${(error as Error).message}`,
        );
      }
    }
    return this.#json.value;
  }
}

type Reader = (input: IndicatorInput, options: ParseIndicatorsOptions) => IndicatorImport;

/** One reader per format: a new format does not compile until it has one. */
const READERS: Readonly<Record<IndicatorFormat, Reader>> = {
  stix: (input, options) => readStixIndicators(input.json('a STIX 2.1 bundle'), options),
  misp: (input, options) => readMispIndicators(input.json('MISP event JSON'), options),
  csv: (input, options) => readCsvIndicators(input.text, options),
};

const ANY_FORMAT =
  'a STIX 2.1 bundle, MISP event JSON or CSV with a header row naming "type" and "value"';

/**
 * The format of an indicator file, told from its content: JSON that is a
 * STIX bundle (or STIX objects) or a MISP event, or CSV whose first record
 * names `type` and `value` columns; undefined when it is none of them.
 *
 * @example
 * detectIndicatorFormat('{"type": "bundle", "id": "bundle--1", "objects": []}'); // 'stix'
 * detectIndicatorFormat('type,value\nip,203.0.113.7\n');                        // 'csv'
 * detectIndicatorFormat('hello');                                               // undefined
 */
export function detectIndicatorFormat(text: string): IndicatorFormat | undefined {
  try {
    return formatOf(new IndicatorInput(text), false);
  } catch (error) {
    if (error instanceof IndicatorFileError) return undefined;
    throw error;
  }
}

/**
 * Reads an indicator file (see the file comment). Throws
 * {@link IndicatorFileError}, saying what was expected, when the whole file
 * is unusable: empty, not JSON where JSON is expected, JSON that is neither
 * STIX nor MISP, CSV without `type` and `value` columns, an unknown format.
 *
 * @example
 * parseIndicators('type,value\ndomain,Evil.Example.\n', { source: 'ACME CTI' }).indicators;
 * // [{ type: 'domain', value: 'evil.example', source: 'ACME CTI' }]
 */
export function parseIndicators(text: string, options: ParseIndicatorsOptions): IndicatorImport {
  const requested = options.format ?? 'auto';
  if (requested !== 'auto' && !(INDICATOR_FORMATS as readonly string[]).includes(requested)) {
    throw new IndicatorFileError(
      `unknown indicator format ${JSON.stringify(String(requested)).slice(0, 60)} (expected auto, ${INDICATOR_FORMATS.join(', ')})`,
    );
  }
  const input = new IndicatorInput(text);
  if (input.text.trim() === '')
    throw new IndicatorFileError(`the file is empty (expected ${ANY_FORMAT})`);
  const format = requested === 'auto' ? formatOf(input, true) : requested;
  return READERS[format](input, options);
}

/**
 * The format of non-empty input; throws when it is JSON of no known kind or
 * not JSON and no CSV. `likelyCsv`: text with commas on its first line is
 * read as CSV even without the right header, so the error names the columns
 * it lacks.
 */
function formatOf(input: IndicatorInput, likelyCsv: boolean): IndicatorFormat {
  const first = input.text.trimStart()[0];
  if (first === '{' || first === '[') {
    const document = input.json('a STIX 2.1 bundle or MISP event JSON');
    if (isStixDocument(document)) return 'stix';
    if (isMispDocument(document)) return 'misp';
    throw new IndicatorFileError(
      `expected a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}) or a MISP event ({"Event": {...}}), found ${describe(document)}`,
    );
  }
  const header = csvRecords(input.text).next();
  const names = header.done ? [] : header.value.fields.map((f) => f.trim().toLowerCase());
  if (names.includes('type') && names.includes('value')) return 'csv';
  if (likelyCsv && names.length > 1) return 'csv';
  throw new IndicatorFileError(`cannot tell the format (expected ${ANY_FORMAT})`);
}

function describe(document: unknown): string {
  if (Array.isArray(document)) return `an array of ${document.length} item(s)`;
  if (document === null) return 'null';
  if (typeof document !== 'object') return `a ${typeof document}`;
  const keys = Object.keys(document);
  const shown = keys
    .slice(0, 5)
    .map((k) => JSON.stringify(k.length > 30 ? `${k.slice(0, 30)}…` : k));
  return keys.length === 0
    ? 'an empty object'
    : `an object with ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
}
