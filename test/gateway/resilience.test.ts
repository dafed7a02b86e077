/** Circuit breakers and context-length fallbacks, over HTTP against the real mock fleet. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, model, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const ask = (m: string, content = 'hello') => ({ model: m, messages: [{ role: 'user', content }], max_tokens: 8 });

async function breakerState(lab: GatewayLab, upstream: string): Promise<number> {
  const text = await (await fetch(`${lab.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('stormlab_gateway_breaker_state{') && l.includes(`upstream="${upstream}"`));
  return Number(line?.split(' ').at(-1));
}

describe('circuit breaker per target', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] }],
      retry: { sameTargetRetries: 0 },
      breaker: { minRequests: 10, errorRate: 0.5, consecutiveFailures: 3, coolDownMs: 400, halfOpenProbes: 1, successesToClose: 1 },
    });
  });
  afterAll(() => lab.close());
  const onA = () => lab.ledger.filter((l) => l.endpoint === 'oai/a').length;

  it('does not open on one failure', async () => {
    await lab.fault({ id: 'boom', fault: 'http-error', scope: { provider: 'oai', region: 'a' }, params: { statuses: [500] } });
    const r1 = await postChat(lab.url, ask('m1'), lab.headers());
    expect(r1.status).toBe(200);
    expect(r1.headers.get('x-gateway-upstream')).toBe('oai/b');
    expect(r1.headers.get('x-gateway-attempts')).toBe('2');
    await lab.reset();
    const r2 = await postChat(lab.url, ask('m1'), lab.headers());
    expect(r2.headers.get('x-gateway-upstream')).toBe('oai/a');
    expect(await breakerState(lab, 'oai/a')).toBe(0);
  });

  it('opens on consecutive failures; an open breaker skips the target without spending an attempt', async () => {
    await lab.fault({ id: 'boom2', fault: 'http-error', scope: { provider: 'oai', region: 'a' }, params: { statuses: [503] } });
    for (let i = 0; i < 3; i++) await (await postChat(lab.url, ask('m1'), lab.headers())).text();
    expect(await breakerState(lab, 'oai/a')).toBe(2);
    const before = onA();
    const r = await postChat(lab.url, ask('m1'), lab.headers());
    expect(r.headers.get('x-gateway-upstream')).toBe('oai/b');
    expect(r.headers.get('x-gateway-attempts')).toBe('1');
    expect(onA()).toBe(before);
  });

  it('half-opens after the cool-down and closes when the probe succeeds', async () => {
    await lab.reset();
    await new Promise((r) => setTimeout(r, 450));
    const r = await postChat(lab.url, ask('m1'), lab.headers());
    expect(r.headers.get('x-gateway-upstream')).toBe('oai/a');
    expect(await breakerState(lab, 'oai/a')).toBe(0);
    const metrics = await (await fetch(`${lab.url}/metrics`)).text();
    expect(metrics).toMatch(/stormlab_gateway_breaker_transitions_total\{upstream="oai\/a",model="m1",to="open"\} 1/);
    expect(metrics).toMatch(/stormlab_gateway_breaker_transitions_total\{upstream="oai\/a",model="m1",to="half-open"\} 1/);
  });
});

describe('context_length_exceeded', () => {
  let lab: GatewayLab;
  const long = 'word '.repeat(400); // ~500 tokens
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        routes: [
          { model: 'small', targets: [{ upstream: 'oai/a', model: 'm1' }, { upstream: 'oai/b', model: 'm1' }], contextFallback: [{ upstream: 'oai/a', model: 'm2' }] },
          { model: 'small-only', targets: [{ upstream: 'oai/a', model: 'm1' }] },
        ],
      },
      {
        ...LAB_FLEET,
        providers: [
          { name: 'oai', format: 'openai', regions: ['a', 'b'], models: [model('m1', 20, 2, 8, { contextWindow: 200 }), model('m2', 20, 2, 8, { contextWindow: 100_000 })] },
          ...LAB_FLEET.providers.slice(1),
        ],
      },
    );
  });
  afterAll(() => lab.close());

  it('moves to the configured larger-context target, never retrying the same model', async () => {
    const r = await postChat(lab.url, ask('small', long), lab.headers());
    expect(r.status).toBe(200);
    expect(r.headers.get('x-gateway-model')).toBe('m2');
    expect(r.headers.get('x-gateway-attempts')).toBe('2');
    expect(lab.ledger.filter((l) => l.model === 'm1').length).toBe(1);
  });

  it("without a larger target, passes the provider's own 400 through as is", async () => {
    const r = await postChat(lab.url, ask('small-only', long), lab.headers());
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: string; type: string } };
    expect(body.error.code).toBe('context_length_exceeded');
    expect(body.error.type).toBe('invalid_request_error');
  });
});
