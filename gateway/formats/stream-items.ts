/**
 * An upstream stream body read as the adapter's items: bytes → SSE events (gateway/sse.ts, the one
 * framing) → the format's StreamDecoder. One per attempt.
 */
import type { StreamDecoder, StreamItem } from '../domain/format.js';
import { parseSseEvent, SseSplitter } from '../sse.js';

export class StreamItems {
  private readonly splitter = new SseSplitter();

  constructor(private readonly decoder: StreamDecoder) {}

  push(bytes: Buffer): StreamItem[] {
    const items: StreamItem[] = [];
    for (const raw of this.splitter.push(bytes)) {
      const event = parseSseEvent(raw);
      if (event) items.push(...this.decoder.push(event));
    }
    return items;
  }

  /** The body ended: an unterminated last event, then whatever the decoder adds. */
  end(): StreamItem[] {
    const rest = this.splitter.flush();
    const event = rest === undefined ? undefined : parseSseEvent(rest);
    return [...(event ? this.decoder.push(event) : []), ...this.decoder.end()];
  }
}
