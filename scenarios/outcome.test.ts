import { describe, expect, it } from 'vitest';
import { outcomeSamples, type Outcome } from './outcome.js';

const base: Outcome = {
  tags: { scenario: 's', class: 'c', model: 'm', stream: 'false' },
  stream: false,
  promptTokens: 10,
  status: 200,
  textLength: 8,
  e2eMs: 50,
};
const value = (o: Outcome, metric: string): number[] => outcomeSamples(o, 'first-content-chunk').filter((s) => s.metric === metric).map((s) => s.value);

describe('outcomeSamples: policy metrics', () => {
  it('queue_ms: the wait the gateway reported (x-gateway-queue-ms), failures included; nothing when it said nothing', () => {
    expect(value({ ...base, who: { attempts: 1, queueMs: 1234 } }, 'queue_ms')).toEqual([1234]);
    expect(value({ ...base, status: 503, failure: 'http_5xx', who: { attempts: 0, queueMs: 30000 } }, 'queue_ms')).toEqual([30000]);
    expect(value({ ...base, who: { attempts: 1 } }, 'queue_ms')).toEqual([]);
    expect(value(base, 'queue_ms')).toEqual([]);
  });

  it('residency_violation: 1 when served outside the allowed regions, nothing when the region is unknown', () => {
    const o = { ...base, allowedRegions: ['eu-west', 'westeurope'] };
    expect(value({ ...o, who: { attempts: 1, region: 'westeurope' } }, 'residency_violation')).toEqual([0]);
    expect(value({ ...o, who: { attempts: 1, region: 'us-east' } }, 'residency_violation')).toEqual([1]);
    expect(value({ ...o, who: { attempts: 1 } }, 'residency_violation')).toEqual([]);
    expect(value({ ...base, who: { attempts: 1, region: 'us-east' } }, 'residency_violation')).toEqual([]);
  });

  it('cache_false_hit: on hits whose source intent is known, 1 when it differs', () => {
    const hit = { ...base, intent: 'cancel_order', who: { attempts: 1, cache: 'semantic', cacheSource: 's-3' } };
    expect(value({ ...hit, cacheSourceIntent: 'cancel_subscription' }, 'cache_false_hit')).toEqual([1]);
    expect(value({ ...hit, cacheSourceIntent: 'cancel_order' }, 'cache_false_hit')).toEqual([0]);
    expect(value(hit, 'cache_false_hit')).toEqual([]); // source unknown
    expect(value({ ...hit, who: { attempts: 1, cache: 'miss' }, cacheSourceIntent: 'x' }, 'cache_false_hit')).toEqual([]);
  });
});
