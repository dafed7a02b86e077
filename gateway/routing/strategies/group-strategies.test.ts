/** task, tier and complexity share the group mapping (groups.ts); each is tested through its own key. */
import { describe, expect, it } from 'vitest';
import { checkStrategy, StrategyConfigSchema } from '../registry.js';
import { ids, input, make, principal, targets, view } from '../testing.js';

const route = targets(
  { upstream: 'frontier-a', group: 'frontier' },
  { upstream: 'cheap-a', group: 'cheap' },
  { upstream: 'code-a', group: 'code' },
  { upstream: 'cheap-b', group: 'cheap', priority: 0 },
);

describe('task strategy', () => {
  const config = { type: 'task', features: { summarize: 'cheap', codegen: 'code' }, default: 'frontier' };

  it('sends a feature to its group first (by priority), the other groups following', () => {
    const s = make(config, route);
    const summarize = ids(s.order(input({ feature: 'summarize' }), route));
    expect(summarize).toEqual(['cheap-b', 'cheap-a', 'frontier-a', 'code-a']);
    expect(ids(s.order(input({ feature: 'codegen' }), route))).toEqual(['code-a', 'cheap-b', 'frontier-a', 'cheap-a']);
  });

  it('sends unmapped and absent features to the default group', () => {
    const s = make(config, route);
    expect(ids(s.order(input({ feature: 'chat' }), route))[0]).toBe('frontier-a');
    expect(ids(s.order(input(), route))[0]).toBe('frontier-a');
    // no default: no preference, priority order
    expect(ids(make({ type: 'task', features: { summarize: 'cheap' } }, route).order(input(), route))).toEqual([
      'cheap-b',
      'frontier-a',
      'cheap-a',
      'code-a',
    ]);
  });

  it('with strict, tries only the mapped group — nothing when its targets are all down', () => {
    const s = make({ ...config, strict: true }, route);
    expect(ids(s.order(input({ feature: 'summarize' }), route))).toEqual(['cheap-b', 'cheap-a']);
    expect(s.order(input({ feature: 'codegen' }), route.filter((t) => t.group !== 'code'))).toEqual([]);
  });

  it('reports a mapping naming a group no target has, at its path', () => {
    const bad = StrategyConfigSchema.parse({ type: 'task', features: { summarize: 'cheapest' }, default: 'gold' });
    expect(checkStrategy(bad, route.map(view))).toEqual([
      {
        path: ['strategy', 'features', 'summarize'],
        message: expect.stringMatching(/'cheapest'.*groups: frontier, cheap, code/),
      },
      { path: ['strategy', 'default'], message: expect.stringMatching(/'gold'/) },
    ]);
    expect(checkStrategy(StrategyConfigSchema.parse(config), route.map(view))).toEqual([]);
  });
});

describe('tier strategy', () => {
  const config = { type: 'tier', tiers: { free: 'cheap', premium: 'frontier' } };

  it('sends free keys to cheap models and premium keys to frontier models, by the key’s tier', () => {
    const s = make(config, route);
    const premium = { ...principal, tier: 'premium' };
    expect(ids(s.order(input(), route)).slice(0, 2)).toEqual(['cheap-b', 'cheap-a']);
    expect(ids(s.order(input({ principal: premium }), route))[0]).toBe('frontier-a');
    // the request's feature plays no part
    expect(ids(s.order(input({ principal: premium, feature: 'free' }), route))[0]).toBe('frontier-a');
  });

  it('with strict, a free key never reaches a frontier model', () => {
    const s = make({ ...config, strict: true }, route);
    expect(ids(s.order(input(), route))).toEqual(['cheap-b', 'cheap-a']);
  });

  it('reports an unknown group at its path', () => {
    const bad = StrategyConfigSchema.parse({ type: 'tier', tiers: { free: 'cheap', gold: 'platinum' } });
    expect(checkStrategy(bad, route.map(view))).toEqual([
      { path: ['strategy', 'tiers', 'gold'], message: expect.stringMatching(/'platinum'/) },
    ]);
  });
});

describe('complexity strategy', () => {
  const config = { type: 'complexity', levels: { simple: 'cheap', complex: 'frontier' } };

  it('sends simple prompts to the cheap group and complex ones to the frontier group', () => {
    const s = make(config, route);
    expect(ids(s.order(input({ prompt: 'Translate "good night" into French.' }), route))[0]).toBe('cheap-b');
    const proof = input({ prompt: 'Prove that there are infinitely many primes.' });
    expect(ids(s.order(proof, route))[0]).toBe('frontier-a');
  });

  it('reads the last user message, not the system prompt', () => {
    const s = make({ ...config, strict: true }, route);
    const request = {
      model: 'gpt',
      messages: [
        { role: 'system' as const, content: 'You design and debug distributed systems; analyze trade-offs carefully.' },
        { role: 'user' as const, content: [{ type: 'text', text: 'What is the capital of Peru?' }] },
      ],
    };
    expect(ids(s.order(input({ request }), route))).toEqual(['cheap-b', 'cheap-a']);
  });

  it('rejects an unknown level and reports an unknown group', () => {
    const r = StrategyConfigSchema.safeParse({ type: 'complexity', levels: { medium: 'cheap' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['medium'], path: ['levels'] });
    const bad = StrategyConfigSchema.parse({ type: 'complexity', levels: { complex: 'huge' } });
    expect(checkStrategy(bad, route.map(view))).toEqual([
      { path: ['strategy', 'levels', 'complex'], message: expect.stringMatching(/'huge'/) },
    ]);
  });
});
