/**
 * A request class: one kind of traffic in the mix (who sends it, what for, how urgent, how it is
 * worded and sized, single request or conversation). Classes are drawn by weight per iteration.
 */
import { z } from 'zod';
import { DistSchema } from '../core/dist-schema.js';
import { familyIds, unknownSelectors } from './families.js';

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'lowercase letters, digits, ".", "_" or "-"' });
/** a header-safe, tag-safe label */
const label = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: 'letters, digits, ".", "_", ":" or "-" (at most 64)' });

export const DatasetItemSchema = z.object({
  prompt: z.string().min(1),
  intent: z.string().min(1).optional(),
  system: z.string().min(1).optional(),
  /** 0 (easy) … 1 (hard): what the mock fleet's quality model reads from its difficulty table; never sent */
  difficulty: z.number().min(0).max(1).optional(),
});
export type DatasetItem = z.output<typeof DatasetItemSchema>;

export const PromptSourceSchema = z.discriminatedUnion('source', [
  /** seeded filler prose sized by the class's `promptTokens` */
  z.strictObject({ source: z.literal('generated') }),
  /**
   * the shipped paraphrase families (scenarios/data/prompt-families.json); every request is
   * tagged with its family's `intent`, so a cache answer reused across intents can be counted
   */
  z
    .strictObject({
      source: z.literal('families'),
      /** family ids, intents, domains (`support`), pair names (`cancel`) or `prefix-*`; all when absent */
      families: z.array(z.string().min(1)).min(1).optional(),
      /** popularity: family k (in file order) drawn with weight 1/k^zipf; 0 = uniform */
      zipf: z.number().min(0).max(4).default(1),
      /** share of requests that use the canonical wording (exact repeats); the rest spread over paraphrases */
      canonicalShare: z.number().min(0).max(1).default(0.3),
    })
    .superRefine((s, ctx) => {
      const unknown = s.families ? unknownSelectors(s.families) : [];
      for (const u of unknown) {
        ctx.addIssue({
          code: 'custom',
          path: ['families', s.families!.indexOf(u)],
          message: `a family id, intent, domain, pair or prefix-* (known ids: ${familyIds().join(', ')})`,
        });
      }
    }),
  /** prompts from a file (JSON array or JSONL of {prompt, intent?, system?}); loadSpec inlines it as `items` */
  z
    .strictObject({
      source: z.literal('dataset'),
      /** path relative to the spec file */
      file: z.string().min(1).optional(),
      items: z.array(DatasetItemSchema).min(1).optional(),
      order: z.enum(['random', 'sequential']).default('random'),
    })
    .refine((s) => s.file !== undefined || s.items !== undefined, { message: 'a `file` or inline `items`', path: ['file'] }),
]);
export type PromptSource = z.output<typeof PromptSourceSchema>;

export const ConversationSchema = z.strictObject({
  /** user turns per conversation (≥ 1); each turn resends the history with the previous answer */
  turns: DistSchema,
  /** pause between an answer and the next user turn, ms */
  thinkTimeMs: DistSchema.default({ dist: 'constant', value: 0 }),
  /** size of each follow-up user message, tokens */
  followUpTokens: DistSchema.default({ dist: 'lognormal', median: 30, sigma: 0.6, min: 4, max: 400 }),
});
export type Conversation = z.output<typeof ConversationSchema>;

export const ResidencySchema = z.strictObject({
  /** sent as `x-stormlab-residency` and tagged `residency` */
  zone: label,
  /** provider regions allowed to serve it; a response from elsewhere counts in `residency_violation` */
  regions: z.array(z.string().min(1)).min(1),
});

export const RequestClassSchema = z
  .strictObject({
    name,
    weight: z.number().positive().default(1),
    model: z.string().min(1),
    /** fraction of requests of this class sent with `stream: true` (1 = always, 0 = never) */
    streamRatio: z.number().min(0).max(1).default(1),
    /** who sends it: header `x-stormlab-tenant`, tag `tenant` */
    tenant: label.optional(),
    /** the client's API key: `authorization: Bearer <apiKey>` (overrides the target's) */
    apiKey: z.string().min(1).optional(),
    /** product feature: header `x-stormlab-feature`, tag `feature` */
    feature: label.optional(),
    /** plan tier: header `x-stormlab-tier`, tag `tier` */
    tier: label.optional(),
    /** scheduling priority: header `x-stormlab-priority`, tag `priority` */
    priority: label.optional(),
    residency: ResidencySchema.optional(),
    /** where its users are (a region of the spec's `topology`): the lab routes them to the nearest gateway; tag `client_region` */
    clientRegion: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'a region name: lowercase letters, digits and "-"' }).optional(),
    /** more request headers for this class */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, { message: 'an HTTP header name' }), z.string()).default({}),
    prompt: PromptSourceSchema.default({ source: 'generated' }),
    /** prompt size in tokens; required for generated prompts (families and datasets carry their own text) */
    promptTokens: DistSchema.optional(),
    maxTokens: DistSchema,
    conversation: ConversationSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.prompt.source === 'generated' && !c.promptTokens) {
      ctx.addIssue({ code: 'custom', path: ['promptTokens'], message: 'a token distribution (required when prompt.source is generated)' });
    }
  });
export type RequestClass = z.output<typeof RequestClassSchema>;
