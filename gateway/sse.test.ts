import { describe, expect, it } from 'vitest';
import { eventData, parseSseEvent, SseSplitter } from './sse.js';

describe('SSE framing', () => {
  it('yields complete events however the bytes are split', () => {
    const text = 'data: {"a":1}\n\ndata: {"b":"é"}\n\n: comment\n\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const s = new SseSplitter();
      const events: string[] = [];
      for (let i = 0; i < bytes.length; i += size) events.push(...s.push(bytes.subarray(i, i + size)));
      expect(s.flush()).toBeUndefined();
      expect(events).toEqual(['data: {"a":1}', 'data: {"b":"é"}', ': comment', 'data: [DONE]']);
    }
  });

  it('accepts CRLF line ends, also split between chunks', () => {
    const s = new SseSplitter();
    expect(s.push(Buffer.from('data: 1\r\n\r'))).toEqual([]);
    expect(s.push(Buffer.from('\ndata: 2\r\n\r\n'))).toEqual(['data: 1', 'data: 2']);
  });

  it('hands back an unterminated last event on flush', () => {
    const s = new SseSplitter();
    expect(s.push(Buffer.from('data: {"partial":'))).toEqual([]);
    expect(s.flush()).toBe('data: {"partial":');
  });

  it('joins multi-line data', () => {
    expect(eventData('event: x\ndata: a\ndata:b')).toBe('a\nb');
    expect(eventData(': only a comment')).toBeUndefined();
  });

  it('parses an event into its name and data; a comment or keep-alive is no event', () => {
    expect(parseSseEvent('data: {"a":1}')).toEqual({ data: '{"a":1}' });
    expect(parseSseEvent('data:[DONE]')).toEqual({ data: '[DONE]' });
    expect(parseSseEvent('event: message_delta\ndata: {"type":"message_delta"}')).toEqual({ event: 'message_delta', data: '{"type":"message_delta"}' });
    expect(parseSseEvent('id: 7\nevent:error\ndata: a\ndata:  b\nretry: 10')).toEqual({ event: 'error', data: 'a\n b' });
    expect(parseSseEvent(': ping')).toBeUndefined();
    expect(parseSseEvent('event: ping')).toBeUndefined();
    expect(parseSseEvent('data')).toEqual({ data: '' });
  });
});
