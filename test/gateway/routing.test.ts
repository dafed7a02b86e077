/** Each routing strategy's choices, as a client sees them in the decision headers, against the real fleet. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import { KEY, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const FREE = 'sk-test-free-tier-key-01';
const PREMIUM = 'sk-test-premium-key-0001';
const EU = 'sk-test-home-in-b-key-01';

describe('routing strategies', () => {
  let lab: GatewayLab;
  const two = [{ upstream: 'oai/a', model: 'm1', group: 'cheap' }, { upstream: 'oai/b', model: 'm2', group: 'frontier' }];
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [
        { model: 'w', strategy: 'weighted', targets: [{ upstream: 'oai/a', model: 'm1', weight: 70 }, { upstream: 'oai/b', model: 'm1', weight: 30 }] },
        { model: 'cost', strategy: 'least-cost', targets: [{ upstream: 'oai/a', model: 'm2' }, { upstream: 'goo/a', model: 'gemini-x' }] },
        { model: 'tier', strategy: { type: 'tier', tiers: { free: 'cheap', premium: 'frontier' } }, targets: two },
        { model: 'task', strategy: { type: 'task', features: { codegen: 'frontier' }, default: 'cheap' }, targets: two },
        { model: 'near', strategy: 'nearest-region', targets: [{ upstream: 'oai/a', model: 'm1' }, { upstream: 'oai/b', model: 'm1' }] },
        { model: 'fast', strategy: 'least-latency', targets: [{ upstream: 'oai/a', model: 'm1' }, { upstream: 'oai/b', model: 'm1' }] },
        { model: 'busy', strategy: 'least-busy', targets: [{ upstream: 'oai/a', model: 'm1' }, { upstream: 'oai/b', model: 'm1' }] },
      ],
      keys: [
        { id: 'tester', key: KEY, tenant: 't1', maxPriority: 'P0' },
        { id: 'free', key: FREE, tenant: 't2', tier: 'free' },
        { id: 'premium', key: PREMIUM, tenant: 't3', tier: 'premium' },
        { id: 'eu', key: EU, tenant: 't4', homeRegion: 'b' },
      ],
      prices: {
        m1: { input: 1, output: 2 },
        m2: { input: 3, output: 15 },
        'gemini-x': { input: 0.1, output: 0.4 },
      },
    });
  });
  afterAll(() => lab.close());

  const served = async (model: string, key = KEY, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const r = await postChat(lab.url, { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, ...extra }, { authorization: `Bearer ${key}`, ...headers });
    await r.text();
    expect(r.status).toBe(200);
    expect(r.headers.get('x-gateway-route')).toBe(model);
    return `${r.headers.get('x-gateway-upstream')}:${r.headers.get('x-gateway-model')}`;
  };

  it('weighted splits about 70/30', async () => {
    const picks: string[] = [];
    for (let batch = 0; batch < 10; batch++) picks.push(...(await Promise.all(Array.from({ length: 20 }, () => served('w')))));
    const share = picks.filter((p) => p.startsWith('oai/a')).length / picks.length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.8);
  });

  it('least-cost picks the cheapest target for the tokens asked', async () => {
    expect(await served('cost')).toBe('goo/a:gemini-x');
  });

  it("tier maps the key's tier (from config, not from the request) to a group", async () => {
    expect(await served('tier', FREE)).toBe('oai/a:m1');
    expect(await served('tier', PREMIUM)).toBe('oai/b:m2');
    expect(await served('tier', FREE, {}, { 'x-stormlab-tier': 'premium' })).toBe('oai/a:m1');
  });

  it('task maps the feature named in metadata to a group', async () => {
    expect(await served('task', KEY, { metadata: { feature: 'codegen' } })).toBe('oai/b:m2');
    expect(await served('task', KEY, { metadata: { feature: 'chat' } })).toBe('oai/a:m1');
  });

  it("nearest-region prefers the key's home region, or the region the client names", async () => {
    expect(await served('near', EU)).toBe('oai/b:m1');
    expect(await served('near', EU, {}, { 'x-gateway-client-region': 'a' })).toBe('oai/a:m1');
  });

  it('least-latency moves traffic off a target that turned slow', async () => {
    for (let i = 0; i < 10; i++) await served('fast');
    await lab.fault({ fault: 'latency', scope: { provider: 'oai', region: 'a' }, params: { multiplier: 10 } });
    const picks: string[] = [];
    for (let i = 0; i < 40; i++) picks.push(await served('fast'));
    await lab.reset();
    expect(picks.slice(-20).filter((p) => p.startsWith('oai/b')).length).toBeGreaterThanOrEqual(16);
  });

  it('least-busy sends a new request where fewer are in flight', async () => {
    await lab.fault({ fault: 'slow-stream', scope: { provider: 'oai', region: 'a' }, params: { multiplier: 100 } });
    const slow = fetch(`${lab.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'busy', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }),
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = await served('busy');
    await lab.reset();
    await (await slow).text();
    expect(second).toBe('oai/b:m1');
  });
});
