/**
 * The streaming error contract: once content has gone out, a cut, a stall past idleMs and a
 * malformed event each end the client's stream with an explicit error event and no [DONE];
 * a cut answer continues on a fallback that declares assistant prefill.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { streamChat, type SseResult } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, model, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const ask = { model: 'm1', messages: [{ role: 'user', content: 'tell me a story' }], max_tokens: 40 };
const errorEvent = (r: SseResult) => r.events.find((e) => e.json && 'error' in (e.json as object))?.json as { error?: { code: string; message: string } } | undefined;
const text = (r: SseResult) => r.events.map((e) => e.json?.choices?.[0]?.delta?.content ?? '').join('');

describe('streams after the first content', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    const fleet = {
      ...LAB_FLEET,
      providers: [
        { name: 'oai', format: 'openai', regions: ['a', 'b'], models: [model('m1', 20, 4, 40)] },
        { name: 'ant', format: 'anthropic', regions: ['a'], models: [model('claude-x', 20, 4, 40)] },
        { name: 'goo', format: 'gemini', regions: ['a'], models: [model('gemini-x', 20, 4, 40)] },
      ],
    };
    lab = await startGatewayLab(
      {
        routes: [
          { model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }], timeouts: { idleMs: 300 } },
          { model: 'resumable', targets: [{ upstream: 'oai/a', model: 'm1' }, { upstream: 'ant/a', model: 'claude-x' }] },
        ],
        breaker: { minRequests: 1000, consecutiveFailures: 1000 },
      },
      fleet,
    );
  });
  afterAll(() => lab.close());
  afterEach(() => lab.reset());

  it('a healthy stream ends with [DONE] and the usage chunk the client asked for', async () => {
    const r = await streamChat(lab.url, { ...ask, stream_options: { include_usage: true } }, lab.headers());
    expect(r.done).toBe(true);
    const usage = r.events.find((e) => e.json?.usage)?.json?.usage as { completion_tokens: number; cost_usd: number } | undefined;
    expect(usage?.completion_tokens).toBe(40);
    expect(usage?.cost_usd).toBeGreaterThan(0);
  });

  it('a cut after content ends with an error event, never [DONE]', async () => {
    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai' }, params: { afterTokens: 10 } });
    const r = await streamChat(lab.url, ask, lab.headers());
    expect(r.status).toBe(200);
    expect(text(r).length).toBeGreaterThan(0);
    expect(r.done).toBe(false);
    expect(errorEvent(r)?.error?.code).toBe('GW_STREAM_INTERRUPTED');
  });

  it('a stall past idleMs ends with an error event', async () => {
    await lab.fault({ fault: 'slow-stream', scope: { provider: 'oai' }, params: { multiplier: 200 } });
    const r = await streamChat(lab.url, ask, lab.headers());
    expect(r.done).toBe(false);
    expect(errorEvent(r)?.error?.message).toMatch(/idleMs|silent/);
  });

  it('a malformed event after content ends with an error event', async () => {
    await lab.fault({ fault: 'malformed-sse', scope: { provider: 'oai' }, params: { atToken: 5 } });
    const r = await streamChat(lab.url, ask, lab.headers());
    expect(r.done).toBe(false);
    expect(errorEvent(r)?.error?.code).toBe('GW_STREAM_INTERRUPTED');
  });

  it('a cut answer continues on a fallback that accepts assistant prefill, and ends cleanly', async () => {
    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai', region: 'a' }, params: { afterTokens: 10 } });
    const r = await streamChat(lab.url, { ...ask, model: 'resumable' }, lab.headers());
    expect(errorEvent(r)).toBeUndefined();
    expect(r.done).toBe(true);
    expect(text(r).length).toBeGreaterThan(0);
    const calls = lab.ledger.filter((l) => l.provider === 'ant');
    expect(calls.length).toBeGreaterThanOrEqual(1);
  });
});
