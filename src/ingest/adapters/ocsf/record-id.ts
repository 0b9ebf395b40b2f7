import { createHash } from 'node:crypto';
import { objectAt, textAt } from './read-fields.js';

const MAX_VENDOR_ID = 240;

/**
 * The native event id of an OCSF record: `ocsf:<metadata.uid>`, or, when the
 * producer gave no `metadata.uid` (or an absurdly long one), `ocsf:sha256:`
 * and the first 32 hex digits of the SHA-256 of the record's canonical JSON
 * (object keys sorted at every level), so the same record always gets the
 * same id whatever order its keys came in.
 *
 * @example
 * recordId({ metadata: { uid: 'fed06f42' } }); // 'ocsf:fed06f42'
 * recordId({ class_uid: 3002 }); // 'ocsf:sha256:' + 32 hex digits
 */
export function recordId(record: unknown): string {
  const uid = textAt(objectAt(record, 'metadata'), 'uid');
  if (uid !== undefined && uid.length <= MAX_VENDOR_ID) return `ocsf:${uid}`;
  const digest = createHash('sha256').update(canonicalJson(record)).digest('hex');
  return `ocsf:sha256:${digest.slice(0, 32)}`;
}

/** JSON with sorted keys; never throws (cycles and non-JSON values get a fixed stand-in). */
function canonicalJson(value: unknown, seen: WeakSet<object> = new WeakSet()): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return 'null';
  if (seen.has(value)) return '"[cycle]"';
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item: unknown) => canonicalJson(item, seen)).join(',')}]`;
  } else {
    const keys = Object.keys(value).sort();
    const object = value as Record<string, unknown>;
    text = `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key], seen)}`).join(',')}}`;
  }
  seen.delete(value);
  return text;
}
