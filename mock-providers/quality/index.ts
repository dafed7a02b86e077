/** The fleet's quality model: prompt difficulty × model capability → adequate or not, and log-probabilities. */
import { loadDifficulties, SHIPPED_DIFFICULTIES } from './difficulty.js';
import type { QualityConfig } from './quality-schema.js';
import type { QualityModel } from './verdict.js';

export { judge, pAdequate, type QualityModel, type Verdict } from './verdict.js';
export { tokenLogprobs, meanSurprisal, MAX_TOP_LOGPROBS } from './logprobs.js';
export { difficultyOf, loadDifficulties, SHIPPED_DIFFICULTIES, type DifficultyTable } from './difficulty.js';
export { QualitySchema, DEFAULT_UNKNOWN_DIFFICULTY, type QualityConfig } from './quality-schema.js';

/** Read the difficulty files once (the fleet does this at start). */
export function createQualityModel(seed: number, config: QualityConfig): QualityModel {
  const table = loadDifficulties(config.difficulties ?? [SHIPPED_DIFFICULTIES]);
  return { seed, table, unknown: config.unknownDifficulty, width: config.width };
}
