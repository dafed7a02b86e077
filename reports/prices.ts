/**
 * Model prices (USD per 1M tokens) from a run's resolved configs: the gateway's price table
 * (gateway.json `prices`, keys `model` or `provider/model`) first, then the mock fleet's
 * (fleet.json `providers[].models[].price`). Used to estimate what cache hits saved. Read
 * loosely: reports never import the gateway or the mock fleet, and a config they cannot read
 * only means no estimate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const PriceSchema = z.looseObject({ input: z.number().nonnegative(), output: z.number().nonnegative() });
export type Price = z.output<typeof PriceSchema>;

const GatewayPricesSchema = z.looseObject({ prices: z.record(z.string(), PriceSchema) });
const FleetPricesSchema = z.looseObject({
  providers: z.array(z.looseObject({ name: z.string(), models: z.array(z.looseObject({ name: z.string(), price: PriceSchema })) })),
});

export interface PriceTable {
  /** `provider/model` and `model` keys */
  prices: Map<string, Price>;
  sources: string[];
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function readPriceTable(gatewayJson: string, fleetJson: string): PriceTable {
  const prices = new Map<string, Price>();
  const sources: string[] = [];
  const gw = GatewayPricesSchema.safeParse(readJson(gatewayJson));
  if (gw.success) {
    for (const [k, p] of Object.entries(gw.data.prices)) prices.set(k, p);
    sources.push('gateway.json');
  }
  const fleet = FleetPricesSchema.safeParse(readJson(fleetJson));
  if (fleet.success) {
    for (const prov of fleet.data.providers) {
      for (const m of prov.models) {
        if (!prices.has(`${prov.name}/${m.name}`)) prices.set(`${prov.name}/${m.name}`, m.price);
        if (!prices.has(m.name)) prices.set(m.name, m.price);
      }
    }
    sources.push('fleet.json');
  }
  return { prices, sources };
}

export function priceOf(table: PriceTable, provider: string, model: string): Price | undefined {
  return (provider ? table.prices.get(`${provider}/${model}`) : undefined) ?? table.prices.get(model);
}

export function costOf(price: Price, tokensIn: number, tokensOut: number): number {
  return (tokensIn * price.input + tokensOut * price.output) / 1e6;
}
