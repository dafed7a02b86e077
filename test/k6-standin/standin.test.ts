/**
 * The k6 stand-in catches what it is there to catch: a bundle that imports a module k6 does not
 * have, a name a k6 module does not export, Node's globals, metrics declared outside the init
 * context. Hand-written k6 scripts, run for a moment with no server needed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arrivalStarts, runStandin } from './standin.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-standin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = `export const options = { scenarios: { s: {
  executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '1s',
  preAllocatedVUs: 1, maxVUs: 1, gracefulStop: '2s' } } };`;

let n = 0;
const file = () => join(dir, `script-${n}.js`);
function run(script: string) {
  const file = join(dir, `script-${++n}.js`);
  writeFileSync(file, `${script}\n${OPTIONS}\n`);
  return runStandin({ bundle: file, out: `${file}.ndjson`, env: { X: 'y' }, durationMs: 1000, graceMs: 2000 });
}

describe('the k6 stand-in', () => {
  it('runs a plain k6 script: __ENV, exec, metrics with the VU metadata, sleep', async () => {
    const r = await run(`
      import exec from 'k6/execution';
      import { sleep } from 'k6';
      import { Counter } from 'k6/metrics';
      const c = new Counter('things');
      export default function () {
        exec.vu.metrics.metadata.request_id = 'r' + exec.scenario.iterationInTest;
        c.add(1, { env: __ENV.X });
        sleep(0.01);
      }`);
    expect(r.errors).toEqual([]);
    expect(r.imports.sort()).toEqual(['k6', 'k6/execution', 'k6/metrics']);
    expect(r.iterations).toBe(4);
    const lines = readFileSync(`${file()}.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const declared = { name: 'things', type: 'counter', contains: 'default', thresholds: [], submetrics: null };
    expect(lines[0]).toEqual({ type: 'Metric', data: declared, metric: 'things' });
    const things = lines.filter((l) => l.type === 'Point' && l.metric === 'things').map((l) => l.data as Record<string, unknown>);
    expect(things.map((d) => d.metadata)).toEqual([0, 1, 2, 3].map((i) => ({ request_id: `r${i}` })));
    expect(things.map((d) => d.tags)).toEqual(Array(4).fill({ group: '', scenario: 's', env: 'y' }));
  }, 30_000);

  it('refuses a module k6 does not have, naming it', async () => {
    const script = `import ws from 'k6/ws';\nexport default function () { ws.connect(); }`;
    await expect(run(script)).rejects.toThrow(/no module "k6\/ws"/);
  }, 30_000);

  it('refuses a name a k6 module does not export', async () => {
    const script = `import { fetchAll } from 'k6/http';\nexport default function () { fetchAll(); }`;
    await expect(run(script)).rejects.toThrow(/fetchAll/);
  }, 30_000);

  it("has none of Node's globals: a bundle using them fails its iterations", async () => {
    const r = await run(`export default function () { if (process.env.X) throw new Error('unreachable'); }`);
    expect(r.errors.length).toBe(4);
    expect(r.errors[0]).toMatch(/process is not defined/);
  }, 30_000);

  it('allows metrics only in the init context, and exec.scenario only in an iteration', async () => {
    const late = await run(`import { Trend } from 'k6/metrics';\nexport default function () { new Trend('late'); }`);
    expect(late.errors[0]).toMatch(/init context/);
    const early = `import exec from 'k6/execution';\nconst s = exec.scenario.name;\nexport default function () {}`;
    await expect(run(early)).rejects.toThrow(/outside of the VU context/);
  }, 30_000);

  it('plans arrival-rate starts as k6 does: evenly at a constant rate, denser as a ramp rises', () => {
    const constant = { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '2s' };
    expect(arrivalStarts(constant, 10_000)).toEqual([0, 500, 1000, 1500]);
    const rising = { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', stages: [{ duration: '2s', target: 10 }] };
    const ramp = arrivalStarts(rising, 10_000);
    expect(ramp.length).toBe(10); // ∫ 0→10/s over 2 s
    expect(ramp[1]! - ramp[0]!).toBeGreaterThan(ramp.at(-1)! - ramp.at(-2)!);
  });
});
