import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStormlabError, type StormlabError } from '../core/errors.js';
import { GatewayConfigSchema } from './config-schema.js';
import { builtInGatewayConfigs, loadGatewayConfig, resolveGatewayConfigFile } from './config-load.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-gw-config-'));
let n = 0;
function yamlFile(text: string): string {
  const file = join(dir, `gw-${n++}.yaml`);
  writeFileSync(file, text);
  return file;
}
function loadError(text: string): { file: string; error: StormlabError } {
  const file = yamlFile(text);
  try {
    loadGatewayConfig(file);
  } catch (e) {
    if (isStormlabError(e)) return { file, error: e };
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

const GOOD = `
upstreams:
  - { id: openai/us-east, provider: openai, region: us-east, url: "http://127.0.0.1:9001" }
  - { id: azure/eastus, provider: azure, region: eastus }
routes:
  - model: gpt-4.1-mini
    targets:
      - { upstream: openai/us-east }
      - { upstream: azure/eastus, model: gpt-4.1-nano, priority: 0.5 }
prices:
  gpt-4.1-mini: { input: 0.4, output: 1.6 }
  azure/gpt-4.1-nano: { input: 0.1, output: 0.4 }
`;

describe('gateway config', () => {
  it('loads the built-in default config by name', () => {
    expect(builtInGatewayConfigs()).toContain('default');
    const file = resolveGatewayConfigFile('default');
    expect(file).toMatch(/gateway[\\/]configs[\\/]default\.yaml$/);
    const cfg = loadGatewayConfig(file);
    expect(cfg.upstreams.map((u) => u.id)).toEqual(['openai/us-east', 'openai/eu-west', 'azure/eastus', 'azure/westeurope']);
    expect(cfg.upstreams.every((u) => u.url === undefined && u.connections === 128 && u.format === 'openai')).toBe(true);
    expect(cfg.routes.map((r) => r.model)).toEqual(['gpt-4.1-nano', 'gpt-4.1-mini', 'gpt-4.1']);
    expect(cfg.routes[2]?.targets).toEqual([
      { upstream: 'openai/us-east', model: 'gpt-4.1', priority: 1 },
      { upstream: 'openai/eu-west', model: 'gpt-4.1', priority: 2 },
      { upstream: 'azure/eastus', model: 'gpt-4.1', priority: 3 },
      { upstream: 'azure/westeurope', model: 'gpt-4.1', priority: 4 },
    ]);
    expect(cfg.retry).toEqual({ maxAttempts: 4, on: ['connect', 'timeout', '5xx', '429'] });
    expect(cfg.timeouts).toEqual({ connectMs: 2000, firstByteMs: 30000, totalMs: 120000 });
    expect(cfg.prices['gpt-4.1']).toEqual({ input: 2, cachedInput: 0.5, output: 8 });
  });

  it('fills defaults: target model from the route, priority from list order', () => {
    const cfg = loadGatewayConfig(yamlFile(GOOD));
    expect(cfg.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(cfg.routes[0]?.strategy).toBe('priority');
    expect(cfg.routes[0]?.targets).toEqual([
      { upstream: 'openai/us-east', model: 'gpt-4.1-mini', priority: 1 },
      { upstream: 'azure/eastus', model: 'gpt-4.1-nano', priority: 0.5 },
    ]);
  });

  it('names the file and the path of a target that points at an unknown upstream', () => {
    const { file, error } = loadError(GOOD.replace('{ upstream: azure/eastus, model', '{ upstream: azure/nowhere, model'));
    expect(error.code).toBe('SL_CONFIG_INVALID');
    expect(error.details[0]).toMatchObject({ file, path: 'routes[0].targets[1].upstream' });
    expect(error.details[0]?.expected).toContain('"openai/us-east", "azure/eastus"');
    expect(error.message).toContain(file);
  });

  it('names a field with the wrong type, and an unknown key', () => {
    const wrongType = loadError(GOOD.replace('region: us-east,', 'region: us-east, connections: many,'));
    expect(wrongType.error.details[0]).toMatchObject({ file: wrongType.file, path: 'upstreams[0].connections', expected: 'number' });
    const unknownKey = loadError(GOOD.replace('region: eastus }', 'region: eastus, colour: blue }'));
    expect(unknownKey.error.details[0]).toMatchObject({ file: unknownKey.file, path: 'upstreams[1].colour', expected: 'no such field (unknown key)' });
    const badEnum = loadError(`${GOOD}retry: { on: [connect, 404] }\n`);
    expect(badEnum.error.details[0]?.path).toBe('retry.on[1]');
  });

  it('rejects duplicate upstream ids and a route model with no price', () => {
    const dup = loadError(GOOD.replace('id: azure/eastus', 'id: openai/us-east'));
    expect(dup.error.details.map((d) => d.path)).toContain('upstreams[1].id');
    const noPrice = loadError(GOOD.replace('gpt-4.1-mini: { input', 'gpt-4.1-maxi: { input'));
    expect(noPrice.error.details[0]).toMatchObject({ path: 'routes[0].model' });
    expect(noPrice.error.details[0]?.expected).toContain('gpt-4.1-mini');
    const noTargetPrice = loadError(GOOD.replace('azure/gpt-4.1-nano', 'openai/gpt-4.1-nano'));
    expect(noTargetPrice.error.details[0]?.path).toBe('routes[0].targets[1].model');
  });

  it('accepts a provider-specific price instead of the plain model price', () => {
    const r = GatewayConfigSchema.safeParse({
      upstreams: [{ id: 'a', provider: 'azure', region: 'x' }],
      routes: [{ model: 'm', targets: [{ upstream: 'a' }] }],
      prices: { 'azure/m': { input: 1, output: 2 } },
    });
    expect(r.success).toBe(true);
  });

  it('reports an unknown config name with the names that exist', () => {
    try {
      resolveGatewayConfigFile('nope');
      expect.unreachable();
    } catch (e) {
      expect(isStormlabError(e) && e.code).toBe('SL_CONFIG_NOT_FOUND');
      expect(isStormlabError(e) && e.details[0]?.expected).toContain('default');
    }
    expect(resolveGatewayConfigFile('./somewhere/gw.yaml')).toBe('./somewhere/gw.yaml');
  });
});
