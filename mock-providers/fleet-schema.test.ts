import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StormlabError } from '../core/errors.js';
import { builtInFleets, loadFleet, resolveFleetFile } from './fleet-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-fleet-'));
function fleetFile(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const model = (name: string, output = '1.6') => `
      - name: ${name}
        price: { input: 0.4, output: ${output} }
        ttftMs: { dist: constant, value: 100 }
        itlMs: { dist: constant, value: 10 }
        outputTokens: { dist: constant, value: 20 }`;

function loadError(file: string): StormlabError {
  try {
    loadFleet(file);
  } catch (e) {
    if (e instanceof StormlabError) return e;
    throw e;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('fleet config', () => {
  it('the default fleet keeps the endpoints the gateway routes to, and adds three more providers', () => {
    const file = resolveFleetFile('default');
    expect(file).toMatch(/mock-providers[\\/]fleets[\\/]default\.yaml$/);
    expect(builtInFleets()).toContain('default');
    const fleet = loadFleet(file);
    expect(fleet.host).toBe('127.0.0.1');
    const ids = fleet.providers.flatMap((p) => p.regions.map((r) => `${p.name}/${r.name}`));
    expect(ids.slice(0, 4)).toEqual(['openai/us-east', 'openai/eu-west', 'azure/eastus', 'azure/westeurope']);
    expect(fleet.providers.map((p) => `${p.name}:${p.format}`)).toEqual(['openai:openai', 'azure:openai', 'anthropic:anthropic', 'google:gemini', 'deepseek:openai']);
    for (const p of fleet.providers.slice(0, 2)) {
      expect(p.models.map((m) => m.name)).toEqual(['gpt-4.1-nano', 'gpt-4.1-mini', 'gpt-4.1']);
      expect(p.models.map((m) => m.price)).toEqual([
        { input: 0.1, cachedInput: 0.025, output: 0.4 },
        { input: 0.4, cachedInput: 0.1, output: 1.6 },
        { input: 2, cachedInput: 0.5, output: 8 },
      ]);
    }
    expect(fleet.providers[0]!.regions[0]).toEqual({ name: 'us-east', latencyMultiplier: 1 });
    // a cheap, a mid and a frontier tier everywhere, priced for input, cached input and output
    for (const p of fleet.providers) {
      expect(p.models).toHaveLength(3);
      for (const m of p.models) expect(m.price.cachedInput).toBeLessThan(m.price.input);
      const outputs = p.models.map((m) => m.price.output);
      expect([...outputs].sort((a, b) => a - b)).toEqual(outputs);
    }
    expect(fleet.providers.find((p) => p.name === 'deepseek')!.models[0]!.price.output).toBe(0.42);
    expect(fleet.providers[0]!.embeddings.map((m) => m.name)).toEqual(['text-embedding-3-small', 'text-embedding-3-large']);
    expect(fleet.providers[0]!.models[1]!.capacity).toEqual({ concurrency: 96, maxConcurrency: 192, itlSlowdown: 1, maxQueue: 1024 });
  });

  it('treats anything that is not a bare name as a path', () => {
    expect(resolveFleetFile('./fleets/x.yaml')).toBe('./fleets/x.yaml');
    expect(resolveFleetFile('/tmp/f.yml')).toBe('/tmp/f.yml');
  });

  it('a wrong type deep in the tree names the file and the field path', () => {
    const file = fleetFile('deep.yaml', `providers:\n  - name: openai\n    format: openai\n    regions: [us-east]\n    models:${model('a')}${model('b', 'cheap')}\n`);
    const e = loadError(file);
    expect(e.code).toBe('SL_CONFIG_INVALID');
    expect(e.message).toContain(file);
    expect(e.details).toContainEqual(expect.objectContaining({ file, path: 'providers[0].models[1].price.output', expected: 'number' }));
  });

  it('an unknown key is refused by name (typos do not pass silently)', () => {
    const file = fleetFile('typo.yaml', `providers:\n  - name: openai\n    format: openai\n    regions:\n      - { name: eu-west, latencyMultipler: 1.2 }\n    models:${model('a')}\n`);
    const e = loadError(file);
    expect(e.code).toBe('SL_CONFIG_INVALID');
    expect(e.details).toContainEqual(expect.objectContaining({ file, path: 'providers[0].regions[0].latencyMultipler', expected: 'no such field (unknown key)' }));
  });

  it('a duplicate endpoint id is refused, naming both places', () => {
    const p = (regions: string) => `  - name: openai\n    format: openai\n    regions: ${regions}\n    models:${model('a')}\n`;
    const file = fleetFile('dup.yaml', `providers:\n${p('[us-east]')}${p('[eu-west, us-east]')}`);
    const e = loadError(file);
    expect(e.code).toBe('SL_CONFIG_INVALID');
    const d = e.details.find((x) => x.path === 'providers[1].regions[1]');
    expect(d?.file).toBe(file);
    expect(d?.expected).toContain('"openai/us-east" is already declared at providers[0].regions[0]');
  });

  it('an unknown wire format lists the known ones', () => {
    const file = fleetFile('format.yaml', `providers:\n  - name: x\n    format: cohere\n    regions: [r]\n    models:${model('a')}\n`);
    expect(loadError(file).details).toContainEqual(expect.objectContaining({ path: 'providers[0].format', expected: 'one of "openai", "anthropic", "gemini"' }));
  });

  it('embeddings on a format without an embeddings route are refused', () => {
    const file = fleetFile('emb.yaml', `providers:\n  - name: x\n    format: anthropic\n    regions: [r]\n    models:${model('a')}\n    embeddings: [{ name: e, price: { input: 0.1 } }]\n`);
    expect(loadError(file).details).toContainEqual(expect.objectContaining({ file, path: 'providers[0].embeddings', expected: expect.stringContaining('only openai and gemini') }));
  });

  it('a prompt cache with a bad TTL, or a context window that is not a positive integer, is refused by path', () => {
    const head = `providers:\n  - name: x\n    format: openai\n    regions: [r]\n`;
    const cache = fleetFile('cache.yaml', `${head}    promptCache: { ttl: soon }\n    models:${model('a')}\n`);
    expect(loadError(cache).details).toContainEqual(expect.objectContaining({ file: cache, path: 'providers[0].promptCache.ttl' }));
    const window = fleetFile('window.yaml', `${head}    models:${model('a')}\n        contextWindow: 0\n`);
    expect(loadError(window).details).toContainEqual(expect.objectContaining({ file: window, path: 'providers[0].models[0].contextWindow' }));
    const off = fleetFile('cache-off.yaml', `${head}    promptCache: false\n    models:${model('a')}\n        rateLimits: { itpm: 1000, otpm: 100 }\n`);
    expect(loadFleet(off).providers[0]).toMatchObject({ promptCache: false, models: [{ contextWindow: 128_000, rateLimits: { itpm: 1000, otpm: 100 } }] });
  });

  it('a capacity whose maxConcurrency is below its knee is refused', () => {
    const file = fleetFile('cap.yaml', `providers:\n  - name: x\n    format: openai\n    regions: [r]\n    models:${model('a')}\n        capacity: { concurrency: 8, maxConcurrency: 4 }\n`);
    expect(loadError(file).details).toContainEqual(expect.objectContaining({ file, path: 'providers[0].models[0].capacity.maxConcurrency', expected: '>= concurrency (8)' }));
  });

  it('a chaos timeline in the fleet is checked: fault params and durations, then scope names', () => {
    const head = `providers:\n  - name: openai\n    format: openai\n    regions: [us-east]\n    models:${model('a')}\nchaos:\n`;
    const file = fleetFile('chaos.yaml', `${head}  - { at: 5s, for: 10s, fault: http-error, params: { statuses: [200] } }\n  - { at: soon, fault: latency }\n`);
    const e = loadError(file);
    expect(e.message).toContain(file);
    expect(e.details).toContainEqual(expect.objectContaining({ file, path: 'chaos[0].params.statuses[0]', expected: '>= 400' }));
    expect(e.details).toContainEqual(expect.objectContaining({ file, path: 'chaos[1].at', expected: 'a duration such as 500ms, 20s or 1m30s' }));
    const names = fleetFile('chaos-names.yaml', `${head}  - { at: 1s, fault: latency, scope: { provider: opneai } }\n`);
    expect(loadError(names).details).toContainEqual(expect.objectContaining({ file: names, path: 'chaos[0].scope.provider', expected: 'one of openai (not "opneai")' }));
  });

  it('a fleet file that does not exist is a clear error', () => {
    expect(loadError(join(dir, 'nope.yaml')).code).toBe('SL_CONFIG_NOT_FOUND');
  });
});
