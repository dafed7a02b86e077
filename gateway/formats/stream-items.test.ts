import { describe, expect, it } from 'vitest';
import type { DecodeContext, StreamItem } from '../domain/format.js';
import { anthropicFormat } from './anthropic.js';
import { geminiFormat } from './gemini.js';
import { openaiFormat } from './openai.js';
import { StreamItems } from './stream-items.js';

const ctx: DecodeContext = { id: 'chatcmpl-s', model: 'm', created: 1, logprobs: false, promptTokens: 5 };
const anthropic =
  'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Ça va 🌩️"}}\n\n' +
  ': keep-alive comment\n\n' +
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":4}}\n\n';
const gemini =
  'data: {"candidates":[{"content":{"parts":[{"text":"Grüße 🌩️"}],"role":"model"},"index":0}]}\r\n\r\n' +
  'data: {"candidates":[{"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3}}\r\n\r\n';
const openai =
  'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"naïve 🌩️"},"finish_reason":null}]}\n\n' +
  'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' +
  'data: [DONE]\n\n';

function read(make: () => StreamItems, text: string, size: number): StreamItem[] {
  const bytes = Buffer.from(text);
  const s = make();
  const items: StreamItem[] = [];
  for (let i = 0; i < bytes.length; i += size) items.push(...s.push(bytes.subarray(i, i + size)));
  return [...items, ...s.end()];
}

describe('stream items from bytes', () => {
  it.each([
    ['anthropic', () => new StreamItems(anthropicFormat.streamDecoder(ctx)), anthropic, 'Ça va 🌩️'],
    ['gemini', () => new StreamItems(geminiFormat.streamDecoder(ctx)), gemini, 'Grüße 🌩️'],
    ['openai', () => new StreamItems(openaiFormat.streamDecoder(ctx)), openai, 'naïve 🌩️'],
  ])('%s: the same items however the bytes are split, multi-byte text intact', (_name, make, text, answer) => {
    const whole = read(make, text, text.length * 4);
    expect(whole.at(-1)).toEqual({ kind: 'done' });
    expect(whole.map((i) => (i.kind === 'chunk' ? (i.text ?? '') : '')).join('')).toBe(answer);
    for (const size of [1, 2, 3, 7]) expect(read(make, text, size)).toEqual(whole);
  });

  it('an unterminated last event is decoded at the end (a final event without its blank line)', () => {
    const s = new StreamItems(geminiFormat.streamDecoder(ctx));
    s.push(Buffer.from(gemini.replace(/\r\n\r\n$/, '')));
    expect(s.end().at(-1)).toEqual({ kind: 'done' });
  });
});
