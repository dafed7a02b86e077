import { describe, expect, it } from 'vitest';
import { childTraceparent, traceFrom } from './trace.js';

describe('trace context', () => {
  it('starts a trace with fresh, well-formed ids, never repeating across many requests', () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    // several refills of the random pool (24 bytes of ids a request, 4 KiB a refill)
    for (let i = 0; i < 2000; i++) {
      const t = traceFrom(undefined);
      expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
      const child = childTraceparent(t);
      expect(child).toMatch(new RegExp(`^00-${t.traceId}-[0-9a-f]{16}-01$`));
      traces.add(t.traceId);
      spans.add(t.spanId).add(child.slice(36, 52));
    }
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(4000);
  });

  it("continues the client's traceparent and rejects all-zero ids", () => {
    const t = traceFrom('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(t.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(t.parentId).toBe('b7ad6b7169203331');
    expect(t.spanId).not.toBe(t.parentId);
    expect(traceFrom(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`).parentId).toBeUndefined();
  });
});
