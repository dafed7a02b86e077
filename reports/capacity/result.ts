/** A config's steps → its result: the knee, the first failing rate, the limit and the projection. Pure. */
import { findLimit } from './limit.js';
import { project, type ProfileInput } from './project.js';
import type { ConfigResult, Step } from './schema.js';
import { bracket } from './search.js';

export function configResult(
  c: { name: string; file: string | null; steps: Step[]; stop: ConfigResult['stop'] },
  profile: ProfileInput | null,
): ConfigResult {
  const { pass, fail } = bracket(c.steps.map((s) => ({ rate: s.rate, ok: s.ok })));
  const kneeStep = c.steps.find((s) => s.rate === pass);
  return {
    name: c.name,
    file: c.file,
    steps: [...c.steps].sort((a, b) => a.rate - b.rate),
    knee: pass,
    firstFail: fail,
    stop: c.stop,
    limit: findLimit(c.steps, pass, fail),
    projection: profile ? project(kneeStep, pass, profile) : null,
  };
}
