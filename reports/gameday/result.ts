/**
 * A game day's result: the plan, the run, the measurements, one verdict per expectation and the
 * per-second timeline. `gameday.json` holds it; the Markdown and HTML renderers read only it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHtmlAssets } from '../html/assets.js';
import { readGamedayInputs, type GamedayInputs } from './inputs.js';
import { measureGameday } from './measure.js';
import { renderGamedayHtml } from './render-html.js';
import { renderGamedayMarkdown } from './render-markdown.js';
import { buildTimeline } from './timeline.js';
import { allHold, judge } from './verdict.js';
import { GAMEDAY_VERSION, type GamedayPlanInfo, type GamedayResult, type GamedayRunInfo } from './result-types.js';

export { GAMEDAY_VERSION, type GamedayPlanInfo, type GamedayResult, type GamedayRunInfo } from './result-types.js';

/** Pure: measure, judge and lay out the timeline. */
export function evaluateGameday(plan: GamedayPlanInfo, run: GamedayRunInfo, inputs: GamedayInputs): GamedayResult {
  const measurements = measureGameday(inputs, plan.slo);
  const verdicts = judge(plan.expect, measurements);
  return {
    version: GAMEDAY_VERSION,
    plan: {
      name: plan.name,
      description: plan.description,
      availability: plan.slo.availability,
      expectations: plan.expect.map((e) => e.text),
    },
    run,
    ok: allHold(verdicts),
    verdicts,
    measurements,
    timeline: buildTimeline(inputs.requests, inputs.runStartMs, inputs.runEndMs),
  };
}

export const GAMEDAY_FILES = { json: 'gameday.json', markdown: 'gameday.md', html: 'gameday.html' } as const;

/** Read a finished run directory, judge it, and write gameday.json, gameday.md and gameday.html into it. */
export async function writeGamedayReport(plan: GamedayPlanInfo, run: GamedayRunInfo): Promise<GamedayResult> {
  const inputs = await readGamedayInputs(run.dir, {
    startMs: Date.parse(run.startedAt),
    endMs: Date.parse(run.endedAt),
  });
  const result = evaluateGameday(plan, run, inputs);
  writeFileSync(join(run.dir, GAMEDAY_FILES.json), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(run.dir, GAMEDAY_FILES.markdown), renderGamedayMarkdown(result));
  writeFileSync(join(run.dir, GAMEDAY_FILES.html), renderGamedayHtml(result, loadHtmlAssets()));
  return result;
}
