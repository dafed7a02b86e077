import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../domain/request.js';
import { canonicalJson, isMultiTurn, normaliseMessage, outputParams, queryText, requestKeys } from './request-key.js';

const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'How do I reset my password?' },
  ],
  ...over,
});

describe('request keys', () => {
  it('ignores what does not change the answer: stream, metadata, user, whitespace, key order, text parts', () => {
    const base = requestKeys('r', req());
    const same = requestKeys('r', {
      ...req({ stream: true, stream_options: { include_usage: true }, metadata: { feature: 'x' }, max_tokens: 9 }),
      user: 'u1',
      messages: [
        { role: 'system', content: '  Be   brief. ' },
        { role: 'user', content: [{ type: 'text', text: 'How do I reset my password?' }] },
      ],
    });
    expect(same).toEqual(base);
  });

  it('separates every output-affecting parameter and the system prompt', () => {
    const base = requestKeys('r', req()).exact;
    expect(requestKeys('r', req({ temperature: 0.2 })).exact).not.toBe(base);
    expect(requestKeys('r', { ...req(), top_p: 0.5 }).exact).not.toBe(base);
    expect(requestKeys('r', { ...req(), tools: [{ type: 'function', function: { name: 'f' } }] }).exact).not.toBe(base);
    expect(requestKeys('r', { ...req(), response_format: { type: 'json_object' } }).exact).not.toBe(base);
    expect(requestKeys('other', req()).exact).not.toBe(base);
    const sys = req({ messages: [{ role: 'system', content: 'Be verbose.' }, { role: 'user', content: 'How do I reset my password?' }] });
    expect(requestKeys('r', sys).exact).not.toBe(base);
    expect(requestKeys('r', sys).partition).not.toBe(requestKeys('r', req()).partition);
  });

  it('treats an omitted temperature as its default (1)', () => {
    expect(requestKeys('r', req({ temperature: 1 })).exact).toBe(requestKeys('r', req()).exact);
  });

  it('puts paraphrases of one question in one semantic partition', () => {
    const other = req({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'I forgot my password' }] });
    expect(requestKeys('r', other).partition).toBe(requestKeys('r', req()).partition);
    expect(requestKeys('r', other).exact).not.toBe(requestKeys('r', req()).exact);
  });

  it('tells a conversation from a single question and finds the text to embed', () => {
    expect(isMultiTurn(req().messages)).toBe(false);
    const conv = [...req().messages, { role: 'assistant' as const, content: 'Go to settings.' }, { role: 'user' as const, content: 'And then?' }];
    expect(isMultiTurn(conv)).toBe(true);
    expect(queryText(conv)).toBe('And then?');
    expect(queryText([{ role: 'system', content: 'x' }])).toBeUndefined();
  });

  // keys shared through Redis stay put from one version to the next
  it('is the SHA-256 of the canonical JSON of route, parameters and messages', () => {
    const sha = (v: unknown): string => createHash('sha256').update(canonicalJson(v)).digest('hex');
    const requests: ChatRequest[] = [
      req(),
      req({ temperature: 0.2, messages: [{ role: 'user', content: ' a\tb\n\nc ', name: 'bob' }] }),
      req({ messages: [{ role: 'user', content: 'say "hi" \u2028' }, { role: 'assistant', content: 'hi' }] }),
      { ...req(), tools: [{ type: 'function', function: { name: 'f', parameters: { b: 1, a: [2] } } }] },
    ];
    for (const r of requests) {
      const messages = r.messages.map(normaliseMessage);
      const lastUser = r.messages.map((m) => m.role).lastIndexOf('user');
      const keys = requestKeys('route', r);
      expect(keys.exact).toBe(sha(['route', outputParams(r), messages]));
      expect(keys.partition).toBe(sha(['route', outputParams(r), messages.filter((_, i) => i !== lastUser)]));
    }
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
