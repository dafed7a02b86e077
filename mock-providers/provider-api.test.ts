/**
 * Provider API surface through the official clients: Azure OpenAI deployment URLs (`AzureOpenAI`),
 * Gemini `embedContent`, and model limits (context window, maximum output) as each API refuses them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from './embeddings/embed.js';
import { FleetSchema } from './fleet-schema.js';
import { startFleet, type RunningFleet } from './fleet.js';
import type { LedgerEntry } from './ledger.js';
import { until } from './test-helpers.js';

const model = (name: string) => ({
  name,
  price: { input: 1, output: 2 },
  ttftMs: { dist: 'constant', value: 10 },
  itlMs: { dist: 'constant', value: 1 },
  outputTokens: { dist: 'constant', value: 6 },
  maxOutputTokens: 1000,
  contextWindow: 4000,
});
const emb = { name: 'emb-x', price: { input: 0.02 }, dimensions: 128, latencyMs: { dist: 'constant', value: 2 } };

let fleet: RunningFleet;
const ledger: LedgerEntry[] = [];
const url = (id: string): string => fleet.endpoints.find((e) => e.id === id)!.url;
/** ~5,000 prompt tokens: over the 4,000-token window */
const LONG = 'word '.repeat(4000);

beforeAll(async () => {
  const f = FleetSchema.parse({
    seed: 2,
    providers: [
      { name: 'azure', format: 'openai', regions: ['eastus'], models: [model('gpt-x')], embeddings: [emb] },
      { name: 'ant', format: 'anthropic', regions: ['r1'], models: [model('claude-x')] },
      { name: 'goo', format: 'gemini', regions: ['r1'], models: [model('gemini-x')], embeddings: [emb] },
    ],
  });
  fleet = await startFleet(f, { ledger: (e) => ledger.push(e), control: false });
});
afterAll(() => fleet?.close());

describe('Azure OpenAI deployment URLs', () => {
  const azure = (deployment: string) =>
    new AzureOpenAI({ endpoint: url('azure/eastus'), apiKey: 'az-key', apiVersion: '2024-10-21', deployment, maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'Hello from Azure' }];

  it('AzureOpenAI chat completions, streamed and not, served by the deployment’s model', async () => {
    const whole = await azure('gpt-x').chat.completions.create({ model: 'ignored-by-azure', messages });
    expect(whole.model).toBe('gpt-x');
    expect(whole.system_fingerprint).toBe('stormlab:azure/eastus');
    expect(whole.usage!.completion_tokens).toBe(6);
    let text = '';
    const stream = await azure('gpt-x').chat.completions.create({ model: 'gpt-x', messages, stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(whole.choices[0]!.message.content);
    await until(() => ledger.some((l) => l.endpoint === 'azure/eastus' && l.stream && l.outcome === 'ok'));
  });

  it('AzureOpenAI embeddings', async () => {
    const r = await azure('emb-x').embeddings.create({ model: 'emb-x', input: ['turn on the lights', 'switch the lights on'], encoding_format: 'float' });
    expect(r.data.map((d) => d.embedding.length)).toEqual([128, 128]);
    expect(cosine(r.data[0]!.embedding, r.data[1]!.embedding)).toBeGreaterThan(0.9);
  });

  it('an unknown deployment is a 404; without api-version a 400 missing_required_parameter', async () => {
    const e = await azure('gpt-9').chat.completions.create({ model: 'gpt-9', messages }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    const res = await fetch(`${url('azure/eastus')}/openai/deployments/gpt-x/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'az-key' },
      body: JSON.stringify({ messages }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { message: "Missing required query parameter: 'api-version'.", type: 'invalid_request_error', param: 'api-version', code: 'missing_required_parameter' },
    });
  });
});

describe('Gemini embedContent', () => {
  const ai = () => new GoogleGenAI({ apiKey: 'g-key', httpOptions: { baseUrl: url('goo/r1') } });

  it('models.embedContent (batchEmbedContents) returns one vector per input; outputDimensionality shortens them', async () => {
    const r = await ai().models.embedContent({ model: 'emb-x', contents: ['turn on the lights', 'turn off the lights'] });
    expect(r.embeddings!.map((e) => e.values!.length)).toEqual([128, 128]);
    expect(cosine(r.embeddings![0]!.values!, r.embeddings![1]!.values!)).toBeLessThan(0.5);
    const short = await ai().models.embedContent({ model: 'emb-x', contents: 'turn on the lights', config: { outputDimensionality: 32 } });
    expect(short.embeddings![0]!.values).toHaveLength(32);
    expect(short.embeddings![0]!.values![0]).toBeCloseTo(r.embeddings![0]!.values![0]! / norm(r.embeddings![0]!.values!.slice(0, 32)), 5);
    await until(() => ledger.some((l) => l.endpoint === 'goo/r1' && l.model === 'emb-x' && l.tokensIn > 0));
  });

  it(':embedContent answers {embedding: {values}}', async () => {
    const res = await fetch(`${url('goo/r1')}/v1beta/models/emb-x:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'g-key' },
      body: JSON.stringify({ content: { parts: [{ text: 'turn on the lights' }] }, outputDimensionality: 16 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toHaveLength(16);
  });
});

const norm = (v: number[]): number => Math.hypot(...v);

describe('model limits: context window and maximum output', () => {
  it('OpenAI: 400 context_length_exceeded naming messages; max_tokens over the maximum is invalid_value', async () => {
    const client = new OpenAI({ baseURL: `${url('azure/eastus')}/v1`, apiKey: 'k', maxRetries: 0 });
    const long = await client.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: LONG }] }).catch((x: unknown) => x);
    expect(long).toBeInstanceOf(OpenAI.BadRequestError);
    const e = long as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('context_length_exceeded');
    expect(e.param).toBe('messages');
    expect(e.message).toMatch(/^400 This model's maximum context length is 4000 tokens\. However, your messages resulted in \d+ tokens\./);
    // the window counts max_tokens too
    const both = await client.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: 'word '.repeat(2600) }], max_tokens: 900 }).catch((x: unknown) => x);
    expect((both as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    const big = await client.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1e9 }).catch((x: unknown) => x);
    expect(big).toMatchObject({ status: 400, code: 'invalid_value', param: 'max_tokens' });
    expect((big as Error).message).toContain('This model supports at most 1000 completion tokens');
  });

  it('a 2.5 MB prompt is refused at once, not modelled through its prefill', async () => {
    const t0 = performance.now();
    const res = await fetch(`${url('azure/eastus')}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content: 'x'.repeat(2_500_000) }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('context_length_exceeded');
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('Anthropic: invalid_request_error in its own words', async () => {
    const client = new Anthropic({ baseURL: url('ant/r1'), apiKey: 'k', maxRetries: 0 });
    const long = await client.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: LONG }] }).catch((x: unknown) => x);
    expect(long).toBeInstanceOf(Anthropic.BadRequestError);
    expect((long as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^prompt is too long: \d+ tokens > 4000 maximum$/) },
    });
    const big = await client.messages.create({ model: 'claude-x', max_tokens: 5000, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
    expect((big as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      error: { message: 'max_tokens: 5000 > 1000, which is the maximum allowed number of output tokens for claude-x' },
    });
  });

  it('Gemini: 400 INVALID_ARGUMENT', async () => {
    const ai = new GoogleGenAI({ apiKey: 'g-key', httpOptions: { baseUrl: url('goo/r1') } });
    const long = await ai.models.generateContent({ model: 'gemini-x', contents: LONG }).catch((x: unknown) => x);
    expect(long).toBeInstanceOf(ApiError);
    expect((long as ApiError).status).toBe(400);
    expect((long as ApiError).message).toMatch(/The input token count \(\d+\) exceeds the maximum number of tokens allowed \(4000\)\./);
    expect((long as ApiError).message).toContain('"status":"INVALID_ARGUMENT"');
    const big = await ai.models.generateContent({ model: 'gemini-x', contents: 'hi', config: { maxOutputTokens: 5000 } }).catch((x: unknown) => x);
    expect((big as ApiError).status).toBe(400);
  });
});
