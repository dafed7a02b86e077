import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StormlabError } from '../../core/errors.js';
import { readUpstreams } from './upstreams.js';

const endpoints = [
  { id: 'openai/us-east', provider: 'openai', url: 'http://127.0.0.1:4001', models: ['gpt-4.1'] },
  { id: 'azure/eastus', provider: 'azure', url: 'http://127.0.0.1:4002', models: ['gpt-4.1'] },
];
const want = { 'openai/us-east': 'http://127.0.0.1:4001', 'azure/eastus': 'http://127.0.0.1:4002' };

describe('--upstreams', () => {
  it('reads `stormlab mocks --json` output: the {control, endpoints} object', () => {
    expect(readUpstreams(JSON.stringify({ control: 'http://127.0.0.1:4000', endpoints }))).toEqual(want);
  });

  it('still reads the bare endpoint array and an {id: url} map, inline or from a file', () => {
    expect(readUpstreams(JSON.stringify(endpoints))).toEqual(want);
    expect(readUpstreams(JSON.stringify(want))).toEqual(want);
    const file = join(mkdtempSync(join(tmpdir(), 'stormlab-up-')), 'endpoints.json');
    writeFileSync(file, JSON.stringify({ control: 'http://127.0.0.1:4000', endpoints }));
    expect(readUpstreams(file)).toEqual(want);
  });

  it('a malformed value names the source', () => {
    const e = (() => {
      try {
        readUpstreams('{"openai/us-east": 42}');
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(StormlabError);
    expect((e as StormlabError).details[0]?.file).toBe('--upstreams');
  });
});
