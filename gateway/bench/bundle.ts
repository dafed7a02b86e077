/**
 * `bench:gateway --bundled`: the bench gateway as one esbuild bundle (what a build step would ship),
 * to measure against the same code run through tsx. tsx compiles each module with esbuild's
 * `keepNames`, which wraps every function made at run time in a `__name(…)` call; a bundle has
 * neither that nor module boundaries. The bundle goes to node_modules/.cache (packages stay
 * external and resolve from there); it is rebuilt on every run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function bundleGateway(): Promise<string> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = join(root, 'node_modules', '.cache', 'stormlab-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'gateway.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./gateway.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
