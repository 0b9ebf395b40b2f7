/**
 * The actor knowledge base over HTTP (scope `read`):
 * `GET /v1/actors` (paged list, or `?q=` to resolve a name),
 * `GET /v1/actors/:id` and `GET /v1/actors/:id/explanation`.
 *
 * The knowledge base is read-only data shipped in data/, so by default the
 * plugin loads it once, on first use, and shares it; pass `knowledgeBase` to
 * serve another one (for example with analyst overrides applied).
 *
 * @example
 * await server.register(actorsRoutes, { knowledgeBase: () => kbWithOverrides });
 */
import type { FastifyPluginAsync } from 'fastify';
import { TriplineError } from '../errors.js';
import { intParam, single } from './query-params.js';
import { ActorKnowledgeBase, summarize } from '../intel/actor-knowledge-base.js';
import { ActorOverrideError, checkOverride } from '../intel/actor-overrides.js';
import type { StoredActorOverride } from '../app.js';
import type { ActorOverride } from '../domain/actor.js';

export interface ActorsRoutesOptions {
  /** The knowledge base to serve; default: data/actors.json, loaded once. */
  readonly knowledgeBase?: () => ActorKnowledgeBase;
  /**
   * Where analysts' overrides are kept; with it, `GET /v1/actors/overrides`
   * (scope `read`), `POST /v1/actors/overrides` and
   * `DELETE /v1/actors/overrides/:seq` (scope `admin`) are served.
   */
  readonly overrides?: ActorOverrideStore;
}

/** The overrides as the routes need them (the app's stored overrides). */
export interface ActorOverrideStore {
  list(): Promise<readonly StoredActorOverride[]>;
  /** @throws ActorOverrideError when the override does not apply. */
  add(override: ActorOverride, author: string): Promise<StoredActorOverride>;
  remove(
    seq: number,
  ): Promise<{ readonly removed: boolean; readonly found: boolean; readonly problem?: string }>;
}

interface ActorsQuery {
  q?: string | string[];
  limit?: string | string[];
  offset?: string | string[];
}

const MAX_QUERY = 200;
const DEFAULT_LIST = 50;
const DEFAULT_MATCHES = 20;
const MAX_LIMIT = 200;

let shared: ActorKnowledgeBase | undefined;

/** The shipped knowledge base, loaded on first use (it never changes while running). */
function sharedKnowledgeBase(): ActorKnowledgeBase {
  shared ??= ActorKnowledgeBase.load();
  return shared;
}

export const actorsRoutes: FastifyPluginAsync<ActorsRoutesOptions> = async (server, options) => {
  const kb = options.knowledgeBase ?? sharedKnowledgeBase;

  server.get<{ Querystring: ActorsQuery }>(
    '/v1/actors',
    { config: { scope: 'read' } },
    async (request) => {
      const q = request.query;
      if (q.q !== undefined) {
        const query = single(q.q, 'q').trim();
        if (query.length === 0 || query.length > MAX_QUERY)
          throw new TriplineError('INVALID_REQUEST', `q: 1 to ${MAX_QUERY} characters`, 'q');
        if (q.offset !== undefined)
          throw new TriplineError('INVALID_REQUEST', 'offset: only without q', 'offset');
        const limit = intParam(q.limit, 'limit', 1, MAX_LIMIT) ?? DEFAULT_MATCHES;
        return { query, resolution: kb().resolve(query), matches: kb().search(query, limit) };
      }
      const limit = intParam(q.limit, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIST;
      const offset = intParam(q.offset, 'offset', 0) ?? 0;
      const all = kb().all();
      const page = all.slice(offset, offset + limit);
      return {
        actors: page.map(summarize),
        total: all.length,
        limit,
        offset,
        next_offset: offset + page.length < all.length ? offset + page.length : null,
      };
    },
  );

  const overrides = options.overrides;
  if (overrides) {
    server.get('/v1/actors/overrides', { config: { scope: 'read' } }, async () => ({
      overrides: await overrides.list(),
    }));

    server.post<{ Body: unknown }>(
      '/v1/actors/overrides',
      { config: { scope: 'admin' } },
      async (request, reply) => {
        const checked = checkOverride(request.body);
        if (!checked.ok) throw new TriplineError('INVALID_REQUEST', checked.error);
        try {
          const stored = await overrides.add(checked.override, request.apiKeyName ?? 'anonymous');
          reply.status(201);
          return stored;
        } catch (error) {
          if (error instanceof ActorOverrideError)
            throw new TriplineError('INVALID_REQUEST', error.problem);
          throw error;
        }
      },
    );

    server.delete<{ Params: { seq: string } }>(
      '/v1/actors/overrides/:seq',
      { config: { scope: 'admin' } },
      async (request, reply) => {
        const seq = intParam(request.params.seq, 'seq', 1);
        const result = await overrides.remove(seq!);
        if (!result.found) throw new TriplineError('NOT_FOUND', `no override ${seq}`);
        if (!result.removed) throw new TriplineError('INVALID_REQUEST', result.problem!);
        reply.status(204);
      },
    );
  }

  server.get<{ Params: { id: string } }>(
    '/v1/actors/:id',
    { config: { scope: 'read' } },
    async (request) => {
      const actor = kb().get(request.params.id);
      if (!actor) throw new TriplineError('NOT_FOUND', `no actor ${request.params.id}`);
      return actor;
    },
  );

  server.get<{ Params: { id: string } }>(
    '/v1/actors/:id/explanation',
    { config: { scope: 'read' } },
    async (request) => {
      const explanation = kb().explain(request.params.id);
      if (!explanation) throw new TriplineError('NOT_FOUND', `no actor ${request.params.id}`);
      return explanation;
    },
  );
};
