import { describe, expect, it } from 'vitest';
import type { CacheEntry } from './entry.js';
import { fitsCap, scopeLabel } from './response-cache.js';
import { SemanticStore } from './semantic-store.js';
import { BruteForceIndex } from './vector-index.js';

function entry(over: { finish?: string; used?: number; maxTokens?: number; expiresAt?: number; id?: string } = {}): CacheEntry {
  return {
    id: over.id ?? 'e1',
    sourceRequestId: 'r1',
    completion: {
      id: 'c',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: over.finish ?? 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: over.used ?? 20, total_tokens: 25 },
    },
    target: { key: 'u:m', upstream: 'u', provider: 'p', region: 'a', zone: 'z' },
    costUsd: 0.001,
    maxTokens: over.maxTokens,
    storedAt: 0,
    expiresAt: over.expiresAt ?? 1000,
  };
}

describe('output cap', () => {
  it('serves an answer that stopped on its own to any cap it fits under', () => {
    const e = entry({ finish: 'stop', used: 20, maxTokens: 100 });
    expect(fitsCap(e, undefined)).toBe(true);
    expect(fitsCap(e, 20)).toBe(true);
    expect(fitsCap(e, 300)).toBe(true);
    expect(fitsCap(e, 19)).toBe(false);
  });

  it('serves an answer cut at its cap only to that cap', () => {
    const e = entry({ finish: 'length', used: 50, maxTokens: 50 });
    expect(fitsCap(e, 50)).toBe(true);
    expect(fitsCap(e, 80)).toBe(false);
    expect(fitsCap(e, 40)).toBe(false);
  });
});

describe('scope labels', () => {
  it('keys an entry by region, zone or nothing', () => {
    const u = { region: 'eu-west', zone: 'eu' };
    expect(scopeLabel('region', u)).toBe('region:eu-west');
    expect(scopeLabel('zone', u)).toBe('zone:eu');
    expect(scopeLabel('global', u)).toBe('global');
  });
});

describe('semantic store', () => {
  const opts = { m: 8, efConstruction: 32, efSearch: 16, maxEntries: 2 };
  const v = (...xs: number[]) => Float32Array.from(xs);

  it('finds the nearest entry over the threshold, in its partition only', () => {
    const s = new SemanticStore(opts, (d) => new BruteForceIndex(d));
    s.add('p', v(1, 0, 0), entry({ id: 'x' }));
    s.add('p', v(0, 1, 0), entry({ id: 'y' }));
    expect(s.find('p', v(0.99, 0.1, 0), 0.9, 0, () => true)?.entry.id).toBe('x');
    expect(s.find('p', v(0.7, 0.7, 0), 0.9, 0, () => true)).toBeUndefined();
    expect(s.find('q', v(1, 0, 0), 0.9, 0, () => true)).toBeUndefined();
  });

  it('drops an expired entry when it is matched, and evicts the oldest when a partition is full', () => {
    const s = new SemanticStore(opts, (d) => new BruteForceIndex(d));
    s.add('p', v(1, 0, 0), entry({ id: 'old', expiresAt: 10 }));
    expect(s.find('p', v(1, 0, 0), 0.9, 11, () => true)).toBeUndefined();
    expect(s.size).toBe(0);
    s.add('p', v(1, 0, 0), entry({ id: 'a' }));
    s.add('p', v(0, 1, 0), entry({ id: 'b' }));
    s.add('p', v(0, 0, 1), entry({ id: 'c' }));
    expect(s.size).toBe(2);
    expect(s.find('p', v(1, 0, 0), 0.9, 0, () => true)).toBeUndefined();
    expect(s.find('p', v(0, 0, 1), 0.9, 0, () => true)?.entry.id).toBe('c');
  });
});
