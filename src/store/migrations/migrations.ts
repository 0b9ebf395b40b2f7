/**
 * Versioned migrations, applied in name order on every start (Kysely's Migrator
 * records them in `kysely_migration`). Never edit a released migration: add one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../port.js';
import { initialMigration } from './0001-initial.js';
import { decisionsMigration } from './0002-decisions.js';
import { engineStateMigration } from './0003-engine-state.js';
import { intelAndCampaignsMigration } from './0004-intel-and-campaigns.js';
import { accountDayIndexMigration } from './0005-account-day-index.js';

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-initial': initialMigration(dialect),
        '0002-decisions': decisionsMigration(),
        '0003-engine-state': engineStateMigration(dialect),
        '0004-intel-and-campaigns': intelAndCampaignsMigration(dialect),
        '0005-account-day-index': accountDayIndexMigration(dialect),
      };
    },
  };
}
