/**
 * The recovery graph over HTTP (scope `read`):
 * `GET /v1/accounts/:id/recovery-graph` and `GET /v1/exposure`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Tripline } from '../app.js';
import { TriplineError } from '../errors.js';
import { intParam } from './query-params.js';
import { exposureJson, exposureReport } from '../graph/exposure.js';
import { accountGraph, cyclesDoc, dotLines, footholdGraph } from '../graph/graph-export.js';

interface GraphQuery {
  tenant?: string;
  depth?: string;
  at?: string;
  format?: string;
}

interface ExposureQuery {
  tenant?: string;
  depth?: string;
  tag?: string | string[];
}

export const graphRoutes: FastifyPluginAsync<{ app: Tripline }> = async (server, { app }) => {
  const graph = () => {
    if (!app.engine) throw new TriplineError('INTERNAL', 'the risk engine is off');
    return app.engine.graph;
  };

  server.get<{ Params: { id: string }; Querystring: GraphQuery }>(
    '/v1/accounts/:id/recovery-graph',
    { config: { scope: 'read' } },
    async (request, reply) => {
      const q = request.query;
      const tenant = q.tenant ?? 'default';
      const depth = intParam(q.depth, 'depth', 1, 8) ?? 4;
      const time = timeParam(q.at, 'at');
      const format = q.format ?? 'json';
      if (format !== 'json' && format !== 'dot')
        throw new TriplineError('INVALID_REQUEST', 'format: expected json or dot', 'format');
      const doc = accountGraph(graph(), tenant, request.params.id, {
        depth,
        ...(time !== undefined ? { time } : {}),
      });
      if (!doc)
        throw new TriplineError(
          'NOT_FOUND',
          `account ${request.params.id} is not in the directory of tenant ${tenant}`,
        );
      if (format === 'dot') {
        reply.type('text/vnd.graphviz; charset=utf-8');
        return [...dotLines(doc.nodes, doc.edges, doc.account.ref)].join('');
      }
      return doc;
    },
  );

  server.get<{ Querystring: { at?: string } }>(
    '/v1/recovery-graph/cycles',
    { config: { scope: 'read' } },
    async (request) => {
      const time = timeParam(request.query.at, 'at');
      return { cycles: cyclesDoc(graph(), time) };
    },
  );

  server.get<{ Querystring: GraphQuery & { mailbox?: string; phone?: string } }>(
    '/v1/recovery-graph/blast-radius',
    { config: { scope: 'read' } },
    async (request) => {
      const q = request.query;
      if ((q.mailbox === undefined) === (q.phone === undefined))
        throw new TriplineError('INVALID_REQUEST', 'name one of mailbox or phone', 'mailbox');
      const kind = q.mailbox !== undefined ? 'mailbox' : 'phone';
      const address = (q.mailbox ?? q.phone)!;
      if (address.length === 0 || address.length > 320)
        throw new TriplineError('INVALID_REQUEST', `${kind}: 1 to 320 characters`, kind);
      const time = timeParam(q.at, 'at');
      const doc = footholdGraph(graph(), q.tenant ?? 'default', kind, address, {
        depth: intParam(q.depth, 'depth', 1, 8) ?? 4,
        ...(time !== undefined ? { time } : {}),
      });
      if (!doc)
        throw new TriplineError('NOT_FOUND', `no account can be recovered through that ${kind}`);
      return doc;
    },
  );

  server.get<{ Querystring: ExposureQuery }>(
    '/v1/exposure',
    { config: { scope: 'read' } },
    async (request) => {
      const q = request.query;
      const tags = q.tag === undefined ? [...app.engine!.policy.watchlist.tags] : [q.tag].flat();
      if (tags.some((t) => t.length === 0 || t.length > 64))
        throw new TriplineError('INVALID_REQUEST', 'tag: 1 to 64 characters', 'tag');
      const depth = intParam(q.depth, 'depth', 1, 8) ?? 4;
      return exposureJson(
        exposureReport(graph(), { tags, depth, ...(q.tenant ? { tenant: q.tenant } : {}) }),
      );
    },
  );
};

function timeParam(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t))
    throw new TriplineError(
      'INVALID_REQUEST',
      `${name}: an ISO-8601 time such as 2026-10-01T12:00:00Z`,
      name,
    );
  return t;
}
