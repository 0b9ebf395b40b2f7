/**
 * Runs a suite once per store backend. SQLite always; PostgreSQL when a server
 * answers at TRIPLINE_TEST_PG (default postgres://postgres@127.0.0.1:5432/test),
 * each run in a fresh schema that is dropped afterwards. With
 * TRIPLINE_REQUIRE_PG=1 (as CI sets) a missing server fails instead of skipping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_URL = process.env.TRIPLINE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** A `--db` value for a fresh, empty database. */
  fresh(): Promise<string>;
  /** Drops everything `fresh` made. */
  cleanup(): Promise<void>;
}

let pgState: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; otherwise the reason to skip. */
export function postgresUnavailable(): Promise<string | undefined> {
  pgState ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      const reason = `PostgreSQL not answering at ${PG_URL} (${(error as Error).message})`;
      if (process.env.TRIPLINE_REQUIRE_PG === '1') {
        throw new Error(`${reason}, and TRIPLINE_REQUIRE_PG=1 requires it`);
      }
      return `${reason}: skipping; set TRIPLINE_TEST_PG to run these tests`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgState;
}

export function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'tripline-test-'));
      dirs.push(dir);
      return `sqlite:${join(dir, 'tripline.db')}`;
    },
    async cleanup() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    async fresh() {
      const schema = `tl_test_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await client.end();
      }
      schemas.push(schema);
      const url = new URL(PG_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        for (const s of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Both backends, with the reason PostgreSQL is skipped (if it is). */
export async function backends(): Promise<{ backend: Backend; skip: string | undefined }[]> {
  return [
    { backend: sqliteBackend(), skip: undefined },
    { backend: postgresBackend(), skip: await postgresUnavailable() },
  ];
}
