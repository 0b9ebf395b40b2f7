/**
 * The HTTP server: Fastify with one plugin per resource. Only HTTP lives here;
 * every route calls the core through the {@link Tripline} it is given.
 *
 * @example
 * const server = await buildServer(app, { auth: true });
 * const res = await server.inject({ method: 'GET', url: '/healthz' });
 */
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Tripline } from '../app.js';
import type { ApiScope } from '../store/port.js';
import { errorBody, TriplineError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { ingestRoutes } from './ingest-routes.js';
import { intelRoutes } from './intel-routes.js';
import { actorsRoutes } from './actors-routes.js';
import { campaignsRoutes } from './campaigns-routes.js';
import { eventsRoutes } from './events-routes.js';
import { graphRoutes } from './graph-routes.js';
import { healthRoutes } from './health-routes.js';

export interface ServerOptions {
  /** Require API keys (default true). Turning it off is for local experiments only. */
  readonly auth?: boolean;
  /** Largest body accepted by `POST /v1/events`, bytes (default 64 KiB). */
  readonly eventBodyLimit?: number;
  /** Largest body accepted by `POST /v1/events:batch`, bytes (default 16 MiB). */
  readonly batchBodyLimit?: number;
  /** Most events in one batch request (default 10,000). */
  readonly maxBatchEvents?: number;
  readonly logger?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public. */
    scope?: ApiScope;
  }
  interface FastifyRequest {
    /** The name of the API key that authenticated the request (recorded as the author of edits). */
    apiKeyName?: string;
  }
}

/** Fastify's own error codes mapped onto the catalog. */
const FASTIFY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_VALIDATION: 'INVALID_REQUEST',
};

export async function buildServer(
  app: Tripline,
  options: ServerOptions = {},
): Promise<FastifyInstance> {
  const auth = options.auth ?? true;
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.batchBodyLimit ?? 16 * 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });

  server.addHook('onRequest', async (request: FastifyRequest) => {
    const scope = request.routeOptions.config.scope;
    if (!scope || !auth) return;
    const result = await app.keys.authenticate(request.headers.authorization, scope);
    if (!result.ok) throw new TriplineError(result.code, result.message);
    request.apiKeyName = result.key.name;
  });

  server.addHook('onResponse', async (request, reply) => {
    app.metrics.httpSeconds.observe(reply.elapsedTime / 1000, {
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });

  server.setErrorHandler((error: FastifyError | TriplineError, request, reply) => {
    if (error instanceof TriplineError) {
      return reply.status(error.status).send(errorBody(error.code, error.message, error.field));
    }
    const mapped = error.code ? FASTIFY_ERRORS[error.code] : undefined;
    if (mapped) return reply.status(error.statusCode ?? 400).send(errorBody(mapped, error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // e.g. prototype poisoning or a malformed JSON body caught by the parser
      const code: ErrorCode =
        error instanceof SyntaxError || /JSON|prototype|constructor/i.test(error.message)
          ? 'INVALID_JSON'
          : 'INVALID_REQUEST';
      return reply.status(error.statusCode).send(errorBody(code, error.message));
    }
    request.log.error(error);
    // A 5xx never echoes internals.
    return reply.status(500).send(errorBody('INTERNAL'));
  });

  server.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  await server.register(healthRoutes, { app });
  await server.register(graphRoutes, { app });
  await server.register(campaignsRoutes, { app });
  await server.register(actorsRoutes, {
    knowledgeBase: () => app.actors(),
    overrides: {
      list: () => app.listActorOverrides(),
      add: (o, author) => app.addActorOverride(o, author),
      remove: (seq) => app.removeActorOverride(seq),
    },
  });
  await server.register(intelRoutes, { app });
  await server.register(ingestRoutes, {
    app,
    bodyLimit: options.batchBodyLimit ?? 16 * 1024 * 1024,
    maxEvents: options.maxBatchEvents ?? 10_000,
  });
  await server.register(eventsRoutes, {
    app,
    eventBodyLimit: options.eventBodyLimit ?? 64 * 1024,
    batchBodyLimit: options.batchBodyLimit ?? 16 * 1024 * 1024,
    maxBatchEvents: options.maxBatchEvents ?? 10_000,
  });
  return server;
}
