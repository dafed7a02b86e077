/** `stormlab k8s` options, checked: bad input is SL_USAGE naming the flag, what it expects and what it got. */
import { StormlabError } from '../../core/errors.js';
import { optDuration, optHeaders, optNumber, optString } from '../args.js';
import { DNS_LABEL } from './k6-operator-schema.js';

/** Longest TestRun name: the operator's Jobs add `-initializer` and Pods a further suffix within 63. */
export const NAME_MAX = 50;
const URL_FORM = 'http(s)://host[:port][/base]';

export interface K8sOptions {
  parallelism: number;
  namespace?: string;
  name?: string;
  claim?: string;
  image?: string;
  sse: boolean;
  storageClass?: string;
  size: string;
  target?: string;
  headers: Record<string, string>;
  out?: string;
  /** spec overrides, as `stormlab run` takes them */
  overrides: { durationMs?: number; rate?: number; seed?: number };
}

function usage(flag: string, message: string, expected: string, received: unknown): StormlabError {
  return new StormlabError('SL_USAGE', message, [{ path: flag, expected, received: JSON.stringify(received) }]);
}

function label(values: Record<string, unknown>, flag: string, max: number): string | undefined {
  const v = optString(values, flag);
  if (v !== undefined && !(v.length <= max && DNS_LABEL.test(v))) {
    const expected =
      `an RFC 1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, ` +
      `at most ${max} characters`;
    throw usage(`--${flag}`, `--${flag} is not a valid Kubernetes name`, expected, v);
  }
  return v;
}

export function readK8sOptions(values: Record<string, unknown>): K8sOptions {
  const runners = 'a whole number of runners from 1 to 10000';
  const parallelism = optNumber(values, 'parallelism', (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, runners);
  if (parallelism === undefined) throw usage('--parallelism', '--parallelism N is required', runners, undefined);
  const image = optString(values, 'image');
  if (image !== undefined && !/^\S+$/.test(image)) {
    throw usage('--image', '--image is not an image reference', 'an image such as grafana/k6:0.57.0', image);
  }
  const sse = values.sse === true;
  if (sse && image === undefined) {
    const why = '--sse needs --image: the stock k6 image has no k6/x/sse';
    throw usage('--image', why, 'an image of k6 built with xk6-sse', undefined);
  }
  const sizeArg = optString(values, 'storage');
  const size = sizeArg ?? '1Gi';
  if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(size)) {
    throw usage('--storage', '--storage is not a size', 'a quantity such as 1Gi or 500Mi', size);
  }
  const storageClass = optString(values, 'storage-class');
  const claim = label(values, 'claim', 63);
  if (claim && (storageClass !== undefined || sizeArg !== undefined)) {
    const why = '--claim names an existing claim: --storage-class and --storage describe a new one';
    throw usage('--claim', why, 'one or the other', claim);
  }
  const target = optString(values, 'target');
  if (target !== undefined && !/^https?:\/\/[^/\s]+\S*$/.test(target)) {
    throw usage('--target', '--target must be an http(s) URL without spaces', URL_FORM, target);
  }
  const namespace = label(values, 'namespace', 63);
  const name = label(values, 'name', NAME_MAX);
  const out = optString(values, 'out');
  const durationMs = optDuration(values, 'duration');
  const rate = optNumber(values, 'rate', (n) => n > 0, 'a positive number of requests per second');
  const seed = optNumber(values, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  return {
    overrides: {
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(rate !== undefined ? { rate } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
    parallelism,
    sse,
    size,
    headers: optHeaders(values),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    ...(claim ? { claim } : {}),
    ...(image ? { image } : {}),
    ...(storageClass ? { storageClass } : {}),
    ...(target ? { target } : {}),
    ...(out ? { out } : {}),
  };
}

/** The spec's target when --target is not given; a spec aimed at the lab's gateway needs --target. */
export function runnersTarget(o: K8sOptions, spec: { name: string; target: { url: string } | object }): string {
  const target = o.target ?? ('url' in spec.target ? spec.target.url : undefined);
  if (target === undefined) {
    const why = `spec ${spec.name} aims at the lab's gateway: say where the runners reach yours with --target`;
    throw usage('--target', why, URL_FORM, undefined);
  }
  return target.replace(/\/+$/, '');
}
