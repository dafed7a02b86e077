/** A real fleet on loopback ports: wire shapes, SSE order and timing, determinism, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPromptTokens } from '../core/tokens.js';
import { startFleet, type RunningFleet } from './fleet.js';
import type { LedgerEntry } from './ledger.js';
import { ITL_MS, OUTPUT_TOKENS, postChat, streamChat, testFleet, TTFT_MS, until, type ChatJson } from './test-helpers.js';

const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something about load testing.' },
];

describe('a running fleet', () => {
  let fleet: RunningFleet;
  const ledger: LedgerEntry[] = [];
  let a = '';
  let b = '';

  beforeAll(async () => {
    fleet = await startFleet(testFleet(), { ledger: (e) => ledger.push(e) });
    a = fleet.endpoints.find((e) => e.id === 'acme/a')!.url;
    b = fleet.endpoints.find((e) => e.id === 'acme/b')!.url;
  });
  afterAll(() => fleet?.close());

  it('lists one endpoint per provider × region, each on its own port', () => {
    expect(fleet.endpoints.map((e) => e.id)).toEqual(['acme/a', 'acme/b']);
    expect(fleet.endpoints[0]).toMatchObject({ provider: 'acme', region: 'a', format: 'openai', models: ['m1'] });
    expect(a).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a).not.toBe(b);
  });

  it('answers /healthz and /v1/models', async () => {
    expect(await (await fetch(`${a}/healthz`)).json()).toEqual({ status: 'ok', endpoint: 'acme/a' });
    const models = (await (await fetch(`${a}/v1/models`)).json()) as { data: Array<{ id: string; owned_by: string }> };
    expect(models.data).toEqual([expect.objectContaining({ id: 'm1', object: 'model', owned_by: 'acme' })]);
  });

  it('non-stream: a chat.completion with usage, marked with the endpoint, sent after TTFT + all ITLs', async () => {
    const t0 = performance.now();
    const res = await postChat(a, { model: 'm1', messages }, { 'x-request-id': 'req-123', 'x-stormlab-attempt': '2' });
    const elapsed = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-stormlab-endpoint')).toBe('acme/a');
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const body = (await res.json()) as ChatJson;
    expect(body).toMatchObject({ object: 'chat.completion', model: 'm1', system_fingerprint: 'stormlab:acme/a' });
    expect(body.id).toContain('stormlab:acme/a');
    expect(body.choices).toHaveLength(1);
    expect(body.choices![0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant' } });
    const prompt = chatPromptTokens(messages);
    expect(body.usage).toMatchObject({ prompt_tokens: prompt, completion_tokens: OUTPUT_TOKENS, total_tokens: prompt + OUTPUT_TOKENS });
    expect(elapsed).toBeGreaterThanOrEqual(TTFT_MS + (OUTPUT_TOKENS - 1) * ITL_MS);

    await until(() => ledger.some((l) => l.requestId === 'req-123'));
    const line = ledger.find((l) => l.requestId === 'req-123')!;
    expect(line).toMatchObject({
      endpoint: 'acme/a',
      provider: 'acme',
      region: 'a',
      model: 'm1',
      attempt: 2,
      status: 200,
      stream: false,
      fault: null,
      tokensIn: prompt,
      tokensOut: OUTPUT_TOKENS,
      outcome: 'ok',
    });
    expect(line.costUsd).toBeCloseTo((prompt * 0.5 + OUTPUT_TOKENS * 2.0) / 1e6, 12);
    expect(Date.parse(line.time)).toBeGreaterThan(Date.now() - 10_000);
    expect(line.durationMs).toBeGreaterThanOrEqual(TTFT_MS + (OUTPUT_TOKENS - 1) * ITL_MS);
  });

  it('generates a request id when the client sends none', async () => {
    const res = await postChat(a, { model: 'm1', messages, max_tokens: 1 });
    await res.arrayBuffer();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stream: role chunk, one chunk per token, finish chunk, usage chunk, [DONE]; first content at TTFT', async () => {
    const r = await streamChat(a, { model: 'm1', messages, stream_options: { include_usage: true } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(r.headers.get('x-stormlab-endpoint')).toBe('acme/a');
    expect(r.done).toBe(true);

    const chunks = r.events.slice(0, -1).map((e) => e.json!);
    for (const c of chunks) {
      expect(c.system_fingerprint).toBe('stormlab:acme/a');
      expect(c.object).toBe('chat.completion.chunk');
      expect(c.id).toBe(chunks[0]!.id);
    }
    expect(chunks[0]!.choices![0]!.delta).toMatchObject({ role: 'assistant', content: '' });
    const content = chunks.filter((c) => c.choices?.[0]?.delta?.content);
    const finish = chunks.at(-2)!;
    const usage = chunks.at(-1)!;
    expect(chunks).toHaveLength(1 + content.length + 2);
    expect(finish.choices![0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(usage.choices).toEqual([]);
    expect(usage.usage!.completion_tokens).toBe(content.length);
    expect(content).toHaveLength(OUTPUT_TOKENS);
    expect(usage.usage!.prompt_tokens).toBe(chatPromptTokens(messages));

    expect(r.ttftMs).toBeGreaterThanOrEqual(TTFT_MS);
    expect(r.ttftMs).toBeLessThan(TTFT_MS + 50);
    // paced, not a burst: the rest arrives over about (n−1) × ITL (client-side clocks, so a loose bound)
    expect(r.events.at(-1)!.at - r.ttftMs).toBeGreaterThan((OUTPUT_TOKENS - 1) * ITL_MS * 0.6);
  });

  it('stream without include_usage: no usage chunk; max_tokens cuts it with finish_reason "length"', async () => {
    const r = await streamChat(a, { model: 'm1', messages, max_tokens: 5 });
    const chunks = r.events.slice(0, -1).map((e) => e.json!);
    expect(chunks.filter((c) => c.choices?.[0]?.delta?.content)).toHaveLength(5);
    expect(chunks.at(-1)!.choices![0]!.finish_reason).toBe('length');
    expect(chunks.every((c) => c.usage === undefined && c.choices!.length === 1)).toBe(true);
    expect(r.done).toBe(true);
  });

  it('the same request gives the same text, on any region and streamed or not', async () => {
    const text = async (url: string) => ((await (await postChat(url, { model: 'm1', messages, max_tokens: 8 })).json()) as ChatJson).choices![0]!.message!.content!;
    const first = await text(a);
    expect(await text(a)).toBe(first);
    expect(await text(b)).toBe(first);
    const streamed = await streamChat(b, { model: 'm1', messages, max_tokens: 8 });
    expect(streamed.events.map((e) => e.json?.choices?.[0]?.delta?.content ?? '').join('')).toBe(first);
    expect(((await (await postChat(a, { model: 'm1', messages: [{ role: 'user', content: 'other' }], max_tokens: 8 })).json()) as ChatJson).choices![0]!.message!.content).not.toBe(first);
  });

  it('a client that goes away mid-stream is ledgered as client_aborted with the tokens generated so far', async () => {
    const r = await streamChat(a, { model: 'm1', messages }, { 'x-request-id': 'abort-1' }, (_e, i) => i >= 3);
    expect(r.done).toBe(false);
    await until(() => ledger.some((l) => l.requestId === 'abort-1'));
    const line = ledger.find((l) => l.requestId === 'abort-1')!;
    expect(line).toMatchObject({ outcome: 'client_aborted', status: 200, stream: true });
    expect(line.tokensOut).toBeGreaterThanOrEqual(3);
    expect(line.tokensOut).toBeLessThan(OUTPUT_TOKENS);
    expect(fleet.inFlight('acme/a')).toBe(0); // its timer went with it
  });

  it('a bad body is a 400 in OpenAI error shape naming the field', async () => {
    const missing = await postChat(a, { model: 'm1' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' },
    });
    const bad = await postChat(a, { model: 'm1', messages, max_tokens: 0 });
    expect(bad.status).toBe(400);
    const err = ((await bad.json()) as { error: { param: string; message: string } }).error;
    expect(err.param).toBe('max_tokens');
    expect(err.message).toContain("'max_tokens'");
    const role = ((await (await postChat(a, { model: 'm1', messages: [{ role: 'robot', content: 'x' }] })).json()) as { error: { param: string } }).error;
    expect(role.param).toBe('messages[0].role');
  });

  it('broken JSON is a 400 and an unknown route a 404, in the same error shape', async () => {
    const res = await fetch(`${a}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const nf = await fetch(`${a}/v1/nope`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: { message: string } }).error.message).toBe('Invalid URL (GET /v1/nope)');
  });

  it('an unknown model is a 404 model_not_found, ledgered as an error', async () => {
    const res = await postChat(a, { model: 'gpt-9', messages }, { 'x-request-id': 'nf-1' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-stormlab-endpoint')).toBe('acme/a');
    expect(await res.json()).toEqual({
      error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
    });
    await until(() => ledger.some((l) => l.requestId === 'nf-1'));
    expect(ledger.find((l) => l.requestId === 'nf-1')).toMatchObject({ status: 404, outcome: 'error', model: 'gpt-9', tokensOut: 0, costUsd: 0 });
  });
});
