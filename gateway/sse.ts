import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from './domain/format.js';

/**
 * Incremental Server-Sent Events framing: bytes in, complete events out (without their blank
 * line terminator). Accepts \n, \r\n and \r line ends; multi-byte UTF-8 split across chunks is safe.
 */
export class SseSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  push(chunk: Buffer): string[] {
    this.buffer += this.decoder.write(chunk);
    if (this.buffer.includes('\r')) {
      // keep a trailing \r: it may be the first half of a \r\n split across chunks
      const tail = this.buffer.endsWith('\r') ? '\r' : '';
      const body = tail ? this.buffer.slice(0, -1) : this.buffer;
      this.buffer = body.replace(/\r\n?/g, '\n') + tail;
    }
    const events: string[] = [];
    let start = 0;
    for (let end = this.buffer.indexOf('\n\n'); end !== -1; end = this.buffer.indexOf('\n\n', start)) {
      events.push(this.buffer.slice(start, end));
      start = end + 2;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Whatever is left when the source ends (an unterminated event), if anything. */
  flush(): string | undefined {
    const rest = (this.buffer + this.decoder.end()).replace(/\r\n?/g, '\n').replace(/\n+$/, '');
    this.buffer = '';
    return rest.length ? rest : undefined;
  }
}

/** The data of an event (data lines joined by \n), or undefined if it has none. */
export function eventData(event: string): string | undefined {
  return parseSseEvent(event)?.data;
}

/**
 * One framed event (as SseSplitter yields it) as the `event:` name and the joined `data:` lines;
 * undefined when it carries no data (a comment or keep-alive), which SSE does not dispatch. A
 * lone `data: …` line, the OpenAI hot path, is sliced without splitting.
 */
export function parseSseEvent(raw: string): SseEvent | undefined {
  if (raw.startsWith('data:') && raw.indexOf('\n') === -1) return { data: raw.slice(raw.charCodeAt(5) === 32 ? 6 : 5) };
  let event: string | undefined;
  let data: string | undefined;
  for (const line of raw.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
  }
  if (data === undefined) return undefined;
  return event === undefined ? { data } : { event, data };
}
