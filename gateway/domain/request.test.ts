/**
 * The hand check of the common chat body against the schema it stands in for: over thousands
 * of bodies mixing valid and invalid values for every field the schema reads, it never accepts
 * what the schema refuses, and what it accepts is what the schema would give.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.js';
import { ChatRequestSchema, isPlainChatRequest } from './request.js';

const VALUES: Record<string, unknown[]> = {
  model: ['m1', '', 'x'.repeat(256), 'x'.repeat(257), 7, null, ['m1']],
  messages: [
    [{ role: 'user', content: 'hi' }],
    [{ role: 'system', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    [{ role: 'assistant', content: null, tool_calls: [] }, { role: 'tool', tool_call_id: 'x' }],
    [],
    'hello',
    [null],
    [{ content: 'x' }],
    [{ role: 'wizard', content: 'x' }],
    [{ role: 'user', content: 42 }],
    [{ role: 'user', content: { text: 'x' } }],
    [['user', 'x']],
  ],
  stream: [true, false, null, 'yes', 1],
  stream_options: [
    { include_usage: true },
    { include_usage: false, other: 1 },
    {},
    null,
    { include_usage: null },
    { include_usage: 'yes' },
    3,
    [],
  ],
  max_tokens: [16, 1, null, 0, -1, 1.5, 2 ** 53, '16'],
  max_completion_tokens: [8, null, 0, 2.5],
  temperature: [0, 0.7, 2, null, -0.1, 2.01, 'hot'],
  logprobs: [true, null, 'no'],
  top_logprobs: [0, 20, null, 21, -1, 1.5],
  metadata: [{ feature: 'f', priority: 'P1' }, {}, null, { n: 1 }, 'x', ['a'], { a: null }],
  user: ['u1', 3],
};

function body(rand: () => number): unknown {
  const r = rand();
  if (r < 0.02) return [1, 2];
  if (r < 0.04) return 'just a string';
  if (r < 0.05) return null;
  const out: Record<string, unknown> = {};
  for (const [field, values] of Object.entries(VALUES)) {
    // required fields are mostly there, optional ones half the time
    const present = field === 'model' || field === 'messages' ? rand() < 0.95 : rand() < 0.5;
    if (!present) continue;
    // mostly the valid leading values, so whole bodies are often valid
    const i = rand() < 0.6 ? 0 : Math.floor(rand() * values.length);
    out[field] = structuredClone(values[i]);
  }
  return out;
}

describe('the hand check of a chat body', () => {
  it('accepts only what the schema accepts, as the schema gives it, over 20,000 bodies', () => {
    const rand = mulberry32(7);
    let fast = 0;
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = body(rand);
      const r = ChatRequestSchema.safeParse(b);
      if (r.success) valid += 1;
      if (!isPlainChatRequest(b)) continue;
      fast += 1;
      expect(r.success, JSON.stringify(b)).toBe(true);
      expect(b).toEqual(r.data);
    }
    // the check is the path taken: every valid body of these fields passes it
    expect(fast).toBe(valid);
    expect(valid).toBeGreaterThan(1000);
  });

  it('takes the bodies clients send: plain, streamed, with tools and metadata', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    expect(isPlainChatRequest({ model: 'gpt-4o', messages, max_tokens: 16 })).toBe(true);
    const streamed = { model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } };
    expect(isPlainChatRequest(streamed)).toBe(true);
    const tools = { model: 'm', messages, tools: [{ type: 'function' }], metadata: { feature: 'chat' } };
    expect(isPlainChatRequest(tools)).toBe(true);
    expect(isPlainChatRequest({ model: 'm', messages, metadata: { feature: 1 } })).toBe(false);
  });
});
