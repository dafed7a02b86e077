/**
 * Incremental Server-Sent Events parser (the WHATWG event-stream rules that matter for LLM
 * streams): feed text in chunks split anywhere, get whole events back. Lines end in `\n`, `\r\n`
 * or `\r`; `:` lines are comments; several `data:` lines join with `\n`; a blank line dispatches.
 * Pure TS (k6-safe). Bytes → text is the caller's job (a streaming TextDecoder), so multi-byte
 * characters split across network reads stay intact.
 */

export interface SseEvent {
  /** `event:` field, `message` when absent */
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private buf = '';
  /** the previous chunk ended in `\r`: a `\n` opening the next chunk belongs to that line break */
  private skipLf = false;
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  /** Feed a chunk of text; returns the events it completed (possibly none). */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    this.buf += text;
    const out: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const cr = this.buf.indexOf('\r', start);
      const lf = this.buf.indexOf('\n', start);
      if (cr < 0 && lf < 0) break;
      let end: number;
      let next: number;
      if (lf >= 0 && (cr < 0 || lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        if (cr + 1 === this.buf.length) {
          // a lone `\r` at the end of the chunk: the line is done, a `\n` may follow in the next chunk
          next = cr + 1;
          this.skipLf = true;
        } else next = this.buf[cr + 1] === '\n' ? cr + 2 : cr + 1;
      }
      const ev = this.line(this.buf.slice(start, end));
      if (ev) out.push(ev);
      start = next;
    }
    this.buf = this.buf.slice(start);
    return out;
  }

  /**
   * End of stream: flush a pending line and dispatch a last event that lacks its blank line
   * (browsers drop it; a server that closes right after `data: [DONE]` still said it).
   */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.buf.length > 0) {
      const ev = this.line(this.buf);
      this.buf = '';
      if (ev) out.push(ev);
    }
    const last = this.dispatch();
    if (last) out.push(last);
    return out;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    if (this.data.length === 0) {
      this.event = '';
      return undefined;
    }
    const ev: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) ev.id = this.id;
    this.data = [];
    this.event = '';
    return ev;
  }
}

/** Parse a whole event-stream body at once (k6 receives streams whole). */
export function parseSse(text: string): SseEvent[] {
  const p = new SseParser();
  return [...p.push(text), ...p.end()];
}
