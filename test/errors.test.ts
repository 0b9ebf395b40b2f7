import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERRORS } from '../src/errors.js';

test('docs/errors.md lists exactly the catalog, with the same statuses', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  const catalog = Object.entries(ERRORS).map(([code, e]) => [code, e.status]);
  assert.deepEqual(
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    catalog.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
});
