/**
 * Token log-probabilities that say how sure the model was. Per call a mean surprisal s (the
 * negative mean log-probability) is set by the verdict and the model's odds on the prompt:
 *   adequate    s₀ = 0.10 + 0.35 · (1 − P)      inadequate  s₀ = 0.55 + 0.50 · (1 − P)
 *   s = s₀ · exp(0.3 · z), z standard normal (call to call spread, so the two groups overlap)
 * and each token's surprisal is exponential with mean s (most tokens near-certain, a few not),
 * capped at 20. A model out of its depth (low P, an inadequate answer) gets a clearly lower mean
 * log-probability; a more capable model on the same prompt a higher one. Alternatives at each
 * position share the remaining probability 1 − e^logprob in halves (½, ¼, …), so the listed
 * probabilities never sum past 1. Deterministic from (fleet seed, model, request).
 */
import { deriveSeed, Rng } from '../../core/random.js';
import { VOCABULARY } from '../content.js';
import type { TokenLogprob, TopLogprob } from '../formats/types.js';
import type { Verdict } from './verdict.js';

const ADEQUATE = { base: 0.1, doubt: 0.35 };
const INADEQUATE = { base: 0.55, doubt: 0.5 };
const CALL_SIGMA = 0.3;
const MAX_SURPRISAL = 20;
/** OpenAI's ceiling on top_logprobs */
export const MAX_TOP_LOGPROBS = 20;

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6 || 0;

/** The mean surprisal a call's tokens are drawn around (before the per-call spread). */
export function meanSurprisal(v: Pick<Verdict, 'adequate' | 'p'>): number {
  const m = v.adequate ? ADEQUATE : INADEQUATE;
  return m.base + m.doubt * (1 - v.p);
}

const word = (rng: Rng): string => VOCABULARY[Math.floor(rng.uniform() * VOCABULARY.length)]!;

/**
 * The `top` most likely tokens at a position whose chosen token has `logprob`: alternatives at
 * log(rest) − k·ln 2 (k = 1, 2, …), the chosen token in its place among them (or not listed
 * when `top` alternatives outrank it). Already in order: no sort, one log per position.
 */
function alternatives(rng: Rng, chosen: string, logprob: number, top: number): TopLogprob[] {
  const logRest = Math.log(Math.max(1 - Math.exp(logprob), 1e-12));
  const out: TopLogprob[] = [];
  const used = [chosen];
  let placed = false;
  for (let k = 1; out.length < top; ) {
    const alt = round6(logRest - k * Math.LN2);
    if (!placed && logprob >= alt) {
      out.push({ token: chosen, logprob });
      placed = true;
      continue;
    }
    let token = word(rng);
    for (let tries = 0; used.includes(token) && tries < 8; tries++) token = word(rng);
    if (used.includes(token)) token = VOCABULARY.find((w) => !used.includes(w))!;
    used.push(token);
    out.push({ token, logprob: alt });
    k++;
  }
  return out;
}

export function tokenLogprobs(
  seed: number,
  model: string,
  v: Verdict,
  pieces: readonly string[],
  top: number,
): TokenLogprob[] {
  const rng = new Rng(deriveSeed(seed, 'logprobs', model, v.requestKey));
  const s = meanSurprisal(v) * Math.exp(CALL_SIGMA * rng.normal());
  return pieces.map((token) => {
    const logprob = round6(-Math.min(MAX_SURPRISAL, rng.exponential(s)));
    return { token, logprob, top: top > 0 ? alternatives(rng, token, logprob, top) : [] };
  });
}
