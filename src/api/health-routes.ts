/**
 * `GET /healthz` (public) and `GET /metrics` (Prometheus text, scope `read`).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Tripline } from '../app.js';

export const healthRoutes: FastifyPluginAsync<{ app: Tripline }> = async (server, { app }) => {
  server.get('/healthz', async () => ({
    status: 'ok',
    store: app.store.dialect,
    queued: app.writer.queued,
  }));

  server.get('/metrics', { config: { scope: 'read' } }, async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return app.metrics.registry.render();
  });
};
