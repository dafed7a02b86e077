/** The mock embeddings are good enough for a semantic cache: paraphrases close, other intents (negations included) apart. */
import { describe, expect, it } from 'vitest';
import { cosine, embed, features } from './embed.js';

/** A semantic cache threshold of the usual kind. */
const THRESHOLD = 0.9;
const sim = (a: string, b: string, dims = 1536) => cosine(embed(a, 'text-embedding-3-small', dims), embed(b, 'text-embedding-3-small', dims));

describe('mock embeddings', () => {
  it('paraphrases of one intent land above the threshold', () => {
    const paraphrases: Array<[string, string]> = [
      ['turn on the lights', 'switch the lights on'],
      ['turn on the lights', 'Could you please turn the lights on?'],
      ["What's the weather in Paris?", 'Tell me the weather forecast for Paris'],
      ['How do I reset my password?', 'I forgot my password, how can I reset it?'],
      ['cancel my subscription', 'I want to cancel my membership'],
      ['Where is my order?', 'Can you track my order?'],
      ['Summarize this article for me', 'Give me a summary of this article'],
      ['turn off the lights', "don't turn on the lights"],
    ];
    for (const [a, b] of paraphrases) expect(sim(a, b), `${a} ~ ${b}`).toBeGreaterThan(THRESHOLD);
  });

  it('different intents, negations and opposites included, land below it', () => {
    const different: Array<[string, string]> = [
      ['turn on the lights', 'turn off the lights'],
      ['turn on the lights', "don't turn on the lights"],
      ['enable dark mode', 'disable dark mode'],
      ['lock the front door', 'unlock the front door'],
      ['turn up the volume', 'turn down the volume'],
      ['I am happy with the service', 'I am not happy with the service'],
      ["What's the weather in Paris?", "What's the weather in London?"],
      ['How do I reset my password?', 'How do I cancel my subscription?'],
      ['turn on the lights', "What's the weather in Paris?"],
    ];
    for (const [a, b] of different) expect(sim(a, b), `${a} ≁ ${b}`).toBeLessThan(THRESHOLD - 0.15);
    expect(sim('turn on the lights', 'turn off the lights')).toBeLessThan(0.3);
  });

  it('is deterministic, unit length, and shorter vectors are renormalised prefixes of longer ones', () => {
    const v = embed('turn on the lights', 'm', 1536);
    expect(embed('turn on the lights', 'm', 1536)).toEqual(v);
    expect(cosine(v, v)).toBeCloseTo(1, 6);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    const short = embed('turn on the lights', 'm', 64, 1536);
    const prefix = v.slice(0, 64);
    expect(cosine(short, prefix)).toBeCloseTo(1, 5);
    expect(embed('turn on the lights', 'other-model', 64, 1536)).not.toEqual(short);
  });

  it('reads negation, particles and synonyms as described', () => {
    expect(features("don't turn on the lights").polarity).toEqual(new Map([['power', -1]]));
    expect(features('the weather on Monday').polarity.size).toBe(0); // "on" is a preposition there
    expect([...features('Switch the lamps on').topic].sort()).toEqual(['light', 'power', 'turn']);
    expect(features('I do not want pizza').polarity).toEqual(new Map([['(negated)', -1]]));
  });
});
