/**
 * The fields of k6-operator's `TestRun` (apiVersion k6.io/v1alpha1) as its API documents them
 * (k6-operator `api/v1alpha1/testrun_types.go`, `docs/crd-generated.md`, and Grafana's "Run k6
 * scripts with TestRun CRD"), and of the core objects `stormlab k8s` writes beside it (ConfigMap,
 * PersistentVolumeClaim, Pod). Strict: a field the operator does not know is an error, so a typo
 * cannot hide in a manifest. The pitfalls the operator's docs and code name are checked here too:
 * a ConfigMap holds at most 1 MiB, `spec.arguments` is split on spaces (a value cannot hold one),
 * and `--out` must take its value after a space (the operator drops `--out X` from the
 * initializer's `k6 archive`, but passes `--out=X` on, which `k6 archive` refuses).
 */
import { z } from 'zod';

/** Kubernetes' limit on a ConfigMap's data (keys and values), in bytes. */
export const CONFIGMAP_MAX_BYTES = 1_048_576;

/** RFC 1123 label: namespaces, and names that become Job and Pod names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: most object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const label = z.string().max(63).regex(DNS_LABEL, { message: 'an RFC 1123 label: a-z, 0-9 and "-", at most 63' });
const subdomain = z.string().max(253).regex(DNS_SUBDOMAIN, { message: 'an RFC 1123 subdomain' });
const stringMap = z.record(z.string(), z.string());
/** Label values: at most 63 of A-Z a-z 0-9 - _ . , beginning and ending alphanumeric (or empty). */
const labelValue = z.string().max(63).regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, { message: 'a label value' });

const ObjectMeta = z.strictObject({
  name: subdomain,
  namespace: label.optional(),
  labels: z.record(z.string(), labelValue).optional(),
  annotations: stringMap.optional(),
});

/** A resource quantity: `500m`, `1`, `512Mi`, `1Gi`. */
const quantity = z.union([z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/), z.number().nonnegative()]);
const quantities = z.record(z.string(), quantity);
const Resources = z.strictObject({ limits: quantities.optional(), requests: quantities.optional() });

const EnvVar = z
  .strictObject({
    name: z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/),
    value: z.string().optional(),
    valueFrom: z
      .strictObject({
        fieldRef: z.strictObject({ fieldPath: z.string().min(1), apiVersion: z.string().optional() }).optional(),
        secretKeyRef: z.strictObject({ name: z.string(), key: z.string(), optional: z.boolean().optional() }).optional(),
        configMapKeyRef: z.strictObject({ name: z.string(), key: z.string(), optional: z.boolean().optional() }).optional(),
      })
      .optional(),
  })
  .refine((e) => (e.value === undefined) !== (e.valueFrom === undefined), { message: 'an env var has a value or a valueFrom' });

const Volume = z
  .strictObject({
    name: label,
    persistentVolumeClaim: z.strictObject({ claimName: subdomain, readOnly: z.boolean().optional() }).optional(),
    emptyDir: z.strictObject({ medium: z.string().optional(), sizeLimit: quantity.optional() }).optional(),
    configMap: z.strictObject({ name: subdomain, optional: z.boolean().optional() }).optional(),
  })
  .refine((v) => [v.persistentVolumeClaim, v.emptyDir, v.configMap].filter(Boolean).length === 1, {
    message: 'a volume has exactly one source',
  });

const VolumeMount = z.strictObject({
  name: label,
  mountPath: z.string().startsWith('/'),
  readOnly: z.boolean().optional(),
  subPath: z.string().optional(),
});

const PodSecurityContext = z.strictObject({
  fsGroup: z.number().int().optional(),
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
});

/** TestRun's `Pod`: the initializer, starter and runner are configured with it. */
export const K6PodSchema = z.strictObject({
  disabled: z.boolean().optional(),
  affinity: z.record(z.string(), z.unknown()).optional(),
  /** a string in the CRD ("true" / "false") */
  automountServiceAccountToken: z.enum(['true', 'false']).optional(),
  env: z.array(EnvVar).optional(),
  envFrom: z.array(z.record(z.string(), z.unknown())).optional(),
  image: z.string().min(1).optional(),
  imagePullSecrets: z.array(z.strictObject({ name: z.string() })).optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  metadata: z.strictObject({ annotations: stringMap.optional(), labels: stringMap.optional() }).optional(),
  nodeSelector: stringMap.optional(),
  tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
  topologySpreadConstraints: z.array(z.record(z.string(), z.unknown())).optional(),
  resources: Resources.optional(),
  serviceAccountName: z.string().optional(),
  securityContext: PodSecurityContext.optional(),
  containerSecurityContext: z.record(z.string(), z.unknown()).optional(),
  readinessProbe: z.record(z.string(), z.unknown()).optional(),
  livenessProbe: z.record(z.string(), z.unknown()).optional(),
  initContainers: z.array(z.record(z.string(), z.unknown())).optional(),
  volumes: z.array(Volume).optional(),
  volumeMounts: z.array(VolumeMount).optional(),
  priorityClassName: z.string().optional(),
  schedulerName: z.string().optional(),
});

const K6Script = z
  .strictObject({
    configMap: z.strictObject({ name: subdomain, file: z.string().regex(/^[-._a-zA-Z0-9]+$/).optional() }).optional(),
    volumeClaim: z.strictObject({ name: z.string(), file: z.string().optional(), readOnly: z.boolean().optional() }).optional(),
    localFile: z.string().optional(),
  })
  .refine((s) => [s.configMap, s.volumeClaim, s.localFile].filter((x) => x !== undefined).length === 1, {
    message: 'the script is one of configMap, volumeClaim or localFile',
  });

/** What k6-operator's initializer accepts in `spec.arguments` (its ParseCLI): flags split on spaces, values after them. */
export function argumentsProblem(args: string): string | null {
  const tokens = args.split(' ').filter((t) => t.length > 0);
  if (tokens.length > 0 && !tokens[0]!.startsWith('-')) return `arguments start with a flag, not "${tokens[0]}"`;
  const out = tokens.find((t) => /^(--out|-o)=/.test(t));
  if (out) {
    return `"${out}": write --out and its value apart; the operator passes --out=… on to \`k6 archive\`, which refuses it`;
  }
  return null;
}

export const TestRunSpecSchema = z.strictObject({
  script: K6Script,
  parallelism: z.number().int().min(1).max(2 ** 31 - 1),
  separate: z.boolean().optional(),
  arguments: z
    .string()
    .optional()
    .superRefine((a, ctx) => {
      const problem = a === undefined ? null : argumentsProblem(a);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ports: z
    .array(z.strictObject({ containerPort: z.number().int(), name: z.string().optional(), protocol: z.string().optional() }))
    .optional(),
  initializer: K6PodSchema.optional(),
  starter: K6PodSchema.optional(),
  runner: K6PodSchema.optional(),
  /** strings in the CRD */
  quiet: z.enum(['true', 'false']).optional(),
  paused: z.enum(['true', 'false']).optional(),
  scuttle: z.record(z.string(), z.unknown()).optional(),
  cleanup: z.literal('post').optional(),
  cloud: z
    .strictObject({ token: z.string().optional(), testRunId: z.string().optional(), stream: z.boolean().optional() })
    .optional(),
  testRunId: z.string().optional(),
  token: z.string().optional(),
});

export const TestRunSchema = z.strictObject({
  apiVersion: z.literal('k6.io/v1alpha1'),
  kind: z.literal('TestRun'),
  metadata: ObjectMeta,
  spec: TestRunSpecSchema,
});
export type TestRun = z.infer<typeof TestRunSchema>;

export const ConfigMapSchema = z
  .strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: ObjectMeta,
    data: z.record(z.string().regex(/^[-._a-zA-Z0-9]+$/).max(253), z.string()),
  })
  .refine((c) => configMapBytes(c.data) <= CONFIGMAP_MAX_BYTES, {
    message: `a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES} bytes`,
  });
export type ConfigMap = z.infer<typeof ConfigMapSchema>;

/** The size Kubernetes counts against a ConfigMap's limit: every key and value, in bytes. */
export function configMapBytes(data: Record<string, string>): number {
  return Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

export const PersistentVolumeClaimSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('PersistentVolumeClaim'),
  metadata: ObjectMeta,
  spec: z.strictObject({
    accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).min(1),
    storageClassName: z.string().optional(),
    resources: z.strictObject({ requests: z.strictObject({ storage: quantity }) }),
  }),
});
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaimSchema>;

export const PodSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: ObjectMeta,
  spec: z.strictObject({
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
    securityContext: PodSecurityContext.optional(),
    containers: z
      .array(
        z.strictObject({
          name: label,
          image: z.string().min(1),
          command: z.array(z.string()).optional(),
          volumeMounts: z.array(VolumeMount).optional(),
        }),
      )
      .min(1),
    volumes: z.array(Volume).optional(),
  }),
});
export type Pod = z.infer<typeof PodSchema>;
