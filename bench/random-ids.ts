/**
 * Writes a copy of a native events file with every id replaced by a random
 * UUID, as vendors' ids are (Okta, Entra, Microsoft 365): the ingest bench on
 * it measures what the `(tenant, id)` index costs when ids do not count up
 * (docs/PERFORMANCE.md, "Random ids").
 *
 *   node --import tsx bench/random-ids.ts IN.ndjson OUT.ndjson
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: random-ids IN.ndjson OUT.ndjson');
const out = createWriteStream(output);
let n = 0;
for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
  if (line.trim() === '') continue;
  const event = JSON.parse(line) as { id?: string };
  event.id = randomUUID();
  if (!out.write(JSON.stringify(event) + '\n')) await once(out, 'drain');
  n++;
}
out.end();
await once(out, 'finish');
process.stdout.write(`${n} events with random ids -> ${output}\n`);
