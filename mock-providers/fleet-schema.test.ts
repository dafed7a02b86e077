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
  it('the default fleet: openai and azure in two regions each, three models, defaults filled in', () => {
    const file = resolveFleetFile('default');
    expect(file).toMatch(/mock-providers[\\/]fleets[\\/]default\.yaml$/);
    expect(builtInFleets()).toContain('default');
    const fleet = loadFleet(file);
    expect(fleet.host).toBe('127.0.0.1');
    const ids = fleet.providers.flatMap((p) => p.regions.map((r) => `${p.name}/${r.name}`));
    expect(ids).toEqual(['openai/us-east', 'openai/eu-west', 'azure/eastus', 'azure/westeurope']);
    for (const p of fleet.providers) {
      expect(p.models.map((m) => m.name)).toEqual(['gpt-4.1-nano', 'gpt-4.1-mini', 'gpt-4.1']);
    }
    expect(fleet.providers[0]!.regions[0]).toEqual({ name: 'us-east', latencyMultiplier: 1 });
    expect(fleet.providers[0]!.models[1]!.price).toEqual({ input: 0.4, cachedInput: 0.1, output: 1.6 });
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
    expect(loadError(file).details).toContainEqual(expect.objectContaining({ path: 'providers[0].format', expected: 'one of "openai"' }));
  });

  it('a fleet file that does not exist is a clear error', () => {
    expect(loadError(join(dir, 'nope.yaml')).code).toBe('SL_CONFIG_NOT_FOUND');
  });
});
