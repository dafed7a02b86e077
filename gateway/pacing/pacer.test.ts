import { describe, expect, it } from 'vitest';
import { PacingThresholdsSchema } from '../config/pacing.js';
import { Pacer, type QueuedLevel, type Ticket } from './pacer.js';

const th = PacingThresholdsSchema.parse({});

describe('pacer: thresholds', () => {
  it('P1/P2 go direct until the queueing threshold; P0 goes on to the ceiling, then nothing more fits', () => {
    const p = new Pacer({ rpm: 600 }, th, 0);
    // the band above the sustained rate: (0.9 − 0.8) × 600 = 60 requests for queued levels …
    let direct = 0;
    while (p.tryNow(2, 0, 0)) direct++;
    expect(direct).toBe(60);
    expect(p.tryNow(1, 0, 0)).toBe(false);
    // … and (1.0 − 0.9) × 600 = 60 more for P0, never queued
    let p0 = 0;
    while (p.tryNow(0, 0, 0)) p0++;
    expect(p0).toBe(60);
    // the refill is the sustained rate, 0.8 × 600 / min = 8 per second, repaying P0's debt first:
    // a queued level needs the level back at 1, 61 requests' worth = 7.625 s
    expect(p.tryNow(2, 0, 7_600)).toBe(false);
    expect(p.tryNow(2, 0, 7_650)).toBe(true);
  });

  it('tokens per minute count prompt and output; a request larger than the band goes once the bucket is full', () => {
    const p = new Pacer({ tpm: 100_000 }, th, 0);
    expect(p.tryNow(1, 6_000, 0)).toBe(true);
    expect(p.tryNow(1, 6_000, 0)).toBe(false); // 4,000 of the 10,000-token band left
    expect(p.hasHeadroom(1, 4_000, 0)).toBe(true);
    const big = new Pacer({ tpm: 100_000 }, th, 0);
    expect(big.tryNow(2, 25_000, 0)).toBe(true); // larger than the band: sent from a full bucket, into debt
    expect(big.tryNow(2, 1, 1_000)).toBe(false);
  });
});

describe('pacer: the priority queue', () => {
  /** a pacer whose band is spent at t = 0: the next request fits after 1/8 s (rpm 600 → 8/s sustained) */
  function saturated(): Pacer {
    const p = new Pacer({ rpm: 600 }, th, 0);
    while (p.tryNow(2, 0, 0));
    return p;
  }
  const drain = (p: Pacer, until: number): Ticket[] => {
    const out: Ticket[] = [];
    for (let t = 0; t <= until; t += 10) out.push(...p.poll(t).admitted);
    return out;
  };

  it('P1 overtakes P2 queued before it; FIFO within a level', () => {
    const p = saturated();
    const name = new Map<Ticket, string>();
    const q = (level: QueuedLevel, id: string, at: number) => name.set(p.enqueue(level, 0, at), id);
    q(2, 'batch-1', 0);
    q(2, 'batch-2', 1);
    q(1, 'chat-1', 2);
    q(2, 'batch-3', 3);
    q(1, 'chat-2', 4);
    expect(p.depth(1)).toBe(2);
    expect(p.depth(2)).toBe(3);
    const order = drain(p, 1_000).map((t) => name.get(t));
    expect(order).toEqual(['chat-1', 'chat-2', 'batch-1', 'batch-2', 'batch-3']);
    expect(p.depth(1) + p.depth(2)).toBe(0);
  });

  it('admits at the sustained rate, and says when to poll again', () => {
    const p = saturated();
    for (let i = 0; i < 4; i++) p.enqueue(2, 0, 0);
    const first = p.poll(0);
    expect(first.admitted).toEqual([]);
    expect(first.wakeAt).toBeCloseTo(125, 5);
    expect(p.poll(125).admitted).toHaveLength(1);
    expect(p.poll(250).admitted).toHaveLength(1);
    expect(p.poll(500).admitted).toHaveLength(2);
    expect(p.poll(500).wakeAt).toBeUndefined();
  });

  it('a queued level waits while one as urgent waits; a more urgent one may go past a waiting lower level', () => {
    const p = new Pacer({ tpm: 100_000 }, th, 0);
    p.tryNow(2, 9_000, 0);
    p.enqueue(2, 5_000, 0); // does not fit the 1,000 tokens left
    expect(p.hasHeadroom(2, 500, 0)).toBe(false); // behind its own level's queue
    expect(p.hasHeadroom(1, 500, 0)).toBe(true); // P1 is not behind P2
  });

  it('a cancelled ticket leaves the queue and no longer holds those behind it', () => {
    const p = saturated();
    const a = p.enqueue(2, 0, 0);
    const b = p.enqueue(2, 0, 0);
    p.cancel(a);
    expect(p.depth(2)).toBe(1);
    const admitted = drain(p, 200);
    expect(admitted).toEqual([b]);
    expect(a.state).toBe('cancelled');
    expect(p.backlogMs(2, 200)).toBeLessThanOrEqual(125);
  });
});
