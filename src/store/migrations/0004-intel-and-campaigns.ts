import type { Kysely } from 'kysely';
import type { Dialect } from '../port.js';

/**
 * What analysts and threat-intel feeds add: edits to campaigns (rename,
 * merge, split, notes, status), overrides of the actor knowledge base, and
 * imported indicators of compromise.
 */
export function intelAndCampaignsMigration(dialect: Dialect) {
  const serial = dialect === 'sqlite' ? 'integer' : 'bigserial';
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('campaign_edits')
        .addColumn('seq', serial, (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('op', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('actor_overrides')
        .addColumn('seq', serial, (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('indicators')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('actor', 'text')
        .addColumn('valid_from', 'text')
        .addColumn('valid_until', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('indicators_pk', ['type', 'value', 'source'])
        .execute();
    },
  };
}
