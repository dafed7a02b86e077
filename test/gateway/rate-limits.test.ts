/**
 * Rate limits against the real mock fleet, through the official `openai` client and plain
 * fetch: each limit's 429 (key on a tier, user, feature, tokens) names the limit and carries
 * Retry-After; buckets refill; a token limit's estimate is corrected to the real usage of a
 * streamed answer (also a cut one); and over a limit a request is served by a cheaper model,
 * from the cache only, or after a bounded wait — and says so.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat, streamChat, until } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, PRICES, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const K = {
  free: 'sk-test-free-tier-0001',
  paid: 'sk-test-paid-tier-0001',
  aliceLaptop: 'sk-test-alice-laptop-01',
  alicePhone: 'sk-test-alice-phone-001',
  bob: 'sk-test-bob-key-000001',
  feat: 'sk-test-feature-key-001',
  tok: 'sk-test-token-key-00001',
  streamTok: 'sk-test-stream-tok-0001',
  cutTok: 'sk-test-cut-tok-000001',
  refill: 'sk-test-refill-key-0001',
  thrifty: 'sk-test-thrifty-key-001',
  cachey: 'sk-test-cachey-key-0001',
  waiter: 'sk-test-waiter-key-0001',
  hasty: 'sk-test-hasty-key-00001',
  both: 'sk-test-both-limits-0001',
  embedder: 'sk-test-embedder-key-001',
};
const bearer = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
const ask = (content = 'hello there, how are you today?', max_tokens = 12) => ({
  model: 'm1',
  messages: [{ role: 'user' as const, content }],
  max_tokens,
});

interface WireError {
  error: { code: string; type: string; message: string };
}

/** Wait until settle has logged the request (its token correction is then in the in-process store). */
async function settled(lab: GatewayLab, res: { headers: Headers }): Promise<void> {
  const id = res.headers.get('x-request-id') as string;
  await until(() => lab.logs.some((l) => l.includes(`"requestId":"${id}"`)), 3000);
}

const remainingTokens = (res: { headers: Headers }): number =>
  Number(res.headers.get('x-gateway-ratelimit-remaining-tokens'));

/** The lab's fleet with an embeddings model on the OpenAI-format provider. */
const EMB_FLEET = {
  ...LAB_FLEET,
  providers: [
    {
      ...LAB_FLEET.providers[0],
      embeddings: [{ name: 'emb-x', price: { input: 0.02 }, dimensions: 64, latencyMs: { dist: 'constant', value: 2 } }],
    },
    ...LAB_FLEET.providers.slice(1),
  ],
};

describe('rate limits', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [
        { model: 'm1', targets: [{ upstream: 'oai/a' }] },
        { model: 'cheap', targets: [{ upstream: 'oai/b', model: 'm2' }] },
        { model: 'faq', targets: [{ upstream: 'oai/b', model: 'm1' }] },
        { model: 'emb-x', targets: [{ upstream: 'oai/a' }] },
      ],
      prices: { ...PRICES, m2: { input: 0.1, cachedInput: 0.01, output: 0.2 }, 'emb-x': { input: 0.02, output: 0 } },
      keys: [
        { id: 'free-1', key: K.free, tenant: 't1', tier: 'free' },
        { id: 'paid-1', key: K.paid, tenant: 't2', tier: 'pro' },
        { id: 'alice-laptop', key: K.aliceLaptop, tenant: 't3', user: 'alice' },
        { id: 'alice-phone', key: K.alicePhone, tenant: 't3', user: 'alice' },
        { id: 'bob', key: K.bob, tenant: 't3', user: 'bob' },
        { id: 'feat', key: K.feat, tenant: 't4' },
        { id: 'tok', key: K.tok, tenant: 't5' },
        { id: 'stream-tok', key: K.streamTok, tenant: 't5' },
        { id: 'cut-tok', key: K.cutTok, tenant: 't5' },
        { id: 'refill', key: K.refill, tenant: 't6' },
        { id: 'thrifty', key: K.thrifty, tenant: 't7' },
        { id: 'cachey', key: K.cachey, tenant: 't8' },
        { id: 'waiter', key: K.waiter, tenant: 't9' },
        { id: 'hasty', key: K.hasty, tenant: 't9' },
        { id: 'both', key: K.both, tenant: 't10' },
        { id: 'embedder', key: K.embedder, tenant: 't11' },
      ],
      limits: [
        { id: 'free-rpm', per: 'key', match: { tier: 'free' }, requests: '2/min' },
        { id: 'paid-rpm', per: 'key', match: { tier: 'pro' }, requests: '4/min' },
        { id: 'user-rpm', per: 'user', match: { user: ['alice', 'bob'] }, requests: '2/min' },
        { id: 'search-rpm', per: 'feature', match: { feature: 'search' }, requests: '2/min' },
        { id: 'tok-tpm', match: { key: 'tok' }, tokens: '200/h' },
        { id: 'stream-tpm', match: { key: ['stream-tok', 'cut-tok'] }, tokens: '300/h' },
        { id: 'refill-2s', match: { key: 'refill' }, requests: '2/4s' },
        { id: 'dear-rpm', match: { key: 'thrifty', model: 'm1' }, requests: '2/min', onLimit: 'cheaper-model', degradeTo: 'cheap' },
        { id: 'faq-rpm', match: { key: 'cachey' }, requests: '1/min', onLimit: 'cache-only' },
        { id: 'wait-rps', match: { key: 'waiter' }, requests: '2/s', burst: 1, onLimit: 'wait', maxWait: '3s' },
        { id: 'hasty-rpm', match: { key: 'hasty' }, requests: '1/min', onLimit: 'wait', maxWait: '1s' },
        { id: 'both-rpm', match: { key: 'both' }, requests: '5/h' },
        { id: 'both-tph', match: { key: 'both' }, tokens: '100/h' },
        // embeddings are never degraded: over this limit they are refused
        { id: 'emb-rpm', match: { key: 'embedder' }, requests: '2/min', onLimit: 'cheaper-model', degradeTo: 'cheap' },
      ],
      cache: { ttlClasses: { general: '1h' }, routes: { faq: {} } },
    }, EMB_FLEET);
  });
  afterAll(() => lab.close());

  it('a key limit per tier: 2/min on the free tier, 4/min on paid; the 429 names the limit, with Retry-After', async () => {
    // no retries: the official client would otherwise retry the 429 after its Retry-After
    const client = (key: string) => new OpenAI({ baseURL: `${lab.url}/v1`, apiKey: key, maxRetries: 0, logLevel: 'off' });
    const free = client(K.free);
    const first = await free.chat.completions.create(ask()).withResponse();
    expect(first.response.headers.get('x-gateway-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-gateway-ratelimit-remaining-requests')).toBe('1');
    await free.chat.completions.create(ask());
    const err = await free.chat.completions.create(ask()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe('GW_RATE_LIMITED');
    expect(e.message).toContain('rate limit "free-rpm" for key "free-1" is reached: 2/min requests');
    expect(e.message).not.toContain(K.free);
    // one request comes back every 30 s
    const retryAfter = Number(e.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(e.headers?.get('x-gateway-ratelimit-remaining-requests')).toBe('0');

    const paid = client(K.paid);
    for (let i = 0; i < 4; i++) await paid.chat.completions.create(ask());
    const paidErr = await paid.chat.completions.create(ask()).catch((x: unknown) => x);
    expect((paidErr as Error).message).toContain('rate limit "paid-rpm" for key "paid-1" is reached: 4/min requests');
    const metrics = await (await fetch(`${lab.url}/metrics`)).text();
    expect(metrics).toContain('stormlab_gateway_rate_limit_actions_total{limit="free-rpm",kind="requests",action="rejected"} 1');
  });

  it('a user limit is shared by all the user\'s keys, apart from other users', async () => {
    expect((await postChat(lab.url, ask(), bearer(K.aliceLaptop))).status).toBe(200);
    expect((await postChat(lab.url, ask(), bearer(K.alicePhone))).status).toBe(200);
    const res = await postChat(lab.url, ask(), bearer(K.aliceLaptop));
    expect(res.status).toBe(429);
    const body = (await res.json()) as WireError;
    expect(body.error).toMatchObject({ code: 'GW_RATE_LIMITED', type: 'rate_limit_error' });
    expect(body.error.message).toContain('rate limit "user-rpm" for user "alice" is reached: 2/min requests');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(25);
    expect((await postChat(lab.url, ask(), bearer(K.bob))).status).toBe(200);
  });

  it('a feature limit counts the requests naming that feature, whatever key sends them', async () => {
    const search = (k: string) => postChat(lab.url, { ...ask(), metadata: { feature: 'search' } }, bearer(k));
    expect((await search(K.feat)).status).toBe(200);
    expect((await postChat(lab.url, ask(), { ...bearer(K.feat), 'x-gateway-feature': 'search' })).status).toBe(200);
    const res = await search(K.feat);
    expect(res.status).toBe(429);
    expect(((await res.json()) as WireError).error.message).toContain('rate limit "search-rpm" for feature "search" is reached');
    expect(res.headers.get('retry-after')).not.toBeNull();
    // another feature, and no feature, are not counted
    expect((await postChat(lab.url, { ...ask(), metadata: { feature: 'chat' } }, bearer(K.feat))).status).toBe(200);
    expect((await postChat(lab.url, ask(), bearer(K.feat))).status).toBe(200);
  });

  it('a token limit takes prompt + max_tokens up front, keeps only the real usage, and refuses what will not fit', async () => {
    // 200 tokens/h (slow refill: the test sees its own takes); the fleet answers 12 tokens whatever max_tokens allows
    const a = await postChat(lab.url, ask('count to three', 150), bearer(K.tok));
    expect(a.status).toBe(200);
    const used = ((await a.json()) as { usage: { total_tokens: number } }).usage.total_tokens;
    await settled(lab, a);
    // without the correction only ~40 tokens would be left and this request would be refused
    const b = await postChat(lab.url, ask('count to three', 150), bearer(K.tok));
    expect(b.status).toBe(200);
    const estimate = 200 - used - remainingTokens(b);
    expect(estimate).toBeGreaterThan(150);
    expect(estimate).toBeLessThan(170);
    await b.arrayBuffer();
    await settled(lab, b);
    const c = await postChat(lab.url, ask('count to three', 190), bearer(K.tok));
    expect(c.status).toBe(429);
    const msg = ((await c.json()) as WireError).error.message;
    expect(msg).toMatch(/rate limit "tok-tpm" for key "tok" is reached: 200\/h tokens; this request needs \d+ tokens up front/);
    // about 30 tokens short at 200/h: minutes, not the hour
    const retryAfter = Number(c.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThan(1800);
    expect(c.headers.get('x-gateway-ratelimit-limit-tokens')).toBe('200');
  });

  it('a request refused by one limit takes nothing from the others', async () => {
    const first = await postChat(lab.url, ask('count to three', 50), bearer(K.both));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-gateway-ratelimit-remaining-requests')).toBe('4');
    await first.arrayBuffer();
    await settled(lab, first);
    const refused = await postChat(lab.url, ask('count to three', 95), bearer(K.both));
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as WireError).error.message).toContain('rate limit "both-tph" for key "both" is reached');
    expect(refused.headers.get('x-gateway-ratelimit-limit-tokens')).toBe('100');
    const next = await postChat(lab.url, ask('count to three', 5), bearer(K.both));
    expect(next.status).toBe(200);
    // the refused request's request token was given back: 5 - 2 served
    expect(next.headers.get('x-gateway-ratelimit-remaining-requests')).toBe('3');
    await next.arrayBuffer();
  });

  it('embeddings requests are counted too, and refused (never degraded) over a limit', async () => {
    const embed = () =>
      fetch(`${lab.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(K.embedder) },
        body: JSON.stringify({ model: 'emb-x', input: 'how do I reset my password?' }),
      });
    for (let i = 0; i < 2; i++) {
      const served = await embed();
      expect(served.status).toBe(200);
      // the limit's headers go out with the embeddings answer too
      expect(served.headers.get('x-gateway-ratelimit-remaining-requests')).toBe(String(1 - i));
      await served.arrayBuffer();
    }
    const refused = await embed();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as WireError).error.message).toContain('rate limit "emb-rpm" for key "embedder" is reached');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(25);
    // chat is counted by the same per-key limit, and is degraded as configured
    const chat = await postChat(lab.url, ask(), bearer(K.embedder));
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-gateway-degraded')).toBe('ratelimit=emb-rpm; from=m1; to=cheap');
  });

  it('a streamed answer, and one cut mid-stream, are corrected to the tokens really used', async () => {
    const streamed = { ...ask('tell me a story', 250), stream_options: { include_usage: true } };
    const s = await streamChat(lab.url, streamed, bearer(K.streamTok));
    expect(s.done).toBe(true);
    const usage = s.events.find((e) => e.json?.usage)?.json?.usage;
    expect(usage?.total_tokens).toBeGreaterThan(0);
    expect(remainingTokens(s)).toBeLessThan(60); // ~260 taken up front of 300
    await settled(lab, s);
    const next = await postChat(lab.url, ask('tell me a story', 10), bearer(K.streamTok));
    expect(next.status).toBe(200);
    // the bucket holds 300 - the stream's real usage - this request's estimate (plus a little refill)
    const expected = 300 - (usage?.total_tokens ?? 0) - (usage?.prompt_tokens ?? 0) - 10;
    expect(remainingTokens(next)).toBeGreaterThanOrEqual(expected);
    expect(remainingTokens(next)).toBeLessThan(expected + 10);
    await next.arrayBuffer();
    await settled(lab, next);

    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai', region: 'a' }, params: { afterTokens: 5 } });
    try {
      const before = await postChat(lab.url, ask('tell me a story', 1), bearer(K.cutTok));
      await before.arrayBuffer();
      await settled(lab, before);
      const left = remainingTokens(before);
      const cut = await streamChat(lab.url, ask('tell me a story', 250), bearer(K.cutTok));
      expect(cut.done).toBe(false);
      await settled(lab, cut);
      const after = await postChat(lab.url, ask('tell me a story', 1), bearer(K.cutTok));
      await after.arrayBuffer();
      // the cut stream kept its prompt and the few tokens it streamed, not its 250-token estimate
      const spentOnCut = left - remainingTokens(after);
      expect(spentOnCut).toBeGreaterThan(5);
      expect(spentOnCut).toBeLessThan(60);
    } finally {
      await lab.reset();
    }
  });

  it('a bucket refills at its rate: after Retry-After the key is served again', async () => {
    expect((await postChat(lab.url, ask(), bearer(K.refill))).status).toBe(200);
    expect((await postChat(lab.url, ask(), bearer(K.refill))).status).toBe(200);
    const refused = await postChat(lab.url, ask(), bearer(K.refill));
    expect(refused.status).toBe(429);
    // one request back every 2 s
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    const again = await postChat(lab.url, ask(), bearer(K.refill));
    expect(again.status).toBe(200);
  });

  it('over a cheaper-model limit the request is served by the cheaper route, and says so', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await postChat(lab.url, ask(), bearer(K.thrifty));
      expect(res.headers.get('x-gateway-model')).toBe('m1');
      expect(res.headers.get('x-gateway-degraded')).toBeNull();
      await res.arrayBuffer();
    }
    const calls = lab.ledger.length;
    const res = await postChat(lab.url, ask(), bearer(K.thrifty));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-degraded')).toBe('ratelimit=dear-rpm; from=m1; to=cheap');
    expect(res.headers.get('x-gateway-route')).toBe('cheap');
    expect(res.headers.get('x-gateway-model')).toBe('m2');
    expect(((await res.json()) as { model: string }).model).toBe('m2');
    await until(() => lab.ledger.length > calls);
    expect(lab.ledger.slice(calls).map((e) => e.model)).toContain('m2');
    const metrics = await (await fetch(`${lab.url}/metrics`)).text();
    expect(metrics).toContain('stormlab_gateway_rate_limit_actions_total{limit="dear-rpm",kind="requests",action="cheaper-model"} 1');
  });

  it('over a cache-only limit a cached answer is served and a miss gets the 429', async () => {
    const faq = (q: string) =>
      postChat(lab.url, { model: 'faq', messages: [{ role: 'user', content: q }], max_tokens: 12 }, bearer(K.cachey));
    const first = await faq('How do I reset my password?');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-gateway-cache')).toBe('miss');
    await first.arrayBuffer();
    await settled(lab, first);
    const calls = lab.ledger.length;
    const hit = await faq('How do I reset my password?');
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-gateway-cache')).toBe('exact');
    expect(hit.headers.get('x-gateway-degraded')).toBe('ratelimit=faq-rpm; to=cache');
    expect(hit.headers.get('x-gateway-ratelimit-remaining-requests')).toBe('0');
    await hit.arrayBuffer();
    const miss = await faq('How do I delete my account?');
    expect(miss.status).toBe(429);
    const msg = ((await miss.json()) as WireError).error.message;
    expect(msg).toContain('rate limit "faq-rpm" for key "cachey" is reached: 1/min requests');
    expect(msg).toContain('served from the cache only');
    expect(Number(miss.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(lab.ledger.length).toBe(calls); // neither went upstream
  });

  it('over a wait limit requests wait their turn in the bucket; a wait past maxWait is refused', async () => {
    // 2/s, burst 1: three at once are served one after another, 500 ms apart
    const all = await Promise.all([0, 1, 2].map(() => postChat(lab.url, ask(), bearer(K.waiter))));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200]);
    const waited = all
      .map((r) => /^ratelimit=wait-rps; waited=(\d+)ms$/.exec(r.headers.get('x-gateway-degraded') ?? '')?.[1])
      .filter((v) => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    expect(waited.length).toBe(2);
    expect(waited[1]).toBeGreaterThan(waited[0] as number);
    await Promise.all(all.map((r) => r.arrayBuffer()));

    expect((await postChat(lab.url, ask(), bearer(K.hasty))).status).toBe(200);
    const refused = await postChat(lab.url, ask(), bearer(K.hasty));
    expect(refused.status).toBe(429);
    const msg = ((await refused.json()) as WireError).error.message;
    expect(msg).toContain('rate limit "hasty-rpm" for key "hasty" is reached: 1/min requests; waiting for it would take');
    expect(msg).toContain('over maxWait 1 s');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
  });
});
