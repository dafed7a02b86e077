/** RPM/TPM limits per API key and the capacity knee, as a client sees them. */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSchema } from '../fleet-schema.js';
import { startFleet, type RunningFleet } from '../fleet.js';
import type { LedgerEntry } from '../ledger.js';
import { postChat, streamChat, until } from '../test-helpers.js';
import { CapacityPool } from './capacity.js';
import { RateLimiter } from './rate-limiter.js';

const model = (name: string, extra: Record<string, unknown>) => ({
  name,
  price: { input: 1, output: 2 },
  ttftMs: { dist: 'constant', value: 40 },
  itlMs: { dist: 'constant', value: 10 },
  outputTokens: { dist: 'constant', value: 10 },
  ...extra,
});
const messages = [{ role: 'user', content: 'hi' }];

describe('rate limiter (token buckets)', () => {
  it('refills continuously and says how long until a request fits', () => {
    const rl = new RateLimiter();
    const limits = { rpm: 60, tpm: 1000 };
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(rl.take(limits, 'm', 'k', 10, t0).ok).toBe(true);
    const refused = rl.take(limits, 'm', 'k', 10, t0);
    expect(refused).toMatchObject({ ok: false, limit: 'requests', retryAfterMs: 1000, limitValue: 60, used: 60 });
    expect(rl.take(limits, 'm', 'other-key', 10, t0).ok).toBe(true);
    expect(rl.take(limits, 'm', 'k', 10, t0 + 1000).ok).toBe(true);
    // tokens: 600 used of 1000 → a 500-token request waits for 100 more (6 s at 1000/min)
    expect(rl.take(limits, 'm', 'k', 500, t0 + 1000)).toMatchObject({ ok: false, limit: 'tokens' });
    expect(rl.take(limits, 'm', 'k2', 5000, t0)).toMatchObject({ ok: false, limit: 'tokens', retryAfterMs: null });
  });
});

describe('capacity pool', () => {
  it('admits up to maxConcurrency, queues the rest in order, slows tokens past the knee', () => {
    const pool = new CapacityPool({ concurrency: 2, maxConcurrency: 4, itlSlowdown: 1, maxQueue: 1 });
    const admitted: Array<[string, number, number]> = [];
    const enter = (id: string, now: number) => pool.enter(now, (q, f) => admitted.push([id, q, f]), () => false);
    expect(['a', 'b', 'c', 'd'].map((id) => enter(id, 0))).toEqual(['admitted', 'admitted', 'admitted', 'admitted']);
    expect(admitted.map(([, , f]) => f)).toEqual([1, 1, 1.5, 2]);
    expect(enter('e', 10)).toBe('queued');
    expect(pool.wouldRefuse()).toBe(true);
    pool.release(35);
    expect(admitted.at(-1)).toEqual(['e', 25, 2]);
    expect(pool.wouldRefuse()).toBe(false);
  });
});

describe('limits on a running fleet', () => {
  let fleet: RunningFleet;
  const ledger: LedgerEntry[] = [];
  let url = '';
  beforeAll(async () => {
    fleet = await startFleet(
      FleetSchema.parse({
        providers: [
          {
            name: 'acme',
            format: 'openai',
            regions: ['a'],
            models: [
              model('limited', { rateLimits: { rpm: 3, tpm: 100_000 } }),
              model('small', { rateLimits: { tpm: 50 } }),
              model('narrow', { itlMs: { dist: 'constant', value: 30 }, capacity: { concurrency: 1, maxConcurrency: 2, maxQueue: 1 } }),
            ],
          },
          { name: 'ant', format: 'anthropic', regions: ['r'], models: [model('claude-x', { rateLimits: { rpm: 1 } })] },
        ],
      }),
      { ledger: (e) => ledger.push(e), control: false },
    );
    url = fleet.endpoints[0]!.url;
  });
  afterAll(() => fleet?.close());

  it('RPM per API key: x-ratelimit-* headers count down, then a 429 with retry-after; another key is not affected', async () => {
    const key = { authorization: 'Bearer key-1' };
    const first = await postChat(url, { model: 'limited', messages, max_tokens: 1 }, key);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?(ms|s)$/);
    await postChat(url, { model: 'limited', messages, max_tokens: 1 }, key);
    await postChat(url, { model: 'limited', messages, max_tokens: 1 }, key);
    const limited = await postChat(url, { model: 'limited', messages, max_tokens: 1 }, key);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const body = (await limited.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect(body.error.message).toMatch(/^Rate limit reached for limited .* on requests per min \(RPM\): Limit 3, Used 3, Requested 1\. Please try again in /);
    expect((await postChat(url, { model: 'limited', messages, max_tokens: 1 }, { authorization: 'Bearer key-2' })).status).toBe(200);
  });

  it('TPM: a request larger than the whole budget is refused without retry-after', async () => {
    const res = await postChat(url, { model: 'small', messages, max_tokens: 100 });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(((await res.json()) as { error: { type: string; message: string } }).error).toMatchObject({ type: 'tokens', message: expect.stringMatching(/^Request too large/) });
  });

  it('Anthropic: anthropic-ratelimit-* headers and a rate_limit_error the SDK raises', async () => {
    const client = new Anthropic({ baseURL: fleet.endpoints[1]!.url, apiKey: 'k', maxRetries: 0 });
    const { response } = await client.messages.create({ model: 'claude-x', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('1');
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const e = await client.messages.create({ model: 'claude-x', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Anthropic.RateLimitError);
    expect((e as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({ error: { type: 'rate_limit_error' } });
  });

  it('capacity: past maxConcurrency a call queues (TTFT grows by the wait), past maxQueue it is refused as overloaded', async () => {
    const stream = (id: string) => streamChat(url, { model: 'narrow', messages, max_tokens: 10 }, { 'x-request-id': id });
    const running = [stream('cap-1'), stream('cap-2')];
    await until(() => fleet.inFlight() === 2);
    const queued = stream('cap-3');
    await until(() => fleet.inFlight() === 3);
    const refused = await postChat(url, { model: 'narrow', messages, max_tokens: 1 });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { type: string } }).error.type).toBe('server_error');
    const [one, two, three] = await Promise.all([...running, queued]);
    expect([one, two, three].every((r) => r!.done)).toBe(true);
    const line = (id: string) => ledger.find((l) => l.requestId === id)!;
    await until(() => ['cap-1', 'cap-2', 'cap-3'].every((id) => line(id)));
    expect(line('cap-1').queueMs).toBe(0);
    // the second call shares the decoder past the knee (concurrency 1): its tokens came twice as slow
    expect(line('cap-2').durationMs).toBeGreaterThanOrEqual(40 + 9 * 30 * 2 * 0.95);
    // the third waited for a slot, and its first token came that much later
    expect(line('cap-3').queueMs).toBeGreaterThan(50);
    expect(three!.ttftMs).toBeGreaterThanOrEqual(line('cap-3').queueMs + 40 - 5);
    expect(line('cap-3').ttftMs).toBeGreaterThanOrEqual(line('cap-3').queueMs + 40);
  });
});

describe('limits per organisation across the regions of a provider', () => {
  let fleet: RunningFleet;
  const at = (id: string): string => fleet.endpoints.find((e) => e.id === id)!.url;
  beforeAll(async () => {
    fleet = await startFleet(
      FleetSchema.parse({
        providers: [
          { name: 'acme', format: 'openai', regions: ['a', 'b'], models: [model('org', { rateLimits: { rpm: 3 } })] },
          { name: 'ant', format: 'anthropic', regions: ['us', 'eu'], models: [model('claude-x', { rateLimits: { itpm: 100, otpm: 50 } })] },
        ],
      }),
      { control: false },
    );
  });
  afterAll(() => fleet?.close());

  it('RPM is one budget for an API key across both regions; another key has its own', async () => {
    const key = { authorization: 'Bearer org-1' };
    const ask = (id: string, h = key) => postChat(at(id), { model: 'org', messages, max_tokens: 1 }, h);
    expect((await ask('acme/a')).headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect((await ask('acme/b')).headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await ask('acme/a')).status).toBe(200);
    const refused = await ask('acme/b');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/on requests per min \(RPM\): Limit 3, Used 3, Requested 1\./);
    expect((await ask('acme/b', { authorization: 'Bearer org-2' })).status).toBe(200);
  });

  it('Anthropic: separate input- and output-token limits with their own headers, shared across regions', async () => {
    const client = (id: string, apiKey: string) => new Anthropic({ baseURL: at(id), apiKey, maxRetries: 0 });
    const long = [{ role: 'user' as const, content: 'x'.repeat(240) }]; // 67 prompt tokens of the 100 ITPM
    const { response } = await client('ant/us', 'in-1').messages.create({ model: 'claude-x', max_tokens: 1, messages: long }).withResponse();
    expect(response.headers.get('anthropic-ratelimit-input-tokens-limit')).toBe('100');
    expect(response.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe('33');
    expect(response.headers.get('anthropic-ratelimit-output-tokens-limit')).toBe('50');
    expect(response.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe('49');
    expect(response.headers.get('anthropic-ratelimit-tokens-remaining')).toBe('33'); // the most restrictive
    const input = await client('ant/eu', 'in-1').messages.create({ model: 'claude-x', max_tokens: 1, messages: long }).catch((x: unknown) => x);
    expect(input).toBeInstanceOf(Anthropic.RateLimitError);
    expect((input as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      error: { type: 'rate_limit_error', message: expect.stringContaining('rate limit for your organization of 100 input tokens per minute') },
    });

    const short = [{ role: 'user' as const, content: 'hi' }];
    await client('ant/eu', 'out-1').messages.create({ model: 'claude-x', max_tokens: 40, messages: short });
    const output = await client('ant/us', 'out-1').messages.create({ model: 'claude-x', max_tokens: 40, messages: short }).catch((x: unknown) => x);
    expect(output).toBeInstanceOf(Anthropic.RateLimitError);
    expect((output as Error).message).toContain('50 output tokens per minute');
  });
});
