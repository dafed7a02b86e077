/** The relay's delays, measured on real sockets: run alone (timing project) so no other test competes for the cores. */
import { describe, expect, it } from 'vitest';
import { listen, open, ping, relayTo } from './latency-relay.fixture.js';

function median(xs: number[]): number {
  return [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
}

describe('latency relay timing', () => {
  // every sample must be at least the injected delay; the upper checks take the median or the
  // minimum, since a busy machine adds its own scheduling delay to single samples
  it('delays both directions: a round trip takes twice the one-way delay, a new connection one more', async () => {
    const echo = await listen((s) => s.on('data', (d) => s.write(d)));
    const plain = await relayTo(echo.port, 40);
    const s = await open(plain.listeners[0]!.port);
    const rtts: number[] = [];
    for (let i = 0; i < 7; i++) rtts.push(await ping(s));
    for (const rtt of rtts) expect(rtt).toBeGreaterThanOrEqual(79);
    expect(median(rtts)).toBeLessThan(80 + 20);

    const shaking = await relayTo(echo.port, 40, true);
    const firsts: number[] = [];
    const plainFirsts: number[] = [];
    for (let i = 0; i < 3; i++) {
      firsts.push(await ping(await open(shaking.listeners[0]!.port)));
      plainFirsts.push(await ping(await open(plain.listeners[0]!.port)));
    }
    for (const first of firsts) expect(first).toBeGreaterThanOrEqual(159);
    expect(Math.min(...firsts)).toBeLessThan(160 + 20);
    expect(Math.min(...plainFirsts)).toBeLessThan(80 + 20);
  });
});
