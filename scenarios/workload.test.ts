import { describe, expect, it } from 'vitest';
import { chatPromptTokens } from '../core/tokens.js';
import { SpecSchema, type Spec } from './spec-schema.js';
import { hasNextTurn, intentOfRequestId, nextTurn, parseRequestId, planRequest, requestId, scenarioName } from './workload.js';

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
    expect(p.headers).toEqual({});
    expect(p.conversation).toBeUndefined();
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

describe('request classes', () => {
  const rich: Spec = SpecSchema.parse({
    name: 'rich',
    arrival: { executor: 'constant-arrival-rate', rate: 10, duration: '1s' },
    workload: {
      seed: 4,
      classes: [
        {
          name: 'faq',
          model: 'gpt-4.1-nano',
          tenant: 'acme',
          apiKey: 'sk-1',
          feature: 'faq-bot',
          tier: 'pro',
          priority: 'interactive',
          residency: { zone: 'eu', regions: ['eu-west'] },
          prompt: { source: 'families', families: ['support'], zipf: 1, canonicalShare: 0.5 },
          maxTokens: { dist: 'constant', value: 50 },
        },
        {
          name: 'tickets',
          model: 'm',
          prompt: { source: 'dataset', order: 'sequential', items: [{ prompt: 'first ticket', intent: 'a' }, { prompt: 'second ticket', intent: 'b', system: 'Be kind.' }] },
          maxTokens: { dist: 'constant', value: 20 },
        },
        {
          name: 'chat',
          model: 'm',
          promptTokens: { dist: 'constant', value: 100 },
          maxTokens: { dist: 'constant', value: 20 },
          conversation: { turns: { dist: 'uniform', min: 2, max: 4 }, thinkTimeMs: { dist: 'constant', value: 250 } },
        },
      ],
    },
  });
  const plans = Array.from({ length: 600 }, (_, i) => planRequest(rich, i));

  it('carry identity as headers and tags', () => {
    const p = plans.find((x) => x.className === 'faq')!;
    expect(p.headers).toEqual({
      authorization: 'Bearer sk-1',
      'x-stormlab-tenant': 'acme',
      'x-stormlab-feature': 'faq-bot',
      'x-stormlab-tier': 'pro',
      'x-stormlab-priority': 'interactive',
      'x-stormlab-residency': 'eu',
    });
    expect(p.tags).toMatchObject({ tenant: 'acme', feature: 'faq-bot', tier: 'pro', priority: 'interactive', residency: 'eu', intent: p.intent });
    expect(p.allowedRegions).toEqual(['eu-west']);
    const t = plans.find((x) => x.className === 'tickets')!;
    expect(t.headers).toEqual({});
    expect(Object.keys(t.tags).sort()).toEqual(['class', 'intent', 'model', 'scenario', 'stream']);
  });

  it('families: paraphrases under intent labels, popular families and the canonical wording repeat', () => {
    const faq = plans.filter((x) => x.className === 'faq');
    const byIntent = new Map<string, Set<string>>();
    for (const p of faq) {
      const set = byIntent.get(p.intent!) ?? new Set();
      set.add(p.body.messages[1]!.content);
      byIntent.set(p.intent!, set);
      expect(chatPromptTokens(p.body.messages)).toBe(p.promptTokens);
    }
    expect(byIntent.size).toBeGreaterThan(5);
    expect([...byIntent.values()].some((s) => s.size >= 3)).toBe(true); // several wordings of one intent
    const texts = faq.map((p) => p.body.messages[1]!.content);
    expect(new Set(texts).size).toBeLessThan(texts.length / 2); // exact repeats for an exact cache
    const top = faq.filter((p) => p.intent === 'cancel_subscription').length; // rank 1 under Zipf
    expect(top).toBeGreaterThan(faq.length / 8);
  });

  it('datasets: items in order (sequential) with their intent and system prompt', () => {
    const t = plans.filter((x) => x.className === 'tickets');
    for (const p of t) {
      const item = p.index % 2 === 0 ? { text: 'first ticket', intent: 'a' } : { text: 'second ticket', intent: 'b' };
      expect(p.body.messages[1]!.content).toBe(item.text);
      expect(p.intent).toBe(item.intent);
    }
    expect(t.find((p) => p.intent === 'b')!.body.messages[0]!.content).toBe('Be kind.');
  });

  it('conversations: a seeded number of turns; each next turn appends the answer and a new question', () => {
    const c = plans.find((x) => x.className === 'chat')!;
    expect(c.conversation).toEqual({ id: `rich-${c.index}`, turn: 0, turns: expect.any(Number), thinkTimeMs: 250 });
    expect(c.conversation!.turns).toBeGreaterThanOrEqual(2);
    expect(c.headers['x-stormlab-conversation']).toBe(`rich-${c.index}`);
    expect(hasNextTurn(c)).toBe(true);
    const next = nextTurn(rich, c, 'The answer.');
    expect(next.id).toBe(`rich-${c.index}.1`);
    expect(parseRequestId(rich, next.id)).toEqual({ index: c.index, turn: 1 });
    expect(next.body.messages.slice(0, 2)).toEqual(c.body.messages);
    expect(next.body.messages[2]).toEqual({ role: 'assistant', content: 'The answer.' });
    expect(next.body.messages[3]!.role).toBe('user');
    expect(next.tags.turn).toBe('1');
    expect(next.promptTokens).toBe(chatPromptTokens(next.body.messages));
    expect(nextTurn(rich, c, 'The answer.')).toEqual(next); // seeded
    let last = next;
    while (hasNextTurn(last)) last = nextTurn(rich, last, 'more');
    expect(last.conversation!.turn).toBe(c.conversation!.turns - 1);
  });

  it('the intent of a request id, for false-hit counting', () => {
    const p = plans.find((x) => x.className === 'faq')!;
    expect(intentOfRequestId(rich, p.id)).toBe(p.intent);
    expect(intentOfRequestId(rich, `${p.id}.2`)).toBe(p.intent);
    expect(intentOfRequestId(rich, 'other-3')).toBeUndefined();
  });
});

describe('class validation', () => {
  const base = { name: 's', arrival: { executor: 'constant-arrival-rate', rate: 1, duration: '1s' } };
  const issues = (classes: unknown[]): string[] => {
    const r = SpecSchema.safeParse({ ...base, workload: { classes } });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('names the field and what was expected', () => {
    expect(issues([{ name: 'a', model: 'm', maxTokens: { dist: 'constant', value: 1 } }])).toEqual([
      'workload.classes.0.promptTokens: a token distribution (required when prompt.source is generated)',
    ]);
    expect(issues([{ name: 'a', model: 'm', prompt: { source: 'families', families: ['nope'] }, maxTokens: { dist: 'constant', value: 1 } }])[0]).toMatch(
      /^workload\.classes\.0\.prompt\.families\.0: a family id, intent, domain, pair or prefix-\* \(known ids: cancel-subscription, /,
    );
    expect(issues([{ name: 'a', model: 'm', prompt: { source: 'dataset' }, maxTokens: { dist: 'constant', value: 1 } }])).toEqual([
      'workload.classes.0.prompt.file: a `file` or inline `items`',
    ]);
    const twice = { name: 'a', model: 'm', promptTokens: { dist: 'constant', value: 1 }, maxTokens: { dist: 'constant', value: 1 } };
    expect(issues([twice, twice])).toEqual(['workload.classes.1.name: a class name used once (a repeats)']);
    expect(issues([{ ...twice, priority: 'very urgent' }])[0]).toMatch(/^workload\.classes\.0\.priority: letters, digits/);
  });
});
