/** A zod failure on a request body → one MOCK_BAD_REQUEST naming the field and the expectation. */
import type { z } from 'zod';
import { zodToStormlab } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const details = zodToStormlab(r.error, 'request body', 'request').details.map(({ file: _file, ...d }) => d);
  const first = details[0];
  const what = first?.path === '(root)' ? 'the request body' : `'${first?.path ?? '(root)'}'`;
  if (first?.received === 'undefined') throw new StormlabError('MOCK_BAD_REQUEST', `Missing required parameter: ${what}.`, details);
  const received = first?.received ? `, received ${first.received}` : '';
  throw new StormlabError('MOCK_BAD_REQUEST', `Invalid value for ${what}: expected ${first?.expected ?? 'a valid value'}${received}.`, details);
}
