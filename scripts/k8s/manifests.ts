/**
 * The manifests that run one spec's k6 bundle on k6-operator, as plain objects (pure: no I/O).
 *
 * - a ConfigMap holding the bundle under `<spec>.js`, the TestRun's `spec.script.configMap`;
 * - a PersistentVolumeClaim (ReadWriteMany: runners land on different nodes) where every runner
 *   writes its `--out json` samples as `<pod name>.ndjson.gz` — the pod name comes from the
 *   downward API into `STORMLAB_RUNNER`, which Kubernetes expands in the runner's command;
 * - the TestRun: `parallelism` runners, each of which k6-operator gives its own execution segment
 *   (`--execution-segment`), so their samples together are the whole schedule;
 * - a collector Pod that mounts the claim after the run, for `kubectl cp`.
 */
import type { ConfigMap, PersistentVolumeClaim, Pod, TestRun } from './k6-operator-schema.js';

/** Where runners write their samples, and the collector reads them. */
export const RESULTS_DIR = '/results';
/** The runner's pod name (downward API), expanded by Kubernetes in `spec.arguments`. */
export const RUNNER_ENV = 'STORMLAB_RUNNER';
/**
 * The grafana/k6 image runs as user 12345, not root. `fsGroup` makes the claim writable for this group
 * and adds the group to the runner's processes, whatever the image's own user.
 */
export const K6_GID = 12345;
export const DEFAULT_IMAGE = 'grafana/k6:latest';
export const COLLECTOR_IMAGE = 'busybox:1.36';

export interface K8sPlan {
  /** TestRun name, an RFC 1123 label; the other objects are named after it */
  name: string;
  namespace?: string;
  /** the spec's name (a label on every object) */
  spec: string;
  parallelism: number;
  image: string;
  /** base URL of the system under test, as the runners reach it */
  target: string;
  /** sent with every request (STORMLAB_HEADERS) */
  headers: Record<string, string>;
  /** the bundle: its key in the ConfigMap and its text */
  bundle: { key: string; text: string };
  /** the samples volume: an existing claim, or one to create */
  claim: { name: string; create: boolean; storageClass?: string; size: string };
}

export interface K8sManifests {
  configMap: ConfigMap;
  pvc: PersistentVolumeClaim | null;
  testRun: TestRun;
  collector: Pod;
}

export const configMapName = (name: string): string => `${name}-bundle`;
export const collectorName = (name: string): string => `${name}-collector`;
export const samplesClaimName = (name: string): string => `${name}-samples`;

/** Each runner's samples file, as written in `spec.arguments` (`$(…)` is Kubernetes' expansion). */
export const runnerSamplesPath = (): string => `${RESULTS_DIR}/$(${RUNNER_ENV}).ndjson.gz`;

function meta(p: K8sPlan, name: string) {
  // a spec name may end in "." or "_", which a label value may not
  const spec = p.spec.slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
  const labels = { 'app.kubernetes.io/name': 'stormlab', 'app.kubernetes.io/instance': p.name, 'stormlab/spec': spec };
  return { name, ...(p.namespace ? { namespace: p.namespace } : {}), labels };
}

export function renderManifests(p: K8sPlan): K8sManifests {
  const samples = { name: 'samples', persistentVolumeClaim: { claimName: p.claim.name } };
  const env: NonNullable<TestRun['spec']['runner']>['env'] = [
    { name: RUNNER_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  if (Object.keys(p.headers).length > 0) env.push({ name: 'STORMLAB_HEADERS', value: JSON.stringify(p.headers) });
  const testRun: TestRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(p, p.name),
    spec: {
      parallelism: p.parallelism,
      script: { configMap: { name: configMapName(p.name), file: p.bundle.key } },
      // the target goes as -e: `k6 archive` in the operator's initializer runs the bundle's init
      // code, which needs it, and sees -e but not the pod's environment
      arguments: `--out json=${runnerSamplesPath()} -e STORMLAB_TARGET=${p.target}`,
      runner: {
        image: p.image,
        env,
        resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '1Gi' } },
        securityContext: { fsGroup: K6_GID },
        volumes: [samples],
        volumeMounts: [{ name: 'samples', mountPath: RESULTS_DIR }],
      },
    },
  };
  const pvc: PersistentVolumeClaim | null = p.claim.create
    ? {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: meta(p, p.claim.name),
        spec: {
          accessModes: ['ReadWriteMany'],
          ...(p.claim.storageClass ? { storageClassName: p.claim.storageClass } : {}),
          resources: { requests: { storage: p.claim.size } },
        },
      }
    : null;
  const collector: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(p, collectorName(p.name)),
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'collector',
          image: COLLECTOR_IMAGE,
          command: ['sleep', '3600'],
          volumeMounts: [{ name: 'samples', mountPath: RESULTS_DIR, readOnly: true }],
        },
      ],
      volumes: [{ name: 'samples', persistentVolumeClaim: { claimName: p.claim.name, readOnly: true } }],
    },
  };
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(p, configMapName(p.name)),
      data: { [p.bundle.key]: p.bundle.text },
    },
    pvc,
    testRun,
    collector,
  };
}

export interface ManifestFiles {
  configMap: string;
  pvc: string | null;
  testRun: string;
  collector: string;
  /** the run.json of the whole test, for `stormlab report --run` */
  run: string;
  /** where `kubectl cp` puts the runners' samples, and where the merged report goes */
  results: string;
  report: string;
}

/** The round trip, as commands for a person: apply, wait, collect, merge, clean up. */
export function kubectlCommands(p: K8sPlan, f: ManifestFiles): string[] {
  const ns = p.namespace ? ` -n ${p.namespace}` : '';
  const podRef = `${p.namespace ? `${p.namespace}/` : ''}${collectorName(p.name)}`;
  return [
    `kubectl apply --server-side -f ${f.configMap}`,
    ...(f.pvc ? [`kubectl apply -f ${f.pvc}`] : []),
    `kubectl apply -f ${f.testRun}`,
    `kubectl wait${ns} testrun/${p.name} --for=jsonpath='{.status.stage}'=finished --timeout=24h`,
    `kubectl apply -f ${f.collector}`,
    `kubectl wait${ns} pod/${collectorName(p.name)} --for=condition=Ready --timeout=5m`,
    `kubectl cp ${podRef}:${RESULTS_DIR} ${f.results}`,
    `stormlab report ${f.results}/${p.name}-*.ndjson.gz --run ${f.run} --out ${f.report}`,
    `kubectl delete${ns} pod/${collectorName(p.name)} testrun/${p.name}`,
  ];
}
