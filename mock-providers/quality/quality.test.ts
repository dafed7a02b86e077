/**
 * The quality model over real HTTP: a fleet on port 0 with a cheap and a frontier model, the
 * shipped prompts (read as data) and the official `openai` client asking for log-probabilities.
 */
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type RunningFleet } from '../fleet.js';
import { FleetSchema, type Fleet } from '../fleet-schema.js';
import type { LedgerEntry } from '../ledger.js';
import { postChat, sdkFleet, until } from '../test-helpers.js';

interface Family { id: string; difficulty: number; paraphrases: string[]; document?: string; system?: string }
const shipped = JSON.parse(readFileSync(new URL('../../scenarios/data/prompt-families.json', import.meta.url), 'utf8')) as {
  families: Family[];
  documents: Record<string, string>;
};
/** every paraphrase (user text, as the workload sends it) of the families in a difficulty range */
function prompts(min: number, max: number): string[] {
  return shipped.families
    .filter((f) => f.difficulty >= min && f.difficulty <= max)
    .flatMap((f) => f.paraphrases.map((p) => (f.document ? `${p}\n\n${shipped.documents[f.document]}` : p)));
}

const model = (name: string, capability: number) => ({
  name,
  capability,
  price: { input: 1, output: 2 },
  ttftMs: { dist: 'constant', value: 1 },
  itlMs: { dist: 'constant', value: 0 },
  outputTokens: { dist: 'lognormal', median: 40, sigma: 0.5, min: 8, max: 120 },
});
function qualityFleet(seed: number): Fleet {
  return FleetSchema.parse({
    seed,
    providers: [{ name: 'acme', format: 'openai', regions: ['r1'], models: [model('cheap', 0.35), model('frontier', 0.88)] }],
  });
}

let fleet: RunningFleet;
let url: string;
const ledger = new Map<string, LedgerEntry>();
let n = 0;
const rid = (): string => `q-${++n}`;

beforeAll(async () => {
  fleet = await startFleet(qualityFleet(11), { ledger: (e) => ledger.set(e.requestId, e), control: false });
  url = fleet.endpoints[0]!.url;
});
afterAll(() => fleet?.close());

/** one non-stream call; its ledger verdict */
async function verdict(f: string, m: string, text: string, seedUrl = url, lines = ledger): Promise<boolean | null> {
  const id = rid();
  const res = await postChat(seedUrl, { model: m, messages: [{ role: 'user', content: text }], max_tokens: 8 }, { 'x-request-id': id });
  expect(res.status, f).toBe(200);
  await res.text();
  await until(() => lines.has(id));
  return lines.get(id)!.adequate;
}

describe('adequacy', () => {
  it('a frontier model is adequate on hard prompts far more often than a cheap one, and whenever the cheap one is', async () => {
    const hard = prompts(0.8, 1).slice(0, 24);
    expect(hard.length).toBe(24);
    const cheap: boolean[] = [];
    const frontier: boolean[] = [];
    for (const p of hard) {
      cheap.push((await verdict('hard', 'cheap', p))!);
      frontier.push((await verdict('hard', 'frontier', p))!);
    }
    const share = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
    expect(share(frontier)).toBeGreaterThanOrEqual(0.3);
    expect(share(cheap)).toBeLessThanOrEqual(0.1);
    cheap.forEach((ok, i) => (ok ? expect(frontier[i]).toBe(true) : undefined));
  });

  it('easy FAQ lookups are adequate from the cheap model too', async () => {
    const easy = prompts(0, 0.1).slice(0, 16);
    const ok = [];
    for (const p of easy) ok.push(await verdict('easy', 'cheap', p));
    expect(ok.filter(Boolean).length).toBeGreaterThanOrEqual(12);
  });

  it('the same seed and request give the same verdict; another seed changes some', async () => {
    const mid = prompts(0.4, 0.7).slice(0, 24);
    const other = new Map<string, LedgerEntry>();
    const again = await startFleet(qualityFleet(11), { ledger: (e) => other.set(e.requestId, e), control: false });
    const seed12 = await startFleet(qualityFleet(12), { ledger: (e) => other.set(e.requestId, e), control: false });
    try {
      const a: Array<boolean | null> = [];
      const b: Array<boolean | null> = [];
      const c: Array<boolean | null> = [];
      for (const p of mid) {
        a.push(await verdict('mid', 'cheap', p));
        b.push(await verdict('mid', 'cheap', p, again.endpoints[0]!.url, other));
        c.push(await verdict('mid', 'cheap', p, seed12.endpoints[0]!.url, other));
      }
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
    } finally {
      await Promise.all([again.close(), seed12.close()]);
    }
  });

  it('a gateway translating the request to another wire format gets the same verdict (same capability)', async () => {
    const lines = new Map<string, LedgerEntry>();
    const three = await startFleet(sdkFleet(11), { ledger: (e) => lines.set(e.requestId, e), control: false });
    const at = (id: string) => three.endpoints.find((e) => e.id === id)!.url;
    const post = async (url: string, body: unknown, id: string): Promise<boolean | null> => {
      const headers = { 'content-type': 'application/json', 'x-request-id': id };
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      await res.text();
      await until(() => lines.has(id));
      return lines.get(id)!.adequate;
    };
    const seen = new Set<boolean | null>();
    try {
      for (const text of prompts(0.3, 0.7).slice(0, 12)) {
        const system = 'You are an analyst.';
        const viaOpenai = await post(`${at('oai/r1')}/v1/chat/completions`, {
          model: 'gpt-x', messages: [{ role: 'system', content: system }, { role: 'user', content: text }],
        }, rid());
        const viaAnthropic = await post(`${at('ant/r1')}/v1/messages`, {
          model: 'claude-x', max_tokens: 16, system, messages: [{ role: 'user', content: [{ type: 'text', text }] }],
        }, rid());
        const viaGemini = await post(`${at('goo/r1')}/v1beta/models/gemini-x:generateContent`, {
          systemInstruction: { parts: [{ text: system }] }, contents: [{ role: 'user', parts: [{ text }] }],
        }, rid());
        expect([viaAnthropic, viaGemini]).toEqual([viaOpenai, viaOpenai]);
        seen.add(viaOpenai);
      }
      expect(seen).toEqual(new Set([true, false]));
    } finally {
      await three.close();
    }
  });

  it('the ledger has no verdict for a call that served no answer', async () => {
    const id = rid();
    const res = await postChat(url, { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': id });
    expect(res.status).toBe(404);
    await until(() => ledger.has(id));
    expect(ledger.get(id)).toMatchObject({ status: 404, adequate: null });
  });
});

describe('log-probabilities (official openai client)', () => {
  const client = () => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('come in OpenAI’s shape, one token per stream chunk, the same figures streamed and whole', async () => {
    const messages = [{ role: 'user' as const, content: prompts(0.5, 0.5)[0]! }];
    const whole = await client().chat.completions.create({ model: 'cheap', messages, logprobs: true, top_logprobs: 3 });
    const content = whole.choices[0]!.logprobs!.content!;
    expect(content.map((t) => t.token).join('')).toBe(whole.choices[0]!.message.content);
    for (const t of content) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.bytes).toEqual([...Buffer.from(t.token)]);
      expect(t.top_logprobs).toHaveLength(3);
      const lps = t.top_logprobs.map((x) => x.logprob);
      expect(lps).toEqual([...lps].sort((x, y) => y - x));
      expect(lps.reduce((s, x) => s + Math.exp(x), 0)).toBeLessThanOrEqual(1 + 1e-6);
    }
    const stream = await client().chat.completions.create({ model: 'cheap', messages, logprobs: true, top_logprobs: 3, stream: true });
    const streamed: OpenAI.ChatCompletionTokenLogprob[] = [];
    let text = '';
    for await (const chunk of stream) {
      streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(streamed.map((t) => t.token).join('')).toBe(text);
    // each call draws its own length; the tokens they share (all but a last one) carry the same figures
    const k = Math.min(streamed.length, content.length) - 1;
    expect(k).toBeGreaterThan(3);
    expect(streamed.slice(0, k)).toEqual(content.slice(0, k));

    const plain = await client().chat.completions.create({ model: 'cheap', messages, logprobs: true });
    expect(plain.choices[0]!.logprobs!.content![0]!.top_logprobs).toEqual([]);
    const none = await client().chat.completions.create({ model: 'cheap', messages });
    expect(none.choices[0]!.logprobs).toBeNull();
  });

  it('are lower for inadequate answers (with overlap) and higher for the more capable model', async () => {
    const texts = prompts(0.3, 0.95).filter((_, i) => i % 4 === 0).slice(0, 40);
    const byVerdict = { adequate: [] as number[], inadequate: [] as number[] };
    const byModel: Record<string, number[]> = { cheap: [], frontier: [] };
    for (const text of texts) {
      for (const m of ['cheap', 'frontier']) {
        const id = rid();
        const r = await client().chat.completions.create(
          { model: m, messages: [{ role: 'user', content: text }], logprobs: true },
          { headers: { 'x-request-id': id } },
        );
        const mlp = mean(r.choices[0]!.logprobs!.content!.map((t) => t.logprob));
        await until(() => ledger.has(id));
        byVerdict[ledger.get(id)!.adequate ? 'adequate' : 'inadequate'].push(mlp);
        byModel[m]!.push(mlp);
      }
    }
    expect(byVerdict.adequate.length).toBeGreaterThanOrEqual(10);
    expect(byVerdict.inadequate.length).toBeGreaterThanOrEqual(10);
    expect(mean(byVerdict.adequate) - mean(byVerdict.inadequate)).toBeGreaterThan(0.3);
    expect(mean(byModel.frontier!)).toBeGreaterThan(mean(byModel.cheap!) + 0.15);
    // a confidence threshold at the midpoint separates most answers, not all: the groups overlap
    const cut = (mean(byVerdict.adequate) + mean(byVerdict.inadequate)) / 2;
    const wrong = byVerdict.adequate.filter((x) => x < cut).length + byVerdict.inadequate.filter((x) => x >= cut).length;
    expect(wrong / (byVerdict.adequate.length + byVerdict.inadequate.length)).toBeLessThan(0.25);
  });

  it('top_logprobs without logprobs is a 400 naming the field', async () => {
    const res = await postChat(url, { model: 'cheap', messages: [{ role: 'user', content: 'hi' }], top_logprobs: 2 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('top_logprobs');
  });
});
