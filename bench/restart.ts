/**
 * `npm run bench:restart -- sqlite:PATH`: how long opening a store with
 * scoring on takes — from the saved snapshot, then by replaying every event.
 * Run it on a database a `tripline ingest` has filled (and closed).
 */
import { openTripline } from '../src/app.js';

const db = process.argv[2];
if (!db) throw new Error('usage: restart.ts DB');
for (const snapshot of [true, false]) {
  const app = await openTripline({ db, snapshot });
  const r = app.restored!;
  process.stdout.write(
    `${snapshot ? 'from snapshot' : 'replay only  '}: ${r.seconds.toFixed(2)} s ` +
      `(${r.from}, snapshot seq ${r.snapshotSeq}, ${r.replayed} events replayed, ${app.engine!.accounts} accounts)\n`,
  );
  await app.close();
}
const app = await openTripline({ db });
const saved = await app.store.loadEngineState();
process.stdout.write(`snapshot size: ${((saved?.data.length ?? 0) / 1048576).toFixed(1)} MiB\n`);
await app.close();
