import { describe, expect, it } from 'vitest';
import { chatPromptTokens } from '../core/tokens.js';
import { SpecSchema, type Spec } from './spec-schema.js';
import { planRequest, requestId, scenarioName } from './workload.js';

const spec: Spec = SpecSchema.parse({
  name: 'mix.test',
  arrival: { executor: 'constant-arrival-rate', rate: 10, duration: '1s' },
  workload: {
    seed: 7,
    classes: [
      { name: 'chat', weight: 3, model: 'gpt-4.1-mini', streamRatio: 0.8, promptTokens: { dist: 'lognormal', median: 220, sigma: 0.7, min: 8, max: 4000 }, maxTokens: { dist: 'constant', value: 64 } },
      { name: 'summarize', weight: 1, model: 'claude-x', streamRatio: 0.25, promptTokens: { dist: 'uniform', min: 800, max: 1600 }, maxTokens: { dist: 'uniform', min: 60, max: 200 } },
    ],
  },
});

describe('planRequest', () => {
  it('is a pure function of (seed, index): any runner regenerates request i alone', () => {
    const a = planRequest(spec, 1234);
    expect(planRequest(spec, 1234)).toEqual(a);
    expect(planRequest(spec, 1235)).not.toEqual(a);
    const reseeded = planRequest({ ...spec, workload: { ...spec.workload, seed: 8 } }, 1234);
    expect(reseeded.body.messages).not.toEqual(a.body.messages);
  });

  it('builds an OpenAI chat request with ids and tags', () => {
    const p = planRequest(spec, 3);
    expect(p.id).toBe('mix.test-3');
    expect(requestId(spec, 3)).toBe(p.id);
    expect(scenarioName(spec)).toBe('mix_test');
    expect(p.tags).toEqual({ scenario: 'mix_test', class: p.className, model: p.model, stream: String(p.stream) });
    expect(p.body.model).toBe(p.model);
    expect(p.body.max_tokens).toBe(p.maxTokens);
    expect(p.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(p.body.stream).toBe(p.stream);
    if (p.stream) expect(p.body.stream_options).toEqual({ include_usage: true });
    else expect(p.body.stream_options).toBeUndefined();
  });

  it('follows class weights and stream ratios over 2000 plans', () => {
    const plans = Array.from({ length: 2000 }, (_, i) => planRequest(spec, i));
    const chat = plans.filter((p) => p.className === 'chat');
    const summ = plans.filter((p) => p.className === 'summarize');
    expect(chat.length / plans.length).toBeGreaterThan(0.71);
    expect(chat.length / plans.length).toBeLessThan(0.79);
    expect(chat.filter((p) => p.stream).length / chat.length).toBeGreaterThan(0.76);
    expect(chat.filter((p) => p.stream).length / chat.length).toBeLessThan(0.84);
    expect(summ.filter((p) => p.stream).length / summ.length).toBeGreaterThan(0.2);
    expect(summ.filter((p) => p.stream).length / summ.length).toBeLessThan(0.3);
    expect(summ.every((p) => p.model === 'claude-x' && p.promptTokens >= 800 && p.promptTokens <= 1600)).toBe(true);
    expect(chat.every((p) => p.maxTokens === 64)).toBe(true);
    // varied prompts
    expect(new Set(plans.map((p) => p.body.messages[1]!.content)).size).toBe(plans.length);
  });

  it('sizes the prompt to the drawn token count', () => {
    for (let i = 0; i < 300; i++) {
      const p = planRequest(spec, i);
      const est = chatPromptTokens(p.body.messages);
      if (p.promptTokens >= 24) expect(est).toBe(p.promptTokens);
      else expect(est).toBeLessThanOrEqual(20); // tiny draws: the minimum message overhead
      expect(p.body.messages[1]!.content).toMatch(/^[A-Z]/);
    }
  });
});
