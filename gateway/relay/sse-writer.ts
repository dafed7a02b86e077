/** Writes SSE text to the client's socket, waiting for `drain` when the socket's buffer is full. */
import type { ServerResponse } from 'node:http';

export class SseWriter {
  private closed = false;

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
    return this.write(`data: ${json}\n\n`);
  }

  /** Hold writes in the socket until `uncork`, so several leave as one; false when the client is gone. */
  cork(): boolean {
    if (this.gone) return false;
    this.raw.cork();
    return true;
  }

  uncork(): void {
    this.raw.uncork();
  }

  end(text?: string): void {
    if (this.gone) return;
    if (text) this.raw.end(text);
    else this.raw.end();
  }
}
