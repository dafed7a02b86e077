/**
 * The built-in strategy configs (gateway/configs/strategies/) fit the default fleet and the
 * built-in specs: each loads, keeps the lab's key, routes every model a built-in spec asks for,
 * only to models its upstream's provider serves in the default fleet (at the fleet's price), and
 * a cascade only over OpenAI-format upstreams (the ones that return log-probabilities).
 */
import { describe, expect, it } from 'vitest';
import {
  builtInStrategyConfigs,
  loadGatewayConfig,
  resolveGatewayConfigFile,
  STRATEGY_CONFIGS_DIR,
} from '../gateway/index.js';
import { loadFleet, resolveFleetFile } from '../mock-providers/index.js';
import { listSpecs, loadSpec } from '../scenarios/load-spec.js';

const fleet = loadFleet(resolveFleetFile('default'));
const served = new Map(fleet.providers.flatMap((p) => p.models.map((m) => [`${p.name}/${m.name}`, m.price] as const)));
const specModels = new Set(listSpecs().flatMap((s) => loadSpec(s).spec.workload.classes.map((c) => c.model)));

describe('built-in strategy configs', () => {
  const names = builtInStrategyConfigs();

  it('cover at least five strategies, cheap-only and frontier-only anchors among them', () => {
    const strategies = new Set(
      names.flatMap((n) => {
        const cfg = loadGatewayConfig(resolveGatewayConfigFile(`strategies/${n}`));
        return cfg.routes.map((r) => r.strategy.type);
      }),
    );
    expect(strategies.size).toBeGreaterThanOrEqual(5);
    expect(names).toEqual(expect.arrayContaining(['priority', 'least-cost', 'cascade', 'cheap-only', 'frontier-only']));
  });

  it.each(builtInStrategyConfigs())('%s fits the default fleet and the built-in specs', (name) => {
    const file = resolveGatewayConfigFile(`strategies/${name}`);
    expect(file.startsWith(STRATEGY_CONFIGS_DIR)).toBe(true);
    const cfg = loadGatewayConfig(file);
    expect((cfg.keys ?? []).map((k) => k.key)).toContain('sk-stormlab-lab');
    expect(cfg.routes.map((r) => r.model)).toEqual(expect.arrayContaining([...specModels]));
    const upstreams = new Map(cfg.upstreams.map((u) => [u.id, u]));
    for (const route of cfg.routes) {
      for (const t of route.targets) {
        const u = upstreams.get(t.upstream)!;
        const price = served.get(`${u.provider}/${t.model}`);
        expect(price, `${route.model} → ${t.upstream} ${t.model}`).toBeDefined();
        expect(cfg.prices[t.model]?.output, `${t.model}: the fleet's price`).toBe(price!.output);
        if (route.strategy.type === 'cascade') expect(u.format, `${t.upstream} in a cascade`).toBe('openai');
      }
    }
  });

  it('a bare name that is only a strategy config is not a top-level one; the error lists strategies/<name>', () => {
    expect(() => resolveGatewayConfigFile('least-cost')).toThrow(/no gateway config named "least-cost"/);
    try {
      resolveGatewayConfigFile('least-cost');
    } catch (e) {
      expect(JSON.stringify((e as { details: unknown }).details)).toContain('strategies/least-cost');
    }
  });
});
