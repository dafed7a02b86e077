/**
 * Graceful close: a request in flight is answered in full, a new one gets 503 GW_DRAINING in the
 * one error shape with `retry-after: 1` and its request id, and the log names it.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, model, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

describe('draining', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    // a slow first token keeps the first request in flight while the gateway closes
    const providers = [{ name: 'oai', format: 'openai', regions: ['a', 'b'], models: [model('m1', 400, 2, 4)] }];
    const fleet = { ...LAB_FLEET, providers };
    const upstreams = [{ id: 'oai/a', provider: 'oai', region: 'a', format: 'openai' }] as const;
    lab = await startGatewayLab({ upstreams: [...upstreams], routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }] }, fleet);
  });
  afterAll(() => lab.close());

  it('answers the request in flight, refuses a new one with 503 GW_DRAINING', async () => {
    const body = { model: 'm1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 };
    const inFlight = postChat(lab.url, body, lab.headers());
    await new Promise((r) => setTimeout(r, 100));
    const closing = lab.gw.close();
    await new Promise((r) => setTimeout(r, 50));
    const refused = await request(`${lab.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...lab.headers({ 'x-request-id': 'req-late' }), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['x-request-id']).toBe('req-late');
    const error = ((await refused.body.json()) as { error: { code: string; type: string; message: string } }).error;
    expect(error.code).toBe('GW_DRAINING');
    expect(error.message).toMatch(/shutting down/);
    const first = await inFlight;
    expect(first.status).toBe(200);
    expect(((await first.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(4);
    await closing;
    const line = lab.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'req-late');
    expect(line).toMatchObject({ code: 'GW_DRAINING', status: 503 });
  });
});
