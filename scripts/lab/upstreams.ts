import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlText, validate } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';

/** Either `stormlab mocks --json` output (an array of endpoints) or a plain `{ "<id>": "<url>" }` map. */
const UpstreamsSchema = z.union([
  z.array(z.looseObject({ id: z.string(), url: z.url() })),
  z.record(z.string(), z.url()),
]);

export function upstreamUrlsFrom(endpoints: ReadonlyArray<{ id: string; url: string }>): Record<string, string> {
  return Object.fromEntries(endpoints.map((e) => [e.id, e.url]));
}

/** Read `--upstreams`: inline JSON or a file path. */
export function readUpstreams(arg: string): Record<string, string> {
  const inline = arg.trim().startsWith('{') || arg.trim().startsWith('[');
  let text = arg;
  if (!inline) {
    try {
      text = readFileSync(arg, 'utf8');
    } catch {
      throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read upstreams file ${arg}`, [
        { file: arg, expected: 'the JSON printed by `stormlab mocks --json`, or {"<upstream id>": "<url>"}' },
      ]);
    }
  }
  const source = inline ? '--upstreams' : arg;
  const value = validate(UpstreamsSchema, parseYamlText(text, source), source, 'upstreams');
  return Array.isArray(value) ? upstreamUrlsFrom(value) : value;
}
