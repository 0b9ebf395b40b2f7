/**
 * One NDJSON line → a validated directory record, or a rejection.
 *
 * @example
 * parseDirectoryLine('{"account":{"id":"u-42"},"recovery":[],"mfa":[]}');
 */
import type { DirectoryRecord } from '../domain/directory-record.js';
import type { LineParse } from './ingest-ndjson.js';
import { parseJsonLine, rejection } from './ingest-ndjson.js';
import { validateDirectoryRecord } from './validate-directory-record.js';

export function parseDirectoryLine(
  text: string,
  defaultTenant?: string,
): LineParse<DirectoryRecord> {
  const json = parseJsonLine(text);
  if (!json.ok) return json;
  const result = validateDirectoryRecord(json.value, defaultTenant ? { defaultTenant } : {});
  return result.ok ? { ok: true, value: result.value } : rejection(result.problems);
}
