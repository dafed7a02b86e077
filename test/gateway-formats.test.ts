/**
 * The gateway's wire-format adapters against the real mock fleet over HTTP: requests encoded by
 * each adapter are accepted by the fleet's Anthropic, Gemini and OpenAI endpoints, and their
 * answers — bodies, SSE streams, usage, errors, and streams broken by chaos faults — decode into
 * the OpenAI shapes the front door promises, with the token counts the fleet's ledger recorded.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPromptTokens } from '../core/tokens.js';
import type { DecodeContext, FormatName, StreamItem } from '../gateway/domain/format.js';
import { ChatRequestSchema } from '../gateway/domain/request.js';
import { getFormat } from '../gateway/formats/registry.js';
import { StreamItems } from '../gateway/formats/stream-items.js';
import {
  FaultSpecSchema,
  startFleet,
  type FaultSpecInput,
  type LedgerEntry,
  type RunningFleet,
} from '../mock-providers/index.js';
import { sdkFleet, until } from '../mock-providers/test-helpers.js';

let fleet: RunningFleet;
const ledger: LedgerEntry[] = [];

beforeAll(async () => {
  fleet = await startFleet(sdkFleet(), { ledger: (e) => ledger.push(e), control: false });
});
afterAll(() => fleet?.close());

const TARGETS: Record<FormatName, { endpoint: string; model: string }> = {
  openai: { endpoint: 'oai/r1', model: 'gpt-x' },
  anthropic: { endpoint: 'ant/r1', model: 'claude-x' },
  gemini: { endpoint: 'goo/r1', model: 'gemini-x' },
};
const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Say something about load testing.' },
];

interface Sent {
  status: number;
  text: string;
  items: StreamItem[];
  endItems: StreamItem[];
  ctx: DecodeContext;
  requestId: string;
}

/** Encode with the adapter, send to the fleet endpoint, and read the answer (a stream through StreamItems). */
async function send(
  name: FormatName,
  extra: Record<string, unknown> = {},
  key = 'sk-test',
  model = TARGETS[name].model,
): Promise<Sent> {
  const format = getFormat(name);
  const chat = ChatRequestSchema.parse({ model: 'front-door', messages, ...extra });
  const stream = chat.stream === true;
  const base = fleet.endpoints.find((e) => e.id === TARGETS[name].endpoint)!.url;
  const requestId = randomUUID();
  const ctx: DecodeContext = {
    id: `chatcmpl-${requestId}`,
    model,
    created: 1_700_000_000,
    logprobs: false,
    promptTokens: chatPromptTokens(messages),
  };
  const res = await request(`${base}${format.chatPath(model, stream)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...format.authHeaders(key) },
    body: format.encodeChat(chat, { model }),
    headersTimeout: 5000,
    bodyTimeout: 5000,
  });
  if (!stream || res.statusCode !== 200)
    return { status: res.statusCode, text: await res.body.text(), items: [], endItems: [], ctx, requestId };
  const reader = new StreamItems(format.streamDecoder(ctx));
  const items: StreamItem[] = [];
  try {
    for await (const chunk of res.body) items.push(...reader.push(chunk as Buffer));
  } catch {
    // a cut stream: what arrived is judged below
  }
  return { status: res.statusCode, text: '', items, endItems: reader.end(), ctx, requestId };
}

async function ledgerOf(requestId: string): Promise<LedgerEntry> {
  await until(() => ledger.some((l) => l.requestId === requestId));
  return ledger.find((l) => l.requestId === requestId)!;
}

/** Run `fn` while a fault (scoped by API key) is active. */
async function withFault<T>(spec: FaultSpecInput, fn: () => Promise<T>): Promise<T> {
  const fault = await fleet.addFault(FaultSpecSchema.parse(spec));
  try {
    return await fn();
  } finally {
    await fleet.removeFault(fault.id);
  }
}

const chunks = (items: StreamItem[]) =>
  items.filter((i): i is Extract<StreamItem, { kind: 'chunk' }> => i.kind === 'chunk');
const finishOf = (items: StreamItem[]): unknown =>
  chunks(items)
    .map((c) => (JSON.parse(c.data) as { choices: Array<{ finish_reason: unknown }> }).choices[0]?.finish_reason)
    .find((f) => f !== null && f !== undefined);

describe.each(['anthropic', 'gemini', 'openai'] as const)('%s upstream behind the OpenAI shapes', (name) => {
  it('a completion: content, finish reason, usage equal to the fleet’s ledger', async () => {
    const sent = await send(name);
    expect(sent.status).toBe(200);
    const out = getFormat(name).decodeChat(JSON.parse(sent.text), sent.ctx)!;
    expect(out.object).toBe('chat.completion');
    expect(out.choices[0]!.message.content).toHaveLength(12 * 4);
    expect(out.choices[0]!.finish_reason).toBe('stop');
    const l = await ledgerOf(sent.requestId);
    expect(l).toMatchObject({ endpoint: TARGETS[name].endpoint, status: 200, outcome: 'ok' });
    expect(out.usage).toMatchObject({
      prompt_tokens: l.tokensIn,
      completion_tokens: l.tokensOut,
      total_tokens: l.tokensIn + l.tokensOut,
    });
  });

  it('a stream: role first, content chunks with the same text, finish, usage equal to the ledger, done', async () => {
    const plain = await send(name);
    const whole = getFormat(name).decodeChat(JSON.parse(plain.text), plain.ctx)!;
    const sent = await send(name, { stream: true });
    expect(sent.status).toBe(200);
    const kinds = sent.items.map((i) => i.kind);
    expect(kinds.at(-1)).toBe('done');
    expect(kinds.filter((k) => k === 'malformed' || k === 'error')).toEqual([]);
    const c = chunks(sent.items);
    expect(c[0]!.content).toBe(false);
    expect(c.filter((x) => x.content).length).toBe(12);
    expect(c.map((x) => x.text ?? '').join('')).toBe(whole.choices[0]!.message.content);
    expect(finishOf(sent.items)).toBe('stop');
    const usage = sent.items.find((i) => i.kind === 'usage');
    const l = await ledgerOf(sent.requestId);
    expect(usage).toMatchObject({ usage: { prompt_tokens: l.tokensIn, completion_tokens: l.tokensOut } });
    expect(JSON.parse((usage as { data: string }).data).choices).toEqual([]);
    expect(sent.endItems).toEqual([]);
  });

  it('max_tokens cuts the answer with finish_reason "length", streaming or not', async () => {
    const sent = await send(name, { max_tokens: 5 });
    expect(getFormat(name).decodeChat(JSON.parse(sent.text), sent.ctx)!.choices[0]!.finish_reason).toBe('length');
    const streamed = await send(name, { max_tokens: 5, stream: true });
    expect(finishOf(streamed.items)).toBe('length');
    expect(streamed.items.find((i) => i.kind === 'usage')).toMatchObject({ usage: { completion_tokens: 5 } });
  });

  it('an unknown model is the fleet’s 404, decoded as a client error in OpenAI’s shape', async () => {
    const sent = await send(name, {}, 'sk-test', 'no-such-model');
    expect(sent.status).toBe(404);
    const e = getFormat(name).decodeError(sent.status, sent.text);
    expect(e.kind).toBe('invalid');
    expect(e.body.error.type).toBe('invalid_request_error');
    expect(e.body.error.message.length).toBeGreaterThan(0);
  });

  it('a stream cut after 3 tokens has no done, and end() does not pretend it completed', async () => {
    const key = `cut-${name}`;
    await withFault({ fault: 'stream-cut', scope: { key }, params: { afterTokens: 3 } }, async () => {
      const sent = await send(name, { stream: true }, key);
      expect(chunks(sent.items).filter((c) => c.content).length).toBe(3);
      expect([...sent.items, ...sent.endItems].some((i) => i.kind === 'done')).toBe(false);
    });
  });

  it('a malformed event mid-stream is reported as malformed; the rest still decodes', async () => {
    const key = `bad-${name}`;
    await withFault({ fault: 'malformed-sse', scope: { key }, params: { atToken: 2 } }, async () => {
      const sent = await send(name, { stream: true }, key);
      const kinds = sent.items.map((i) => i.kind);
      expect(kinds.filter((k) => k === 'malformed')).toHaveLength(1);
      expect(chunks(sent.items).filter((c) => c.content).length).toBe(11);
      expect(kinds.at(-1)).toBe('done');
    });
  });
});

describe('provider errors, classified', () => {
  it('Anthropic 529 overloaded_error → overloaded', async () => {
    await withFault({ fault: 'http-error', scope: { key: 'ant-529' }, params: { statuses: [529] } }, async () => {
      const sent = await send('anthropic', {}, 'ant-529');
      expect(sent.status).toBe(529);
      expect(getFormat('anthropic').decodeError(529, sent.text)).toMatchObject({
        kind: 'overloaded',
        body: { error: { code: 'overloaded_error' } },
      });
    });
  });

  it('Gemini 429 RESOURCE_EXHAUSTED → rate_limit, with the retry delay from its RetryInfo', async () => {
    await withFault({ fault: 'rate-limit', scope: { key: 'goo-429' }, params: { retryAfterS: 7 } }, async () => {
      const sent = await send('gemini', { stream: true }, 'goo-429');
      expect(sent.status).toBe(429);
      expect(getFormat('gemini').decodeError(429, sent.text)).toMatchObject({
        kind: 'rate_limit',
        retryAfterMs: 7000,
        body: { error: { code: 'rate_limit_exceeded' } },
      });
    });
  });
});
