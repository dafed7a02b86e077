import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlText, validate } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';

const Endpoints = z.array(z.looseObject({ id: z.string(), url: z.url() }));

/**
 * `stormlab mocks --json` output (`{ "control": URL, "endpoints": [...] }`, or the bare endpoint
 * array older versions printed) or a plain `{ "<id>": "<url>" }` map.
 */
const UpstreamsSchema = z.union([Endpoints, z.looseObject({ endpoints: Endpoints }), z.record(z.string(), z.url())]);

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
  if (Array.isArray(value)) return upstreamUrlsFrom(value);
  if (isMocksObject(value)) return upstreamUrlsFrom(value.endpoints);
  return value;
}

function isMocksObject(v: unknown): v is { endpoints: Array<{ id: string; url: string }> } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { endpoints?: unknown }).endpoints);
}
