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
});
