import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { GatewayConfigSchema, type GatewayConfig } from './schema.js';

/** The folder of built-in gateway configs (gateway/configs). */
export const GATEWAY_CONFIGS_DIR = fileURLToPath(new URL('../configs/', import.meta.url));

/** Names of the built-in configs (`default`, …). */
export function builtInGatewayConfigs(): string[] {
  return readdirSync(GATEWAY_CONFIGS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * A bare name such as `default` means gateway/configs/default.yaml; anything that looks like a
 * path (has a slash or a .yaml/.yml/.json extension), or names an existing file, is used as given.
 */
export function resolveGatewayConfigFile(nameOrPath: string): string {
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
  if (looksLikePath || existsSync(nameOrPath)) return nameOrPath;
  const file = fileURLToPath(new URL(`../configs/${nameOrPath}.yaml`, import.meta.url));
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
