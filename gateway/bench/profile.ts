/**
 * Self time per function in a V8 CPU profile (`node --cpu-prof`), heaviest first: the
 * `.cpuprofile` samples attributed to the function on top of the stack, summed by function,
 * file and line. Idle time is left out; shares are of the busy time.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  /** function (file:line) */
  name: string;
  ms: number;
  /** share of the busy (non-idle) time, % */
  pct: number;
}

function where(url: string, line: number, root: string): string {
  if (!url) return '';
  const file = url.startsWith('file://') ? relative(root, fileURLToPath(url)) : url;
  return ` ${file}:${line + 1}`;
}

export function topSelfTime(file: string, n: number, root = process.cwd()): { busyMs: number; top: SelfTime[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nameOf = new Map<number, string>();
  for (const node of p.nodes) {
    const f = node.callFrame;
    nameOf.set(node.id, `${f.functionName || '(anonymous)'}${where(f.url, f.lineNumber, root)}`);
  }
  const self = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const name = nameOf.get(id) ?? '?';
    if (name === '(idle)') return;
    const us = p.timeDeltas[i] ?? 0;
    busy += us;
    self.set(name, (self.get(name) ?? 0) + us);
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / Math.max(1, busy) }));
  return { busyMs: busy / 1000, top };
}
