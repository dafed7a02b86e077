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
async function ask(lab: GatewayLab, user: string, opts: { model?: string; temperature?: number; feature?: string; region?: string; id?: string } = {}): Promise<Answer> {
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
  const res = await fetch(`${lab.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
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
