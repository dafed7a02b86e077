/** A config's steps → its result: the knee, the first failing rate, the limit, the projection and warnings. Pure. */
import { fmtMs, fmtNum } from '../format.js';
import { findLimit, QUEUE_MS } from './limit.js';
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
    warnings: warnings(c.steps, pass, fail, c.stop),
  };
}

function warnings(steps: readonly Step[], pass: number | null, fail: number | null, stop: ConfigResult['stop']): string[] {
  const out: string[] = [];
  const knee = steps.find((s) => s.rate === pass);
  const q = knee?.upstream?.queueP99Ms ?? 0;
  if (knee && q > QUEUE_MS) {
    out.push(
      `calls already queue at the knee (upstream queue p99 ${fmtMs(q)} at ${fmtNum(knee.rate)}/s): a queue grows for as long as ` +
        'the rate lasts, so longer steps (--step) may put the knee lower',
    );
  }
  if ((stop === 'time-budget' || stop === 'max-steps') && pass !== null && fail !== null) {
    out.push(`the search stopped (${stop}) with the knee between ${fmtNum(pass)}/s and ${fmtNum(fail)}/s`);
  }
  const noisy = fail === null ? [] : steps.filter((s) => s.ok && s.rate > fail);
  if (noisy.length > 0) {
    out.push(`${noisy.map((s) => `${fmtNum(s.rate)}/s`).join(', ')} met the SLO above the failing ${fmtNum(fail as number)}/s: the steps are noisy`);
  }
  return out;
}
