/**
 * Provider-side prompt caching through the official SDKs: each API's own cached-token fields, and
 * the ledger billing cached (and, for Anthropic, written) prompt tokens at their prices.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPromptTokens } from '../core/tokens.js';
import { FleetSchema } from './fleet-schema.js';
import { startFleet, type RunningFleet } from './fleet.js';
import type { LedgerEntry } from './ledger.js';
import { PromptCache, DEFAULT_PROMPT_CACHE } from './prompt-cache.js';
import { until } from './test-helpers.js';

const PRICE = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };
const model = (name: string) => ({
  name,
  price: PRICE,
  ttftMs: { dist: 'constant', value: 10 },
  itlMs: { dist: 'constant', value: 1 },
  outputTokens: { dist: 'constant', value: 8 },
});

/** 6,000 characters of system prompt: 1,500 tokens, so prefixes of 1,024–1,408 tokens lie inside it. */
const SYSTEM = 'You are a careful assistant for the stormlab load-testing lab. '.repeat(100).slice(0, 6000);
/** "system\n" + SYSTEM fills 6,007 characters: OpenAI's and Gemini's last 128-token step inside it is 1,408 tokens. */
const STEP_CACHED = 1408;
/** Anthropic caches up to the end of the marked block: floor(6,007 / 4) tokens. */
const BREAKPOINT_CACHED = 1501;

let fleet: RunningFleet;
const ledger: LedgerEntry[] = [];
const url = (id: string): string => fleet.endpoints.find((e) => e.id === id)!.url;
const lineFor = async (id: string): Promise<LedgerEntry> => {
  await until(() => ledger.some((l) => l.requestId === id));
  return ledger.find((l) => l.requestId === id)!;
};
const billed = (tokensIn: number, read: number, write: number, out: number): number =>
  ((tokensIn - read - write) * PRICE.input + read * PRICE.cachedInput + write * PRICE.cacheWrite + out * PRICE.output) / 1e6;

beforeAll(async () => {
  const f = FleetSchema.parse({
    seed: 3,
    providers: [
      { name: 'oai', format: 'openai', regions: ['r1'], models: [model('gpt-x')] },
      { name: 'ant', format: 'anthropic', regions: ['r1'], models: [model('claude-x')] },
      { name: 'goo', format: 'gemini', regions: ['r1'], models: [model('gemini-x')] },
      { name: 'off', format: 'openai', regions: ['r1'], models: [model('gpt-x')], promptCache: false },
    ],
  });
  fleet = await startFleet(f, { ledger: (e) => ledger.push(e), control: false });
});
afterAll(() => fleet?.close());

describe('OpenAI: usage.prompt_tokens_details.cached_tokens', () => {
  const client = (id = 'oai/r1', apiKey = 'sk-openai') => new OpenAI({ baseURL: `${url(id)}/v1`, apiKey, maxRetries: 0 });
  const ask = (question: string) => [
    { role: 'system' as const, content: SYSTEM },
    { role: 'user' as const, content: question },
  ];

  it('a repeated 1,024+ token prefix is cached in 128-token steps, streamed or not, and billed at the cached price', async () => {
    const first = await client().chat.completions.create({ model: 'gpt-x', messages: ask('What is TTFT?') });
    expect(first.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const { data: second, response } = await client()
      .chat.completions.create({ model: 'gpt-x', messages: ask('And what is p99?') })
      .withResponse();
    expect(second.usage!.prompt_tokens_details!.cached_tokens).toBe(STEP_CACHED);
    expect(second.usage!.prompt_tokens).toBe(chatPromptTokens(ask('And what is p99?')));

    const stream = await client().chat.completions.create({
      model: 'gpt-x',
      messages: ask('How do retries cost?'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage!.prompt_tokens_details!.cached_tokens).toBe(STEP_CACHED);

    const line = await lineFor(response.headers.get('x-request-id')!);
    expect(line).toMatchObject({ cachedTokensIn: STEP_CACHED, cacheWriteTokensIn: 0, tokensOut: 8 });
    expect(line.costUsd).toBeCloseTo(billed(line.tokensIn, STEP_CACHED, 0, 8), 12);
    expect(line.cacheSavedUsd).toBeCloseTo((STEP_CACHED * (PRICE.input - PRICE.cachedInput)) / 1e6, 12);
  });

  it('short prompts, other API keys (organisations) and a provider with caching off get no cached tokens', async () => {
    const short = [{ role: 'user' as const, content: 'hello there' }];
    await client().chat.completions.create({ model: 'gpt-x', messages: short });
    const again = await client().chat.completions.create({ model: 'gpt-x', messages: short });
    expect(again.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const other = await client('oai/r1', 'sk-other-org').chat.completions.create({ model: 'gpt-x', messages: ask('What is TTFT?') });
    expect(other.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    for (const q of ['one?', 'two?']) {
      const off = await client('off/r1').chat.completions.create({ model: 'gpt-x', messages: ask(q) });
      expect(off.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    }
  });
});

describe('Anthropic: cache_creation_input_tokens and cache_read_input_tokens at cache_control breakpoints', () => {
  const client = () => new Anthropic({ baseURL: url('ant/r1'), apiKey: 'sk-ant', maxRetries: 0 });
  const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }];

  it('the first call writes the marked prefix, the next reads it; input_tokens are the rest; writes and reads billed apart', async () => {
    const { data: first, response: r1 } = await client()
      .messages.create({ model: 'claude-x', max_tokens: 50, system, messages: [{ role: 'user', content: 'What is TTFT?' }] })
      .withResponse();
    const total = chatPromptTokens([{ content: SYSTEM }, { content: 'What is TTFT?' }]);
    expect(first.usage).toMatchObject({ cache_creation_input_tokens: BREAKPOINT_CACHED, cache_read_input_tokens: 0, input_tokens: total - BREAKPOINT_CACHED });

    const stream = client().messages.stream({ model: 'claude-x', max_tokens: 50, system, messages: [{ role: 'user', content: 'What is TTFT?' }] });
    const final = await stream.finalMessage();
    expect(final.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: BREAKPOINT_CACHED, input_tokens: total - BREAKPOINT_CACHED });

    const w = await lineFor(r1.headers.get('x-request-id')!);
    expect(w).toMatchObject({ tokensIn: total, cachedTokensIn: 0, cacheWriteTokensIn: BREAKPOINT_CACHED });
    expect(w.costUsd).toBeCloseTo(billed(total, 0, BREAKPOINT_CACHED, 8), 12);
    expect(w.cacheSavedUsd).toBeLessThan(0); // a write costs 1.25 × input
  });

  it('without cache_control nothing is cached', async () => {
    const plain = { model: 'claude-x', max_tokens: 50, system: SYSTEM, messages: [{ role: 'user' as const, content: 'hi' }] };
    await client().messages.create(plain);
    const again = await client().messages.create(plain);
    expect(again.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });
});

describe('Gemini: usageMetadata.cachedContentTokenCount (implicit caching)', () => {
  it('reports cached tokens on a repeated prefix, streamed or not', async () => {
    const ai = new GoogleGenAI({ apiKey: 'g-key', httpOptions: { baseUrl: url('goo/r1') } });
    const ask = (q: string) => ({ model: 'gemini-x', contents: q, config: { systemInstruction: SYSTEM } });
    const first = await ai.models.generateContent(ask('What is TTFT?'));
    expect(first.usageMetadata?.cachedContentTokenCount).toBeUndefined();
    const second = await ai.models.generateContent(ask('And p99?'));
    expect(second.usageMetadata?.cachedContentTokenCount).toBe(STEP_CACHED);
    let last: number | undefined;
    for await (const chunk of await ai.models.generateContentStream(ask('And cost?'))) last = chunk.usageMetadata?.cachedContentTokenCount;
    expect(last).toBe(STEP_CACHED);
  });
});

describe('PromptCache', () => {
  const text = (n: number) => [{ role: 'user', content: 'x'.repeat(n) }];

  it('forgets a prefix once its TTL has passed since the last use', () => {
    const cache = new PromptCache({ ...DEFAULT_PROMPT_CACHE.openai, ttlMs: 1000 });
    expect(cache.use('m', 'k', text(5000), undefined, 0).readTokens).toBe(0);
    expect(cache.use('m', 'k', text(5000), undefined, 900).readTokens).toBe(1152);
    expect(cache.use('m', 'k', text(5000), undefined, 1800).readTokens).toBe(1152); // refreshed at 900
    expect(cache.use('m', 'k', text(5000), undefined, 2900).readTokens).toBe(0);
    expect(cache.use('other-model', 'k', text(5000), undefined, 2901).readTokens).toBe(0);
  });

  it('a lookup that is not committed (a call refused by a limit) stores nothing', () => {
    const cache = new PromptCache(DEFAULT_PROMPT_CACHE.openai);
    expect(cache.lookup('m', 'k', text(5000), undefined, 0).readTokens).toBe(0);
    expect(cache.lookup('m', 'k', text(5000), undefined, 1).readTokens).toBe(0);
    cache.lookup('m', 'k', text(5000), undefined, 2).commit();
    expect(cache.lookup('m', 'k', text(5000), undefined, 3).readTokens).toBe(1152);
  });
});
