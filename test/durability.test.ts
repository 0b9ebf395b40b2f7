/**
 * A 2xx means committed: kill -9 the server while it is under load, reopen
 * the store, and every acknowledged event must be there.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openTripline } from '../src/app.js';
import { openStore } from '../src/store/open-store.js';
import { backends } from './helpers/backends.js';
import { startServer } from './helpers/cli.js';
import { event } from './helpers/events.js';

for (const { backend, skip } of await backends()) {
  describe(`crash durability: ${backend.name}`, { skip }, () => {
    after(() => backend.cleanup());

    test('kill -9 right after 2xx loses no acknowledged event', { timeout: 60_000 }, async () => {
      const db = await backend.fresh();
      const setup = await openTripline({ db });
      const { key } = await setup.keys.create({ scope: 'ingest' });
      await setup.close();

      const { child, url } = await startServer(['--db', db]);
      const acked = new Set<string>();
      let sent = 0;
      let stop = false;
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const batch = i % 2 === 0;
          const ids = batch ? [0, 1, 2, 3, 4].map((k) => `w${w}-${i}-${k}`) : [`w${w}-${i}`];
          const bodies = ids.map((id) => event({ id, account: { id: `u-${w}` } }));
          sent += ids.length;
          try {
            const res = await fetch(`${url}${batch ? '/v1/events:batch' : '/v1/events'}`, {
              method: 'POST',
              headers,
              body: JSON.stringify(batch ? bodies : bodies[0]),
            });
            if (res.status === 200) {
              await res.arrayBuffer();
              for (const id of ids) acked.add(id);
              if (acked.size >= 400 && !stop) {
                // Kill the moment we hold enough acknowledgements, with other requests in flight.
                stop = true;
                child.kill('SIGKILL');
              }
            }
          } catch {
            return; // the server is gone
          }
        }
      };
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      await exited;

      assert.ok(acked.size >= 400, `only ${acked.size} acknowledged`);
      const store = await openStore(db);
      try {
        const missing: string[] = [];
        for (const id of acked) if (!(await store.getEvent('default', id))) missing.push(id);
        assert.deepEqual(
          missing,
          [],
          `${missing.length} of ${acked.size} acknowledged events lost (sent ${sent})`,
        );
      } finally {
        await store.close();
      }
    });
  });
}
