import { describe, expect, it } from 'vitest';
import { checkStrategy, StrategyConfigSchema } from '../registry.js';
import { ids, input, make, seeded, targets, view } from '../testing.js';

describe('weighted strategy', () => {
  const route = targets({ upstream: 'primary', weight: 70 }, { upstream: 'secondary', weight: 30 });

  it('splits first picks 70/30 over 10,000 requests (±2 points), the other as fallback', () => {
    const s = make('weighted', route, seeded(7));
    let primary = 0;
    const orders = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const order = ids(s.order(input(), route));
      orders.add(order.join(','));
      if (order[0] === 'primary') primary++;
    }
    expect([...orders].sort()).toEqual(['primary,secondary', 'secondary,primary']);
    expect(primary / 10_000).toBeGreaterThan(0.68);
    expect(primary / 10_000).toBeLessThan(0.72);
  });

  it('after the first pick, the rest follow heaviest first', () => {
    const three = targets({ upstream: 'a', weight: 10 }, { upstream: 'b', weight: 60 }, { upstream: 'c', weight: 30 });
    const s = make('weighted', three, { random: () => 0.05 }); // lands in a's band
    expect(ids(s.order(input(), three))).toEqual(['a', 'b', 'c']);
  });

  it('picks among the candidates left in proportion to their weights', () => {
    const three = targets({ upstream: 'a', weight: 50 }, { upstream: 'b', weight: 25 }, { upstream: 'c', weight: 25 });
    const s = make('weighted', three, seeded(3));
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (s.order(input(), [three[1]!, three[2]!])[0] === three[1]) b++;
    expect(b / 10_000).toBeGreaterThan(0.48);
    expect(b / 10_000).toBeLessThan(0.52);
  });

  it('reports weights that do not sum to 100, naming the targets', () => {
    const bad = targets({ upstream: 'a', weight: 70 }, { upstream: 'b', weight: 20 });
    const issues = checkStrategy(StrategyConfigSchema.parse('weighted'), bad.map(view));
    const message = expect.stringMatching(/sum to 100, got 90 \(a 70, b 20\)/);
    expect(issues).toEqual([{ path: ['targets'], message }]);
    expect(checkStrategy(StrategyConfigSchema.parse('weighted'), route.map(view))).toEqual([]);
  });

  it('reports a target without a weight at its path', () => {
    const views = [
      { upstream: 'a', model: 'm', weight: 100, group: undefined },
      { upstream: 'b', model: 'm', weight: undefined, group: undefined },
    ];
    expect(checkStrategy(StrategyConfigSchema.parse('weighted'), views)).toEqual([
      { path: ['targets', 1, 'weight'], message: expect.stringMatching(/needs a weight/) },
    ]);
  });
});
