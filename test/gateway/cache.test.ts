/**
 * The response cache over real HTTP: the gateway in front of the mock fleet, embeddings served
 * by the fleet's (negation-aware) embeddings model. Each answer's origin is read from the
 * gateway's headers and checked against the fleet's ledger (a hit makes no upstream chat call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_FLEET, PRICES, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const FLEET = {
  ...LAB_FLEET,
  providers: [
    {
      ...LAB_FLEET.providers[0],
      embeddings: [{ name: 'emb-x', price: { input: 0.02 }, dimensions: 1536, latencyMs: { dist: 'constant', value: 2 } }],
    },
    ...LAB_FLEET.providers.slice(1),
  ],
};

const SYSTEM = 'You are the support assistant of Acme Cloud. Answer accurately and briefly.';

function cacheConfig(scope: 'region' | 'global') {
  return {
    routes: [
      { model: 'm1', strategy: 'nearest-region', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] },
      { model: 'm2', targets: [{ upstream: 'oai/a' }] },
      { model: 'emb-x', targets: [{ upstream: 'oai/a' }] },
    ],
    prices: { ...PRICES, 'emb-x': { input: 0.02, output: 0 } },
    cache: {
      ttlClasses: { general: '1h', 'time-sensitive': '400ms' },
      scope,
      semantic: { embeddings: 'emb-x', threshold: 0.93 },
      routes: { m1: { features: { news: 'time-sensitive' } }, m2: { ttl: 'time-sensitive' } },
    },
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: { choices: Array<{ message: { content: string } }>; usage: { cost_usd: number; completion_tokens: number } };
}

let seq = 0;
async function ask(
  lab: GatewayLab,
  user: string,
  opts: { model?: string; temperature?: number; feature?: string; region?: string; id?: string; cacheControl?: string } = {},
): Promise<Answer> {
  const body: Record<string, unknown> = {
    model: opts.model ?? 'm1',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
    ],
    max_tokens: 50,
  };
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  if (opts.feature) body.metadata = { feature: opts.feature };
  const headers = lab.headers({ 'content-type': 'application/json', 'x-request-id': opts.id ?? `cache-test-${++seq}` });
  if (opts.region) headers['x-gateway-client-region'] = opts.region;
  if (opts.cacheControl) headers['cache-control'] = opts.cacheControl;
  const res = await fetch(`${lab.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

async function askStream(lab: GatewayLab, user: string, opts: { region?: string; id?: string } = {}) {
  const body = {
    model: 'm1',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
    ],
    max_tokens: 50,
    stream: true,
    stream_options: { include_usage: true },
  };
  const headers = lab.headers({ 'content-type': 'application/json', 'x-request-id': opts.id ?? `cache-test-${++seq}` });
  if (opts.region) headers['x-gateway-client-region'] = opts.region;
  const res = await fetch(`${lab.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  const raw = await res.text();
  const events = raw.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
  const chunks = events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e) as Record<string, any>);
  const text = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  return { status: res.status, headers: res.headers, events, chunks, text, usage: chunks.find((c) => c.usage)?.usage, error: chunks.find((c) => c.error) };
}

const chatCalls = (lab: GatewayLab) => lab.ledger.filter((e) => e.endpoint !== undefined && !String(e.model).startsWith('emb')).length;

describe('response cache (exact and semantic, regional scope, TTL classes)', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(cacheConfig('region'), FLEET);
  });
  afterAll(() => lab.close());

  it('misses, then answers the same request from the exact cache without an upstream call', async () => {
    const first = await ask(lab, 'How do I reset my password?', { id: 'exact-src' });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-gateway-cache')).toBe('miss');
    const calls = chatCalls(lab);
    const second = await ask(lab, '  How do I   reset my password? ');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-gateway-cache')).toBe('exact');
    expect(second.headers.get('x-gateway-cache-source')).toBe('exact-src');
    expect(second.headers.get('x-gateway-cache-similarity')).toBe('1.0000');
    expect(second.headers.get('x-gateway-cache-entry')).toMatch(/^[0-9a-f-]{8,}$/);
    expect(second.body.choices[0]?.message.content).toBe(first.body.choices[0]?.message.content);
    expect(second.body.usage.cost_usd).toBe(0);
    expect(Number(second.headers.get('x-gateway-cache-saved-usd'))).toBeCloseTo(first.body.usage.cost_usd, 9);
    expect(chatCalls(lab)).toBe(calls);
  });

  it('never shares an entry between requests that differ only in temperature', async () => {
    await ask(lab, 'How do I change my email address?', { temperature: 0 });
    const other = await ask(lab, 'How do I change my email address?', { temperature: 0.7 });
    expect(other.headers.get('x-gateway-cache')).toBe('miss');
    const same = await ask(lab, 'How do I change my email address?', { temperature: 0 });
    expect(same.headers.get('x-gateway-cache')).toBe('exact');
  });

  it('answers a paraphrase from the semantic cache, naming the similarity and the source', async () => {
    await ask(lab, 'How do I upgrade to the Pro plan?', { id: 'para-src' });
    const calls = chatCalls(lab);
    const hit = await ask(lab, 'How can I upgrade to the pro plan please?');
    expect(hit.headers.get('x-gateway-cache')).toBe('semantic');
    expect(hit.headers.get('x-gateway-cache-source')).toBe('para-src');
    const sim = Number(hit.headers.get('x-gateway-cache-similarity'));
    expect(sim).toBeGreaterThanOrEqual(0.93);
    expect(sim).toBeLessThan(1);
    expect(chatCalls(lab)).toBe(calls);
  });

  it('does not answer a negation from the cache ("turn on" vs "turn off")', async () => {
    await ask(lab, 'Please turn on the lights in the kitchen.');
    const neg = await ask(lab, 'Please turn off the lights in the kitchen.');
    expect(neg.headers.get('x-gateway-cache')).toBe('miss');
    expect(neg.headers.get('x-gateway-cache-source')).toBeNull();
  });

  it('expires entries by their TTL class: time-sensitive (feature and route) after 400 ms, general not', async () => {
    await ask(lab, 'What is the status of my refund?', { feature: 'news' });
    await ask(lab, 'What is the status of my refund?');
    await ask(lab, 'Where is my parcel today?', { model: 'm2' });
    expect((await ask(lab, 'What is the status of my refund?', { feature: 'news' })).headers.get('x-gateway-cache')).toBe('exact');
    await new Promise((r) => setTimeout(r, 550));
    expect((await ask(lab, 'What is the status of my refund?', { feature: 'news' })).headers.get('x-gateway-cache')).toBe('miss');
    expect((await ask(lab, 'Where is my parcel today?', { model: 'm2' })).headers.get('x-gateway-cache')).toBe('miss');
    expect((await ask(lab, 'What is the status of my refund?')).headers.get('x-gateway-cache')).toBe('exact');
  });

  it('does not serve an entry written in one region to a request bound for another', async () => {
    const a = await ask(lab, 'How long does shipping take?', { region: 'a' });
    expect(a.headers.get('x-gateway-region')).toBe('a');
    const b = await ask(lab, 'How long does shipping take?', { region: 'b' });
    expect(b.headers.get('x-gateway-cache')).toBe('miss');
    expect(b.headers.get('x-gateway-region')).toBe('b');
    const b2 = await ask(lab, 'How long does shipping take?', { region: 'b' });
    expect(b2.headers.get('x-gateway-cache')).toBe('exact');
    expect(b2.headers.get('x-gateway-region')).toBe('b');
  });

  it('replays a hit to a streaming client as SSE ending with usage and [DONE], and caches a complete stream', async () => {
    const json = await ask(lab, 'How do I cancel my order?', { id: 'stream-src' });
    const hit = await askStream(lab, 'How do I cancel my order?');
    expect(hit.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(hit.headers.get('x-gateway-cache')).toBe('exact');
    expect(hit.text).toBe(json.body.choices[0]?.message.content);
    expect(hit.chunks.filter((c) => c.choices?.[0]?.delta?.content).length).toBeGreaterThan(1);
    expect(hit.usage).toMatchObject({ completion_tokens: json.body.usage.completion_tokens, cost_usd: 0 });
    expect(hit.events.at(-1)).toBe('[DONE]');

    const streamed = await askStream(lab, 'How much does shipping cost to Canada?', { id: 'streamed-src' });
    expect(streamed.headers.get('x-gateway-cache')).toBe('miss');
    const again = await ask(lab, 'How much does shipping cost to Canada?');
    expect(again.headers.get('x-gateway-cache')).toBe('exact');
    expect(again.headers.get('x-gateway-cache-source')).toBe('streamed-src');
    expect(again.body.choices[0]?.message.content).toBe(streamed.text);
  });

  it('never caches a stream cut after its answer began', async () => {
    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai', region: 'a' }, params: { afterTokens: 3 } });
    try {
      const cut = await askStream(lab, 'Translate into French: "the invoice is late"', { region: 'a' });
      expect(cut.error?.error?.code).toBe('GW_STREAM_INTERRUPTED');
      expect(cut.events).not.toContain('[DONE]');
    } finally {
      await lab.reset();
    }
    const after = await ask(lab, 'Translate into French: "the invoice is late"', { region: 'a' });
    expect(after.headers.get('x-gateway-cache')).toBe('miss');
  });

  it('skips the semantic cache for multi-turn requests (the exact cache still applies)', async () => {
    const turns = (q: string) => ({
      model: 'm1',
      max_tokens: 50,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'I have a question about my account.' },
        { role: 'assistant', content: 'Sure, what is it?' },
        { role: 'user', content: q },
      ],
    });
    const post = (q: string) =>
      fetch(`${lab.url}/v1/chat/completions`, { method: 'POST', headers: lab.headers({ 'content-type': 'application/json' }), body: JSON.stringify(turns(q)) });
    expect((await post('How do I downgrade to the Basic plan?')).headers.get('x-gateway-cache')).toBe('miss');
    expect((await post('How do I downgrade to the Basic plan?')).headers.get('x-gateway-cache')).toBe('exact');
    expect((await post('How can I downgrade to the basic plan please?')).headers.get('x-gateway-cache')).toBe('miss');
  });

  it('keeps long documents out of the semantic cache: a different instruction on the same notes is not a hit', async () => {
    const notes = Array.from({ length: 60 }, (_, i) => `Item ${i}: the team reviewed the rollout plan for region ${i % 7} and agreed on owners.`).join('\n');
    await ask(lab, `Summarize these meeting notes in five bullet points.\n\n${notes}`);
    const other = await ask(lab, `List every action item in these meeting notes with its owner.\n\n${notes}`);
    expect(other.headers.get('x-gateway-cache')).toBe('miss');
    const text = await (await fetch(`${lab.url}/metrics`)).text();
    expect(text).toMatch(/^stormlab_gateway_cache_semantic_skipped_total\{model="m1",reason="long_query"\} [2-9]/m);
  });

  it('lets a client opt out (cache-control: no-store) or ask for a fresh answer (no-cache)', async () => {
    const q = 'Where can I download my invoices?';
    const out = await ask(lab, q, { cacheControl: 'no-store' });
    expect(out.headers.get('x-gateway-cache')).toBeNull();
    expect((await ask(lab, q, { cacheControl: 'no-store' })).headers.get('x-gateway-cache')).toBeNull();
    await ask(lab, q);
    const fresh = await ask(lab, q, { cacheControl: 'no-cache', id: 'fresh-src' });
    expect(fresh.headers.get('x-gateway-cache')).toBe('miss');
    const hit = await ask(lab, q);
    expect(hit.headers.get('x-gateway-cache')).toBe('exact');
    expect(hit.headers.get('x-gateway-cache-source')).toBe('fresh-src');
  });

  it('counts lookups by outcome and the cost saved in /metrics', async () => {
    const text = await (await fetch(`${lab.url}/metrics`)).text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');
    expect(value('stormlab_gateway_cache_lookups_total{model="m1",outcome="exact"}')).toBeGreaterThanOrEqual(3);
    expect(value('stormlab_gateway_cache_lookups_total{model="m1",outcome="semantic"}')).toBeGreaterThanOrEqual(1);
    expect(value('stormlab_gateway_cache_lookups_total{model="m1",outcome="miss"}')).toBeGreaterThanOrEqual(5);
    expect(value('stormlab_gateway_cache_saved_usd_total{model="m1"}')).toBeGreaterThan(0);
  });
});

describe('response cache with scope: global', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(cacheConfig('global'), FLEET);
  });
  afterAll(() => lab.close());

  it('serves an entry written in one region to a request bound for another when config says so', async () => {
    await ask(lab, 'How long does shipping take?', { region: 'a', id: 'global-src' });
    const b = await ask(lab, 'How long does shipping take?', { region: 'b' });
    expect(b.headers.get('x-gateway-cache')).toBe('exact');
    expect(b.headers.get('x-gateway-cache-source')).toBe('global-src');
    expect(b.headers.get('x-gateway-region')).toBe('a');
  });
});

describe('response cache when the embeddings model hangs', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        routes: [
          { model: 'm1', targets: [{ upstream: 'oai/a' }] },
          { model: 'emb-x', targets: [{ upstream: 'oai/b' }] },
        ],
        prices: { ...PRICES, 'emb-x': { input: 0.02, output: 0 } },
        cache: { semantic: { embeddings: 'emb-x', timeoutMs: 200 }, routes: { m1: {} } },
      },
      FLEET,
    );
  });
  afterAll(() => lab.close());

  it('gives the semantic lookup up after timeoutMs and serves the request as a miss; the exact cache still works', async () => {
    await lab.fault({ fault: 'outage-hang', scope: { provider: 'oai', region: 'b' } });
    const first = await ask(lab, 'How do I export my data?');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-gateway-cache')).toBe('miss');
    expect((await ask(lab, 'How do I export my data?')).headers.get('x-gateway-cache')).toBe('exact');
    const text = await (await fetch(`${lab.url}/metrics`)).text();
    expect(text).toMatch(/^stormlab_gateway_cache_semantic_skipped_total\{model="m1",reason="embeddings_failed"\} 1$/m);
  });
});

describe('response cache with paced replay', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }],
        cache: { replay: { mode: 'paced', tokensPerChunk: 2, intervalMs: 40 }, routes: { m1: {} } },
      },
      FLEET,
    );
  });
  afterAll(() => lab.close());

  it('spreads a hit over the stream, intervalMs between content chunks, instead of one burst', async () => {
    const json = await ask(lab, 'How do I rotate my API key?');
    const text = json.body.choices[0]?.message.content ?? '';
    const started = performance.now();
    const hit = await askStream(lab, 'How do I rotate my API key?');
    const elapsed = performance.now() - started;
    expect(hit.headers.get('x-gateway-cache')).toBe('exact');
    expect(hit.text).toBe(text);
    const contentChunks = hit.chunks.filter((c) => c.choices?.[0]?.delta?.content).length;
    expect(contentChunks).toBe(Math.ceil(text.length / 8));
    expect(elapsed).toBeGreaterThanOrEqual((contentChunks - 1) * 40);
  });
});
