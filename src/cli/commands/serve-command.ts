import { parseArgs } from 'node:util';
import { openTripline } from '../../app.js';
import { buildServer } from '../../api/server.js';
import type { Command } from '../command.js';
import { parseIntegerOption } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the HTTP API',
  usage: `tripline serve [--port 8080] [--host 127.0.0.1] [--db …] [--policy FILE] [--snapshot-minutes 15] [--insecure-no-auth]

  Endpoints: POST /v1/events, POST /v1/events:batch, GET /healthz, GET /metrics.
  Requests carry "Authorization: Bearer <key>" (create one with tripline keys
  create). --insecure-no-auth turns API keys off: local experiments only.
  The engine's state is saved to the store every --snapshot-minutes (0: only
  on shutdown), so a restart after a crash replays only what came since.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        db: { type: 'string' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        'insecure-no-auth': { type: 'boolean', default: false },
        log: { type: 'boolean', default: false },
        policy: { type: 'string' },
        'snapshot-minutes': { type: 'string', default: '15' },
      },
    });
    const port = parseIntegerOption(values.port, '--port', { min: 0, max: 65535 })!;
    const snapshotMinutes = parseIntegerOption(values['snapshot-minutes'], '--snapshot-minutes', {
      min: 0,
      max: 24 * 60,
    })!;
    const app = await openTripline({
      ...(values.db ? { db: values.db } : {}),
      ...(values.policy ? { policy: values.policy } : {}),
      // Single events: on two cores, committing in place beats a thread.
      sqliteThreadFromCores: 3,
    });
    const auth = !values['insecure-no-auth'];
    const server = await buildServer(app, { auth, logger: values.log });
    if (auth && (await app.keys.list()).every((k) => k.revokedAt)) {
      io.stderr.write(
        'warning: no active API key; create one with: tripline keys create --scope ingest\n',
      );
    }
    if (!auth)
      io.stderr.write(
        'warning: API keys are OFF (--insecure-no-auth); anyone who can reach this port can write\n',
      );
    const address = await server.listen({ port, host: values.host });
    const r = app.restored;
    if (r) {
      io.stderr.write(
        `engine state: ${r.from === 'snapshot' ? `snapshot (events up to #${r.snapshotSeq}) and ` : ''}` +
          `${r.replayed.toLocaleString('en-US')} events replayed in ${r.seconds.toFixed(1)} s` +
          `${r.note ? ` (${r.note})` : ''}\n`,
      );
    }
    io.stderr.write(`tripline listening on ${address} (store: ${app.store.location})\n`);

    let saving = false;
    const timer =
      snapshotMinutes > 0
        ? setInterval(() => {
            if (saving) return;
            saving = true;
            const started = performance.now();
            app
              .saveState()
              .then((seq) => {
                if (seq !== undefined)
                  io.stderr.write(
                    `engine state saved (events up to #${seq}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
                  );
              })
              .catch((error: unknown) =>
                io.stderr.write(`engine state not saved: ${(error as Error).message}\n`),
              )
              .finally(() => (saving = false));
          }, snapshotMinutes * 60_000)
        : undefined;
    timer?.unref();

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    if (timer) clearInterval(timer);
    io.stderr.write('shutting down: finishing requests, committing queued events\n');
    await server.close();
    await app.close();
    return 0;
  },
};
