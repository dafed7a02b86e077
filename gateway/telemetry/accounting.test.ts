import { describe, expect, it } from 'vitest';
import type { Target } from '../domain/types.js';
import { createAccountant } from './accounting.js';
import { createGatewayMetrics } from './metrics.js';

const target = (id: string): Target =>
  ({ key: `${id}:m1`, upstream: { id }, model: 'm1', price: { input: 1, cachedInput: 0.1, output: 2 } }) as never;

describe('the accountant', () => {
  it('counts tokens by kind and cost per target, in the order first seen, and prices the usage', () => {
    const metrics = createGatewayMetrics();
    const account = createAccountant(metrics);
    const a = target('oai/a');
    const b = target('oai/b');
    expect(account({ prompt_tokens: 10, completion_tokens: 5 }, a)).toBe(0.00002);
    account({ prompt_tokens: 100, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 40 } }, a);
    account({ prompt_tokens: 1, completion_tokens: 1 }, b);
    expect(account('no usage', b)).toBeUndefined();
    const lines = metrics.registry
      .render()
      .split('\n')
      .filter((l) => /^stormlab_gateway_(tokens|cost_usd)_total\{/.test(l));
    expect(lines).toEqual([
      'stormlab_gateway_tokens_total{upstream="oai/a",model="m1",kind="input"} 110',
      'stormlab_gateway_tokens_total{upstream="oai/a",model="m1",kind="output"} 6',
      'stormlab_gateway_tokens_total{upstream="oai/a",model="m1",kind="cached_input"} 40',
      'stormlab_gateway_tokens_total{upstream="oai/b",model="m1",kind="input"} 1',
      'stormlab_gateway_tokens_total{upstream="oai/b",model="m1",kind="output"} 1',
      'stormlab_gateway_cost_usd_total{upstream="oai/a",model="m1"} 0.000086',
      'stormlab_gateway_cost_usd_total{upstream="oai/b",model="m1"} 0.000003',
    ]);
  });
});
