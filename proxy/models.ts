/**
 * Model table and alias resolution. Pure: no AWS calls, so `/v1/models` and `/health`
 * answer instantly and the same resolver serves the proxy, the harness and the CLI.
 */

export interface NovaModel {
  /** Bare foundation-model ID. */
  id: string;
  generation: 1 | 2;
  /** Accepts image content blocks. */
  images: boolean;
  /** Supports `additionalModelRequestFields.reasoningConfig` (Nova 2). Sending it to v1 models is an error. */
  reasoning: boolean;
  /**
   * How `response_format: json_schema` is served: `native` uses Converse
   * `outputConfig.textFormat`; `tool` emulates it with a forced tool call.
   */
  structuredOutput: 'native' | 'tool';
  contextWindow: number;
  maxOutputTokens: number;
  /** Cross-region inference profiles that exist for the model. */
  profiles: readonly InferenceProfilePrefix[];
  /**
   * Bedrock serves the bare ID on demand in the caller's region. False for models offered
   * only through inference profiles (Nova 2 Lite, Nova Premier): aliases to them always get one.
   */
  onDemand: boolean;
  /** End of life announced by AWS (ISO date). No default alias may point at such a model. */
  endOfLife?: string;
}

export type InferenceProfilePrefix = 'us' | 'eu' | 'apac' | 'global';
/** `auto` picks the profile prefix from the region; `none` sends bare IDs. */
export type InferenceProfileSetting = InferenceProfilePrefix | 'auto' | 'none';

export const NOVA_MODELS: Readonly<Record<string, NovaModel>> = {
  'amazon.nova-micro-v1:0': {
    id: 'amazon.nova-micro-v1:0', generation: 1, images: false, reasoning: false, structuredOutput: 'tool',
    contextWindow: 128_000, maxOutputTokens: 10_000, profiles: ['us', 'eu', 'apac'], onDemand: true,
  },
  'amazon.nova-lite-v1:0': {
    id: 'amazon.nova-lite-v1:0', generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
    contextWindow: 300_000, maxOutputTokens: 10_000, profiles: ['us', 'eu', 'apac'], onDemand: true,
  },
  'amazon.nova-pro-v1:0': {
    id: 'amazon.nova-pro-v1:0', generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
    contextWindow: 300_000, maxOutputTokens: 10_000, profiles: ['us', 'eu', 'apac'], onDemand: true,
  },
  'amazon.nova-premier-v1:0': {
    id: 'amazon.nova-premier-v1:0', generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
    contextWindow: 1_000_000, maxOutputTokens: 32_000, profiles: ['us'], onDemand: false, endOfLife: '2026-09-14',
  },
  'amazon.nova-2-lite-v1:0': {
    id: 'amazon.nova-2-lite-v1:0', generation: 2, images: true, reasoning: true, structuredOutput: 'tool',
    contextWindow: 1_000_000, maxOutputTokens: 65_536, profiles: ['global', 'us', 'eu', 'apac'], onDemand: false,
  },
};

const NOVA_2_LITE = 'amazon.nova-2-lite-v1:0';

/**
 * OpenAI model families → Nova (docs/proxy.md#models says why each). Dated snapshots
 * (`gpt-4o-2024-08-06`, `o3-2025-04-16`, `gpt-4-0125-preview`) resolve through their family.
 * - Reasoning families (the o-series and every gpt-5.x) → Nova 2 Lite, the Nova model
 *   that reasons, so `reasoning_effort` keeps working; it also takes images and documents
 *   and has the longest context (1M).
 * - gpt-4.1 (1M context) → Nova 2 Lite: the only Nova with that window, and newer and cheaper
 *   than Nova Pro.
 * - gpt-4o and the GPT-4 generation → Nova Pro; the mini/nano tiers → Nova Lite (images
 *   accepted, priced below both); gpt-3.5-turbo (text only) → Nova Micro.
 * Not mapped on purpose: audio, realtime, search-preview, deep-research and computer-use
 * models, whose defining feature Nova does not offer through Converse.
 */
export const DEFAULT_ALIASES: Readonly<Record<string, string>> = {
  'gpt-3.5-turbo': 'amazon.nova-micro-v1:0',
  'gpt-3.5-turbo-16k': 'amazon.nova-micro-v1:0',
  'gpt-4': 'amazon.nova-pro-v1:0',
  'gpt-4-32k': 'amazon.nova-pro-v1:0',
  'gpt-4-turbo': 'amazon.nova-pro-v1:0',
  'gpt-4-turbo-preview': 'amazon.nova-pro-v1:0',
  'gpt-4-vision-preview': 'amazon.nova-pro-v1:0',
  'gpt-4o': 'amazon.nova-pro-v1:0',
  'chatgpt-4o-latest': 'amazon.nova-pro-v1:0',
  'gpt-4o-mini': 'amazon.nova-lite-v1:0',
  'gpt-4.1': NOVA_2_LITE,
  'gpt-4.1-mini': 'amazon.nova-lite-v1:0',
  'gpt-4.1-nano': 'amazon.nova-lite-v1:0',
  'o1': NOVA_2_LITE,
  'o1-mini': NOVA_2_LITE,
  'o1-preview': NOVA_2_LITE,
  'o1-pro': NOVA_2_LITE,
  'o3': NOVA_2_LITE,
  'o3-mini': NOVA_2_LITE,
  'o3-pro': NOVA_2_LITE,
  'o4-mini': NOVA_2_LITE,
  'codex-mini-latest': NOVA_2_LITE,
  'gpt-5': NOVA_2_LITE,
  'gpt-5-mini': NOVA_2_LITE,
  'gpt-5-nano': NOVA_2_LITE,
  'gpt-5-pro': NOVA_2_LITE,
  'gpt-5-codex': NOVA_2_LITE,
  'gpt-5-chat-latest': NOVA_2_LITE,
  'gpt-5.1': NOVA_2_LITE,
  'gpt-5.1-mini': NOVA_2_LITE,
  'gpt-5.1-codex': NOVA_2_LITE,
  'gpt-5.1-codex-mini': NOVA_2_LITE,
  'gpt-5.1-codex-max': NOVA_2_LITE,
  'gpt-5.1-chat-latest': NOVA_2_LITE,
  'gpt-5.2': NOVA_2_LITE,
  'gpt-5.2-pro': NOVA_2_LITE,
  'gpt-5.2-codex': NOVA_2_LITE,
  'gpt-5.2-chat-latest': NOVA_2_LITE,
  'gpt-5.3-chat-latest': NOVA_2_LITE,
  'gpt-5.4': NOVA_2_LITE,
  'gpt-5.4-mini': NOVA_2_LITE,
  'gpt-5.4-nano': NOVA_2_LITE,
  'gpt-5.6-sol': NOVA_2_LITE,
  'gpt-5.6-terra': NOVA_2_LITE,
  'gpt-5.6-luna': NOVA_2_LITE,
};

/** What `/v1/embeddings` needs to know about a Bedrock embeddings model. */
export interface EmbeddingModel {
  id: string;
  /** Request/response body dialect of InvokeModel (proxy/embeddings/dialects.ts). */
  dialect: 'titan-text-v2' | 'nova-multimodal';
  /** Output sizes the model accepts; anything else is a 400 naming these. */
  dimensions: readonly number[];
  defaultDimensions: number;
  /** Longest text input the model documents, in characters. */
  maxInputChars: number;
  maxInputTokens: number;
}

export const EMBEDDING_MODELS: Readonly<Record<string, EmbeddingModel>> = {
  'amazon.titan-embed-text-v2:0': {
    id: 'amazon.titan-embed-text-v2:0', dialect: 'titan-text-v2', dimensions: [256, 512, 1024], defaultDimensions: 1024,
    maxInputChars: 50_000, maxInputTokens: 8_192,
  },
  'amazon.nova-2-multimodal-embeddings-v1:0': {
    id: 'amazon.nova-2-multimodal-embeddings-v1:0', dialect: 'nova-multimodal', dimensions: [256, 384, 1024, 3072], defaultDimensions: 3072,
    maxInputChars: 8_192, maxInputTokens: 8_192,
  },
};

/**
 * OpenAI embedding models → Bedrock. The small models go to Titan Text Embeddings V2
 * ($0.02 per 1M tokens, like text-embedding-3-small); text-embedding-3-large, OpenAI's
 * high-accuracy model, to Nova Multimodal Embeddings (3072 dimensions like it).
 */
export const DEFAULT_EMBEDDING_ALIASES: Readonly<Record<string, string>> = {
  'text-embedding-3-small': 'amazon.titan-embed-text-v2:0',
  'text-embedding-ada-002': 'amazon.titan-embed-text-v2:0',
  'text-embedding-3-large': 'amazon.nova-2-multimodal-embeddings-v1:0',
};

const PROFILE_RE = /^(us|eu|apac|global|us-gov|jp|au|ca)\.(amazon\..+)$/;
const ARN_RE = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:(application-inference-profile|inference-profile|provisioned-model)\/.+$/;

/** Strips an inference-profile prefix: `us.amazon.nova-pro-v1:0` → `amazon.nova-pro-v1:0`. */
function bareId(id: string): string {
  return PROFILE_RE.exec(id)?.[2] ?? id;
}

function isEmbeddingId(id: string): boolean {
  return EMBEDDING_MODELS[bareId(id)] !== undefined;
}

/**
 * What a mapping may point at: a Nova model ID, one of the embeddings models, either with
 * an inference-profile prefix, or a Bedrock ARN (chat models only).
 */
export function isMappingTarget(id: string): boolean {
  const bare = bareId(id);
  return bare.startsWith('amazon.nova-') || isEmbeddingId(bare) || ARN_RE.test(id);
}
// gpt-4o-2024-08-06, gpt-3.5-turbo-0125, gpt-4-0613, o3-2025-04-16, gpt-4-0125-preview (→ gpt-4)
const SNAPSHOT_RE = /^(.+?)-(\d{4}-\d{2}-\d{2}|\d{4})(?:-preview)?$/;

export interface ResolvedModel {
  /** The name the client sent (echoed back in `model`). */
  requested: string;
  /** What goes to Bedrock as `modelId` (bare ID or inference-profile ID). */
  bedrockId: string;
  /** Capabilities of the underlying model; a generic Nova v1 entry for unknown Nova IDs. */
  model: NovaModel;
}

export interface ResolvedEmbeddingModel {
  /** The name the client sent (echoed back in `model`). */
  requested: string;
  /** What goes to Bedrock as `modelId`. */
  bedrockId: string;
  model: EmbeddingModel;
}

export interface ModelResolverOptions {
  /** Alias → Nova ID (bare or profile) or embeddings model ID. Merged over the defaults. */
  mappings?: Record<string, string>;
  inferenceProfile?: InferenceProfileSetting;
  region?: string;
  /** Per-model capability overrides, e.g. `{ "amazon.nova-2-lite-v1:0": { "structuredOutput": "native" } }`. */
  capabilities?: Record<string, Partial<Omit<NovaModel, 'id'>>>;
}

export interface ModelResolver {
  /** A chat model (Converse); undefined for unknown names and for embeddings models. */
  resolve(name: string): ResolvedModel | undefined;
  /** An embeddings model (InvokeModel); undefined for unknown names and for chat models. */
  resolveEmbedding(name: string): ResolvedEmbeddingModel | undefined;
  /** Alias table after overrides, alias → Bedrock ID as it will be sent. */
  aliases(): Record<string, string>;
  /** IDs listed by `/v1/models`: aliases first, then Nova IDs, then embeddings model IDs. */
  listIds(): string[];
}

export function profilePrefixForRegion(region: string): InferenceProfilePrefix | undefined {
  if (region.startsWith('us-gov-')) return undefined;
  if (region.startsWith('us-') || region.startsWith('ca-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

export function createModelResolver(opts: ModelResolverOptions = {}): ModelResolver {
  const table: Record<string, NovaModel> = {};
  for (const [id, model] of Object.entries(NOVA_MODELS)) table[id] = { ...model, ...opts.capabilities?.[id], id };
  const aliasTable: Record<string, string> = { ...DEFAULT_ALIASES, ...DEFAULT_EMBEDDING_ALIASES, ...opts.mappings };
  const setting = opts.inferenceProfile ?? 'none';
  const regionPrefix = profilePrefixForRegion(opts.region ?? 'us-east-1');

  function modelFor(bare: string): NovaModel {
    return table[bare] ?? { ...GENERIC_NOVA, id: bare };
  }

  /**
   * Aliases get an inference profile when asked, and always when Bedrock serves the model
   * only through one (the region's geography first, else global). Explicit IDs from
   * clients pass through untouched.
   */
  function withProfile(bare: string): string {
    const model = modelFor(bare);
    let prefix: InferenceProfilePrefix | undefined;
    if (setting === 'none') {
      if (model.onDemand) return bare;
      prefix = regionPrefix && model.profiles.includes(regionPrefix) ? regionPrefix : 'global';
    } else {
      prefix = setting === 'auto' ? regionPrefix : setting;
      if (setting === 'auto' && model.profiles.includes('global')) prefix = 'global';
    }
    if (!prefix || !model.profiles.includes(prefix)) return bare;
    return `${prefix}.${bare}`;
  }

  function resolveNovaId(id: string, requested: string, fromAlias: boolean): ResolvedModel | undefined {
    // Application inference profiles and provisioned throughput: only an alias may name an ARN.
    if (fromAlias && ARN_RE.test(id)) return { requested, bedrockId: id, model: modelFor(id) };
    const bare = bareId(id);
    if (!bare.startsWith('amazon.nova-') || isEmbeddingId(bare)) return undefined;
    if (bare !== id) return { requested, bedrockId: id, model: modelFor(bare) };
    return { requested, bedrockId: fromAlias ? withProfile(id) : id, model: modelFor(id) };
  }

  function aliasTarget(name: string): string | undefined {
    const target = aliasTable[name];
    if (target) return target;
    const snapshot = SNAPSHOT_RE.exec(name);
    return snapshot ? aliasTable[snapshot[1]!] : undefined;
  }

  function resolve(name: string): ResolvedModel | undefined {
    const direct = resolveNovaId(name, name, false);
    if (direct) return direct;
    const target = aliasTarget(name);
    return target ? resolveNovaId(target, name, true) : undefined;
  }

  function resolveEmbedding(name: string): ResolvedEmbeddingModel | undefined {
    const id = isEmbeddingId(name) ? name : aliasTarget(name);
    const model = id === undefined ? undefined : EMBEDDING_MODELS[bareId(id)];
    return model && id ? { requested: name, bedrockId: id, model } : undefined;
  }

  return {
    resolve,
    resolveEmbedding,
    aliases: () =>
      Object.fromEntries(Object.keys(aliasTable).map((a) => [a, resolve(a)?.bedrockId ?? resolveEmbedding(a)?.bedrockId ?? aliasTable[a]!])),
    listIds: () => [...Object.keys(aliasTable), ...Object.keys(table), ...Object.keys(EMBEDDING_MODELS)],
  };
}

const GENERIC_NOVA: Omit<NovaModel, 'id'> = {
  generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
  contextWindow: 128_000, maxOutputTokens: 10_000, profiles: [], onDemand: true,
};

/**
 * Parses `MODEL_MAPPINGS` (a JSON object alias → Nova ID, as the original proxy's guide
 * documents). Throws with a message naming the variable on bad input.
 */
export function parseModelMappings(raw: string, source = 'MODEL_MAPPINGS'): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${source} must be a JSON object of "alias": "model-id"`);
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string' || !v) throw new Error(`${source}: the value for "${k}" must be a model ID string`);
    if (!isMappingTarget(v)) throw new Error(mappingTargetError(source, k, v));
  }
  return parsed as Record<string, string>;
}

export function mappingTargetError(source: string, alias: string, target: string): string {
  return `${source}: "${alias}" maps to "${target}", which is not a Nova model ID (amazon.nova-…), a Nova inference-profile ID (us.amazon.nova-…), an embeddings model (${Object.keys(EMBEDDING_MODELS).join(', ')}) or a Bedrock inference-profile / provisioned-model ARN`;
}
