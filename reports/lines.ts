/**
 * Line sources for ingest: a file read as a stream (never loaded whole) or any async iterable
 * of lines. The one place that opens input files, so compressed input can be added here.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { StormlabError } from '../core/errors.js';

export type LineSource = string | AsyncIterable<string> | Iterable<string>;

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

/** The lines of a file, streamed (CRLF tolerated). */
export async function* fileLines(path: string, what = 'NDJSON'): AsyncGenerator<string> {
  await assertReadableFile(path, what);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    stream.destroy();
  }
}

export function linesOf(source: LineSource, what?: string): AsyncIterable<string> | Iterable<string> {
  return typeof source === 'string' ? fileLines(source, what) : source;
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
