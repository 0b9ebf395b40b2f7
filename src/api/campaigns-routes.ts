/**
 * Campaigns over HTTP. Reading needs scope `read`:
 * `GET /v1/campaigns` (paged), `GET /v1/campaigns/:id`,
 * `GET /v1/campaigns/:id/events`, `GET /v1/campaigns/:id/stix`,
 * `GET /v1/campaigns/:id/report` (`?format=md|html`). Editing needs `admin`:
 * `POST /v1/campaigns/:id/edits` with `{ "op": "rename", "name": "…" }` (or
 * `note`, `status`, `merge`, `split`; docs/CAMPAIGNS.md).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Tripline } from '../app.js';
import { CAMPAIGN_STATUSES } from '../domain/campaign.js';
import type { Campaign } from '../domain/campaign.js';
import { parseCampaignEdit } from '../correlate/campaign-edits.js';
import type { CampaignBook } from '../correlate/campaign-book.js';
import { TriplineError } from '../errors.js';
import { boolParam, intParam } from './query-params.js';
import { campaignToStix, knowledgeBaseActors } from '../intel/stix-bundle.js';
import { campaignHtml, campaignMarkdown } from '../report/campaign-report.js';

interface ListQuery {
  tenant?: string;
  status?: string;
  limit?: string;
  offset?: string;
  /** `summary` leaves the targets out (a list of large campaigns stays small). */
  view?: string;
}

interface OneQuery {
  tenant?: string;
  show_targets?: string;
  org?: string;
  format?: string;
}

export const campaignsRoutes: FastifyPluginAsync<{ app: Tripline }> = async (server, { app }) => {
  const book = (): CampaignBook => {
    if (!app.campaigns) throw new TriplineError('INTERNAL', 'the risk engine is off');
    return app.campaigns;
  };
  const find = (tenant: string, id: string): Campaign => {
    const found = book().get(tenant, id);
    if (found.kind === 'found') return found.campaign;
    if (found.kind === 'merged')
      throw new TriplineError('NOT_FOUND', `campaign ${id} was merged into ${found.into}`);
    throw new TriplineError('NOT_FOUND', `no campaign ${id} in tenant ${tenant}`);
  };

  server.get<{ Querystring: ListQuery }>(
    '/v1/campaigns',
    { config: { scope: 'read' } },
    async (request) => {
      const q = request.query;
      const tenant = q.tenant ?? 'default';
      if (q.status !== undefined && !(CAMPAIGN_STATUSES as readonly string[]).includes(q.status))
        throw new TriplineError(
          'INVALID_REQUEST',
          `status: expected one of ${CAMPAIGN_STATUSES.join(', ')}`,
          'status',
        );
      if (q.view !== undefined && q.view !== 'full' && q.view !== 'summary')
        throw new TriplineError('INVALID_REQUEST', 'view: expected full or summary', 'view');
      const limit = intParam(q.limit, 'limit', 1, 1000) ?? 100;
      const offset = intParam(q.offset, 'offset', 0) ?? 0;
      const all = book().list(tenant);
      const list = q.status ? all.filter((c) => c.status === q.status) : all;
      const page = list.slice(offset, offset + limit);
      return {
        total: list.length,
        offset,
        limit,
        ...(offset + limit < list.length ? { next_offset: offset + limit } : {}),
        campaigns: q.view === 'summary' ? page.map(({ targets: _, ...rest }) => rest) : page,
      };
    },
  );

  server.get<{ Params: { id: string }; Querystring: OneQuery }>(
    '/v1/campaigns/:id',
    { config: { scope: 'read' } },
    async (request) => find(request.query.tenant ?? 'default', request.params.id),
  );

  server.get<{ Params: { id: string }; Querystring: OneQuery }>(
    '/v1/campaigns/:id/events',
    { config: { scope: 'read' } },
    async (request) => {
      const tenant = request.query.tenant ?? 'default';
      const c = find(tenant, request.params.id);
      return { campaign_id: c.id, events: book().events(tenant, c.id) ?? [] };
    },
  );

  server.get<{ Params: { id: string }; Querystring: OneQuery }>(
    '/v1/campaigns/:id/stix',
    { config: { scope: 'read' } },
    async (request, reply) => {
      const q = request.query;
      const tenant = q.tenant ?? 'default';
      const c = find(tenant, request.params.id);
      reply.type('application/stix+json;version=2.1');
      return campaignToStix(c, {
        organisation: { name: q.org ?? process.env.TRIPLINE_ORG ?? 'Tripline' },
        now: new Date().toISOString(),
        anonymiseTargets: !boolParam(q.show_targets, 'show_targets'),
        events: book().events(tenant, c.id) ?? [],
        actors: knowledgeBaseActors(app.actors()),
      });
    },
  );

  server.get<{ Params: { id: string }; Querystring: OneQuery }>(
    '/v1/campaigns/:id/report',
    { config: { scope: 'read' } },
    async (request, reply) => {
      const q = request.query;
      const tenant = q.tenant ?? 'default';
      const format = q.format ?? 'html';
      if (format !== 'html' && format !== 'md')
        throw new TriplineError('INVALID_REQUEST', 'format: expected html or md', 'format');
      const campaign = find(tenant, request.params.id);
      const input = {
        campaign,
        events: book().events(tenant, campaign.id) ?? [],
        organisation: q.org ?? process.env.TRIPLINE_ORG ?? 'Tripline',
        now: new Date().toISOString(),
        anonymiseTargets: !boolParam(q.show_targets, 'show_targets'),
      };
      if (format === 'md') {
        reply.type('text/markdown; charset=utf-8');
        return campaignMarkdown(input);
      }
      reply.type('text/html; charset=utf-8');
      return campaignHtml(input);
    },
  );

  server.post<{ Params: { id: string }; Querystring: { tenant?: string }; Body: unknown }>(
    '/v1/campaigns/:id/edits',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      const tenant = request.query.tenant ?? 'default';
      const body =
        typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)
          ? { ...(request.body as Record<string, unknown>), campaign: request.params.id }
          : request.body;
      const edit = parseCampaignEdit(body);
      if (!edit.ok) throw new TriplineError('INVALID_REQUEST', edit.message, edit.field);
      find(tenant, request.params.id);
      if (edit.value.op === 'merge') find(tenant, edit.value.from);
      const author = request.apiKeyName ?? 'anonymous';
      const seq = await app.editCampaign(tenant, edit.value, author);
      reply.status(201);
      const after = book().get(tenant, request.params.id);
      return { edit: seq, ...(after.kind === 'found' ? { campaign: after.campaign } : {}) };
    },
  );
};
