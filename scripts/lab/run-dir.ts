import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `runs/20261121-173600-baseline` (UTC), unique within the second by a suffix when needed. */
export function defaultRunDir(spec: string, now = new Date(), root = 'runs'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return resolve(root, `${stamp}-${spec}`);
}

export function makeRunDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Write `name` in `dir` whole: to a temporary name first, then renamed (a run cut short leaves no half file). */
export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}
