/** The official SDKs, unchanged, against the mocks: OpenAI, Anthropic and Google Gen AI, streaming included. */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from './embeddings/embed.js';
import { startFleet, type RunningFleet } from './fleet.js';
import type { LedgerEntry } from './ledger.js';
import { sdkFleet, until } from './test-helpers.js';

let fleet: RunningFleet;
const ledger: LedgerEntry[] = [];
const url = (id: string): string => fleet.endpoints.find((e) => e.id === id)!.url;

beforeAll(async () => {
  fleet = await startFleet(sdkFleet(), { ledger: (e) => ledger.push(e), control: false });
});
afterAll(() => fleet?.close());

describe('openai SDK', () => {
  const client = () => new OpenAI({ baseURL: `${url('oai/r1')}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'Say something about load testing.' }];

  it('chat completion: text, usage, finish reason and the serving endpoint in the body', async () => {
    const { data, response } = await client().chat.completions.create({ model: 'gpt-x', messages }).withResponse();
    expect(response.headers.get('x-stormlab-endpoint')).toBe('oai/r1');
    expect(data.system_fingerprint).toBe('stormlab:oai/r1');
    expect(data.id).toContain('stormlab:oai/r1');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.choices[0]!.message.content).toHaveLength(12 * 4);
    expect(data.usage).toMatchObject({ completion_tokens: 12, total_tokens: data.usage!.prompt_tokens + 12 });
  });

  it('streams chunks with include_usage, the same text as without streaming; max_tokens cuts with "length"', async () => {
    const whole = await client().chat.completions.create({ model: 'gpt-x', messages, max_tokens: 5 });
    const stream = await client().chat.completions.create({ model: 'gpt-x', messages, max_tokens: 5, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(finish).toBe('length');
    expect(usage).toMatchObject({ completion_tokens: 5 });
  });

  it('embeddings: the SDK’s default base64 and float agree; dimensions shorten; paraphrases close, negations apart', async () => {
    const input = ['turn on the lights', 'could you switch the lights on?', 'turn off the lights'];
    const b64 = await client().embeddings.create({ model: 'emb-x', input });
    const float = await client().embeddings.create({ model: 'emb-x', input, encoding_format: 'float' });
    expect(b64.data.map((d) => d.embedding.length)).toEqual([256, 256, 256]);
    expect(b64.usage.prompt_tokens).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const a = b64.data[i]!.embedding;
      const b = float.data[i]!.embedding;
      expect(a.every((x, j) => Math.abs(x - b[j]!) < 1e-6)).toBe(true);
    }
    const [on, paraphrase, off] = float.data.map((d) => d.embedding);
    expect(cosine(on!, paraphrase!)).toBeGreaterThan(0.9);
    expect(cosine(on!, off!)).toBeLessThan(0.5);
    const short = await client().embeddings.create({ model: 'emb-x', input: input[0]!, dimensions: 64, encoding_format: 'float' });
    expect(short.data[0]!.embedding).toHaveLength(64);
    await until(() => ledger.some((l) => l.model === 'emb-x' && l.outcome === 'ok'));
    expect(ledger.find((l) => l.model === 'emb-x')).toMatchObject({ tokensOut: 0, status: 200, endpoint: 'oai/r1' });
  });

  it('lists models, and an unknown one is a NotFoundError with OpenAI’s code', async () => {
    const ids: string[] = [];
    for await (const m of client().models.list()) ids.push(m.id);
    expect(ids).toEqual(['gpt-x', 'emb-x']);
    const e = await client().chat.completions.create({ model: 'gpt-9', messages }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect((e as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });
});

describe('anthropic SDK', () => {
  const client = () => new Anthropic({ baseURL: url('ant/r1'), apiKey: 'sk-ant-test', maxRetries: 0 });
  const params = { model: 'claude-x', max_tokens: 100, system: 'Be terse.', messages: [{ role: 'user' as const, content: 'Hello there' }] };

  it('message: text, usage, stop reason, the endpoint in the id', async () => {
    const m = await client().messages.create(params);
    expect(m.id).toBe('msg_stormlab:ant/r1:' + m.id.split(':').at(-1));
    expect(m.content).toEqual([{ type: 'text', text: expect.any(String) }]);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.usage.output_tokens).toBe(12);
    expect(m.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams the Messages event sequence, and the helper assembles the same message', async () => {
    const types: string[] = [];
    let text = '';
    const stream = await client().messages.create({ ...params, max_tokens: 4, stream: true });
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
      if (ev.type === 'message_delta') {
        expect(ev.delta.stop_reason).toBe('max_tokens');
        expect(ev.usage.output_tokens).toBe(4);
      }
    }
    expect(types).toEqual(['message_start', 'content_block_start', ...Array(4).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop']);
    const final = await client().messages.stream({ ...params, max_tokens: 4 }).finalMessage();
    expect(final.content[0]).toEqual({ type: 'text', text, citations: undefined } as never);
    expect(final.stop_reason).toBe('max_tokens');
  });

  it('lists models; an unknown model is a NotFoundError of type not_found_error', async () => {
    const ids: string[] = [];
    for await (const m of client().models.list()) ids.push(m.id);
    expect(ids).toEqual(['claude-x']);
    const e = await client().messages.create({ ...params, model: 'claude-9' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Anthropic.NotFoundError);
    expect((e as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('@google/genai SDK', () => {
  const client = () => new GoogleGenAI({ apiKey: 'g-test', httpOptions: { baseUrl: url('goo/r1') } });

  it('generateContent: text, usage, finish reason, the endpoint in responseId', async () => {
    const r = await client().models.generateContent({ model: 'gemini-x', contents: 'Hello there', config: { systemInstruction: 'Be terse.' } });
    expect(r.text).toHaveLength(12 * 4);
    expect(r.responseId).toContain('stormlab:goo/r1');
    expect(r.candidates?.[0]?.finishReason).toBe('STOP');
    expect(r.usageMetadata).toMatchObject({ candidatesTokenCount: 12 });
  });

  it('generateContentStream (alt=sse) yields the same text; maxOutputTokens cuts with MAX_TOKENS', async () => {
    const whole = await client().models.generateContent({ model: 'gemini-x', contents: 'Hello there', config: { maxOutputTokens: 6 } });
    let text = '';
    let last: Awaited<ReturnType<GoogleGenAI['models']['generateContent']>> | undefined;
    for await (const chunk of await client().models.generateContentStream({ model: 'gemini-x', contents: 'Hello there', config: { maxOutputTokens: 6 } })) {
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(text).toBe(whole.text);
    expect(last?.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(last?.usageMetadata).toMatchObject({ candidatesTokenCount: 6 });
  });

  it('without alt=sse, streamGenerateContent streams one JSON array', async () => {
    const res = await fetch(`${url('goo/r1')}/v1beta/models/gemini-x:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'g-test' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }], generationConfig: { maxOutputTokens: 3 } }),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const items = (await res.json()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }> }>;
    expect(items).toHaveLength(4);
    expect(items.at(-1)!.candidates[0]!.finishReason).toBe('MAX_TOKENS');
  });

  it('lists models; an unknown model is an ApiError 404 in Google’s error shape', async () => {
    const pager = await client().models.list();
    expect(pager.page.map((m) => m.name)).toEqual(['models/gemini-x']);
    const e = await client().models.generateContent({ model: 'gemini-9', contents: 'hi' }).catch((x: unknown) => x);
    expect((e as { status?: number }).status).toBe(404);
    expect(String((e as Error).message)).toContain('NOT_FOUND');
  });
});
