/**
 * Opens the store named by a `--db` value: `sqlite:PATH`, a bare path, or a
 * `postgres://` / `postgresql://` URL.
 *
 * @example
 * const store = await openStore('postgres://postgres@127.0.0.1:5432/test');
 */
import type { Store } from './port.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { SqliteOpenOptions } from './sqlite/sqlite-store.js';

export const DEFAULT_DB = 'sqlite:./tripline.db';

export type DbTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

export function parseDbTarget(value: string): DbTarget {
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', url: value };
  const path = value.startsWith('sqlite:') ? value.slice('sqlite:'.length) : value;
  if (path === '') throw new Error('--db: empty SQLite path (expected sqlite:PATH)');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new Error(
      `--db: unsupported database URL ${JSON.stringify(value.split('://')[0] + '://…')}; use sqlite:PATH or postgres://…`,
    );
  }
  return { dialect: 'sqlite', path };
}

export async function openStore(
  value: string = DEFAULT_DB,
  sqlite: SqliteOpenOptions = {},
): Promise<Store> {
  const target = parseDbTarget(value);
  return target.dialect === 'postgres'
    ? PostgresStore.open(target.url)
    : SqliteStore.open(target.path, sqlite);
}
