/**
 * Writes SSE text to the client's socket, waiting for `drain` when the socket's buffer is full.
 * Events may be held and sent as one write (`hold` … `flush`): the events of one upstream read
 * leave together, with one pass through node's HTTP and stream layers instead of one per event.
 */
import type { ServerResponse } from 'node:http';

export class SseWriter {
  private closed = false;
  /** text of held events, undefined when not holding */
  private held: string | undefined;

  constructor(private readonly raw: ServerResponse) {
    raw.once('close', () => {
      this.closed = true;
    });
  }

  get gone(): boolean {
    return this.closed || this.raw.destroyed;
  }

  /** Write; resolves at once unless the socket asked to wait (backpressure) — then on drain or close. */
  write(text: string): Promise<void> | undefined {
    if (this.gone) return undefined;
    if (this.raw.write(text)) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        this.raw.off('drain', done);
        this.raw.off('close', done);
        resolve();
      };
      this.raw.once('drain', done);
      this.raw.once('close', done);
    });
  }

  data(json: string): Promise<void> | undefined {
    const text = `data: ${json}\n\n`;
    if (this.held === undefined) return this.write(text);
    this.held += text;
    return undefined;
  }

  /** Hold the events that follow until `flush` (or `end`), so they leave in one write. */
  hold(): void {
    this.held ??= '';
  }

  /** Write the held events (if any) and stop holding. */
  flush(): Promise<void> | undefined {
    const text = this.held;
    this.held = undefined;
    return text ? this.write(text) : undefined;
  }

  /** End the response, after the held events and `text`. */
  end(text?: string): void {
    const all = (this.held ?? '') + (text ?? '');
    this.held = undefined;
    if (this.gone) return;
    if (all) this.raw.end(all);
    else this.raw.end();
  }
}
