import { describe, expect, it } from 'vitest';
import { classifyComplexity, promptText } from './complexity.js';
import { lengthOnlyAccuracy, loadLabelled, score } from './complexity-eval.js';

const prompts = loadLabelled();
const classify = (text: string) => classifyComplexity(text).level;

describe('complexity classifier', () => {
  it('ships a varied labelled set that length alone does not classify', () => {
    expect(prompts.length).toBeGreaterThanOrEqual(150);
    const complex = prompts.filter((p) => p.label === 'complex').length;
    expect(complex / prompts.length).toBeGreaterThan(0.4);
    expect(complex / prompts.length).toBeLessThan(0.6);
    expect(lengthOnlyAccuracy(prompts)).toBeLessThan(0.75);
  });

  it('classifies the labelled prompts above the accuracy floor, held-out ones included', () => {
    const tuning = score(prompts.filter((p) => p.split === 'tuning'), classify);
    const holdout = score(prompts.filter((p) => p.split === 'holdout'), classify);
    expect(tuning.accuracy).toBeGreaterThan(0.9);
    expect(holdout.accuracy).toBeGreaterThan(0.85);
    expect(holdout.precision).toBeGreaterThan(0.8);
    expect(holdout.recall).toBeGreaterThan(0.8);
  });

  it('does not go by length: a long pasted text to translate is simple, a one-line proof is complex', () => {
    const paragraph = 'The museum opens at nine and closes at six. Tickets are sold online and at the door. '.repeat(8);
    expect(classifyComplexity(`Translate into German: "${paragraph}"`).level).toBe('simple');
    expect(classifyComplexity('Prove that √2 is irrational.').level).toBe('complex');
    const code = 'Find the bug:\n```js\nfor (let i = 0; i <= a.length; i++) sum += a[i];\n```';
    expect(classifyComplexity(code).level).toBe('complex');
  });

  it('honours the threshold', () => {
    const { score: s } = classifyComplexity('Explain monads with a real example.');
    expect(classifyComplexity('Explain monads with a real example.', s).level).toBe('complex');
    expect(classifyComplexity('Explain monads with a real example.', s + 0.01).level).toBe('simple');
  });

  it('reads the last user message, as a string or text parts', () => {
    const turns = [{ role: 'user' as const, content: 'a' }, { role: 'assistant' as const, content: 'b' }];
    expect(promptText({ model: 'm', messages: turns })).toBe('a');
    const image = { type: 'image_url', image_url: { url: 'x' } };
    const parts = [{ type: 'text', text: 'one' }, image, { type: 'text', text: 'two' }];
    expect(promptText({ model: 'm', messages: [{ role: 'user', content: parts }] })).toBe('one\ntwo');
    expect(promptText({ model: 'm', messages: [{ role: 'system', content: 's' }] })).toBe('');
  });
});
