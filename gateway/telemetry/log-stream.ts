/**
 * Where the gateway's log lines go: pino writes each line into a buffer, and the buffer goes out
 * in one write per 16 KiB or 100 ms — not one write per line. (pino's own destination, with
 * `minLength` 0, hands every line to libuv's thread pool as its own async fs.write: measured by
 * `npm run bench:controls -- --work`, that costs more than building the line.) The buffer is
 * written out synchronously when the gateway closes and when the process exits, so a clean close
 * loses no line; a line reaches the file at most 100 ms after it was logged.
 */
import { hostname } from 'node:os';
import type { FastifyServerOptions } from 'fastify';
import pino from 'pino';

/** Bytes (UTF-16 units) held before a write. */
const BATCH = 16_384;
/** Longest a line waits in the buffer, ms. */
const LINGER_MS = 100;

/** The part of a stream pino writes to. */
interface Sink {
  write(chunk: string): unknown;
  flushSync?(): void;
}

export class BatchedLog {
  private parts: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onExit = (): void => this.flush();

  constructor(private readonly out: Sink) {
    process.on('exit', this.onExit);
  }

  /** pino's stream interface: one serialised line. */
  write(line: string): boolean {
    if (this.closed) {
      // a line after the gateway closed goes out at once
      this.out.write(line);
      return true;
    }
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= BATCH) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), LINGER_MS);
      this.timer.unref();
    }
    return true;
  }

  /** Write what is buffered now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0) return;
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.out.write(text);
  }

  /** Write what is buffered and stop following the process's exit (the gateway closed). */
  close(): void {
    this.closed = true;
    this.flush();
    process.off('exit', this.onExit);
  }
}

/** A synchronous writer to a file descriptor or a file (appended), as pino's own destination makes it. */
function writerTo(dest: number | string): Sink {
  return pino.destination({ dest, sync: true });
}

/**
 * The destination itself, for lines the gateway serialises in pino's default format (level,
 * time, pid, hostname, fields, msg): pipeline/log-line.ts.
 */
export interface DirectLine {
  readonly pid: number;
  readonly hostname: string;
  /** one complete line, newline included */
  write(line: string): void;
}

export interface GatewayLog {
  /** fastify's `logger` option */
  readonly options: FastifyServerOptions['logger'];
  /** the destination, when the gateway owns it and pino's line format is the default one */
  readonly direct: DirectLine | undefined;
  /** write what is buffered (the gateway is closing) */
  close(): void;
}

type LoggerOption = FastifyServerOptions['logger'];

/**
 * The gateway's logger option with its lines batched: `true` (info to stdout), or pino options
 * writing to stdout or to `file`. Options that bring their own `stream` or `transport` are kept
 * as given (the caller decides how those lines are written); `false` logs nothing.
 */
export function gatewayLog(logger: LoggerOption | undefined): GatewayLog {
  if (!logger) return { options: false, direct: undefined, close: () => undefined };
  const given = logger === true ? {} : (logger as Record<string, unknown>);
  if (given.stream !== undefined || given.transport !== undefined) {
    return { options: logger, direct: undefined, close: () => undefined };
  }
  const { file, ...rest } = given as { file?: string };
  const log = new BatchedLog(writerTo(file ?? 1));
  const options = { level: 'info', ...rest, stream: log } as LoggerOption;
  // any option but the level may change what pino writes (base, formatters, redact, …): then pino writes every line
  const plain = Object.keys(rest).every((k) => k === 'level');
  const direct = plain ? { pid: process.pid, hostname: hostname(), write: (line: string) => void log.write(line) } : undefined;
  return { options, direct, close: () => log.close() };
}
