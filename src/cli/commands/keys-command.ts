import { parseArgs } from 'node:util';
import { openTripline } from '../../app.js';
import { API_SCOPES } from '../../auth/api-keys.js';
import type { ApiScope } from '../../store/port.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Create, list and revoke API keys',
  usage: `tripline keys create --scope ingest|read|admin [--name NAME] [--db …]
tripline keys list [--json] [--db …]
tripline keys revoke ID [--db …]

  A key is printed once, on creation; only its scrypt hash is stored.`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        scope: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
      throw new UsageError(
        `keys: unknown subcommand "${sub ?? ''}" (expected create, list or revoke)`,
      );
    }
    if (sub === 'create' && !API_SCOPES.includes(values.scope as ApiScope)) {
      throw new UsageError(`keys create: --scope must be one of ${API_SCOPES.join(', ')}`);
    }
    if (sub === 'revoke' && positionals.length !== 1)
      throw new UsageError('keys revoke: name one key ID');
    const app = await openTripline({ ...(values.db ? { db: values.db } : {}), score: false });
    try {
      if (sub === 'create') {
        const { key, row } = await app.keys.create({
          scope: values.scope as ApiScope,
          ...(values.name ? { name: values.name } : {}),
        });
        if (values.json) {
          io.stdout.write(
            JSON.stringify({ id: row.id, name: row.name, scope: row.scope, key }) + '\n',
          );
        } else {
          io.stderr.write(
            `created key ${row.id} (${row.name}, scope ${row.scope}); it is shown only this once:\n`,
          );
          io.stdout.write(`${key}\n`);
        }
        return 0;
      }
      if (sub === 'list') {
        const rows = (await app.keys.list()).map(({ hash: _hash, ...row }) => row);
        if (values.json) {
          io.stdout.write(JSON.stringify(rows) + '\n');
        } else if (rows.length === 0) {
          io.stderr.write('no API keys\n');
        } else {
          for (const r of rows) {
            const state = r.revokedAt ? `revoked ${r.revokedAt}` : 'active';
            io.stdout.write(
              `${r.id}  ${r.scope.padEnd(6)}  ${r.name}  created ${r.createdAt}  ${state}\n`,
            );
          }
        }
        return 0;
      }
      const id = positionals[0]!;
      if (!(await app.keys.revoke(id))) {
        io.stderr.write(`no active key ${id}\n`);
        return 1;
      }
      io.stderr.write(`revoked key ${id}\n`);
      return 0;
    } finally {
      await app.close();
    }
  },
};
