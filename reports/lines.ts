/**
 * Line sources for ingest: a file read as a stream (never loaded whole, gzip or plain) or any
 * (async) iterable of lines. The one place that opens input files.
 *
 * Files are split into lines by hand and handed out in batches: an async generator that yields
 * one line at a time costs a promise per line, which is most of the time of a fast ingest.
 */
import { createReadStream, existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { ZodType } from 'zod';
import { StormlabError } from '../core/errors.js';

export type LineSource = string | AsyncIterable<string> | Iterable<string>;

/** Problems with the input as a whole (a truncated gzip stream): reported, never fatal. */
export type StreamProblem = (reason: string) => void;

/** Fail early, with a clear error, when a file cannot be read as a stream of lines. */
export async function assertReadableFile(path: string, what: string): Promise<void> {
  let isFile = false;
  try {
    isFile = (await stat(path)).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read ${path}${code ? ` (${code})` : ''}`, [
      { file: path, expected: `a readable ${what} file` },
    ]);
  }
  if (!isFile) {
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `${path} is not a file`, [{ file: path, expected: `a readable ${what} file` }]);
  }
}

/** gzip by its magic bytes (1f 8b), whatever the file is called. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

const CHUNK = 1 << 20;

/**
 * The lines of a file in batches, streamed; gzip is decompressed on the fly. CRLF is tolerated;
 * a last line without a newline is still a line. A corrupt or truncated gzip stream ends the
 * input at the last whole line and is passed to `problem`.
 */
export async function* fileLineBatches(path: string, what = 'NDJSON', problem?: StreamProblem): AsyncGenerator<string[]> {
  await assertReadableFile(path, what);
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  const gzip = await isGzipFile(path);
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  if (gzip) raw.on('error', (e) => stream.destroy(e));
  stream.setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest === '' ? chunk : rest + chunk;
      const batch: string[] = [];
      let start = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
        batch.push(text.slice(start, end));
        start = i + 1;
      }
      rest = text.slice(start);
      if (batch.length > 0) yield batch;
    }
  } catch (e) {
    if (!gzip) throw e;
    // a cut-off .gz (a runner killed mid-write): keep what was read; the partial line is dropped
    problem?.(`gzip stream ended early (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); input after the last whole line was lost`);
    rest = '';
  } finally {
    raw.destroy();
    if (stream !== raw) stream.destroy();
  }
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** The lines of a file, one at a time (for small files: ledger, chaos log). */
export async function* fileLines(path: string, what = 'NDJSON', problem?: StreamProblem): AsyncGenerator<string> {
  for await (const batch of fileLineBatches(path, what, problem)) yield* batch;
}

/**
 * Each record of an NDJSON file that `schema` accepts, in order, handed to `each`; blank lines,
 * lines that are not JSON and records the schema rejects are skipped; a missing file has none.
 * (A callback, not a generator: no promise per line.)
 */
export async function eachNdjsonRecord<T>(
  path: string,
  what: string,
  schema: ZodType<T>,
  each: (record: T) => void,
): Promise<void> {
  if (!existsSync(path)) return;
  for await (const batch of fileLineBatches(path, what)) {
    for (const text of batch) {
      if (text.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        continue;
      }
      const r = schema.safeParse(v);
      if (r.success) each(r.data);
    }
  }
}

/** Any line source as batches of lines. */
export async function* lineBatchesOf(source: LineSource, what?: string, problem?: StreamProblem): AsyncGenerator<string[]> {
  if (typeof source === 'string') {
    yield* fileLineBatches(source, what, problem);
    return;
  }
  let batch: string[] = [];
  for await (const line of source) {
    batch.push(line);
    if (batch.length >= 4096) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function linesOf(source: LineSource, what?: string, problem?: StreamProblem): AsyncIterable<string> | Iterable<string> {
  return typeof source === 'string' ? fileLines(source, what, problem) : source;
}

/** Kept samples of bad lines, for the report: the first few, with their line numbers. */
export interface BadLines {
  count: number;
  samples: Array<{ line: number; reason: string }>;
}

export function noteBadLine(bad: BadLines, line: number, reason: string, keep: number): void {
  bad.count++;
  if (bad.samples.length < keep) bad.samples.push({ line, reason });
}
