/**
 * The OpenAI front door with the official `openai` client: every upstream wire format behind it,
 * streaming and usage included; virtual keys; key material never in logs or errors.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import { KEY, LAB_FLEET, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

describe('front door', () => {
  let lab: GatewayLab;
  let client: OpenAI;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        routes: [
          { model: 'm1', targets: [{ upstream: 'oai/a' }] },
          { model: 'claude-x', targets: [{ upstream: 'ant/a' }] },
          { model: 'gemini-x', targets: [{ upstream: 'goo/a' }] },
          { model: 'emb-x', targets: [{ upstream: 'oai/a' }] },
        ],
        prices: {
          m1: { input: 1, cachedInput: 0.1, output: 2 },
          'claude-x': { input: 1, cachedInput: 0.1, output: 2 },
          'gemini-x': { input: 1, cachedInput: 0.1, output: 2 },
          'emb-x': { input: 0.02, output: 0 },
        },
      },
      {
        ...LAB_FLEET,
        providers: [
          { ...LAB_FLEET.providers[0], embeddings: [{ name: 'emb-x', price: { input: 0.02 }, dimensions: 64, latencyMs: { dist: 'constant', value: 2 } }] },
          ...LAB_FLEET.providers.slice(1),
        ],
      },
    );
    client = new OpenAI({ baseURL: `${lab.url}/v1`, apiKey: KEY, maxRetries: 0, logLevel: 'off' });
  });
  afterAll(() => lab.close());

  for (const model of ['m1', 'claude-x', 'gemini-x']) {
    it(`serves ${model} to the openai client, non-stream`, async () => {
      const messages = [
        { role: 'system' as const, content: 'be brief' },
        { role: 'user' as const, content: 'hi' },
      ];
      const c = await client.chat.completions.create({ model, messages, max_tokens: 8 });
      expect(c.object).toBe('chat.completion');
      expect(c.model).toBe(model);
      expect(c.choices[0]?.message.content?.length).toBeGreaterThan(0);
      expect(c.choices[0]?.finish_reason).toBe('length');
      expect(c.usage?.completion_tokens).toBe(8);
      expect(c.usage?.prompt_tokens).toBeGreaterThan(0);
    });

    it(`streams ${model} to the openai client, with the usage chunk`, async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 8,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text.length).toBeGreaterThan(0);
      expect(finish).toBe('length');
      expect(usage?.completion_tokens).toBe(8);
      const ledger = lab.ledger.filter((l) => l.model === model && l.stream).at(-1);
      expect(usage?.prompt_tokens).toBe(ledger?.tokensIn);
    });
  }

  it('embeddings and models through the openai client', async () => {
    const e = await client.embeddings.create({ model: 'emb-x', input: ['hello', 'world'] });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]?.embedding).toHaveLength(64);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['claude-x', 'emb-x', 'gemini-x', 'm1']);
  });

  it('401 in the error shape for a missing or unknown key, without echoing it', async () => {
    const bad = 'sk-this-is-not-a-key-9999';
    for (const headers of [{}, { authorization: `Bearer ${bad}` }] as Array<Record<string, string>>) {
      const res = await postChat(lab.url, { model: 'm1', messages: [{ role: 'user', content: 'x' }] }, headers);
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(text).not.toContain(bad);
      const body = JSON.parse(text) as { error: { code: string; type: string; message: string } };
      expect(body.error.code).toBe('GW_UNAUTHORIZED');
      expect(body.error.type).toBe('authentication_error');
    }
  });

  it('a request id comes back, and the log line names the principal but never the key', async () => {
    const body = { model: 'm1', messages: [{ role: 'user', content: 'x' }], max_tokens: 4 };
    const res = await postChat(lab.url, body, lab.headers({ 'x-request-id': 'req-abc-1' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-abc-1');
    await res.text();
    await new Promise((r) => setTimeout(r, 50));
    const line = lab.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'req-abc-1');
    expect(line).toMatchObject({ keyId: 'tester', tenant: 't1', route: 'm1', target: 'oai/a:m1', status: 200 });
    expect(lab.logs.join('\n')).not.toContain(KEY);
  });

  it('a JSON answer says how it was served: request id, route, target, attempts, cost, type and length', async () => {
    const res = await postChat(lab.url, { model: 'm1', messages: [{ role: 'user', content: 'héllo' }], max_tokens: 4 }, lab.headers());
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { usage: { cost_usd: number } };
    const h = Object.fromEntries(res.headers);
    expect(h).toMatchObject({
      'x-gateway-route': 'm1',
      'x-gateway-strategy': 'priority',
      'x-gateway-upstream': 'oai/a',
      'x-gateway-provider': 'oai',
      'x-gateway-region': 'a',
      'x-gateway-model': 'm1',
      'x-gateway-attempts': '1',
      'x-gateway-queue-ms': '0',
      'x-gateway-cost-usd': String(body.usage.cost_usd),
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    expect(h['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a streamed request's log line: trace, principal, target, attempts, status, TTFT, tokens, cost", async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const messages = [{ role: 'user', content: 'hello there' }];
    const body = { model: 'm1', messages, max_tokens: 6, stream: true, stream_options: { include_usage: true } };
    const headers = lab.headers({ 'x-request-id': 'req-log-stream', traceparent: `00-${trace}-00f067aa0ba902b7-01` });
    const res = await postChat(lab.url, body, headers);
    expect(res.status).toBe(200);
    const events = (await res.text()).split('\n').filter((l) => l.startsWith('data: {'));
    type Usage = { prompt_tokens: number; completion_tokens: number; cost_usd: number };
    const usage = events.map((l) => JSON.parse(l.slice(6)) as { usage?: Usage }).find((e) => e.usage)?.usage;
    expect(usage?.completion_tokens).toBe(6);
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !line; i++) {
      await new Promise((r) => setTimeout(r, 25));
      line = lab.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'req-log-stream');
    }
    expect(line).toMatchObject({
      msg: 'request',
      traceId: trace,
      keyId: 'tester',
      tenant: 't1',
      route: 'm1',
      strategy: 'priority',
      stream: true,
      target: 'oai/a:m1',
      attempts: ['oai/a:m1 ok'],
      status: 200,
      tokensIn: usage?.prompt_tokens,
      tokensOut: 6,
      costUsd: usage?.cost_usd,
    });
    // the fleet's first token comes after its 30 ms TTFT
    expect(line?.ttftMs).toBeGreaterThanOrEqual(25);
    expect(line?.durationMs).toBeGreaterThanOrEqual(line?.ttftMs as number);
    expect(JSON.stringify(line)).not.toContain(KEY);
  });

  it('a client mistake is a 4xx in the error shape naming the field', async () => {
    const res = await postChat(lab.url, { model: 'm1', messages: [{ role: 'user', content: 'x' }], max_tokens: 10_000_000 }, lab.headers());
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string } };
    expect(body.error.param).toBe('max_tokens');
  });
});
