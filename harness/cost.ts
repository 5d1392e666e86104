/**
 * Cost from `usage` × the shared price table (proxy/pricing.ts), overridable with a JSON
 * file, and the monthly projection.
 */
import { readFileSync } from 'node:fs';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { DEFAULT_PRICES, PRICES_AS_OF, estimateCost, type PriceTable } from '../proxy/pricing.js';

export { PRICES_AS_OF };

export class PriceFileError extends Error {
  override name = 'PriceFileError';
}

/**
 * Reads `{ "model": { "input": usdPer1M, "output": usdPer1M, "cachedInput"?: n } }`
 * (optionally wrapped as `{ "asOf": "...", "prices": {...} }`) and merges it over the defaults.
 */
export interface LoadedPrices {
  table: PriceTable;
  asOf: string;
  source: string;
  /** Only the entries the file set. */
  overrides: PriceTable;
}

export function loadPriceTable(file?: string): LoadedPrices {
  if (!file) return { table: { ...DEFAULT_PRICES }, asOf: PRICES_AS_OF, source: 'built-in', overrides: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PriceFileError(`--prices ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let asOf = `${PRICES_AS_OF} + ${file}`;
  if (raw && typeof raw === 'object' && 'prices' in raw) {
    if (typeof (raw as { asOf?: unknown }).asOf === 'string') asOf = (raw as unknown as { asOf: string }).asOf;
    raw = (raw as { prices: unknown }).prices;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PriceFileError(`--prices ${file}: expected an object of model → {input, output}`);
  const overrides: PriceTable = {};
  for (const [model, p] of Object.entries(raw)) {
    const price = p as { input?: unknown; output?: unknown; cachedInput?: unknown };
    if (typeof price?.input !== 'number' || typeof price.output !== 'number' || price.input < 0 || price.output < 0) {
      throw new PriceFileError(`--prices ${file}: "${model}" needs numeric "input" and "output" (USD per 1M tokens)`);
    }
    if (price.cachedInput !== undefined && (typeof price.cachedInput !== 'number' || price.cachedInput < 0)) {
      throw new PriceFileError(`--prices ${file}: "${model}".cachedInput must be a non-negative number (USD per 1M tokens)`);
    }
    overrides[model] = { input: price.input, output: price.output, ...(typeof price.cachedInput === 'number' ? { cachedInput: price.cachedInput } : {}) };
  }
  return { table: { ...DEFAULT_PRICES, ...overrides }, asOf, source: file, overrides };
}

export function usageOf(r: ChatCompletion | undefined): { inputTokens: number; outputTokens: number; cachedInputTokens?: number } | undefined {
  const u = r?.usage;
  if (!u) return undefined;
  const cached = u.prompt_tokens_details?.cached_tokens;
  return { inputTokens: u.prompt_tokens ?? 0, outputTokens: u.completion_tokens ?? 0, ...(cached ? { cachedInputTokens: cached } : {}) };
}

export function costOf(model: string | undefined, r: ChatCompletion | undefined, table: PriceTable): number | undefined {
  const usage = usageOf(r);
  if (!model || !usage) return undefined;
  return estimateCost(model, usage, table);
}
