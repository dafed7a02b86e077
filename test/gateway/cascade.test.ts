/**
 * The cascade: cheapest first, escalating to the next tier when the answer's leading tokens are
 * unsure of themselves (mean log-probability below the threshold), invisibly to the client.
 * The fleet's quality model decides adequacy and shapes the log-probabilities; the gateway only
 * sees the log-probabilities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat, streamChat } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, model, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

describe('cascade strategy', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        routes: [
          {
            model: 'auto',
            strategy: { type: 'cascade', minMeanLogprob: -0.6, confidenceTokens: 8 },
            targets: [{ upstream: 'oai/a', model: 'm1' }, { upstream: 'oai/b', model: 'm2' }],
          },
        ],
        prices: { m1: { input: 0.1, output: 0.4 }, m2: { input: 3, output: 15 } },
      },
      {
        ...LAB_FLEET,
        providers: [
          {
            name: 'oai',
            format: 'openai',
            regions: ['a', 'b'],
            models: [model('m1', 20, 2, 16, { capability: 0.01 }), model('m2', 20, 2, 16, { capability: 0.98 })],
          },
          ...LAB_FLEET.providers.slice(1),
        ],
      },
    );
  });
  afterAll(() => lab.close());

  const prompt = (i: number) => `Work out the quarterly capacity for region ${i}, step by step, with the assumptions stated.`;

  it('tries the cheap model first and escalates unsure answers to the frontier model', async () => {
    const served: string[] = [];
    for (let i = 0; i < 16; i++) {
      const r = await postChat(lab.url, { model: 'auto', messages: [{ role: 'user', content: prompt(i) }], max_tokens: 16 }, lab.headers());
      expect(r.status).toBe(200);
      const body = (await r.json()) as { choices: Array<{ logprobs: unknown }> };
      served.push(r.headers.get('x-gateway-model') ?? '');
      if (r.headers.get('x-gateway-model') === 'm2') expect(r.headers.get('x-gateway-attempts')).toBe('2');
      expect(body.choices[0]).toBeDefined();
    }
    // every request asked the cheap model first
    expect(lab.ledger.filter((l) => l.model === 'm1').length).toBe(16);
    // a model of capability 0.01 is rarely adequate: most answers were escalated, and those the frontier served
    expect(served.filter((m) => m === 'm2').length).toBeGreaterThanOrEqual(10);
    const metrics = await (await fetch(`${lab.url}/metrics`)).text();
    expect(metrics).toMatch(/stormlab_gateway_cascade_escalations_total\{model="auto",from="m1",to="m2"\} (1\d|[2-9]\d?)/);
  });

  it('escalates a stream before any of it reaches the client', async () => {
    const before = lab.ledger.filter((l) => l.model === 'm2').length;
    let escalated = 0;
    for (let i = 100; i < 108; i++) {
      const r = await streamChat(lab.url, { model: 'auto', messages: [{ role: 'user', content: prompt(i) }], max_tokens: 16 }, lab.headers());
      expect(r.done).toBe(true);
      const model = r.headers.get('x-gateway-model');
      if (model === 'm2') escalated += 1;
      // whichever model answered, the client saw one answer from it alone
      expect(r.events.filter((e) => e.json?.model && e.json.model !== model)).toHaveLength(0);
    }
    expect(escalated).toBeGreaterThanOrEqual(4);
    expect(lab.ledger.filter((l) => l.model === 'm2').length - before).toBe(escalated);
  });
});
