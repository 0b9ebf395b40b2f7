/**
 * What both backends share: reads and single-statement writes written once
 * with Kysely. Multi-statement writes (the event batch, directory import) are
 * per backend, because each has a much faster native way to do them.
 */
import { Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import type { DirectoryRecord } from '../domain/directory-record.js';
import { migrationProvider } from './migrations/migrations.js';
import type {
  ActorOverrideRow,
  ApiKeyRow,
  CampaignEditRow,
  IndicatorRow,
  EngineState,
  Dialect,
  DirectoryImportResult,
  EventRow,
  InsertOutcome,
  ScannedEvent,
  Store,
  StoredEvent,
} from './port.js';
import { fromApiKeyRow, toApiKeyRow, toDecision, toStoredEvent } from './rows.js';
import type { EventSelect } from './rows.js';
import type { Decision } from '../domain/decision.js';
import type { NativeEvent } from '../domain/event.js';
import type { Database } from './schema.js';

/** An event's id and decision columns. */
export type DecisionRow = Pick<EventSelect, 'id' | 'decision' | 'score' | 'reasons'>;

/** Snapshot parts: below every backend's row and parameter limits. */
const STATE_PART_BYTES = 8 * 1024 * 1024;

export abstract class KyselyStore implements Store {
  abstract readonly dialect: Dialect;
  abstract readonly location: string;
  get pipelineDepth(): number {
    return 1;
  }
  get writesInline(): boolean {
    return false;
  }
  protected abstract readonly db: Kysely<Database>;

  abstract insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome[]>;
  abstract upsertDirectory(records: readonly DirectoryRecord[]): Promise<DirectoryImportResult>;
  abstract close(): Promise<void>;

  /** Applies pending migrations; fails loudly if one fails, leaving the data untouched. */
  protected async migrate(migrationTableSchema?: string): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.dialect),
      ...(migrationTableSchema ? { migrationTableSchema } : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${failed} failed on ${this.location}: ${String(error)}`, {
        cause: error,
      });
    }
  }

  async countEvents(tenant?: string): Promise<number> {
    let q = this.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n'));
    if (tenant !== undefined) q = q.where('tenant', '=', tenant);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async eventTypeCounts(tenant?: string): Promise<{ type: string; count: number }[]> {
    let q = this.db
      .selectFrom('events')
      .select((eb) => ['type', eb.fn.countAll().as('n')])
      .groupBy('type');
    if (tenant !== undefined) q = q.where('tenant', '=', tenant);
    const rows = await q.execute();
    return rows
      .map((r) => ({ type: r.type, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  }

  async getEvent(tenant: string, id: string): Promise<StoredEvent | undefined> {
    const row = await this.db
      .selectFrom('events')
      .select(['seq', 'id', 'event', 'raw', 'received_at', 'decision', 'score', 'reasons'])
      .where('tenant', '=', tenant)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toStoredEvent(row);
  }

  async maxSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async countEventsAfter(afterSeq: number): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('seq', '>', afterSeq)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async saveEngineState(state: EngineState): Promise<void> {
    const parts: Uint8Array[] = [];
    for (let at = 0; at < state.data.length || at === 0; at += STATE_PART_BYTES) {
      parts.push(state.data.subarray(at, at + STATE_PART_BYTES));
      if (state.data.length === 0) break;
    }
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('engine_state').execute();
      for (let i = 0; i < parts.length; i++) {
        await tx
          .insertInto('engine_state')
          .values({
            part: i,
            seq: state.seq,
            fingerprint: state.fingerprint,
            saved_at: state.savedAt,
            data: Buffer.from(parts[i]!.buffer, parts[i]!.byteOffset, parts[i]!.byteLength),
          })
          .execute();
      }
    });
  }

  async loadEngineState(): Promise<EngineState | undefined> {
    const rows = await this.db.selectFrom('engine_state').selectAll().orderBy('part').execute();
    if (rows.length === 0) return undefined;
    const first = rows[0]!;
    return {
      seq: Number(first.seq),
      fingerprint: first.fingerprint,
      savedAt: first.saved_at,
      data: rows.length === 1 ? first.data : Buffer.concat(rows.map((r) => r.data)),
    };
  }

  async scanEvents(afterSeq: number, limit: number): Promise<ScannedEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'event', 'time_ms'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      event: JSON.parse(r.event) as NativeEvent,
      timeMs: Number(r.time_ms),
    }));
  }

  async listAccountEvents(
    tenant: string,
    accountId: string,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'id', 'event', 'raw', 'received_at', 'decision', 'score', 'reasons'])
      .where('tenant', '=', tenant)
      .where('account_id', '=', accountId)
      .orderBy('time_ms', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toStoredEvent);
  }

  async findStored(
    tenant: string,
    ids: readonly string[],
  ): Promise<Map<string, Decision | undefined>> {
    const found = new Map<string, Decision | undefined>();
    if (ids.length === 0) return found;
    for (const r of await this.storedDecisionRows(tenant, ids)) found.set(r.id, toDecision(r));
    return found;
  }

  /** The stored rows among `ids` (id and decision columns); backends override it with one statement. */
  protected async storedDecisionRows(
    tenant: string,
    ids: readonly string[],
  ): Promise<DecisionRow[]> {
    const out: DecisionRow[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('events')
          .select(['id', 'decision', 'score', 'reasons'])
          .where('tenant', '=', tenant)
          .where('id', 'in', unique.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }

  async listDirectory(): Promise<DirectoryRecord[]> {
    const rows = await this.db.selectFrom('directory').select('record').execute();
    return rows.map((r) => JSON.parse(r.record) as DirectoryRecord);
  }

  async getDirectoryRecord(
    tenant: string,
    accountId: string,
  ): Promise<DirectoryRecord | undefined> {
    const row = await this.db
      .selectFrom('directory')
      .select('record')
      .where('tenant', '=', tenant)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row && (JSON.parse(row.record) as DirectoryRecord);
  }

  async countDirectory(tenant?: string): Promise<number> {
    let q = this.db.selectFrom('directory').select((eb) => eb.fn.countAll().as('n'));
    if (tenant !== undefined) q = q.where('tenant', '=', tenant);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createApiKey(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(fromApiKeyRow(row)).execute();
  }

  async findApiKey(id: string): Promise<ApiKeyRow | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toApiKeyRow(row);
  }

  async listApiKeys(): Promise<ApiKeyRow[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
    return rows.map(toApiKeyRow);
  }

  async revokeApiKey(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async touchApiKey(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async addCampaignEdit(edit: Omit<CampaignEditRow, 'seq'>): Promise<number> {
    const row = await this.db
      .insertInto('campaign_edits')
      .values({
        tenant: edit.tenant,
        campaign_id: edit.campaignId,
        op: edit.op,
        data: edit.data,
        author: edit.author,
        created_at: edit.createdAt,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  async listCampaignEdits(tenant?: string): Promise<CampaignEditRow[]> {
    let q = this.db.selectFrom('campaign_edits').selectAll().orderBy('seq');
    if (tenant !== undefined) q = q.where('tenant', '=', tenant);
    return (await q.execute()).map((r) => ({
      seq: Number(r.seq),
      tenant: r.tenant,
      campaignId: r.campaign_id,
      op: r.op,
      data: r.data,
      author: r.author,
      createdAt: r.created_at,
    }));
  }

  async addActorOverride(row: Omit<ActorOverrideRow, 'seq'>): Promise<number> {
    const r = await this.db
      .insertInto('actor_overrides')
      .values({ data: row.data, author: row.author, created_at: row.createdAt })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(r.seq);
  }

  async listActorOverrides(): Promise<ActorOverrideRow[]> {
    const rows = await this.db.selectFrom('actor_overrides').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      data: r.data,
      author: r.author,
      createdAt: r.created_at,
    }));
  }

  async deleteActorOverride(seq: number): Promise<boolean> {
    const r = await this.db.deleteFrom('actor_overrides').where('seq', '=', seq).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async upsertIndicators(rows: readonly IndicatorRow[]): Promise<DirectoryImportResult> {
    // Last one wins for a key repeated in the input, as row-by-row upserts would.
    const byKey = new Map<string, IndicatorRow>();
    for (const r of rows) byKey.set(`${r.type}\n${r.value}\n${r.source}`, r);
    const unique = [...byKey.values()];
    // 8 columns a row: 100 rows stay far below either database's parameter limit.
    const CHUNK = 100;
    return this.db.transaction().execute(async (tx) => {
      const count = async () =>
        Number(
          (
            await tx
              .selectFrom('indicators')
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      for (let i = 0; i < unique.length; i += CHUNK) {
        await tx
          .insertInto('indicators')
          .values(
            unique.slice(i, i + CHUNK).map((r) => ({
              type: r.type,
              value: r.value,
              source: r.source,
              actor: r.actor,
              valid_from: r.validFrom,
              valid_until: r.validUntil,
              data: r.data,
              imported_at: r.importedAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['type', 'value', 'source']).doUpdateSet((eb) => ({
              actor: eb.ref('excluded.actor'),
              valid_from: eb.ref('excluded.valid_from'),
              valid_until: eb.ref('excluded.valid_until'),
              data: eb.ref('excluded.data'),
              imported_at: eb.ref('excluded.imported_at'),
            })),
          )
          .execute();
      }
      const created = (await count()) - before;
      return { created, updated: unique.length - created };
    });
  }

  async listIndicators(): Promise<IndicatorRow[]> {
    const rows = await this.db
      .selectFrom('indicators')
      .selectAll()
      .orderBy('type')
      .orderBy('value')
      .orderBy('source')
      .execute();
    return rows.map((r) => ({
      type: r.type,
      value: r.value,
      source: r.source,
      actor: r.actor,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      data: r.data,
      importedAt: r.imported_at,
    }));
  }
}
