import type { Kysely } from 'kysely';

/** Decisions are stored with their event (DESIGN.md): verdict, score, reasons (JSON). */
export function decisionsMigration() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('events').addColumn('decision', 'text').execute();
      await db.schema.alterTable('events').addColumn('score', 'real').execute();
      await db.schema.alterTable('events').addColumn('reasons', 'text').execute();
    },
  };
}
