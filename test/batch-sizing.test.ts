/**
 * File batches on a store that commits on the main thread: small while the
 * ids count up, large once they look random; and the ingest loop takes the
 * next size from each full batch.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EventRow } from '../src/domain/event-row.js';
import {
  LARGE_BATCH,
  SMALL_BATCH,
  idsCountUp,
  inlineBatchSize,
} from '../src/ingest/batch-sizing.js';
import { ingestNdjson } from '../src/ingest/ingest-ndjson.js';
import { parseEventLine } from '../src/ingest/parse-event-line.js';
import { QuarantineFile } from '../src/ingest/quarantine-file.js';
import { event } from './helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-batch-sizing-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rows = (ids: string[]) => ids.map((id) => ({ event: { id } }) as unknown as EventRow);
const counting = Array.from({ length: 500 }, (_, i) => `evt-${String(i).padStart(8, '0')}`);

test('ids that count up keep batches small; random ids make them large', () => {
  assert.equal(idsCountUp(rows(counting)), true);
  assert.equal(inlineBatchSize(rows(counting)), SMALL_BATCH);
  const uuids = counting.map(() => randomUUID());
  assert.equal(idsCountUp(rows(uuids)), false);
  assert.equal(inlineBatchSize(rows(uuids)), LARGE_BATCH);
  // A few late events out of order are still counting ids.
  const late = [...counting];
  for (let i = 10; i < 500; i += 50) [late[i], late[i + 1]] = [late[i + 1]!, late[i]!];
  assert.equal(idsCountUp(rows(late)), true);
  assert.equal(idsCountUp(rows([])), true);
});

test('the ingest loop sends each batch at the size the one before it asked for', async () => {
  const file = join(dir, 'events.ndjson');
  writeFileSync(
    file,
    Array.from({ length: 20 }, (_, i) => JSON.stringify(event({ id: `e-${i}` }))).join('\n') + '\n',
  );
  const sizes: number[] = [];
  const asked: number[] = [];
  const summary = await ingestNdjson<EventRow>({
    files: [file],
    parse: (text) => parseEventLine(text),
    sink: async (batch) => {
      sizes.push(batch.length);
      return batch.map(() => 'accepted' as const);
    },
    quarantine: new QuarantineFile(join(dir, 'q.ndjson')),
    batchSize: 3,
    nextBatchSize: (batch) => {
      asked.push(batch.length);
      return 5;
    },
  });
  assert.equal(summary.accepted, 20);
  assert.deepEqual(sizes, [3, 5, 5, 5, 2]);
  assert.deepEqual(asked, [3, 5, 5, 5]);
});
