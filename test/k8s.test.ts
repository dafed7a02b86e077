/**
 * `stormlab k8s`: the manifests it writes, parsed back from YAML and held to the fields
 * k6-operator's TestRun documents (scripts/k8s/k6-operator-schema.ts), the bundle in the
 * ConfigMap byte for byte `stormlab bundle`'s, and bad input refused with exit 2.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunMetaSchema } from '../reports/run-meta.js';
import { applyOverrides, loadSpec, SPECS_DIR } from '../scenarios/load-spec.js';
import { plannedOf } from '../scripts/lab/run-record.js';
import {
  CONFIGMAP_MAX_BYTES,
  ConfigMapSchema,
  PersistentVolumeClaimSchema,
  PodSchema,
  TestRunSchema,
  type TestRun,
} from '../scripts/k8s/k6-operator-schema.js';
import { cli, cliProcess, type CliResult } from './helpers/cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'stormlab-k8s-'));
const yamlFile = (dir: string, name: string): unknown => parse(readFileSync(join(dir, name), 'utf8'));

describe('stormlab k8s baseline --parallelism 3', () => {
  let dir: string;
  let r: CliResult;
  let testRun: TestRun;

  beforeAll(async () => {
    dir = tmp();
    r = await cli(
      'k8s', 'baseline', '--parallelism', '3', '--target', 'http://gateway.lab:8080/', '--namespace', 'load-tests',
      '--image', 'grafana/k6:0.57.0', '--out', dir,
    );
    testRun = TestRunSchema.parse(yamlFile(dir, 'testrun.yaml'));
  });

  it('writes a TestRun with the fields k6-operator documents', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(testRun.apiVersion).toBe('k6.io/v1alpha1');
    expect(testRun.kind).toBe('TestRun');
    expect(testRun.metadata).toMatchObject({ name: 'stormlab-baseline', namespace: 'load-tests' });
    expect(testRun.spec.parallelism).toBe(3);
    expect(testRun.spec.script).toEqual({ configMap: { name: 'stormlab-baseline-bundle', file: 'baseline.js' } });
    expect(testRun.spec.runner?.image).toBe('grafana/k6:0.57.0');
    expect(testRun.spec.runner?.resources?.requests).toBeDefined();
  });

  it('each runner writes its --out json samples, named after its pod, on the claim it mounts', () => {
    const args = testRun.spec.arguments ?? '';
    expect(args).toContain('--out json=/results/$(STORMLAB_RUNNER).ndjson.gz');
    expect(args).toMatch(/-e STORMLAB_TARGET=http:\/\/gateway\.lab:8080( |$)/); // the trailing "/" goes
    expect(args).not.toMatch(/--execution-segment/); // k6-operator segments the runners itself
    const runner = testRun.spec.runner!;
    expect(runner.env).toContainEqual({ name: 'STORMLAB_RUNNER', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    const headers = runner.env?.find((e) => e.name === 'STORMLAB_HEADERS')?.value;
    expect(JSON.parse(headers ?? '{}')).toEqual({ authorization: 'Bearer sk-stormlab-lab' });
    expect(runner.volumeMounts).toEqual([{ name: 'samples', mountPath: '/results' }]);
    const pvc = PersistentVolumeClaimSchema.parse(yamlFile(dir, 'pvc.yaml'));
    expect(runner.volumes).toEqual([{ name: 'samples', persistentVolumeClaim: { claimName: pvc.metadata.name } }]);
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(pvc.metadata.namespace).toBe('load-tests');
    const collector = PodSchema.parse(yamlFile(dir, 'collector.yaml'));
    expect(collector.spec.volumes?.[0]?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
    expect(collector.spec.containers[0]?.volumeMounts?.[0]?.mountPath).toBe('/results');
  });

  it('the ConfigMap holds the bundle byte for byte as `stormlab bundle` writes it (from any directory)', async () => {
    const cm = ConfigMapSchema.parse(yamlFile(dir, 'configmap.yaml'));
    expect(cm.metadata).toMatchObject({ name: testRun.spec.script.configMap?.name, namespace: 'load-tests' });
    const elsewhere = tmp();
    const b = await cliProcess(['bundle', 'baseline', '--out-dir', join(elsewhere, 'dist')], { cwd: elsewhere, timeoutMs: 30_000 });
    expect(b.code, b.stderr).toBe(0);
    const bundle = readFileSync(join(elsewhere, 'dist', 'baseline.js'));
    expect(Buffer.from(cm.data['baseline.js'] ?? '', 'utf8').equals(bundle)).toBe(true);
    expect(Object.keys(cm.data)).toEqual(['baseline.js']);
  });

  it('writes run.json for the merged report: the spec, the k6 driver, the whole plan and the thresholds', () => {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    const spec = loadSpec('baseline').spec;
    expect(run).toMatchObject({ spec: 'baseline', driver: 'k6', ttftDefinition: 'first-byte', target: 'http://gateway.lab:8080' });
    expect(run.planned).toEqual(plannedOf(spec));
    expect(run.thresholds).toEqual(spec.thresholds);
    expect(RunMetaSchema.safeParse(run).success).toBe(true);
  });

  it('prints the round trip: apply (server-side for the ConfigMap), wait, collect, merge', () => {
    expect(r.stdout).toContain(`kubectl apply --server-side -f`);
    expect(r.stdout).toMatch(/kubectl apply -f \S*testrun\.yaml/);
    expect(r.stdout).toContain('kubectl wait -n load-tests testrun/stormlab-baseline');
    expect(r.stdout).toMatch(/kubectl cp load-tests\/stormlab-baseline-collector:\/results \S*results/);
    expect(r.stdout).toMatch(/stormlab report \S*results\/stormlab-baseline-\*\.ndjson\.gz --run \S*run\.json --out \S*report/);
  });
});

describe('the TestRun schema holds manifests to what k6-operator accepts', () => {
  const good = (): TestRun => ({
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: 'a' },
    spec: { parallelism: 2, script: { configMap: { name: 'a-bundle', file: 'a.js' } }, arguments: '--out json=/r/x.json' },
  });

  it('refuses parallelism 0, an unknown field, --out=…, and a script with no source', () => {
    expect(TestRunSchema.safeParse(good()).success).toBe(true);
    const bad = (patch: (t: Record<string, any>) => void): boolean => {
      const t = structuredClone(good()) as Record<string, any>;
      patch(t);
      return TestRunSchema.safeParse(t).success;
    };
    expect(bad((t) => (t.spec.parallelism = 0))).toBe(false);
    expect(bad((t) => (t.spec.paralelism = 2))).toBe(false);
    expect(bad((t) => (t.spec.arguments = '--out=json=/r/x.json'))).toBe(false);
    expect(bad((t) => (t.spec.script = {}))).toBe(false);
    expect(bad((t) => (t.apiVersion = 'k6.io/v1'))).toBe(false);
    expect(bad((t) => (t.metadata.name = 'Not_A_Name'))).toBe(false);
  });

  it('refuses a ConfigMap over 1 MiB', () => {
    const cm = (n: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { 'a.js': 'x'.repeat(n) } });
    expect(ConfigMapSchema.safeParse(cm(CONFIGMAP_MAX_BYTES - 4)).success).toBe(true);
    expect(ConfigMapSchema.safeParse(cm(CONFIGMAP_MAX_BYTES)).success).toBe(false);
  });
});

describe('stormlab k8s: other specs and options', () => {
  it('a spec with a url target needs no --target; its name becomes a valid Kubernetes name; --claim reuses a claim', async () => {
    const dir = tmp();
    const spec = readFileSync(join(SPECS_DIR, 'baseline.yaml'), 'utf8')
      .replace('name: baseline', 'name: edge_case.v2_')
      .replace(/target:\n {2}gateway: default\n {2}fleet: default\n/, 'target:\n  url: https://gw.example.com/api\n');
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const r = await cli('k8s', join(dir, 'spec.yaml'), '--parallelism', '1', '--claim', 'shared-results', '--out', join(dir, 'out'));
    expect(r.code, r.stderr).toBe(0);
    const t = TestRunSchema.parse(yamlFile(join(dir, 'out'), 'testrun.yaml'));
    expect(t.metadata.name).toBe('stormlab-edge-case-v2');
    expect(t.metadata.labels?.['stormlab/spec']).toBe('edge_case.v2');
    expect(t.metadata.namespace).toBeUndefined();
    expect(t.spec.arguments).toContain('-e STORMLAB_TARGET=https://gw.example.com/api');
    expect(t.spec.runner?.env?.some((e) => e.name === 'STORMLAB_HEADERS')).toBe(false);
    expect(t.spec.runner?.volumes?.[0]?.persistentVolumeClaim?.claimName).toBe('shared-results');
    expect(t.spec.script.configMap?.file).toBe('edge_case.v2_.js');
    expect(existsSync(join(dir, 'out', 'pvc.yaml'))).toBe(false);
    expect(r.stdout).not.toContain('pvc.yaml');
  });

  it('--duration, --rate and --seed shape the spec in the bundle and the plan, as for stormlab run', async () => {
    const dir = tmp();
    const r = await cli('k8s', 'baseline', '--parallelism', '2', '--target', 'http://gw', '--rate', '4', '--duration', '10s', '--seed', '7', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    const spec = applyOverrides(loadSpec('baseline').spec, { rate: 4, durationMs: 10_000, seed: 7 });
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { planned: unknown; seed: number };
    expect(run.planned).toEqual(plannedOf(spec));
    expect(run.seed).toBe(7);
    const cm = ConfigMapSchema.parse(yamlFile(dir, 'configmap.yaml'));
    expect(cm.data['baseline.js']).toContain('"seed": 7');
  });

  it('a bundle over the 1 MiB a ConfigMap holds is a clear error naming its size (exit 2)', async () => {
    const dir = tmp();
    const spec = readFileSync(join(SPECS_DIR, 'baseline.yaml'), 'utf8').replace(
      /^description: .*$/m,
      `description: "${'a long description '.repeat(60_000)}"`,
    );
    writeFileSync(join(dir, 'big.yaml'), spec);
    const r = await cli('k8s', join(dir, 'big.yaml'), '--parallelism', '2', '--target', 'http://gw:8080', '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_K8S_BUNDLE_TOO_LARGE');
    expect(r.stderr).toMatch(/is \d{7} bytes, more than a ConfigMap holds \(1048576\)/);
    expect(r.stderr).toContain('baseline.js');
    expect(existsSync(join(dir, 'out', 'testrun.yaml'))).toBe(false);
  });

  it.each([
    [['--parallelism', '0', '--target', 'http://gw'], '--parallelism must be a whole number of runners'],
    [['--target', 'http://gw'], '--parallelism N is required'],
    [['--parallelism', '2'], 'say where the runners reach yours with --target'],
    [['--parallelism', '2', '--target', 'http://gw', '--namespace', 'Load_Tests'], '--namespace is not a valid Kubernetes name'],
    [['--parallelism', '2', '--target', 'http://gw', '--namespace', `n${'x'.repeat(63)}`], 'RFC 1123 label'],
    [['--parallelism', '2', '--target', 'gw:8080'], '--target must be an http(s) URL'],
    [['--parallelism', '2', '--target', 'http://gw', '--sse'], '--sse needs --image'],
    [['--parallelism', '2', '--target', 'http://gw', '--claim', 'c', '--storage', '5Gi'], '--claim names an existing claim'],
  ])('refuses %j with exit 2 and says what is wrong', async (args, message) => {
    const r = await cli('k8s', 'baseline', ...args, '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_USAGE');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  });

  it('stormlab report --run goes with --out, and names a run.json it cannot read (exit 2)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.ndjson'), '');
    const alone = await cli('report', join(dir, 'a.ndjson'), '--run', join(dir, 'run.json'));
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--run goes with --out');
    const missing = await cli('report', join(dir, 'a.ndjson'), '--run', join(dir, 'run.json'), '--out', join(dir, 'r'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('SL_CONFIG_NOT_FOUND');
    expect(missing.stderr).toContain('run.json');
  });

  it('an unknown spec names the built-in ones (exit 2)', async () => {
    const r = await cli('k8s', 'no-such-spec', '--parallelism', '2', '--target', 'http://gw');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_SPEC_UNKNOWN');
    expect(r.stderr).toContain('baseline');
  });
});
