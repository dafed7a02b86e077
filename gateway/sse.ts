import { StringDecoder } from 'node:string_decoder';

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
  let data: string | undefined;
  for (const line of event.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}
