/**
 * On-demand list prices in USD per 1M tokens, shared by the proxy's cost tracking and
 * the parity harness. Dated: prices change, so users can override any entry
 * (config `prices`, or `--prices FILE` in the harness).
 */
export const PRICES_AS_OF = '2026-11-01';

export interface ModelPrice {
  input: number;
  output: number;
  /** Cache-read input tokens; defaults to `input` when unknown. */
  cachedInput?: number;
}

export type PriceTable = Record<string, ModelPrice>;

export const DEFAULT_PRICES: PriceTable = {
  'amazon.nova-micro-v1:0': { input: 0.035, output: 0.14, cachedInput: 0.00875 },
  'amazon.nova-lite-v1:0': { input: 0.06, output: 0.24, cachedInput: 0.015 },
  'amazon.nova-pro-v1:0': { input: 0.8, output: 3.2, cachedInput: 0.2 },
  'amazon.nova-premier-v1:0': { input: 2.5, output: 12.5 },
  'amazon.nova-2-lite-v1:0': { input: 0.3, output: 2.5 },
  // Embeddings: input tokens only. Nova Multimodal Embeddings has no published per-token text price here: unpriced.
  'amazon.titan-embed-text-v2:0': { input: 0.02, output: 0 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
};

const PROFILE_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;
const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$|-\d{4}$/;

/**
 * Price for a model ID as written by a client or sent to Bedrock: inference-profile
 * prefixes and dated OpenAI snapshots (`gpt-4o-2024-08-06`, `gpt-3.5-turbo-0125`) fall
 * back to their base entry. Regional profiles can cost more than this table says.
 */
export function priceFor(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | undefined {
  if (table[model]) return table[model];
  const base = model.replace(PROFILE_PREFIX, '').replace(DATED_SNAPSHOT, '');
  return table[base];
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  /** Included in `inputTokens` (OpenAI semantics); billed at the cached rate. */
  cachedInputTokens?: number;
}

/** Estimated USD cost, or undefined when the model has no price. */
export function estimateCost(model: string, tokens: TokenCounts, table: PriceTable = DEFAULT_PRICES): number | undefined {
  const price = priceFor(model, table);
  if (!price) return undefined;
  const cached = Math.min(tokens.cachedInputTokens ?? 0, tokens.inputTokens);
  const fresh = tokens.inputTokens - cached;
  return (fresh * price.input + cached * (price.cachedInput ?? price.input) + tokens.outputTokens * price.output) / 1_000_000;
}
