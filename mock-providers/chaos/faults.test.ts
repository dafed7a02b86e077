/** Each fault kind as a client sees it, on a real fleet on loopback ports, with the official SDKs where they tell it best. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FleetSchema } from '../fleet-schema.js';
import { startFleet, type RunningFleet } from '../fleet.js';
import type { LedgerEntry } from '../ledger.js';
import { postChat, streamChat, until } from '../test-helpers.js';
import type { ChaosLogEntry } from './chaos-log.js';
import { FaultSpecSchema, type FaultSpecInput } from './timeline-schema.js';

const model = (name: string) => ({
  name,
  price: { input: 1, output: 2 },
  ttftMs: { dist: 'constant', value: 60 },
  itlMs: { dist: 'constant', value: 5 },
  outputTokens: { dist: 'constant', value: 20 },
});
const chaosFleet = (seed = 11) =>
  FleetSchema.parse({
    seed,
    providers: [
      { name: 'acme', format: 'openai', regions: ['a', 'b'], models: [model('m1'), model('m2')] },
      { name: 'ant', format: 'anthropic', regions: ['r1'], models: [model('claude-x')] },
    ],
  });
const messages = [{ role: 'user', content: 'hello' }];

describe('faults as a client sees them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormlab-chaos-'));
  const chaosLogFile = join(dir, 'chaos.ndjson');
  let fleet: RunningFleet;
  const ledger: LedgerEntry[] = [];
  let a = '';
  let b = '';
  const line = async (requestId: string): Promise<LedgerEntry> => {
    await until(() => ledger.some((l) => l.requestId === requestId));
    return ledger.find((l) => l.requestId === requestId)!;
  };
  const add = (spec: FaultSpecInput) => fleet.addFault(FaultSpecSchema.parse(spec));
  const openai = (url: string, key = 'sk-test') => new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0, logLevel: 'off' });

  beforeAll(async () => {
    fleet = await startFleet(chaosFleet(), { ledger: (e) => ledger.push(e), chaosLog: chaosLogFile });
    a = fleet.endpoints[0]!.url;
    b = fleet.endpoints[1]!.url;
  });
  afterEach(() => fleet.resetFaults());
  afterAll(() => fleet?.close());

  it('outage-refuse: the port refuses connections, a stream in flight is cut, and it comes back on the same port', async () => {
    let added: Promise<unknown> | undefined;
    const cut = await streamChat(a, { model: 'm1', messages }, { 'x-request-id': 'refuse-cut' }, (_e, i) => {
      if (i === 2) added = add({ id: 'down-a', fault: 'outage-refuse', scope: { provider: 'acme', region: 'a' } });
    });
    await added;
    expect(cut.cut).toBe(true);
    expect(fleet.isUp('acme/a')).toBe(false);
    const err = await postChat(a, { model: 'm1', messages }).catch((e: unknown) => e);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect((await postChat(b, { model: 'm1', messages, max_tokens: 1 })).status).toBe(200);
    expect(await line('refuse-cut')).toMatchObject({ outcome: 'error', fault: 'outage-refuse', status: 200 });

    await fleet.removeFault('down-a');
    expect(fleet.isUp('acme/a')).toBe(true);
    expect(fleet.endpoints[0]!.url).toBe(a);
    expect((await postChat(a, { model: 'm1', messages, max_tokens: 1 })).status).toBe(200);
  });

  it('outage-hang: the request is accepted and never answered; a client timeout fires; the end of the fault closes the socket', async () => {
    await add({ id: 'hang-b', fault: 'outage-hang', scope: { region: 'b' } });
    const timedOut = await fetch(`${b}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'hang-1' },
      body: JSON.stringify({ model: 'm1', messages }),
      signal: AbortSignal.timeout(300),
    }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('TimeoutError');
    expect(await line('hang-1')).toMatchObject({ status: null, outcome: 'client_aborted', fault: 'outage-hang', tokensOut: 0 });

    const pending = postChat(b, { model: 'm1', messages }, { 'x-request-id': 'hang-2' }).catch((e: unknown) => e);
    await until(() => fleet.inFlight('acme/b') === 1);
    await fleet.removeFault('hang-b');
    expect(await pending).toBeInstanceOf(Error); // the socket closed with no answer
    expect(await line('hang-2')).toMatchObject({ status: null, outcome: 'error', fault: 'outage-hang' });
    expect((await postChat(b, { model: 'm1', messages, max_tokens: 1 })).status).toBe(200);
  });

  it('http-error: a 500 burst in OpenAI’s shape, a 529 in Anthropic’s', async () => {
    await add({ fault: 'http-error', scope: { provider: 'acme' }, params: { statuses: [500] } });
    const e = await openai(a).chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.InternalServerError);
    expect((e as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      param: null,
      code: null,
    });

    await add({ fault: 'http-error', scope: { provider: 'ant' }, params: { statuses: [529] } });
    const anthropic = new Anthropic({ baseURL: fleet.endpoints[2]!.url, apiKey: 'k', maxRetries: 0 });
    const o = await anthropic.messages.create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x);
    expect(o).toBeInstanceOf(Anthropic.APIError);
    expect((o as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((o as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('rate-limit: 429 with retry-after when asked, without it otherwise, in OpenAI’s shape', async () => {
    await add({ id: 'storm', fault: 'rate-limit', scope: { region: 'a' }, params: { retryAfterS: 2 } });
    const e = (await openai(a).chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x)) as InstanceType<typeof OpenAI.APIError>;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.headers?.get('retry-after')).toBe('2');
    expect(e.headers?.get('retry-after-ms')).toBe('2000');
    expect(e.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    await fleet.removeFault('storm');

    await add({ fault: 'rate-limit', scope: { region: 'a' } });
    const res = await postChat(a, { model: 'm1', messages });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });

  it('latency: a brownout multiplies the time to first token', async () => {
    await add({ fault: 'latency', params: { multiplier: 4 } });
    const r = await streamChat(a, { model: 'm1', messages, max_tokens: 2 }, { 'x-request-id': 'brown-1' });
    expect(r.ttftMs).toBeGreaterThanOrEqual(240);
    expect(r.done).toBe(true);
    expect(await line('brown-1')).toMatchObject({ fault: 'latency', outcome: 'ok', status: 200 });
  });

  it('slow-stream: every gap between tokens is multiplied', async () => {
    await add({ fault: 'slow-stream', scope: { model: 'm1' }, params: { multiplier: 6 } });
    const r = await streamChat(a, { model: 'm1', messages, max_tokens: 6 }, { 'x-request-id': 'slow-1' });
    const content = r.events.filter((e) => e.json?.choices?.[0]?.delta?.content);
    expect(content.at(-1)!.at - content[0]!.at).toBeGreaterThanOrEqual(5 * 5 * 6 * 0.9);
    expect(r.done).toBe(true);
    expect(await line('slow-1')).toMatchObject({ fault: 'slow-stream', outcome: 'ok' });
  });

  it('stream-cut: the SDK stream breaks after the tokens that were sent; a non-stream body breaks mid-way', async () => {
    await add({ fault: 'stream-cut', scope: { region: 'a' }, params: { afterTokens: 3 } });
    const stream = await openai(a).chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }], stream: true }, { headers: { 'x-request-id': 'cut-1' } });
    let got = '';
    const err = await (async () => {
      for await (const chunk of stream) got += chunk.choices[0]?.delta?.content ?? '';
    })().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(Error);
    expect(got).toHaveLength(3 * 4);
    expect(await line('cut-1')).toMatchObject({ status: 200, outcome: 'error', fault: 'stream-cut', tokensOut: 3 });

    const res = await postChat(a, { model: 'm1', messages });
    expect(res.status).toBe(200);
    expect(await res.text().catch((x: unknown) => x)).toBeInstanceOf(Error);
  });

  it('malformed-sse: one event carries broken JSON; the SDK fails there, the raw stream still ends with [DONE]', async () => {
    await add({ fault: 'malformed-sse', scope: { region: 'a' }, params: { atToken: 2 } });
    const stream = await openai(a).chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }], stream: true });
    let chunks = 0;
    const err = await (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) chunks++;
    })().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SyntaxError);
    expect(chunks).toBe(2);

    const raw = await fetch(`${a}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm1', messages, stream: true, max_tokens: 4 }) });
    const blocks = (await raw.text()).split('\n\n').filter(Boolean);
    const bad = blocks.filter((blk) => {
      const data = blk.replace(/^data: /, '');
      if (data === '[DONE]') return false;
      try {
        JSON.parse(data);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    expect(blocks.at(-1)).toBe('data: [DONE]');
  });

  it('truncated-json: a complete 200 whose JSON stops half way (streams are left alone)', async () => {
    await add({ fault: 'truncated-json', scope: { region: 'a' } });
    const res = await postChat(a, { model: 'm1', messages }, { 'x-request-id': 'trunc-1' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(await openai(a).chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x)).toBeInstanceOf(Error);
    expect(await line('trunc-1')).toMatchObject({ status: 200, outcome: 'error', fault: 'truncated-json' });
    expect((await streamChat(a, { model: 'm1', messages, max_tokens: 2 })).done).toBe(true);
  });

  it('scope by model and by API key; probability hits a share of calls, the same ones for the same seed', async () => {
    await add({ fault: 'http-error', scope: { model: 'm2' }, params: { statuses: [503] } });
    await add({ fault: 'http-error', scope: { key: 'tenant-b' }, params: { statuses: [502] } });
    expect((await postChat(a, { model: 'm1', messages, max_tokens: 1 })).status).toBe(200);
    expect((await postChat(a, { model: 'm2', messages, max_tokens: 1 })).status).toBe(503);
    expect((await postChat(a, { model: 'm1', messages, max_tokens: 1 }, { authorization: 'Bearer tenant-b' })).status).toBe(502);
    await fleet.resetFaults();

    const statuses = async (f: RunningFleet): Promise<number[]> => {
      await f.addFault(FaultSpecSchema.parse({ id: 'coin', fault: 'rate-limit', probability: 0.5 }));
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await postChat(f.endpoints[0]!.url, { model: 'm1', messages, max_tokens: 1 })).status);
      return out;
    };
    const first = await statuses(fleet);
    expect(first).toContain(200);
    expect(first).toContain(429);
    const twin = await startFleet(chaosFleet(), { control: false });
    try {
      expect(await statuses(twin)).toEqual(first);
    } finally {
      await twin.close();
    }
  });

  it('a timeline runs on the fleet’s own timers; every start and stop is in the chaos log with its time', async () => {
    const t0 = Date.now();
    await fleet.applyTimeline([
      { at: 0, for: 400, fault: 'http-error', scope: { region: 'b' }, probability: 1, params: { statuses: [500] } },
      { at: 300, for: 150, fault: 'outage-refuse', scope: { region: 'b' }, probability: 1, params: {} },
    ]);
    expect((await postChat(b, { model: 'm1', messages, max_tokens: 1 })).status).toBe(500);
    await until(() => fleet.faults().length === 0, 3000);
    expect(fleet.isUp('acme/b')).toBe(true);
    const events = fleet.chaosEvents().filter((e) => e.source === 'timeline' && Date.parse(e.time) >= t0);
    expect(events.map((e) => `${e.event}:${e.fault}`)).toEqual(['start:http-error', 'start:outage-refuse', 'stop:http-error', 'stop:outage-refuse']);
    const at = (i: number) => Date.parse(events[i]!.time) - t0;
    expect(at(1)).toBeGreaterThanOrEqual(295);
    expect(at(2)).toBeGreaterThanOrEqual(395);
    expect(events[1]).toMatchObject({ source: 'timeline', atMs: 300, endpoints: ['acme/b'] });
    expect(events[3]).toMatchObject({ reason: 'expired', endpoints: ['acme/b'] });
  });

  it('closing the fleet stops what is active (reason "closed") and flushes the chaos log file', async () => {
    await add({ id: 'last', fault: 'latency' });
    await fleet.close();
    const log = readFileSync(chaosLogFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ChaosLogEntry);
    expect(log.at(-1)).toMatchObject({ event: 'stop', id: 'last', reason: 'closed' });
    const starts = log.filter((e) => e.event === 'start').map((e) => e.id);
    const stops = log.filter((e) => e.event === 'stop').map((e) => e.id);
    expect(stops.sort()).toEqual(starts.sort());
  });
});

describe('a fleet YAML chaos timeline', () => {
  it('starts with the fleet', async () => {
    const f = FleetSchema.parse({ ...chaosFleet(), chaos: [{ at: 0, fault: 'http-error', scope: { region: 'a' }, params: { statuses: [502] } }] });
    const fleet = await startFleet(f, { control: false });
    try {
      expect(fleet.faults()).toEqual([expect.objectContaining({ id: 'fleet-0-http-error', source: 'fleet', state: 'active' })]);
      expect((await postChat(fleet.endpoints[0]!.url, { model: 'm1', messages })).status).toBe(502);
    } finally {
      await fleet.close();
    }
  });
});
