import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { GatewayConfigSchema, type GatewayConfig } from './schema.js';

/** The folder of built-in gateway configs (gateway/configs). */
export const GATEWAY_CONFIGS_DIR = fileURLToPath(new URL('../configs/', import.meta.url));

/** The strategy comparison's built-in configs (gateway/configs/strategies), one per routing strategy. */
export const STRATEGY_CONFIGS_DIR = join(GATEWAY_CONFIGS_DIR, 'strategies');

const yamlNames = (dir: string, prefix = ''): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `${prefix}${f.slice(0, -'.yaml'.length)}`)
        .sort()
    : [];

/** Names of the built-in configs (`default`, …, then `strategies/priority`, …). */
export function builtInGatewayConfigs(): string[] {
  return [...yamlNames(GATEWAY_CONFIGS_DIR), ...yamlNames(STRATEGY_CONFIGS_DIR, 'strategies/')];
}

/** Names of the built-in strategy configs (`priority`, `least-cost`, …). */
export function builtInStrategyConfigs(): string[] {
  return yamlNames(STRATEGY_CONFIGS_DIR);
}

/**
 * A bare name such as `default` means gateway/configs/default.yaml, and `strategies/least-cost`
 * gateway/configs/strategies/least-cost.yaml (unless a file of that relative path exists); anything
 * else that looks like a path (has a slash or a .yaml/.yml/.json extension), or names an existing
 * file, is used as given.
 */
export function resolveGatewayConfigFile(nameOrPath: string): string {
  const strategy = /^strategies\/([\w.-]+)$/.exec(nameOrPath);
  if (strategy && !existsSync(nameOrPath)) {
    const file = join(STRATEGY_CONFIGS_DIR, `${strategy[1]}.yaml`);
    if (existsSync(file)) return file;
  }
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
  if (looksLikePath || existsSync(nameOrPath)) return nameOrPath;
  const file = join(GATEWAY_CONFIGS_DIR, `${nameOrPath}.yaml`);
  if (existsSync(file)) return file;
  const names = builtInGatewayConfigs();
  throw new StormlabError('SL_CONFIG_NOT_FOUND', `no gateway config named "${nameOrPath}"`, [
    { file: nameOrPath, expected: `a built-in config (${names.join(', ')}) or a path to a YAML file` },
  ]);
}

/** Read and validate a gateway config file; errors name the file and every bad field path. */
export function loadGatewayConfig(file: string): GatewayConfig {
  return loadConfigFile(GatewayConfigSchema, file, 'gateway config');
}
