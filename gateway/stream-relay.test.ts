/** Streaming through the gateway over real sockets: incremental relay, usage and cost, truncation, abort. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './server.js';
import { TEST_MODEL, testConfig } from './testing/config.js';
import { CONTENT, startFakeUpstream, USAGE, type FakeUpstream } from './testing/fake-upstreams.js';

const IDS = ['openai/us-east', 'openai/eu-west'] as const;
const COST = (USAGE.prompt_tokens * 0.4 + USAGE.completion_tokens * 1.6) / 1e6;

interface Chunk {
  system_fingerprint: string;
  choices: Array<{ delta: { content?: string } }>;
  usage?: Record<string, number> | null;
}

/** Data payloads of an SSE text. */
function dataOf(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
}
const chunksOf = (text: string) => dataOf(text).filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Chunk);
const contentOf = (text: string) => chunksOf(text).map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('streaming relay', () => {
  const ups: FakeUpstream[] = [];
  let gw: RunningGateway;

  beforeAll(async () => {
    for (const id of IDS) ups.push(await startFakeUpstream(id));
    gw = await startGateway(testConfig(IDS), { port: 0, upstreamUrls: Object.fromEntries(ups.map((u) => [u.id, u.url])) });
  });
  afterEach(() => {
    for (const u of ups) {
      u.behave({ kind: 'ok' });
      u.received.length = 0;
    }
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all(ups.map((u) => u.close()));
  });

  const stream = (streamOptions?: object, signal?: AbortSignal) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: streamOptions }),
      signal,
    });
  const metrics = async () => (await fetch(`${gw.url}/metrics`)).text();

  it('forwards chunks as they arrive, before the upstream has finished', async () => {
    let release = () => {};
    ups[0]?.behave({ kind: 'ok', hold: new Promise<void>((r) => (release = r)) });
    const res = await stream({ include_usage: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-stormlab-upstream')).toBe('openai/us-east');
    expect(res.headers.get('x-stormlab-attempts')).toBe('1');
    expect(res.headers.get('x-stormlab-cost-usd')).toBeNull();

    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // every content chunk arrives while the upstream still holds back its end
    while (contentOf(text) !== CONTENT.join('')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    expect(text).not.toContain('[DONE]');
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(dataOf(text).at(-1)).toBe('[DONE]');
    const usageChunk = chunksOf(text).at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toEqual({ ...USAGE, cost_usd: COST });
    expect(usageChunk?.system_fingerprint).toBe('stormlab:openai/us-east');
  });

  it('always asks the upstream for usage, and drops the usage chunk the client did not ask for', async () => {
    const res = await stream();
    const text = await res.text();
    expect(ups[0]?.received[0]?.body.stream_options).toEqual({ include_usage: true });
    expect(contentOf(text)).toBe(CONTENT.join(''));
    expect(chunksOf(text).every((c) => c.choices.length > 0)).toBe(true);
    expect(dataOf(text).at(-1)).toBe('[DONE]');
    expect(await metrics()).toMatch(/^stormlab_gateway_tokens_total\{upstream="openai\/us-east",model="gpt-4.1-mini",kind="input"\} [1-9]/m);
  });

  it('ends the client stream without [DONE] when the upstream cuts mid-stream, and counts it', async () => {
    ups[0]?.behave({ kind: 'cut', afterChunks: 3 });
    const res = await stream({ include_usage: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('[DONE]');
    expect(contentOf(text)).toBe(CONTENT.slice(0, 2).join(''));
    expect(ups[1]?.received).toHaveLength(0); // bytes had gone out: no failover
    expect(await metrics()).toMatch(/^stormlab_gateway_stream_truncations_total\{upstream="openai\/us-east",reason="reset"\} 1$/m);
  });

  it('fails over when the upstream cuts before the first byte of the stream', async () => {
    ups[0]?.behave({ kind: 'cut', afterChunks: 0 });
    const res = await stream();
    expect(res.headers.get('x-stormlab-upstream')).toBe('openai/eu-west');
    expect(res.headers.get('x-stormlab-attempts')).toBe('2');
    const text = await res.text();
    expect(contentOf(text)).toBe(CONTENT.join(''));
    expect(dataOf(text).at(-1)).toBe('[DONE]');
  });

  it('aborts the upstream request when the client goes away', async () => {
    ups[0]?.behave({ kind: 'ok', hold: new Promise<void>(() => {}) });
    const abortsBefore = ups[0]?.aborts ?? 0;
    const ac = new AbortController();
    const res = await stream(undefined, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await expect.poll(() => ups[0]?.aborts, { timeout: 2000 }).toBe(abortsBefore + 1);
    await expect.poll(metrics, { timeout: 2000 }).toMatch(/^stormlab_gateway_requests_in_flight 0$/m);
    const text = await metrics();
    expect(text).toMatch(/^stormlab_gateway_requests_total\{model="gpt-4.1-mini",status="499",stream="true"\} 1$/m);
    expect(text).not.toMatch(/stream_truncations_total\{upstream="openai\/us-east",reason="aborted"\}/);
  });
});
