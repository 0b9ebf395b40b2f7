/**
 * Threat intel over HTTP. `POST /v1/intel` (scope `admin`) takes one
 * indicator document as the body — a STIX 2.1 bundle or MISP event JSON
 * (`application/json`, `application/stix+json`) or CSV (`text/csv`,
 * `text/plain`) — stores its indicators, puts them to work and re-examines
 * the stored events (`?reexamine=false` skips that), answering with what it
 * did. `GET /v1/intel/indicators` (scope `read`) pages through what is stored.
 *
 * @example
 * curl -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' \
 *   --data-binary @iocs.csv 'http://127.0.0.1:8080/v1/intel?source=ACME%20CTI'
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Tripline } from '../app.js';
import { TriplineError } from '../errors.js';
import {
  INDICATOR_FORMATS,
  IndicatorFileError,
  parseIndicators,
} from '../intel/indicator-import.js';
import type { IndicatorFormat } from '../intel/indicator-import.js';
import { boolParam, intParam, single } from './query-params.js';

export interface IntelRoutesOptions {
  readonly app: Tripline;
  /** Largest indicator document accepted (default 64 MiB). */
  readonly bodyLimit?: number;
}

interface ImportQuery {
  format?: string | string[];
  source?: string | string[];
  reexamine?: string | string[];
}

interface ListQuery {
  type?: string | string[];
  actor?: string | string[];
  source?: string | string[];
  limit?: string | string[];
  offset?: string | string[];
}

const MAX_SOURCE = 200;

export const intelRoutes: FastifyPluginAsync<IntelRoutesOptions> = async (server, options) => {
  const { app } = options;
  const bodyLimit = options.bodyLimit ?? 64 * 1024 * 1024;
  // This plugin's own parsers (encapsulated): the document is parsed by the
  // indicator reader, which reports per-record problems, not by Fastify.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser(
    ['application/json', 'application/stix+json', 'text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => done(null, body),
  );

  server.post<{ Querystring: ImportQuery; Body: string }>(
    '/v1/intel',
    { config: { scope: 'admin' }, bodyLimit },
    async (request) => {
      const q = request.query;
      const format = q.format === undefined ? 'auto' : single(q.format, 'format');
      if (format !== 'auto' && !(INDICATOR_FORMATS as readonly string[]).includes(format))
        throw new TriplineError(
          'INVALID_REQUEST',
          `format: expected auto, ${INDICATOR_FORMATS.join(', ')}`,
          'format',
        );
      const source = q.source === undefined ? undefined : single(q.source, 'source').trim();
      if (source !== undefined && (source.length === 0 || source.length > MAX_SOURCE))
        throw new TriplineError(
          'INVALID_REQUEST',
          `source: 1 to ${MAX_SOURCE} characters`,
          'source',
        );
      const reexamine = q.reexamine === undefined ? true : boolParam(q.reexamine, 'reexamine');
      if (typeof request.body !== 'string' || request.body.trim() === '')
        throw new TriplineError('INVALID_REQUEST', 'the body must hold an indicator document');
      let parsed;
      try {
        parsed = parseIndicators(request.body, {
          format: format as IndicatorFormat | 'auto',
          fileName: 'request body',
          ...(source ? { source } : {}),
        });
      } catch (error) {
        if (error instanceof IndicatorFileError)
          throw new TriplineError('INVALID_REQUEST', error.message);
        throw error;
      }
      if (parsed.indicators.length === 0) {
        const first = parsed.problems[0];
        throw new TriplineError(
          'INVALID_REQUEST',
          `no indicator to import` +
            (first
              ? ` (${parsed.problems.length} problem(s); ${first.position}: ${first.message})`
              : '') +
            (parsed.skipped.length
              ? `; skipped: ${parsed.skipped.map((s) => `${s.count} ${s.reason}`).join('; ')}`
              : ''),
        );
      }
      const result = await app.importIndicators(parsed.indicators, { reexamine });
      return {
        format: parsed.format,
        actors: parsed.actors,
        skipped: parsed.skipped,
        problems: parsed.problems,
        ...result,
      };
    },
  );

  server.get<{ Querystring: ListQuery }>(
    '/v1/intel/indicators',
    { config: { scope: 'read' } },
    async (request) => {
      const q = request.query;
      const text = (v: string | string[] | undefined, name: string) =>
        v === undefined ? undefined : single(v, name);
      const type = text(q.type, 'type');
      const actor = text(q.actor, 'actor');
      const source = text(q.source, 'source');
      const limit = intParam(q.limit, 'limit', 1, 1000) ?? 100;
      const offset = intParam(q.offset, 'offset', 0) ?? 0;
      const all = app.listIndicators({
        ...(type !== undefined ? { type } : {}),
        ...(actor !== undefined ? { actor } : {}),
        ...(source !== undefined ? { source } : {}),
      });
      const page = all.slice(offset, offset + limit);
      return {
        indicators: page,
        total: all.length,
        limit,
        offset,
        next_offset: offset + page.length < all.length ? offset + page.length : null,
      };
    },
  );
};
