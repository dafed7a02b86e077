/** The gateway's own surface, in-process with app.inject(); upstreams are real fake servers on port 0. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStormlabError } from '../core/errors.js';
import { GatewayConfigSchema } from './config-schema.js';
import { buildGateway } from './server.js';
import { TEST_MODEL, testConfig } from './testing/config.js';
import { startFakeUpstream, USAGE, type FakeUpstream } from './testing/fake-upstreams.js';

describe('gateway surface', () => {
  let up: FakeUpstream;
  let app: FastifyInstance;
  const chat = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/chat/completions', payload: payload as object, headers });

  beforeAll(async () => {
    up = await startFakeUpstream('openai/us-east');
    app = await buildGateway(testConfig(['openai/us-east']), { upstreamUrls: { 'openai/us-east': up.url } });
  });
  afterAll(async () => {
    await app?.close();
    await up?.close();
  });

  it('passes a non-stream completion through, adding usage.cost_usd and the attribution headers', async () => {
    const res = await chat({ model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 }, { 'x-request-id': 'req-123' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const cost = (USAGE.prompt_tokens * 0.4 + USAGE.completion_tokens * 1.6) / 1e6;
    expect(body.usage).toMatchObject({ ...USAGE, cost_usd: cost });
    expect(body.system_fingerprint).toBe('stormlab:openai/us-east');
    expect(res.headers).toMatchObject({
      'x-stormlab-upstream': 'openai/us-east',
      'x-stormlab-provider': 'openai',
      'x-stormlab-region': 'us-east',
      'x-stormlab-attempts': '1',
      'x-stormlab-cost-usd': String(cost),
      'x-request-id': 'req-123',
    });
    const sent = up.received.at(-1);
    expect(sent?.headers['x-request-id']).toBe('req-123');
    expect(sent?.headers['x-stormlab-attempt']).toBe('1');
    expect(sent?.body).toMatchObject({ model: TEST_MODEL, temperature: 0.2 });
  });

  it('generates a request id when the client sends none', async () => {
    const res = await chat({ model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(up.received.at(-1)?.headers['x-request-id']).toBe(res.headers['x-request-id']);
  });

  it('rejects a bad body with 400 naming the field', async () => {
    const res = await chat({ model: TEST_MODEL, messages: [{ role: 5, content: 'hi' }] });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error).toMatchObject({ code: 'GW_BAD_REQUEST', type: 'invalid_request_error', param: 'messages[0].role' });
    expect(error.message).toContain('messages[0].role');

    const empty = await chat({ model: TEST_MODEL, messages: [] });
    expect(empty.json().error.param).toBe('messages');
  });

  it('rejects a body that is not JSON in the same error shape', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: '{nope', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('GW_BAD_REQUEST');
  });

  it('answers an unknown model with 404 GW_NO_UPSTREAM', async () => {
    const res = await chat({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'GW_NO_UPSTREAM', param: 'model' });
    expect(res.json().error.message).toContain('gpt-9');
  });

  it('answers an unknown path with 404 GW_NOT_FOUND', async () => {
    const res = await app.inject({ method: 'GET', url: '/v2/whatever' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { message: 'no such endpoint: GET /v2/whatever', type: 'invalid_request_error', code: 'GW_NOT_FOUND', param: null } });
  });

  it('lists the route models and reports health', async () => {
    const models = await app.inject({ method: 'GET', url: '/v1/models' });
    expect(models.json()).toEqual({ object: 'list', data: [{ id: TEST_MODEL, object: 'model', created: 0, owned_by: 'stormlab-gateway' }] });
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('exposes Prometheus metrics that moved with the traffic above', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.body;
    expect(text).toMatch(/^stormlab_gateway_requests_total\{model="gpt-4.1-mini",status="200",stream="false"\} 2$/m);
    expect(text).toMatch(/^stormlab_gateway_requests_total\{model="",status="400",stream="false"\} [1-9]/m);
    expect(text).toMatch(/^stormlab_gateway_upstream_attempts_total\{upstream="openai\/us-east",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^stormlab_gateway_tokens_total\{upstream="openai\/us-east",model="gpt-4.1-mini",kind="output"\} 40$/m);
    expect(text).toMatch(/^stormlab_gateway_cost_usd_total\{upstream="openai\/us-east",model="gpt-4.1-mini"\} 0\.00007[12]/m);
    expect(text).toMatch(/^stormlab_gateway_request_duration_seconds_count\{model="gpt-4.1-mini",stream="false"\} 2$/m);
    expect(Number(/^stormlab_gateway_request_duration_seconds_sum\{model="gpt-4.1-mini",stream="false"\} (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toContain('# TYPE stormlab_gateway_request_duration_seconds histogram');
  });
});

describe('buildGateway', () => {
  it('refuses to build when an upstream has no url, naming the field', async () => {
    const err = await buildGateway(testConfig(['openai/us-east', 'openai/eu-west']), { upstreamUrls: { 'openai/us-east': 'http://127.0.0.1:1' } }).catch((e: unknown) => e);
    expect(isStormlabError(err) && err.code).toBe('SL_UPSTREAM_UNRESOLVED');
    if (!isStormlabError(err)) return;
    expect(err.details[0]?.path).toBe('upstreams[1].url');
    expect(err.message).toContain('stormlab mocks --json');
  });
});

describe('upstream credentials', () => {
  const config = (auth: object) =>
    GatewayConfigSchema.parse({
      upstreams: [{ id: 'openai/us-east', provider: 'openai', region: 'us-east', ...auth }],
      routes: [{ model: TEST_MODEL, targets: [{ upstream: 'openai/us-east' }] }],
      prices: { [TEST_MODEL]: { input: 1, output: 1 } },
    });

  it('sends the configured key as a bearer token, read from the environment with apiKeyEnv', async () => {
    const up = await startFakeUpstream('openai/us-east');
    process.env.STORMLAB_TEST_KEY = 'sk-from-env';
    const apps = [
      await buildGateway(config({ apiKey: 'sk-inline' }), { upstreamUrls: { 'openai/us-east': up.url } }),
      await buildGateway(config({ apiKeyEnv: 'STORMLAB_TEST_KEY' }), { upstreamUrls: { 'openai/us-east': up.url } }),
    ];
    try {
      for (const app of apps) {
        const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: TEST_MODEL, messages: [{ role: 'user', content: 'x' }] } });
        expect(res.statusCode).toBe(200);
      }
      expect(up.received.map((r) => r.headers.authorization)).toEqual(['Bearer sk-inline', 'Bearer sk-from-env']);
    } finally {
      delete process.env.STORMLAB_TEST_KEY;
      await Promise.all(apps.map((a) => a.close()));
      await up.close();
    }
  });

  it('names apiKeyEnv when the variable is not set', async () => {
    const err = await buildGateway(config({ apiKeyEnv: 'STORMLAB_TEST_UNSET' }), { upstreamUrls: { 'openai/us-east': 'http://127.0.0.1:1' } }).catch((e: unknown) => e);
    expect(isStormlabError(err) && err.code).toBe('SL_CONFIG_INVALID');
    expect(isStormlabError(err) && err.details[0]?.path).toBe('upstreams[0].apiKeyEnv');
  });
});
