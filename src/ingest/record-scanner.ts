/**
 * Splits a stream of JSON text into records, whatever shape the vendor
 * delivered: NDJSON (one record per line), a JSON array of records, or an
 * API response wrapping the array (`{"value": […]}` from Microsoft Graph,
 * `{"records": […]}` from Azure Event Hub / diagnostic settings,
 * `{"items": […]}` from the Google Reports API) — several of them
 * concatenated too, as paged exports are. It never holds more than the record
 * at hand: a multi-GB array streams in constant memory.
 *
 * Only the structure is scanned (brackets, strings and escapes); each record's
 * text is then parsed with `JSON.parse`. A record that does not parse, or that
 * is larger than the limit, is reported with its position and the scan goes
 * on with the next one.
 *
 * @example
 * const scanner = new RecordScanner();
 * for (const r of scanner.push('[{"a":1},\n{"a":2}]')) r.value; // {a:1}, {a:2}
 * scanner.end(); // [] (or the unfinished record as an error)
 */

/** Keys whose array value holds the records of an API response. */
export const WRAPPER_KEYS: ReadonlySet<string> = new Set(['value', 'records', 'items']);

export interface ScannedRecord {
  /** Where it is, for people: `line 12`, or `record 7 (line 40)` inside an array. */
  readonly position: string;
  /** The parsed record, unless `error` is set. */
  readonly value?: unknown;
  readonly error?: string;
  /** Its text (cut to the first 4 KB when it is an error), for the quarantine. */
  readonly text: string;
}

export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
/** Lines up to this long are tried whole with `JSON.parse` first (NDJSON). */
const FAST_LINE_CHARS = 1024 * 1024;

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const COMMA = 0x2c;

/** A record being gathered: from `depth` (its opening bracket) to the matching close. */
interface Capture {
  parts: string[];
  chars: number;
  readonly depth: number;
  readonly line: number;
  /** Its ordinal inside an array (undefined at top level). */
  readonly index: number | undefined;
  tooLarge: boolean;
}

export class RecordScanner {
  readonly #maxChars: number;
  /** Open containers, innermost last: `{` or `[`. */
  readonly #stack: number[] = [];
  #inString = false;
  #escape = false;
  #line = 1;
  /** Depth at which array elements are records (0: top-level values are). */
  #recordDepth = 0;
  /** Array elements seen so far in the input (records are numbered across pages). */
  #index = 0;
  #capture: Capture | undefined;
  /** Inside a top-level object: the key being read, and whether a string now is a key. */
  #key: string[] | undefined;
  #lastKey = '';
  #expectKey = false;
  /** A top-level value that is neither an object nor an array: skipped to the end of its line. */
  #junk: { line: number; text: string } | undefined;
  constructor(options: { maxChars?: number } = {}) {
    this.#maxChars = options.maxChars ?? MAX_RECORD_CHARS;
  }

  /** Feeds a chunk; returns the records it completed. */
  push(chunk: string): ScannedRecord[] {
    const out: ScannedRecord[] = [];
    const stack = this.#stack;
    let from = 0; // start of the capture's text within this chunk
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) {
        this.#line++;
        if (this.#junk) {
          out.push(junkRecord(this.#junk));
          this.#junk = undefined;
        }
        continue;
      }
      if (this.#junk) {
        if (this.#junk.text.length < 200) this.#junk.text += chunk[i];
        continue;
      }
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === BACKSLASH) this.#escape = true;
        else if (c === QUOTE) {
          this.#inString = false;
          if (this.#key) {
            this.#lastKey = this.#key.join('');
            this.#key = undefined;
          }
        } else if (this.#key && this.#key.length < 64) this.#key.push(chunk[i]!);
        continue;
      }
      const depth = stack.length;
      switch (c) {
        case QUOTE:
          this.#inString = true;
          // A key of the top-level object: watched for a wrapper key.
          if (depth === 1 && stack[0] === OPEN_OBJECT && this.#expectKey) {
            this.#key = [];
            this.#expectKey = false;
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          if (depth === 0) {
            this.#lastKey = '';
            if (c === OPEN_OBJECT) {
              // NDJSON's fast path: a whole line that parses as a record is one.
              const fast = this.#wholeLine(chunk, i);
              if (fast) {
                out.push(fast.record);
                i = fast.end - 1; // the newline is counted on the next turn
                continue;
              }
              // Maybe a record, maybe a wrapper: gathered until a wrapper key says otherwise.
              this.#recordDepth = 0;
              this.#expectKey = true;
              this.#start(0, undefined);
              from = i;
            } else {
              this.#recordDepth = 1;
            }
          } else if (
            depth === 1 &&
            stack[0] === OPEN_OBJECT &&
            c === OPEN_ARRAY &&
            WRAPPER_KEYS.has(this.#lastKey) &&
            this.#recordDepth === 0
          ) {
            // `{"value": [` — a wrapper: its elements are the records.
            this.#capture = undefined;
            this.#recordDepth = 2;
          } else if (depth === this.#recordDepth && this.#recordDepth > 0) {
            this.#index++;
            this.#start(depth, this.#index);
            from = i;
          }
          stack.push(c);
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          stack.pop();
          const cap = this.#capture;
          if (cap && stack.length === cap.depth) {
            this.#append(chunk.slice(from, i + 1));
            out.push(this.#finish(cap));
            this.#capture = undefined;
          }
          if (stack.length === 0) this.#recordDepth = 0;
          else if (stack.length === 1 && this.#recordDepth === 2 && c === CLOSE_ARRAY)
            this.#recordDepth = -1; // the rest of the wrapper is not records
          break;
        }
        case COMMA:
          if (depth === 1 && stack[0] === OPEN_OBJECT) this.#expectKey = true;
          break;
        case COLON:
          break;
        default:
          if (depth === 0 && c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0xfeff)
            this.#junk = { line: this.#line, text: chunk[i]! };
      }
    }
    if (this.#capture) this.#append(chunk.slice(from));
    return out;
  }

  /** The end of the input: an unfinished record is an error. */
  end(): ScannedRecord[] {
    const out: ScannedRecord[] = [];
    if (this.#junk) out.push(junkRecord(this.#junk));
    const cap = this.#capture;
    if (cap) {
      out.push({
        position: position(cap),
        error: 'the input ends inside this record',
        text: cap.parts.join('').slice(0, 4096),
      });
    }
    this.#capture = undefined;
    this.#junk = undefined;
    return out;
  }

  /**
   * The line from `i` (an opening brace at top level) to the next newline in
   * this chunk, when it is one complete record: it parses, is not too long
   * and is not a wrapper. Anything else is left to the scan, which reports it
   * as before.
   */
  #wholeLine(chunk: string, i: number): { record: ScannedRecord; end: number } | undefined {
    const end = chunk.indexOf('\n', i);
    if (end === -1 || end - i > Math.min(FAST_LINE_CHARS, this.#maxChars)) return undefined;
    const text = chunk.slice(i, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    for (const key of WRAPPER_KEYS)
      if (Array.isArray((value as Record<string, unknown>)[key])) return undefined;
    return { record: { position: `line ${this.#line}`, value, text: text.trimEnd() }, end };
  }

  #start(depth: number, index: number | undefined): void {
    this.#capture = { parts: [], chars: 0, depth, line: this.#line, index, tooLarge: false };
  }

  #append(text: string): void {
    const cap = this.#capture!;
    if (cap.tooLarge) return;
    cap.chars += text.length;
    if (cap.chars > this.#maxChars) {
      // Constant memory: keep its start for the quarantine, drop the rest.
      cap.tooLarge = true;
      cap.parts = [cap.parts.join('').slice(0, 4096)];
      return;
    }
    cap.parts.push(text);
  }

  #finish(cap: Capture): ScannedRecord {
    if (cap.tooLarge)
      return {
        position: position(cap),
        error: `record larger than ${this.#maxChars / 1024 / 1024} MiB`,
        text: cap.parts[0] ?? '',
      };
    const text = cap.parts.length === 1 ? cap.parts[0]! : cap.parts.join('');
    try {
      return { position: position(cap), value: JSON.parse(text), text };
    } catch (error) {
      return {
        position: position(cap),
        error: `invalid JSON: ${(error as Error).message}`,
        text: text.slice(0, 4096),
      };
    }
  }
}

function position(cap: Capture): string {
  return cap.index === undefined ? `line ${cap.line}` : `record ${cap.index} (line ${cap.line})`;
}

function junkRecord(junk: { line: number; text: string }): ScannedRecord {
  return {
    position: `line ${junk.line}`,
    error: 'not JSON: expected an object or an array',
    text: junk.text,
  };
}
