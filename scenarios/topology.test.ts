import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StormlabError } from '../core/errors.js';
import { loadSpec } from './load-spec.js';
import { SpecSchema, type Spec } from './spec-schema.js';
import { labRegionOf, nearestGateway, rttBetween } from './topology.js';
import { planRequest } from './workload.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-topology-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function specText(topology: string, regions: Array<string | undefined> = ['us-east', 'ap-southeast']): string {
  const list = regions
    .map((r, i) => {
      const where = r === undefined ? '' : `, clientRegion: ${r}`;
      const sizes = 'maxTokens: { dist: constant, value: 4 }, promptTokens: { dist: constant, value: 8 }';
      return `    - { name: c${i}, model: m, ${sizes}${where} }`;
    })
    .join('\n');
  const head = 'name: regions\narrival: { executor: constant-arrival-rate, rate: 2, duration: 2s }\n';
  return `${head}workload:\n  classes:\n${list}\n${topology}`;
}

function load(name: string, text: string): Spec {
  const f = join(dir, name);
  writeFileSync(f, text);
  return loadSpec(f).spec;
}

function failure(name: string, text: string): StormlabError {
  try {
    load(name, text);
  } catch (e) {
    if (e instanceof StormlabError) return e;
    throw e;
  }
  throw new Error('expected the spec to be refused');
}

describe('spec topology', () => {
  it('routes each client region to its nearest gateway over the default round trips and tags its requests', () => {
    const spec = load('ok.yaml', specText('topology: { gateways: [us-east, eu-west] }'));
    const t = spec.topology!;
    expect(rttBetween(t, 'us-east', 'eu-west')).toBe(80);
    expect(rttBetween(t, 'ap-southeast', 'us-east')).toBe(220);
    expect(rttBetween(t, 'eu-west', 'eu-west')).toBe(1);
    // ap-southeast: 160 ms to eu-west beats 220 ms to us-east
    expect(nearestGateway(t, 'ap-southeast')).toBe('eu-west');
    expect(labRegionOf(t, 'westeurope')).toBe('eu-west');
    expect(labRegionOf(t, 'nowhere-1')).toBeUndefined();
    const tags = [0, 1, 2, 3, 4, 5].map((i) => planRequest(spec, i).tags);
    expect(tags.find((x) => x.class === 'c1')).toMatchObject({ client_region: 'ap-southeast', gateway_region: 'eu-west' });
    expect(tags.find((x) => x.class === 'c0')).toMatchObject({ client_region: 'us-east', gateway_region: 'us-east' });
  });

  it('takes the spec matrix over the defaults, in either direction', () => {
    const topology = 'topology: { gateways: [us-east, eu-west], rttMs: { eu-west: { ap-southeast: 300 } } }';
    const spec = load('own.yaml', specText(topology));
    expect(rttBetween(spec.topology!, 'ap-southeast', 'eu-west')).toBe(300);
    expect(nearestGateway(spec.topology!, 'ap-southeast')).toBe('us-east');
  });

  it('names an unknown region in the matrix, with its path', () => {
    const e = failure('unknown.yaml', specText('topology: { gateways: [us-east], rttMs: { us-east: { mars-north: 900 } } }'));
    expect(e.code).toBe('SL_CONFIG_INVALID');
    expect(e.message).toContain('unknown.yaml');
    expect(e.details[0]).toMatchObject({ path: 'topology.rttMs.us-east.mars-north' });
    expect(e.details[0]?.expected).toMatch(/mars-north is not one of/);
  });

  it('refuses a negative round trip', () => {
    const e = failure('negative.yaml', specText('topology: { gateways: [us-east], rttMs: { us-east: { eu-west: -5 } } }'));
    expect(e.details[0]).toMatchObject({ path: 'topology.rttMs.us-east.eu-west' });
    expect(e.details[0]?.expected).toMatch(/>= 0|0 or more/);
  });

  it('refuses a client region without a gateway to route it to', () => {
    const none = failure('no-topology.yaml', specText(''));
    expect(none.details.map((d) => d.path)).toContain('workload.classes[0].clientRegion');
    expect(none.details[0]?.expected).toMatch(/topology/);
    const unlisted = failure('unlisted.yaml', specText('topology: { gateways: [us-east], clients: [us-east] }'));
    expect(unlisted.details[0]).toMatchObject({ path: 'workload.classes[1].clientRegion' });
    expect(unlisted.details[0]?.expected).toMatch(/one of topology.clients/);
    const far = failure('far.yaml', specText('topology: { gateways: [us-east], clients: [us-east, moon] }'));
    expect(far.details[0]).toMatchObject({ path: 'topology.clients[1]' });
    expect(far.details[0]?.expected).toMatch(/round-trip time to gateway region us-east/);
  });

  it('refuses asymmetric round trips and a topology in front of an external target', () => {
    const asym = 'topology: { gateways: [us-east], rttMs: { us-east: { eu-west: 80 }, eu-west: { us-east: 90 } } }';
    const e = failure('asym.yaml', specText(asym));
    expect(e.details[0]?.expected).toMatch(/same round trip both ways/);
    const ext = SpecSchema.safeParse({
      name: 'x',
      target: { url: 'http://127.0.0.1:1' },
      arrival: { executor: 'constant-arrival-rate', rate: 1, duration: '1s' },
      workload: {
        classes: [{ name: 'a', model: 'm', maxTokens: { dist: 'constant', value: 1 }, promptTokens: { dist: 'constant', value: 1 } }],
      },
      topology: { gateways: ['us-east'] },
    });
    expect(ext.success).toBe(false);
    expect(ext.error?.issues[0]?.path).toEqual(['topology']);
  });
});
