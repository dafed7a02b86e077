/**
 * Cost of one `order` call per strategy, over a route of 4 targets, against `priority` measured
 * in the same run.   npx tsx gateway/routing/bench/strategies.ts
 */
import { STRATEGY_NAMES, StrategyConfigSchema, createStrategy } from '../registry.js';
import { input, seeded, targets } from '../testing.js';

const route = targets(
  { upstream: 'a', weight: 40, group: 'cheap', region: 'us-east-1', zone: 'us', stats: { ttftEmaMs: 300 } },
  { upstream: 'b', weight: 30, group: 'frontier', region: 'eu-west-1', zone: 'eu', stats: { ttftEmaMs: 120 } },
  { upstream: 'c', weight: 20, group: 'cheap', region: 'eu-central-1', zone: 'eu', stats: { inFlight: 2 } },
  { upstream: 'd', weight: 10, group: 'frontier', region: 'ap-south-1', zone: 'ap', price: { input: 0.1 } },
);
const configs: Record<string, unknown> = {
  task: { type: 'task', features: { chat: 'cheap' } },
  tier: { type: 'tier', tiers: { free: 'cheap' } },
  complexity: { type: 'complexity', levels: { simple: 'cheap', complex: 'frontier' } },
};
const req = input({
  prompt: 'Compare Raft and Paxos for a small team building a replicated log.',
  feature: 'chat',
  clientRegion: 'eu-central-1',
  promptTokens: 800,
});

function nsPerOrder(name: string): number {
  const s = createStrategy(StrategyConfigSchema.parse(configs[name] ?? name), route, seeded(1));
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += s.order(req, route).length;
  const n = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += s.order(req, route).length;
  const ns = Number(process.hrtime.bigint() - start) / n;
  (globalThis as { benchSink?: number }).benchSink = sink; // keeps the loop from being optimised away
  return ns;
}

const base = nsPerOrder('priority');
console.log(`order() over ${route.length} targets, ns per call (× priority)`);
for (const name of STRATEGY_NAMES) {
  const ns = name === 'priority' ? base : nsPerOrder(name);
  console.log(`${name.padEnd(15)} ${ns.toFixed(0).padStart(6)} ns  ×${(ns / base).toFixed(1)}`);
}
