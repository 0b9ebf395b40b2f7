import type { Kysely } from 'kysely';
import type { Dialect } from '../port.js';

/**
 * Snapshots of the risk engine's state (profiles, population, source
 * statistics), so a restart replays only the events stored after one. A
 * snapshot is stored in parts of at most a few MB, all replaced together.
 */
export function engineStateMigration(dialect: Dialect) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('engine_state')
        .addColumn('part', 'integer', (c) => c.primaryKey())
        .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('saved_at', 'text', (c) => c.notNull())
        .addColumn('data', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
        .execute();
    },
  };
}
