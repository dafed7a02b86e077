import { describe, expect, it } from 'vitest';
import { arrivalOffsets, concurrencyLimit, expectedIterations, peakRatePerSecond, totalDurationMs } from './schedule.js';
import type { Arrival } from './spec-schema.js';

const constant = (rate: number, duration: number, timeUnit = 1000): Arrival => ({
  executor: 'constant-arrival-rate',
  rate,
  duration,
  timeUnit,
  maxInFlight: 10,
  poisson: false,
});
const ramping = (startRate: number, stages: Array<[number, number]>, timeUnit = 1000): Arrival => ({
  executor: 'ramping-arrival-rate',
  startRate,
  stages: stages.map(([duration, target]) => ({ duration, target })),
  timeUnit,
  maxInFlight: 10,
  poisson: false,
});

describe('constant-arrival-rate', () => {
  it('10/s for 3 s starts exactly 30 iterations, 100 ms apart from 0', () => {
    const a = constant(10, 3000);
    const offs = [...arrivalOffsets(a)];
    expect(offs).toHaveLength(30);
    offs.forEach((o, k) => expect(o).toBeCloseTo(k * 100, 9));
    expect(expectedIterations(a)).toBe(30);
    expect(totalDurationMs(a)).toBe(3000);
  });

  it('honours timeUnit and fractional rates', () => {
    const a = constant(30, 2000, 60_000); // 30 per minute = one every 2 s
    expect([...arrivalOffsets(a)]).toEqual([0]);
    const b = constant(0.5, 5000); // one every 2 s: 0, 2000, 4000
    expect([...arrivalOffsets(b)]).toEqual([0, 2000, 4000]);
    expect(expectedIterations(b)).toBe(3);
    expect(peakRatePerSecond(a)).toBeCloseTo(0.5);
  });
});

describe('ramping-arrival-rate', () => {
  it('0→10/s over 2 s then 10/s for 1 s starts 20 iterations with the ramp density', () => {
    const a = ramping(0, [
      [2000, 10],
      [1000, 10],
    ]);
    const offs = [...arrivalOffsets(a)];
    expect(offs).toHaveLength(20);
    expect(expectedIterations(a)).toBe(20);
    expect(totalDurationMs(a)).toBe(3000);
    // the ramp's integral is 10 iterations (k = 1..10 at t = sqrt(400·k) ms·s), the flat part 10 more
    for (let k = 1; k <= 10; k++) expect(offs[k - 1]).toBeCloseTo(Math.sqrt(0.4 * k) * 1000, 6);
    for (let k = 11; k <= 20; k++) expect(offs[k - 1]).toBeCloseTo(2000 + (k - 10) * 100, 6);
    expect(offs.filter((o) => o < 1000)).toHaveLength(2); // 2.5 in the first second
    expect(offs.filter((o) => o >= 1000 && o <= 2000 + 1e-6)).toHaveLength(8); // area 2.5 → 10, the 10th at 2 s
    // non-decreasing, within the schedule
    for (let k = 1; k < offs.length; k++) expect(offs[k]!).toBeGreaterThanOrEqual(offs[k - 1]!);
    expect(offs.at(-1)).toBeCloseTo(3000, 6);
  });

  it('ramps down, holds, jumps and skips zero-rate stages like k6', () => {
    const a = ramping(10, [
      [1000, 0], // area 5
      [1000, 0], // nothing
      [0, 20], // instant jump: area 0
      [500, 20], // area 10
    ]);
    const offs = [...arrivalOffsets(a)];
    expect(offs).toHaveLength(15);
    expect(expectedIterations(a)).toBe(15);
    expect(offs.slice(0, 5).every((o) => o <= 1000 + 1e-6)).toBe(true); // the 5th exactly at 1 s
    expect(offs.slice(5).every((o) => o > 2000 && o <= 2500 + 1e-6)).toBe(true);
    expect(peakRatePerSecond(a)).toBe(20);
  });

  it('expectedIterations matches the generator on awkward numbers', () => {
    const a = ramping(3, [
      [1700, 7],
      [2300, 13],
      [900, 1],
    ], 700);
    expect([...arrivalOffsets(a)]).toHaveLength(expectedIterations(a));
  });
});

describe('poisson arrivals', () => {
  const poisson = (a: Arrival): Arrival => ({ ...a, poisson: true }) as Arrival;

  it('are seeded: the same seed gives the same starts, another seed others', () => {
    const a = poisson(constant(50, 10_000));
    const x = [...arrivalOffsets(a, 7)];
    expect([...arrivalOffsets(a, 7)]).toEqual(x);
    expect([...arrivalOffsets(a, 8)]).not.toEqual(x);
    expect(expectedIterations(a, 7)).toBe(x.length);
  });

  it('have the mean rate and exponential gaps (coefficient of variation ≈ 1)', () => {
    const a = poisson(constant(100, 100_000)); // 10,000 expected
    const offs = [...arrivalOffsets(a, 3)];
    expect(offs.length).toBeGreaterThan(9700);
    expect(offs.length).toBeLessThan(10_300);
    expect(offs.every((o, i) => o >= 0 && o < 100_000 && (i === 0 || o >= offs[i - 1]!))).toBe(true);
    const gaps = offs.slice(1).map((o, i) => o - offs[i]!);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(10, 0);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
    // an even schedule has no spread at all
    const even = [...arrivalOffsets(constant(100, 1000))];
    expect(new Set(even.slice(1).map((o, i) => Math.round((o - even[i]!) * 1e6))).size).toBe(1);
  });

  it('follow a ramping rate (non-homogeneous): density in each stage as planned', () => {
    const a = poisson(ramping(0, [[20_000, 100], [20_000, 100]])); // area 1000 + 2000
    const offs = [...arrivalOffsets(a, 5)];
    expect(offs.length).toBeGreaterThan(2850);
    expect(offs.length).toBeLessThan(3150);
    const firstHalfOfRamp = offs.filter((o) => o < 10_000).length; // area 250
    expect(firstHalfOfRamp).toBeGreaterThan(200);
    expect(firstHalfOfRamp).toBeLessThan(300);
    expect(offs.at(-1)!).toBeLessThanOrEqual(40_000);
  });
});

describe('constant-vus (closed model)', () => {
  it('has no arrival schedule; its duration and concurrency are known', () => {
    const a: Arrival = { executor: 'constant-vus', vus: 4, duration: 5000 };
    expect(() => [...arrivalOffsets(a)]).toThrow(/closed model/);
    expect(() => expectedIterations(a)).toThrow(/closed model/);
    expect(totalDurationMs(a)).toBe(5000);
    expect(concurrencyLimit(a)).toBe(4);
    expect(concurrencyLimit(constant(1, 1000))).toBe(10);
  });
});
