/** `models:`, what the gateway knows of each model beyond its price (keyed like `prices`). */
import { z } from 'zod';

export const ModelInfoSchema = z.strictObject({
  /** prompt + output tokens the model accepts */
  contextWindow: z.int().positive().optional(),
});
export const ModelsSchema = z.record(z.string().min(1), ModelInfoSchema);
export type ModelInfo = z.output<typeof ModelInfoSchema>;

export function modelInfo(models: Readonly<Record<string, ModelInfo>>, provider: string, model: string): ModelInfo | undefined {
  return models[`${provider}/${model}`] ?? models[model];
}
