/** What a game day's result holds (`gameday.json`): the types the evaluation writes and the renderers read. */
import type { Expectation } from '../../scenarios/gameday/expectation.js';
import type { Measurements } from './measure.js';
import type { TimelineBucket } from './timeline.js';
import type { Verdict } from './verdict.js';

export const GAMEDAY_VERSION = 1;

export interface GamedayPlanInfo {
  name: string;
  description: string;
  slo: { availability: number };
  expect: Expectation[];
}

export interface GamedayRunInfo {
  dir: string;
  /** the URL the load went to */
  target: string;
  /** our gateway's config file, when the lab ran it */
  gatewayConfig?: string;
  startedAt: string;
  endedAt: string;
}

export interface GamedayResult {
  version: typeof GAMEDAY_VERSION;
  plan: { name: string; description: string; availability: number; expectations: string[] };
  run: GamedayRunInfo;
  ok: boolean;
  verdicts: Verdict[];
  measurements: Measurements;
  timeline: TimelineBucket[];
}
