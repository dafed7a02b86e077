import { GatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from '../config-schema.js';

export const TEST_MODEL = 'gpt-4.1-mini';
export const TEST_PRICE = { input: 0.4, cachedInput: 0.1, output: 1.6 };

/** A config routing TEST_MODEL over the given upstream ids in priority order (no urls: pass them at build). */
export function testConfig(ids: readonly string[], extra: Partial<Pick<GatewayConfigInput, 'retry' | 'timeouts'>> = {}): GatewayConfig {
  return GatewayConfigSchema.parse({
    listen: { host: '127.0.0.1', port: 0 },
    upstreams: ids.map((id) => {
      const [provider = id, region = 'r'] = id.split('/');
      return { id, provider, region };
    }),
    routes: [{ model: TEST_MODEL, targets: ids.map((upstream) => ({ upstream })) }],
    prices: { [TEST_MODEL]: TEST_PRICE },
    ...extra,
  });
}
