/**
 * A read-only view of one Microsoft 365 unified audit log record, whatever
 * shape it came in: the Management Activity API's PascalCase record, the same
 * record with lower-cased keys (Panther's data lake), a Purview export row or
 * Graph `auditLogQuery` record wrapping it in `AuditData` / `auditData`, or a
 * Sentinel `OfficeActivity` row. Keys are matched case-insensitively (an exact
 * match wins), `{Name, Value}` lists may be arrays or JSON strings of arrays.
 *
 * Never throws: every accessor returns `undefined` for what is absent or of
 * the wrong type.
 *
 * @example
 * const view = M365AuditRecord.from({ CreationTime: '2020-02-10T15:13:13', Operation: 'UserLoggedIn' });
 * if (view.ok) view.record.string('operation'); // 'UserLoggedIn'
 */
import { addressOf } from '../address-text.js';
import { describe, isObject } from '../../field-checks.js';

type Fields = ReadonlyMap<string, unknown>;

/**
 * The outcome of reading a record: the view, or why it is not one.
 *
 * @example
 * const view = M365AuditRecord.from(42); // { ok: false, message: 'a Microsoft 365 audit record must be a JSON object, got a number' }
 */
export type M365AuditRecordView =
  | { readonly ok: true; readonly record: M365AuditRecord }
  | { readonly ok: false; readonly message: string };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Case-insensitive, type-checked access to one audit record's fields.
 *
 * @example
 * const view = M365AuditRecord.from({ operation: 'Set-Mailbox', parameters: [{ Name: 'Identity', Value: 'a@b.example' }] });
 * if (view.ok) view.record.nameValues('Parameters').get('identity'); // 'a@b.example'
 */
export class M365AuditRecord {
  readonly #fields: Fields;
  /** The export wrapper's fields (`CreationDate`, `UserIds`, `Operations`), when there was one. */
  readonly #wrapper: Fields | undefined;

  private constructor(fields: Fields, wrapper: Fields | undefined) {
    this.#fields = fields;
    this.#wrapper = wrapper;
  }

  /** The view of `value`, unwrapping `AuditData` when present; not ok for a non-object or an unreadable `AuditData`. */
  static from(value: unknown): M365AuditRecordView {
    if (!isObject(value)) {
      return {
        ok: false,
        message: `a Microsoft 365 audit record must be a JSON object, got ${describe(value)}`,
      };
    }
    const outer = fieldsOf(value);
    const auditData = lookup(outer, 'AuditData');
    if (auditData === undefined || auditData === null || auditData === '') {
      return { ok: true, record: new M365AuditRecord(outer, undefined) };
    }
    const inner = typeof auditData === 'string' ? parseJson(auditData) : auditData;
    if (!isObject(inner)) {
      return { ok: false, message: 'AuditData is not a JSON object (nor a JSON string of one)' };
    }
    return { ok: true, record: new M365AuditRecord(fieldsOf(inner), outer) };
  }

  /** The raw value of the first of `names` the record has (the wrapper's as a fallback). */
  value(...names: readonly string[]): unknown {
    for (const name of names) {
      const v = lookup(this.#fields, name);
      if (v !== undefined && v !== null) return v;
    }
    if (this.#wrapper) {
      for (const name of names) {
        const v = lookup(this.#wrapper, name);
        if (v !== undefined && v !== null) return v;
      }
    }
    return undefined;
  }

  /** A trimmed non-empty string (numbers and booleans as text), or undefined. */
  string(...names: readonly string[]): string | undefined {
    return text(this.value(...names));
  }

  /** A nested object field as its own view (`AppAccessContext`), or undefined. */
  object(name: string): M365AuditRecord | undefined {
    const v = jsonValue(this.value(name));
    return isObject(v) ? new M365AuditRecord(fieldsOf(v), undefined) : undefined;
  }

  /** The plain-object entries of a list field (`Target`, `Actor`, `ModifiedProperties`) as views. */
  list(name: string): readonly M365AuditRecord[] {
    const v = jsonValue(this.value(name));
    if (!Array.isArray(v)) return [];
    const out: M365AuditRecord[] = [];
    for (const item of v) {
      if (isObject(item)) out.push(new M365AuditRecord(fieldsOf(item), undefined));
    }
    return out;
  }

  /**
   * A `[{Name, Value}]` list (`Parameters`, `ExtendedProperties`,
   * `OperationProperties`, `DeviceProperties`) as a map keyed by the
   * lower-cased name; the first entry of a name wins. Values are text; an
   * empty value is kept as `''` (Set-Mailbox clears forwarding that way).
   */
  nameValues(name: string): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const entry of this.list(name)) {
      const key = entry.string('Name');
      if (key === undefined) continue;
      const lower = key.toLowerCase();
      if (out.has(lower)) continue;
      const v = entry.value('Value');
      out.set(lower, text(v) ?? '');
    }
    return out;
  }
}

/**
 * The record's time as UTC ISO 8601: `CreationTime` without a zone is UTC
 * (Microsoft's schema says so); Panther's `2022-12-12 22:19:00.000000000` too.
 *
 * @example
 * parseAuditTime('2020-02-07T20:49:49'); // '2020-02-07T20:49:49.000Z'
 * parseAuditTime('2026-02-30T10:00:00'); // undefined
 */
export function parseAuditTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m as unknown as readonly string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (year < 1970 || year >= 3000 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}

/**
 * The address in a `ClientIP`-like value: `1.2.3.4:10736` → `1.2.3.4`,
 * `[2001:db8::1]:443` → `2001:db8::1`; placeholders (`null`, `<null>`, ``) and
 * anything that is not an address give undefined.
 *
 * @example
 * parseClientIp('[2001:db8::1]:443'); // '2001:db8::1'
 */
export function parseClientIp(value: string | undefined): string | undefined {
  return value === undefined ? undefined : addressOf(value);
}

/**
 * Whether `s` looks like an email address (`account.email`, forwarding targets).
 *
 * @example
 * isEmailAddress('ana@contoso.example'); // true
 */
export function isEmailAddress(s: string): boolean {
  return s.length <= 320 && EMAIL.test(s);
}

/** Own enumerable keys only (a JSON `__proto__` key is an ordinary field here, never a prototype). */
function fieldsOf(obj: Record<string, unknown>): Fields {
  const out = new Map<string, unknown>();
  for (const key of Object.keys(obj)) out.set(key, obj[key]);
  return out;
}

function lookup(fields: Fields, name: string): unknown {
  if (fields.has(name)) return fields.get(name);
  const lower = name.toLowerCase();
  for (const [key, v] of fields) {
    if (key.toLowerCase() === lower) return v;
  }
  return undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return undefined;
}

/** Sentinel's `OfficeActivity` keeps lists as JSON text: read those as JSON. */
function jsonValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  return t.startsWith('[') || t.startsWith('{') ? parseJson(t) : v;
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}
