/**
 * `POST /v1/ingest/:format` (scope `ingest`): pushes from log forwarders. The
 * body is what the vendor or the forwarder sends — one record, NDJSON, a JSON
 * array, or an API response wrapping the records (`{"value": […]}`,
 * `{"records": […]}`, `{"items": […]}`) — in the vendor's format (`entra`,
 * `okta`, `workspace`, `ocsf`, `m365`), `native`, or `auto`. Every record is
 * adapted, validated and scored; the answer (after the commit) counts what
 * went in, what was skipped by reason and what was rejected with its position.
 *
 * @example
 * curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
 *   --data-binary @okta-page.json http://127.0.0.1:8080/v1/ingest/okta
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Tripline } from '../app.js';
import type { Decision } from '../domain/decision.js';
import type { EventRow } from '../domain/event-row.js';
import { TriplineError } from '../errors.js';
import { ADAPTERS } from '../ingest/adapters/registry.js';
import { detectFormat, INGEST_FORMATS, recordRows } from '../ingest/ingest-records.js';
import type { RecordFormat } from '../ingest/ingest-records.js';
import { RecordScanner } from '../ingest/record-scanner.js';
import { boolParam, single } from './query-params.js';

export interface IngestRoutesOptions {
  readonly app: Tripline;
  /** Largest body accepted (default 16 MiB). */
  readonly bodyLimit?: number;
  /** Most events one request may give (default 10,000). */
  readonly maxEvents?: number;
}

const TYPES = [
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'text/plain',
];

interface IngestQuery {
  tenant?: string | string[];
  decisions?: string | string[];
}

export const ingestRoutes: FastifyPluginAsync<IngestRoutesOptions> = async (server, options) => {
  const { app } = options;
  const bodyLimit = options.bodyLimit ?? 16 * 1024 * 1024;
  const maxEvents = options.maxEvents ?? 10_000;
  // Encapsulated: the records are read by the record scanner, which reports
  // each bad one with its position instead of failing the whole body.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser(TYPES, { parseAs: 'string', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  server.post<{ Params: { format: string }; Querystring: IngestQuery; Body: string }>(
    '/v1/ingest/:format',
    { config: { scope: 'ingest' }, bodyLimit },
    async (request) => {
      const asked = INGEST_FORMATS.find((f) => f === request.params.format);
      if (!asked)
        throw new TriplineError(
          'NOT_FOUND',
          `no format ${request.params.format}: expected one of ${INGEST_FORMATS.join(', ')}`,
        );
      const tenant =
        request.query.tenant === undefined ? 'default' : single(request.query.tenant, 'tenant');
      const withDecisions = boolParam(request.query.decisions, 'decisions');
      if (typeof request.body !== 'string' || request.body.trim() === '')
        throw new TriplineError('INVALID_REQUEST', 'the body holds no record');
      const scanner = new RecordScanner();
      const scanned = [...scanner.push(request.body), ...scanner.end()];
      let format: RecordFormat;
      try {
        format = asked === 'auto' ? detectFormat('the body', scanned, ADAPTERS) : asked;
      } catch (error) {
        throw new TriplineError('INVALID_REQUEST', (error as Error).message);
      }
      const rows: EventRow[] = [];
      const skipped = new Map<string, number>();
      const rejected: { position: string; error: string }[] = [];
      for (const r of scanned) {
        if (r.error !== undefined) {
          rejected.push({ position: r.position, error: r.error });
          continue;
        }
        const result = recordRows(r.value, r.text, format, ADAPTERS, tenant);
        if (result.kind === 'skip')
          skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
        else if (result.kind === 'malformed')
          rejected.push({ position: r.position, error: result.message });
        else {
          for (const bad of result.rejected)
            rejected.push({ position: r.position, error: bad.error });
          rows.push(...result.rows);
        }
      }
      if (rows.length > maxEvents)
        throw new TriplineError(
          'BATCH_TOO_LARGE',
          `the body gives ${rows.length} events; at most ${maxEvents} a request`,
        );
      const written = rows.length ? await app.writer.submit(rows, 'http') : [];
      const verdicts = { allow: 0, challenge: 0, deny: 0 };
      let accepted = 0;
      let duplicates = 0;
      const decisions: Decision[] = [];
      for (const w of written) {
        if (w.status === 'duplicate') duplicates++;
        else accepted++;
        if (w.decision) {
          verdicts[w.decision.decision]++;
          if (withDecisions) decisions.push(w.decision);
        }
      }
      if (rejected.length > 0)
        app.metrics.events.inc({ source: 'http', result: 'rejected' }, rejected.length);
      return {
        format,
        records: scanned.length,
        events: rows.length,
        accepted,
        duplicates,
        decisions: verdicts,
        skipped: [...skipped]
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
        rejected,
        ...(withDecisions ? { results: decisions } : {}),
      };
    },
  );
};
