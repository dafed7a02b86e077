import { describe, expect, it } from 'vitest';
import { childTraceparent, traceFrom } from './trace.js';

describe('W3C trace context', () => {
  it("continues the client's trace, with a span of its own for each attempt", () => {
    const t = traceFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(t.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(t.parentId).toBe('00f067aa0ba902b7');
    const child = childTraceparent(t);
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child).not.toContain('00f067aa0ba902b7');
  });

  it('starts a new trace when the header is missing, malformed or all zeros', () => {
    for (const h of [undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '01-abc-def-01']) {
      const t = traceFrom(h);
      expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(t.traceId).not.toBe('0'.repeat(32));
      expect(t.parentId).toBeUndefined();
    }
  });

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
