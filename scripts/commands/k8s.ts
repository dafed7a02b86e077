import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { StormlabError } from '../../core/errors.js';
import { bundleSpec } from '../../scenarios/bundle.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import type { Command } from '../args.js';
import {
  CONFIGMAP_MAX_BYTES,
  ConfigMapSchema,
  configMapBytes,
  PersistentVolumeClaimSchema,
  PodSchema,
  TestRunSchema,
} from '../k8s/k6-operator-schema.js';
import { DEFAULT_IMAGE, kubectlCommands, renderManifests, samplesClaimName, type K8sPlan } from '../k8s/manifests.js';
import { NAME_MAX, readK8sOptions, runnersTarget } from '../k8s/options.js';
import { plannedOf } from '../lab/run-record.js';
import { writeJson } from '../lab/run-dir.js';

/** `stormlab-<spec>` made a DNS label: spec names may hold "." and "_". */
function defaultName(spec: string): string {
  return `stormlab-${spec}`.replace(/[^a-z0-9-]+/g, '-').slice(0, NAME_MAX).replace(/-+$/, '');
}

function tooLarge(spec: string, file: string, bytes: number): StormlabError {
  return new StormlabError(
    'SL_K8S_BUNDLE_TOO_LARGE',
    `the bundle of spec ${spec} is ${bytes} bytes, more than a ConfigMap holds (${CONFIGMAP_MAX_BYTES}); it is ` +
      'written, so you can serve it to k6-operator from a volumeClaim or a runner image (spec.script.volumeClaim or localFile)',
    [{ file, expected: `at most ${CONFIGMAP_MAX_BYTES} bytes with its key`, received: `${bytes} bytes` }],
  );
}

/** YAML that parses back to exactly `value` (the bundle must stay byte-identical). */
function yamlOf(value: unknown): string {
  const text = stringify(value, { lineWidth: 0 });
  if (JSON.stringify(parse(text)) !== JSON.stringify(value)) {
    throw new Error('the YAML writer changed a manifest on the way out');
  }
  return text;
}

export const k8sCommand: Command = {
  name: 'k8s',
  summary: 'write a k6-operator TestRun (and the ConfigMap holding the bundle) to run a spec on Kubernetes',
  help: `
Usage: stormlab k8s <spec> --parallelism N [--target URL] [--header "K: V"]... [--namespace NS]
                    [--image IMAGE] [--name NAME] [--claim PVC | --storage-class SC --storage SIZE]
                    [--duration D] [--rate N] [--seed N] [--sse] [--out DIR]

Writes, and applies nothing: the spec's k6 bundle (byte for byte what \`stormlab bundle\`
writes, without overrides), a ConfigMap holding it, a PersistentVolumeClaim for the samples, a
k6-operator TestRun with N runners (k6-operator gives each its own execution segment) that each
write their \`--out json\` samples to the claim as <pod>.ndjson.gz, a collector Pod to copy them
out, and run.json (the spec, the plan and the thresholds, for \`stormlab report --run\`). Then
prints the kubectl commands of the round trip: apply, wait, collect, and merge with
\`stormlab report\`. See docs/scale.md.

Arguments:
  <spec>                a built-in spec name (see scenarios/specs/) or a path to a spec YAML

Options:
  --parallelism N       how many k6 runners (pods) share the spec's schedule (required)
  --target URL          the gateway's base URL as the runners reach it, e.g. http://gateway.lab:8080
                        (required unless the spec's target is a url)
  --header "K: V"       a header for every request (repeatable); by default a spec aimed at our
                        gateway sends its API key (Authorization: Bearer <target.apiKey>)
  --namespace NS        the namespace of every object (default: kubectl's current one)
  --image IMAGE         the runners' k6 image (default: ${DEFAULT_IMAGE})
  --name NAME           the TestRun's name (default: stormlab-<spec>); the other objects are
                        <name>-bundle, <name>-samples and <name>-collector
  --claim PVC           write samples to this existing PersistentVolumeClaim instead of a new one
  --storage-class SC    the new claim's storage class (it must offer ReadWriteMany)
  --storage SIZE        the new claim's size (default: 1Gi)
  --duration D          stretch or shrink the arrival stages to last D (as \`stormlab run\`)
  --rate N              a constant N requests per second in place of the stages
  --seed N              the workload seed
  --sse                 bundle with xk6-sse for first-content-event TTFT; needs --image with a k6
                        built with that extension
  --out DIR             where to write (default: dist/k8s/<name>)
  -h, --help            this help

A ConfigMap holds at most 1 MiB: a bigger bundle is an error (exit 2). Apply the ConfigMap with
\`kubectl apply --server-side\` (client-side apply keeps a copy in an annotation limited to 256 KiB).
`,
  options: {
    parallelism: { type: 'string' },
    target: { type: 'string' },
    header: { type: 'string', multiple: true },
    namespace: { type: 'string' },
    image: { type: 'string' },
    name: { type: 'string' },
    claim: { type: 'string' },
    'storage-class': { type: 'string' },
    storage: { type: 'string' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    sse: { type: 'boolean' },
    out: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [specArg, ...extra] = positionals;
    if (!specArg || extra.length > 0) {
      throw new StormlabError('SL_USAGE', 'stormlab k8s takes exactly one spec (a name such as `baseline`, or a YAML path)');
    }
    const o = readK8sOptions(values);
    const spec = applyOverrides(loadSpec(specArg).spec, o.overrides);
    const target = runnersTarget(o, spec);
    // a spec aimed at our gateway sends its key, as `stormlab run` does
    const own: Record<string, string> = 'apiKey' in spec.target ? { authorization: `Bearer ${spec.target.apiKey}` } : {};

    const name = o.name ?? defaultName(spec.name);
    const outDir = resolve(o.out ?? join('dist', 'k8s', name));
    mkdirSync(outDir, { recursive: true });
    const key = `${spec.name}.js`;
    const bundled = await bundleSpec(spec, join(outDir, key), { sse: o.sse });
    const text = readFileSync(bundled.file, 'utf8');
    const bytes = configMapBytes({ [key]: text });
    if (bytes > CONFIGMAP_MAX_BYTES) throw tooLarge(spec.name, bundled.file, bytes);

    const plan: K8sPlan = {
      name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      spec: spec.name,
      parallelism: o.parallelism,
      image: o.image ?? DEFAULT_IMAGE,
      target,
      headers: { ...own, ...o.headers },
      bundle: { key, text },
      claim: o.claim
        ? { name: o.claim, create: false, size: o.size }
        : { name: samplesClaimName(name), create: true, size: o.size, ...(o.storageClass && { storageClass: o.storageClass }) },
    };
    const m = renderManifests(plan);
    // never write a manifest k6-operator's documented fields would refuse
    TestRunSchema.parse(m.testRun);
    ConfigMapSchema.parse(m.configMap);
    PodSchema.parse(m.collector);
    if (m.pvc) PersistentVolumeClaimSchema.parse(m.pvc);

    // what a report of the runners' bare sample files cannot know: the spec, the plan, the thresholds
    const run = writeJson(outDir, 'run.json', {
      spec: spec.name,
      driver: 'k6',
      ttftDefinition: bundled.ttftDefinition,
      target,
      seed: spec.workload.seed,
      planned: plannedOf(spec),
      thresholds: spec.thresholds,
    });
    const write = (file: string, value: unknown): string => {
      const path = join(outDir, file);
      writeFileSync(path, yamlOf(value));
      return relative(process.cwd(), path) || path;
    };
    const files = {
      configMap: write('configmap.yaml', m.configMap),
      pvc: m.pvc ? write('pvc.yaml', m.pvc) : null,
      testRun: write('testrun.yaml', m.testRun),
      collector: write('collector.yaml', m.collector),
      run: relative(process.cwd(), run) || run,
      results: relative(process.cwd(), join(outDir, 'results')) || 'results',
      report: relative(process.cwd(), join(outDir, 'report')) || 'report',
    };
    const rel = (f: string) => relative(process.cwd(), f) || f;
    io.stdout.write(
      [
        `${rel(bundled.file)} (${(bundled.bytes / 1024).toFixed(1)} KiB, TTFT: ${bundled.ttftDefinition})`,
        `TestRun ${name}: ${o.parallelism} runner(s) of spec ${spec.name} against ${target}, ` +
          `samples to claim ${plan.claim.name}`,
        '',
        'Run it, collect each runner\'s samples and merge them:',
        ...kubectlCommands(plan, files).map((c) => `  ${c}`),
        '',
      ].join('\n'),
    );
    return 0;
  },
};
