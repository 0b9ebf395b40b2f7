/**
 * Campaigns in hindsight, through the product: a credential-stuffing burst
 * stops a traveller's first sign-in from a new tablet abroad along with the
 * stuffing's own hit. Both look like the burst's way in, until the traveller
 * keeps using that tablet there for days: then the campaign counts only the
 * hit as compromised, without a new signal reaching the correlator.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openTripline } from '../src/app.js';
import type { Tripline } from '../src/app.js';
import type { EventRow } from '../src/domain/event-row.js';
import { toEventRow } from '../src/ingest/parse-event-line.js';
import { ACCOUNTS, DAY, HOUR, home, signins, T0 } from './helpers/home-tenant.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-hindsight-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const signin = signins('h');
let sessions = 0;
function row(...args: Parameters<typeof signin>): EventRow {
  const value = { ...signin(...args), session: { id: `s-${++sessions}` } };
  const parsed = toEventRow(value, JSON.stringify(value));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

async function submit(app: Tripline, rows: EventRow[]): Promise<void> {
  const results = await app.writer.submit(rows, 'test');
  assert.ok(results.every((r) => r.status === 'accepted'));
}

function compromised(app: Tripline): string[] {
  const list = app.campaigns!.list('default');
  assert.equal(list.length, 1, list.map((c) => `${c.id} ${c.targeted_count}`).join(', '));
  return list[0]!.targets.filter((t) => t.compromised).map((t) => t.account_id);
}

test('a traveller the burst stopped who settles where they went is not compromised; the hit still is', async () => {
  const app = await openTripline({ db: `sqlite:${join(dir, 'h.db')}` });
  try {
    // Eight days of ordinary life: every account signs in from home on its laptop, twice a day.
    const ordinary: EventRow[] = [];
    for (let d = 0; d < 8; d++)
      for (const h of [0, 9])
        for (let i = 0; i < ACCOUNTS; i++) {
          const at = T0 + d * DAY + h * HOUR + i * 30_000;
          ordinary.push(row(at, `u-${i}`, home(i), `laptop-${i}`));
        }
    await submit(app, ordinary);
    // Stuffing: forty accounts tried within the hour, each from a fresh residential exit.
    const start = T0 + 8 * DAY + 3 * HOUR;
    const burst: EventRow[] = [];
    for (let i = 0; i < 40; i++)
      burst.push(
        row(start + i * 60_000, `u-${i}`, `98.${100 + i}.${(i * 11) % 250}.9`, `d-${i}`, 'failure'),
      );
    // The stuffing's hit, and a traveller landing in Paris with a new tablet, in the same hour.
    burst.push(row(start + 45 * 60_000, 'u-52', '98.200.3.9', 'd-stuff-hit'));
    burst.push(row(start + 46 * 60_000, 'u-55', '90.56.95.43', 'tablet-55'));
    await submit(app, burst);
    assert.deepEqual(compromised(app).sort(), ['u-52', 'u-55']);

    // The traveller stays: the tablet in Paris, every morning and evening for three days.
    const stay: EventRow[] = [];
    for (let d = 1; d <= 3; d++)
      for (const h of [8, 20])
        stay.push(row(start + d * DAY + h * HOUR, 'u-55', '90.56.95.43', 'tablet-55'));
    await submit(app, stay);
    assert.deepEqual(compromised(app), ['u-52']);
  } finally {
    await app.close();
  }
});
