import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openTripline } from '../src/app.js';
import type { Tripline } from '../src/app.js';
import { buildServer } from '../src/api/server.js';
import { backends } from './helpers/backends.js';
import { event, events, ndjson } from './helpers/events.js';

for (const { backend, skip } of await backends()) {
  describe(`HTTP API: ${backend.name}`, { skip }, () => {
    let app: Tripline;
    let server: FastifyInstance;
    const keys: Record<'ingest' | 'read' | 'admin', string> = { ingest: '', read: '', admin: '' };
    const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

    before(async () => {
      app = await openTripline({ db: await backend.fresh() });
      server = await buildServer(app, {
        eventBodyLimit: 4096,
        batchBodyLimit: 64 * 1024,
        maxBatchEvents: 100,
      });
      for (const scope of ['ingest', 'read', 'admin'] as const) {
        keys[scope] = (await app.keys.create({ scope })).key;
      }
    });
    after(async () => {
      await server.close();
      await app.close();
      await backend.cleanup();
    });

    test('GET /healthz is public', async () => {
      const res = await server.inject({ method: 'GET', url: '/healthz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok', store: backend.name, queued: 0 });
    });

    test('POST /v1/events stores one event; the same id again is a duplicate', async () => {
      const body = event({ id: 'h-1' });
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(keys.ingest),
        payload: body,
      });
      assert.equal(res.statusCode, 200);
      const first = res.json();
      assert.equal(first.event_id, 'h-1');
      assert.equal(first.status, 'accepted');
      assert.ok(['allow', 'challenge', 'deny'].includes(first.decision));
      assert.ok(first.score >= 0 && first.score <= 1);
      assert.ok(Array.isArray(first.reasons));
      const again = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(keys.admin),
        payload: body,
      });
      assert.deepEqual(
        again.json(),
        { ...first, status: 'duplicate' },
        'a duplicate keeps its first decision',
      );
      assert.deepEqual((await app.store.getEvent('default', 'h-1'))?.decision, {
        event_id: 'h-1',
        decision: first.decision,
        score: first.score,
        reasons: first.reasons,
      });
      assert.ok(await app.store.getEvent('default', 'h-1'));
    });

    const authCases: {
      name: string;
      headers: Record<string, string>;
      status: number;
      code: string;
      message: string;
    }[] = [
      {
        name: 'missing key',
        headers: {},
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'missing Authorization: Bearer <key>',
      },
      {
        name: 'not bearer',
        headers: { authorization: 'Basic abc' },
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'malformed API key',
      },
      {
        name: 'unknown key',
        headers: { authorization: `Bearer tl_0000000000000000_${'A'.repeat(43)}` },
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'invalid API key',
      },
    ];
    for (const c of authCases) {
      test(`401: ${c.name}`, async () => {
        const res = await server.inject({
          method: 'POST',
          url: '/v1/events',
          headers: c.headers,
          payload: event(),
        });
        assert.equal(res.statusCode, c.status);
        assert.deepEqual(res.json(), { error: { code: c.code, message: c.message } });
      });
    }

    test('401: right id, wrong secret', async () => {
      const forged = keys.ingest.slice(0, -4) + (keys.ingest.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(forged),
        payload: event(),
      });
      assert.equal(res.statusCode, 401);
    });

    test('403: wrong scope', async () => {
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(keys.read),
        payload: event(),
      });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), {
        error: {
          code: 'FORBIDDEN',
          message: 'this key has scope "read"; the request needs "ingest"',
        },
      });
      const metrics = await server.inject({
        method: 'GET',
        url: '/metrics',
        headers: bearer(keys.ingest),
      });
      assert.equal(metrics.statusCode, 403);
    });

    test('a revoked key is refused at once', async () => {
      const { key, row } = await app.keys.create({ scope: 'ingest', name: 'temp' });
      const ok = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(key),
        payload: event({ id: 'rv' }),
      });
      assert.equal(ok.statusCode, 200);
      assert.equal(await app.keys.revoke(row.id), true);
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(key),
        payload: event({ id: 'rv2' }),
      });
      assert.equal(res.statusCode, 401);
    });

    test('invalid event: 400 with the field and every problem', async () => {
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(keys.ingest),
        payload: { time: '2026-10-01T00:00:00Z', type: 'singin', account: {} },
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), {
        error: {
          code: 'INVALID_EVENT',
          message: 'type: unknown value "singin" (did you mean "signin"?); account.id: required',
          field: 'type',
          problems: [
            { field: 'type', reason: 'unknown value "singin" (did you mean "signin"?)' },
            { field: 'account.id', reason: 'required' },
          ],
        },
      });
    });

    const badBodies: {
      name: string;
      headers: Record<string, string>;
      payload: string;
      status: number;
      code: string;
    }[] = [
      {
        name: 'malformed JSON',
        headers: { 'content-type': 'application/json' },
        payload: '{"time":',
        status: 400,
        code: 'INVALID_JSON',
      },
      {
        name: 'empty JSON body',
        headers: { 'content-type': 'application/json' },
        payload: '',
        status: 400,
        code: 'INVALID_JSON',
      },
      {
        name: 'prototype poisoning',
        headers: { 'content-type': 'application/json' },
        payload:
          '{"__proto__":{"x":1},"time":"2026-10-01T00:00:00Z","type":"signin","account":{"id":"u"}}',
        status: 400,
        code: 'INVALID_JSON',
      },
      {
        name: 'wrong media type',
        headers: { 'content-type': 'text/xml' },
        payload: '<e/>',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'body over the limit',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(event({ pad: 'x'.repeat(5000) })),
        status: 413,
        code: 'BODY_TOO_LARGE',
      },
      {
        name: 'array to the single-event route',
        headers: { 'content-type': 'application/json' },
        payload: '[]',
        status: 400,
        code: 'INVALID_EVENT',
      },
    ];
    for (const c of badBodies) {
      test(`POST /v1/events: ${c.name} → ${c.status} ${c.code}`, async () => {
        const before = await app.store.countEvents();
        const res = await server.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { ...bearer(keys.ingest), ...c.headers },
          payload: c.payload,
        });
        assert.equal(res.statusCode, c.status);
        const body = res.json();
        assert.equal(body.error.code, c.code);
        assert.equal(typeof body.error.message, 'string');
        assert.equal(await app.store.countEvents(), before, 'nothing written');
      });
    }

    test('POST /v1/events:batch takes a JSON array; per-item results, valid items committed', async () => {
      const items = [
        event({ id: 'b-1' }),
        { type: 'signin' },
        event({ id: 'b-2' }),
        event({ id: 'b-1' }),
      ];
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events:batch',
        headers: bearer(keys.ingest),
        payload: items,
      });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      // Decisions are checked apart: their values depend on the risk engine.
      const decisionOf = (r: Record<string, unknown>) => ({
        decision: r.decision,
        score: r.score,
        reasons: r.reasons,
      });
      for (const i of [0, 2, 3]) {
        assert.ok(
          ['allow', 'challenge', 'deny'].includes(body.results[i].decision),
          `item ${i} has a decision`,
        );
      }
      assert.deepEqual(
        decisionOf(body.results[3]),
        decisionOf(body.results[0]),
        'the repeat keeps the first decision',
      );
      const strip = ({ decision: _d, score: _s, reasons: _r, ...rest }: Record<string, unknown>) =>
        rest;
      assert.deepEqual(
        { ...body, results: body.results.map(strip) },
        {
          accepted: 2,
          duplicates: 1,
          rejected: 1,
          results: [
            { index: 0, status: 'accepted', event_id: 'b-1' },
            {
              index: 1,
              status: 'rejected',
              error: { code: 'INVALID_EVENT', message: 'time: required; account: required' },
            },
            { index: 2, status: 'accepted', event_id: 'b-2' },
            { index: 3, status: 'duplicate', event_id: 'b-1' },
          ],
        },
      );
    });

    test('POST /v1/events:batch takes NDJSON and names bad lines', async () => {
      const payload = ndjson([event({ id: 'n-1' })]) + '{oops\n\n' + ndjson([event({ id: 'n-2' })]);
      const res = await server.inject({
        method: 'POST',
        url: '/v1/events:batch',
        headers: { ...bearer(keys.ingest), 'content-type': 'application/x-ndjson' },
        payload,
      });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual([body.accepted, body.rejected], [2, 1]);
      assert.equal(body.results[1].error.code, 'INVALID_JSON');
      assert.match(body.results[1].error.message, /^line 2: invalid JSON/);
    });

    test('batch limits: too many events → 413, not an array → 400, empty → 400', async () => {
      const tooMany = await server.inject({
        method: 'POST',
        url: '/v1/events:batch',
        headers: bearer(keys.ingest),
        payload: events(101, 'many'),
      });
      assert.equal(tooMany.statusCode, 413);
      assert.deepEqual(tooMany.json(), {
        error: { code: 'BATCH_TOO_LARGE', message: 'the batch holds 101 events; the limit is 100' },
      });
      const notArray = await server.inject({
        method: 'POST',
        url: '/v1/events:batch',
        headers: bearer(keys.ingest),
        payload: event(),
      });
      assert.equal(notArray.statusCode, 400);
      assert.equal(notArray.json().error.code, 'INVALID_REQUEST');
      const empty = await server.inject({
        method: 'POST',
        url: '/v1/events:batch',
        headers: bearer(keys.ingest),
        payload: [],
      });
      assert.equal(empty.statusCode, 400);
      assert.equal(await app.store.getEvent('default', 'many-0'), undefined);
    });

    test('unknown route → 404 in the error shape', async () => {
      const res = await server.inject({ method: 'GET', url: '/v1/nothing' });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), {
        error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing' },
      });
    });

    test('GET /metrics renders Prometheus text with stage counters', async () => {
      const res = await server.inject({
        method: 'GET',
        url: '/metrics',
        headers: bearer(keys.read),
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
      assert.match(res.body, /^# TYPE tripline_events_total counter$/m);
      assert.match(res.body, /^tripline_events_total\{result="accepted",source="http"\} \d+$/m);
      assert.match(res.body, /^tripline_events_total\{result="rejected",source="http"\} \d+$/m);
      assert.match(res.body, /^tripline_store_batch_seconds_count \d+$/m);
    });
  });
}

test('--insecure-no-auth serves without keys', async () => {
  const { sqliteBackend } = await import('./helpers/backends.js');
  const b = sqliteBackend();
  const app = await openTripline({ db: await b.fresh() });
  const server = await buildServer(app, { auth: false });
  try {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/events',
      payload: event({ id: 'open' }),
    });
    assert.equal(res.statusCode, 200);
  } finally {
    await server.close();
    await app.close();
    await b.cleanup();
  }
});
