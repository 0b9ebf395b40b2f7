/**
 * `POST /v1/events` (one event) and `POST /v1/events:batch` (JSON array or
 * NDJSON). A 2xx is sent only after the writer has committed the events.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Tripline } from '../app.js';
import type { Decision } from '../domain/decision.js';
import type { EventRow } from '../domain/event-row.js';
import { errorBody, TriplineError } from '../errors.js';
import { parseJsonLine } from '../ingest/ingest-ndjson.js';
import { toEventRow } from '../ingest/parse-event-line.js';

interface EventsRoutesOptions {
  readonly app: Tripline;
  readonly eventBodyLimit: number;
  readonly batchBodyLimit: number;
  readonly maxBatchEvents: number;
}

export interface BatchItemResult extends Partial<DecisionFields> {
  readonly index: number;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly event_id?: string;
  readonly error?: { readonly code: 'INVALID_EVENT' | 'INVALID_JSON'; readonly message: string };
}

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

export const eventsRoutes: FastifyPluginAsync<EventsRoutesOptions> = async (server, options) => {
  const { app } = options;

  server.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    done(null, { ndjson: body as string });
  });

  server.post(
    '/v1/events',
    { bodyLimit: options.eventBodyLimit, config: { scope: 'ingest' } },
    async (request, reply) => {
      if (request.body === undefined || request.body === null || isNdjson(request.body)) {
        throw new TriplineError(
          'INVALID_REQUEST',
          'expected one JSON event with Content-Type: application/json',
        );
      }
      const parsed = toEventRow(request.body, JSON.stringify(request.body));
      if (!parsed.ok) {
        app.metrics.events.inc({ source: 'http', result: 'rejected' });
        const first = parsed.problems?.[0];
        return reply.status(400).send({
          error: {
            ...errorBody('INVALID_EVENT', parsed.error, first?.field).error,
            problems: parsed.problems,
          },
        });
      }
      const [result] = await app.writer.submit([parsed.value], 'http');
      return {
        event_id: parsed.value.event.id,
        status: result!.status,
        ...decisionFields(result!.decision),
      };
    },
  );

  server.post(
    '/v1/events:batch',
    { bodyLimit: options.batchBodyLimit, config: { scope: 'ingest' } },
    async (request) => {
      const items = batchItems(request.body, options.maxBatchEvents);
      const results: BatchItemResult[] = new Array(items.length);
      const rows: EventRow[] = [];
      const rowIndex: number[] = [];
      items.forEach((item, index) => {
        if (!item.ok) {
          results[index] = {
            index,
            status: 'rejected',
            error: { code: 'INVALID_JSON', message: item.error },
          };
          return;
        }
        const parsed = toEventRow(item.value, item.text);
        if (!parsed.ok) {
          results[index] = {
            index,
            status: 'rejected',
            error: { code: 'INVALID_EVENT', message: parsed.error },
          };
          return;
        }
        rows.push(parsed.value);
        rowIndex.push(index);
      });
      const written = await app.writer.submit(rows, 'http');
      written.forEach(({ status, decision }, i) => {
        const index = rowIndex[i]!;
        results[index] = {
          index,
          status,
          event_id: rows[i]!.event.id,
          ...decisionFields(decision),
        };
      });
      const rejected = items.length - rows.length;
      if (rejected > 0) app.metrics.events.inc({ source: 'http', result: 'rejected' }, rejected);
      const accepted = written.filter((w) => w.status === 'accepted').length;
      return { accepted, duplicates: written.length - accepted, rejected, results };
    },
  );
};

type DecisionFields = Omit<Decision, 'event_id'>;

/** A decision's fields, beside `event_id` and `status` in a response (DESIGN.md's decision shape). */
function decisionFields(d: Decision | undefined): DecisionFields | Record<string, never> {
  return d ? withoutEventId(d) : {};
}

const withoutEventId = ({ event_id: _, ...fields }: Decision): DecisionFields => fields;

function isNdjson(body: unknown): body is { ndjson: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'ndjson' in body &&
    Object.keys(body).length === 1 &&
    typeof (body as { ndjson: unknown }).ndjson === 'string'
  );
}

type BatchItem = { ok: true; value: unknown; text: string } | { ok: false; error: string };

function batchItems(body: unknown, max: number): BatchItem[] {
  let items: BatchItem[];
  if (isNdjson(body)) {
    const lines: { text: string; number: number }[] = [];
    body.ndjson.split('\n').forEach((text, i) => {
      if (text.trim() !== '') lines.push({ text, number: i + 1 });
    });
    if (lines.length > max) {
      throw new TriplineError(
        'BATCH_TOO_LARGE',
        `the batch holds ${lines.length} events; the limit is ${max}`,
      );
    }
    items = lines.map(({ text, number }) => {
      const parsed = parseJsonLine(text);
      return parsed.ok
        ? { ok: true, value: parsed.value, text }
        : { ok: false, error: `line ${number}: ${parsed.error}` };
    });
  } else if (Array.isArray(body)) {
    if (body.length > max) {
      throw new TriplineError(
        'BATCH_TOO_LARGE',
        `the batch holds ${body.length} events; the limit is ${max}`,
      );
    }
    items = body.map((value) => ({ ok: true, value, text: JSON.stringify(value) }));
  } else {
    throw new TriplineError(
      'INVALID_REQUEST',
      'expected a JSON array of events (application/json) or NDJSON (application/x-ndjson)',
    );
  }
  if (items.length === 0) throw new TriplineError('INVALID_REQUEST', 'the batch is empty');
  return items;
}
