import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.js';
import { parseSse, SseParser, type SseEvent } from './sse.js';

const STREAM =
  ': keep-alive comment\n' +
  'data: {"a":1}\n\n' +
  'event: note\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n' +
  'data:no-space\r\rdata: {"b":"é ünïcödé 🌩"}\n\n' +
  'retry: 1000\n\n' + // no data: not an event
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}' },
  { event: 'note', data: 'line one\nline two', id: '7' },
  { event: 'message', data: 'no-space', id: '7' },
  { event: 'message', data: '{"b":"é ünïcödé 🌩"}', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
];

function feedSplit(text: string, cuts: number[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  let at = 0;
  for (const c of [...cuts, text.length]) {
    out.push(...p.push(text.slice(at, c)));
    at = c;
  }
  out.push(...p.end());
  return out;
}

describe('SseParser', () => {
  it('parses comments, CRLF, lone CR, multi-line data and fields', () => {
    expect(parseSse(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events however the text is split (every single cut, then random cuts)', () => {
    for (let c = 0; c <= STREAM.length; c++) expect(feedSplit(STREAM, [c])).toEqual(EXPECTED);
    const rng = new Rng(3);
    for (let round = 0; round < 200; round++) {
      const cuts = Array.from({ length: rng.int(1, 12) }, () => rng.int(0, STREAM.length)).sort((a, b) => a - b);
      expect(feedSplit(STREAM, cuts)).toEqual(EXPECTED);
    }
    // one character at a time
    expect(feedSplit(STREAM, Array.from({ length: STREAM.length }, (_, i) => i))).toEqual(EXPECTED);
  });

  it('dispatches a final event that lacks its blank line only at end()', () => {
    const p = new SseParser();
    expect(p.push('data: [DONE]')).toEqual([]);
    expect(p.end()).toEqual([{ event: 'message', data: '[DONE]' }]);
  });
});
