import { describe, expect, it } from 'vitest';
import {
  attribution,
  chunkText,
  headerGetter,
  isContentChunk,
  parseFingerprint,
  readCompletion,
  readUsage,
  StreamAccumulator,
} from './response.js';

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', system_fingerprint: 'stormlab:openai/eu-west', choices: [{ index: 0, delta }], ...extra });

describe('completion bodies', () => {
  it('reads text, usage with cost and the fingerprint', () => {
    const body = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost_usd: 0.00042 },
      system_fingerprint: 'stormlab:anthropic/us-east',
    };
    expect(readCompletion(body)).toEqual({
      text: 'Hello there',
      usage: { promptTokens: 12, completionTokens: 3, costUsd: 0.00042 },
      served: { provider: 'anthropic', region: 'us-east' },
    });
    expect(readUsage({ usage: { prompt_tokens: 1, completion_tokens: 2 } })).toEqual({ promptTokens: 1, completionTokens: 2 });
    expect(readUsage({ usage: null })).toBeUndefined();
    expect(readCompletion('nonsense')).toEqual({ text: '' });
  });

  it('only accepts the stormlab fingerprint form', () => {
    expect(parseFingerprint('fp_44709d6fcb')).toBeUndefined();
    expect(parseFingerprint('stormlab:openai/eu-west')).toEqual({ provider: 'openai', region: 'eu-west' });
    expect(parseFingerprint(42)).toBeUndefined();
  });
});

describe('stream chunks', () => {
  it('counts only chunks with non-empty delta.content as content', () => {
    expect(isContentChunk(JSON.parse(chunk({ role: 'assistant', content: '' })))).toBe(false);
    expect(isContentChunk(JSON.parse(chunk({ role: 'assistant' })))).toBe(false);
    expect(isContentChunk(JSON.parse(chunk({ content: 'Hi' })))).toBe(true);
    expect(isContentChunk({ choices: [], usage: { prompt_tokens: 1 } })).toBe(false);
    expect(chunkText(JSON.parse(chunk({ content: 'ab' })))).toBe('ab');
  });

  it('accumulates TTFT/ITL times, usage, fingerprint and [DONE]', () => {
    const acc = new StreamAccumulator();
    acc.feed(chunk({ role: 'assistant', content: '' }), 5);
    acc.feed(chunk({ content: 'Hel' }), 80);
    acc.feed(chunk({ content: 'lo' }), 90);
    acc.feed(chunk({ content: '!' }), 110);
    acc.feed(JSON.stringify({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, cost_usd: 0.001 } }), 111);
    expect(acc.done).toBe(false);
    acc.feed('[DONE]', 112);
    expect(acc).toMatchObject({ done: true, contentChunks: 3, textLength: 6, firstContentMs: 80, lastContentMs: 110 });
    expect(acc.meanItlMs()).toBe(15);
    expect(acc.usage).toEqual({ promptTokens: 9, completionTokens: 3, costUsd: 0.001 });
    expect(acc.served).toEqual({ provider: 'openai', region: 'eu-west' });
  });

  it('notes error events and malformed payloads', () => {
    const acc = new StreamAccumulator();
    acc.feed('{"error":{"message":"upstream reset","type":"server_error"}}');
    acc.feed('{not json');
    expect(acc.error).toBe('upstream reset');
    expect(acc.malformed).toBe(1);
    expect(acc.meanItlMs()).toBeUndefined();
  });
});

describe('attribution', () => {
  it('prefers gateway headers, case-insensitively', () => {
    const get = headerGetter({
      'X-Stormlab-Provider': 'openai',
      'x-stormlab-region': 'us-east',
      'x-stormlab-attempts': '3',
      'x-stormlab-cache': 'semantic',
      'x-stormlab-upstream': 'openai-us-east',
      'X-Request-Id': 'baseline-4',
    });
    expect(attribution(get, { provider: 'other', region: 'x' })).toEqual({
      provider: 'openai',
      region: 'us-east',
      attempts: 3,
      cache: 'semantic',
      upstream: 'openai-us-east',
      requestId: 'baseline-4',
    });
  });

  it('reads the pacing queue wait from x-gateway-queue-ms, ignoring junk', () => {
    expect(attribution(headerGetter({ 'x-gateway-queue-ms': '250' })).queueMs).toBe(250);
    expect(attribution(headerGetter({ 'X-Stormlab-Queue-Ms': '0' })).queueMs).toBe(0);
    expect(attribution(headerGetter({ 'x-gateway-queue-ms': 'soon' })).queueMs).toBeUndefined();
    expect(attribution(headerGetter({ 'x-gateway-queue-ms': '-3' })).queueMs).toBeUndefined();
  });

  it('falls back to the body fingerprint behind a pass-through gateway', () => {
    expect(attribution(headerGetter({ 'x-stormlab-attempts': 'junk' }), { provider: 'mistral', region: 'eu' })).toEqual({
      provider: 'mistral',
      region: 'eu',
      attempts: 1,
    });
  });
});
