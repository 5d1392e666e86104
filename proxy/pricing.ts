/**
 * On-demand list prices in USD per 1M tokens, shared by the proxy's cost tracking
 * (`x-nova-cost-usd`, metrics) and the parity harness. Every entry says where its figure
 * comes from and the date it took effect, so a finance reviewer can check it; prices
 * change, so users can override any entry (proxy config `prices`, or `--prices FILE` in
 * the harness).
 *
 * Lookup takes the model ID exactly as billed: Bedrock inference-profile prefixes matter
 * (`global.amazon.nova-2-lite-v1:0` costs less than `us.`/`eu.` or in-region), and dated
 * OpenAI snapshots can have their own price (`gpt-4o-2024-05-13`).
 */

/** When this table was compiled from the sources its entries name. */
export const PRICES_AS_OF = '2026-12-06';

export interface ModelPrice {
  input: number;
  output: number;
  /** Cache-read input tokens; `input` applies when unset. */
  cachedInput?: number;
  /** Where the figure is published (absent for user overrides). */
  source?: string;
  /** The date the figure took effect or was published (YYYY-MM-DD). */
  asOf?: string;
  /** The model is retired on this date: its price is kept for historic reports only. */
  endOfLife?: string;
  note?: string;
}

export type PriceTable = Record<string, ModelPrice>;

const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';
const OPENAI = 'https://platform.openai.com/docs/pricing';
const OPENAI_LEGACY = 'https://platform.openai.com/docs/pricing (legacy models)';
const ISSUE = 'as listed in nova-migrate issue 8 from';

/** Bedrock bills Nova cache reads at a 75% discount on the input rate. */
const novaCached = (input: number) => Math.round(input * 0.25 * 1e6) / 1e6;

function nova(input: number, output: number, asOf: string, extra: Partial<ModelPrice> = {}): ModelPrice {
  return { input, output, cachedInput: novaCached(input), source: BEDROCK, asOf, ...extra };
}

function gpt(input: number, output: number, cachedInput: number | undefined, asOf: string, source = OPENAI): ModelPrice {
  return { input, output, ...(cachedInput !== undefined ? { cachedInput } : {}), source, asOf };
}

export const DEFAULT_PRICES: PriceTable = {
  // ---- Amazon Nova (Bedrock, on-demand, standard tier; us-east-1 list prices)
  'amazon.nova-micro-v1:0': nova(0.035, 0.14, '2024-12-03'),
  'amazon.nova-lite-v1:0': nova(0.06, 0.24, '2024-12-03'),
  'amazon.nova-pro-v1:0': nova(0.8, 3.2, '2024-12-03'),
  'amazon.nova-premier-v1:0': nova(2.5, 12.5, '2025-04-30', {
    endOfLife: '2026-09-14',
    note: 'end of life 2026-09-14: kept to price historic reports only',
  }),
  // Nova 2 Lite: in-region and geo profiles (`us.`, `eu.`) share one price; the global profile is cheaper.
  'amazon.nova-2-lite-v1:0': { ...nova(0.33, 2.75, '2025-12-02'), source: `${ISSUE} ${BEDROCK}`, note: 'in-region and geo (us./eu./apac.) inference profiles' },
  'global.amazon.nova-2-lite-v1:0': { ...nova(0.3, 2.5, '2025-12-02'), source: `${ISSUE} ${BEDROCK}`, note: 'global cross-region inference profile' },

  // ---- Embeddings (input tokens only)
  'amazon.titan-embed-text-v2:0': { input: 0.02, output: 0, source: `${BEDROCK} ($0.00002 per 1,000 input tokens)`, asOf: '2024-04-30' },
  // amazon.nova-2-multimodal-embeddings-v1:0: no per-token price found (see PRICE_GAPS); unpriced.

  // ---- OpenAI (standard tier). Cached-input rates where OpenAI publishes one.
  'gpt-4o': gpt(2.5, 10, 1.25, '2024-10-01'),
  'gpt-4o-2024-11-20': gpt(2.5, 10, 1.25, '2024-11-20'),
  'gpt-4o-2024-08-06': gpt(2.5, 10, 1.25, '2024-10-01'),
  'gpt-4o-2024-05-13': gpt(5, 15, undefined, '2024-05-13', `${ISSUE} ${OPENAI}`),
  'chatgpt-4o-latest': gpt(5, 15, undefined, '2024-08-13'),
  'gpt-4o-mini': gpt(0.15, 0.6, 0.075, '2024-10-01'),
  'gpt-4o-mini-2024-07-18': gpt(0.15, 0.6, 0.075, '2024-10-01'),
  'gpt-4.1': gpt(2, 8, 0.5, '2025-04-14'),
  'gpt-4.1-mini': gpt(0.4, 1.6, 0.1, '2025-04-14'),
  'gpt-4.1-nano': gpt(0.1, 0.4, 0.025, '2025-04-14'),
  'gpt-5': gpt(1.25, 10, 0.125, '2025-08-07'),
  'gpt-5-mini': gpt(0.25, 2, 0.025, '2025-08-07'),
  'gpt-5-nano': gpt(0.05, 0.4, 0.005, '2025-08-07'),
  'gpt-5-chat-latest': gpt(1.25, 10, 0.125, '2025-08-07'),
  'gpt-5.1': gpt(1.25, 10, 0.125, '2025-11-13'),
  'gpt-5-pro': gpt(15, 120, undefined, '2025-10-06'),
  'o1': gpt(15, 60, 7.5, '2024-12-17'),
  'o1-mini': gpt(1.1, 4.4, 0.55, '2024-09-12'),
  'o1-pro': gpt(150, 600, undefined, '2025-03-19'),
  'o3': gpt(2, 8, 0.5, '2025-06-10'),
  'o3-mini': gpt(1.1, 4.4, 0.55, '2025-01-31'),
  'o3-pro': gpt(20, 80, undefined, '2025-06-10'),
  'o4-mini': gpt(1.1, 4.4, 0.275, '2025-04-16'),
  'gpt-4-turbo': gpt(10, 30, undefined, '2024-04-09', OPENAI_LEGACY),
  'gpt-4-turbo-2024-04-09': gpt(10, 30, undefined, '2024-04-09', OPENAI_LEGACY),
  'gpt-4-0125-preview': gpt(10, 30, undefined, '2024-01-25', OPENAI_LEGACY),
  'gpt-4-1106-preview': gpt(10, 30, undefined, '2023-11-06', OPENAI_LEGACY),
  'gpt-4': gpt(30, 60, undefined, '2023-06-13', OPENAI_LEGACY),
  'gpt-4-32k': gpt(60, 120, undefined, '2023-06-13', OPENAI_LEGACY),
  'gpt-3.5-turbo': gpt(0.5, 1.5, undefined, '2024-01-25', OPENAI_LEGACY),
  'gpt-3.5-turbo-1106': gpt(1, 2, undefined, '2023-11-06', OPENAI_LEGACY),
  'gpt-3.5-turbo-0613': gpt(1.5, 2, undefined, '2023-06-13', OPENAI_LEGACY),
};

/** Models the proxy or harness may meet whose price could not be found; they stay unpriced. */
export const PRICE_GAPS: Readonly<Record<string, string>> = {
  'amazon.nova-2-multimodal-embeddings-v1:0': `no per-token text price found on ${BEDROCK} when this table was compiled; add one with config "prices" or --prices`,
};

/** Regional price differences: none are in the table (the figures above are us-east-1 list prices). */
export const REGIONAL_PRICES_NOTE = 'us-east-1 list prices; other regions can cost more and are not in the built-in table (override with "prices" / --prices).';

const GEO_PREFIX = /^(us|eu|apac|us-gov|jp|au|ca)\./;
const GLOBAL_PREFIX = /^global\./;
const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$|-\d{4}$/;

/**
 * Price for a model ID as billed (what a client sent or what went to Bedrock):
 * 1. the exact ID (`global.amazon.nova-2-lite-v1:0`, `gpt-4o-2024-05-13`);
 * 2. without its inference-profile prefix (geo and in-region profiles share a price;
 *    a global profile falls back to it only when the model has no global entry);
 * 3. a dated OpenAI snapshot without a price of its own: its family's price.
 */
export function priceFor(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | undefined {
  if (table[model]) return table[model];
  const bare = model.replace(GEO_PREFIX, '').replace(GLOBAL_PREFIX, '');
  if (bare !== model && table[bare]) return table[bare];
  const family = bare.replace(DATED_SNAPSHOT, '');
  return family !== bare ? table[family] : undefined;
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
