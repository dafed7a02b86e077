/**
 * Where NDJSON records go: appended to a file (buffered by the stream, flushed on close), handed
 * to a callback, or nowhere. The ledger and the chaos event log both write through one.
 */
import { createWriteStream, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { StormlabError } from '../core/errors.js';

export type SinkOption<T> = string | ((entry: T) => void);

export interface Sink<T> {
  write(entry: T): void;
  /** flush and close the file (no-op for callbacks); idempotent */
  close(): Promise<void>;
}

/** @param what names the file in errors ("ledger", "chaos log") */
export function createSink<T>(sink: SinkOption<T> | undefined, what: string): Sink<T> {
  if (sink === undefined) return { write() {}, close: async () => {} };
  if (typeof sink === 'function') return { write: sink, close: async () => {} };
  return fileSink<T>(sink, what);
}

function fileSink<T>(file: string, what: string): Sink<T> {
  let stream: WriteStream;
  try {
    mkdirSync(dirname(file), { recursive: true });
    stream = createWriteStream(file, { fd: openSync(file, 'a'), autoClose: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StormlabError('SL_USAGE', `cannot open the ${what} file ${file}${code ? ` (${code})` : ''}`, [
      { file, expected: 'a writable file path' },
    ]);
  }
  let failure: Error | undefined;
  stream.on('error', (e) => (failure ??= e));
  let closing: Promise<void> | undefined;
  return {
    write(entry) {
      if (!closing) stream.write(`${JSON.stringify(entry)}\n`);
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        stream.end(() => (failure ? reject(failure) : resolve()));
      });
      return closing;
    },
  };
}
