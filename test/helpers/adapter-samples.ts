/**
 * What the adapter tests share: the team's own fixture cases, the public
 * vendor samples in ../shared/conformance (absent outside this workplace: the
 * suites then skip, saying why), and the check that an adapted event is a
 * valid native event once the ingest job adds its tenant and raw record.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblems } from '../../src/domain/validation.js';
import type {
  AdaptedEvent,
  AdaptOutcome,
  VendorFormat,
} from '../../src/ingest/adapters/adapter.js';
import { validateEvent } from '../../src/ingest/validate-event.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The public vendor samples: a sibling of the repository. */
export const CONFORMANCE = join(REPO_ROOT, '..', 'shared', 'conformance');

/** The samples folder of a vendor, and the reason to skip when it is absent (false: present). */
export function conformanceDir(vendor: string): { dir: string; skip: string | false } {
  const dir = join(CONFORMANCE, vendor);
  return {
    dir,
    skip: existsSync(dir)
      ? false
      : `no ../shared/conformance (${dir} is absent: the public vendor samples live beside the repo)`,
  };
}

export interface AdapterCase {
  readonly name: string;
  readonly record: unknown;
  readonly want: AdaptOutcome;
}

/** `test/fixtures/adapters/<format>/cases.json`: records written in the vendor's format, with what they give. */
export function adapterCases(format: VendorFormat): readonly AdapterCase[] {
  return JSON.parse(
    readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'adapters', format, 'cases.json'), 'utf8'),
  ) as readonly AdapterCase[];
}

/** Sample files under a folder, sorted; Elastic's expected output, Panther's index and notes are not records. */
export function sampleFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sampleFiles(path);
      return /(\.index\.jsonl|-expected\.json|\.md)$/.test(name) ? [] : [path];
    });
}

/**
 * The records of a sample file — a JSON array, one object, or NDJSON — each
 * with its place: the line for NDJSON, the 1-based index in an array.
 */
export function sampleRecords(path: string): { readonly line: number; readonly record: unknown }[] {
  const text = readFileSync(path, 'utf8');
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('['))
    return (JSON.parse(trimmed) as unknown[]).map((record, i) => ({ line: i + 1, record }));
  try {
    return [{ line: 1, record: JSON.parse(trimmed) as unknown }];
  } catch {
    return text
      .split(/\r?\n/)
      .map((l, i) => ({ line: i + 1, text: l.trim() }))
      .filter((l) => l.text !== '')
      .map((l) => ({ line: l.line, record: JSON.parse(l.text) as unknown }));
  }
}

/** Every event is a valid native event once the ingest job adds tenant and raw. */
export function assertValidEvents(
  events: readonly AdaptedEvent[],
  raw: unknown,
  where: string,
): void {
  for (const event of events) {
    const result = validateEvent({ ...event, tenant: 'default', raw });
    assert.ok(
      result.ok,
      `${where}: ${result.ok ? '' : formatProblems(result.problems)} in ${JSON.stringify(event)}`,
    );
  }
}

/** The events of an outcome, failing the test (with `where`) when it is not events. */
export function eventsOf(outcome: AdaptOutcome, where?: string): readonly AdaptedEvent[] {
  const json = JSON.stringify(outcome);
  assert.equal(outcome.kind, 'events', where === undefined ? json : `${where}: ${json}`);
  return outcome.kind === 'events' ? outcome.events : [];
}

/** The native types the fixture cases expect, sorted: what the fixtures cover. */
export function emittedTypes(cases: readonly AdapterCase[]): string[] {
  const types = new Set(
    cases.flatMap((c) =>
      c.want.kind === 'events' ? c.want.events.map((e) => String(e.type)) : [],
    ),
  );
  return [...types].sort();
}
