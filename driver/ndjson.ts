/**
 * Buffered NDJSON writer that respects backpressure: lines collect in memory and go out in
 * batches; while the stream says "full" (write() → false) nothing more is written until
 * 'drain'. A short timer flushes partial batches, so the file can be tailed during a run.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const BATCH_BYTES = 64 * 1024;
const FLUSH_EVERY_MS = 250;

export class NdjsonWriter {
  private readonly stream: NodeJS.WritableStream;
  /** we opened the stream (a path was given), so we end it in close() */
  private readonly owned: boolean;
  private pending: string[] = [];
  private pendingBytes = 0;
  private blocked = false;
  private error: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** lines accepted so far */
  lines = 0;

  constructor(out: string | NodeJS.WritableStream) {
    if (typeof out === 'string') {
      mkdirSync(dirname(out), { recursive: true });
      this.stream = createWriteStream(out);
      this.owned = true;
    } else {
      this.stream = out;
      this.owned = false;
    }
    this.stream.on('error', (e: Error) => {
      this.error ??= e;
    });
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Queue one line (without its newline). */
  write(line: string): void {
    if (this.closed) throw new Error('NdjsonWriter: write after close');
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    this.lines++;
    if (this.pendingBytes >= BATCH_BYTES) this.flush();
  }

  /** Hand queued lines to the stream unless it asked us to wait. */
  private flush(): void {
    if (this.blocked || this.pending.length === 0 || this.error) return;
    const chunk = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.stream.write(chunk)) {
      this.blocked = true;
      this.stream.once('drain', () => {
        this.blocked = false;
        if (this.pendingBytes >= BATCH_BYTES) this.flush();
      });
    }
  }

  private async drained(): Promise<void> {
    while (this.blocked && !this.error) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          setImmediate(resolve); // after flush()'s own 'drain' listener cleared `blocked`
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }

  /** Write everything out; end the stream if we opened it. Rejects on a stream error. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.drained();
    this.flush();
    await this.drained();
    if (this.owned && !this.error) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', resolve);
        this.stream.once('error', () => resolve());
        this.stream.end();
      });
    }
    if (this.error) throw this.error;
  }
}
