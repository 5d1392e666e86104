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
  /** Regions where the bare ID is invokable on demand is not listed: we rely on profiles instead. */
  profiles: readonly InferenceProfilePrefix[];
  legacy?: boolean;
}

export type InferenceProfilePrefix = 'us' | 'eu' | 'apac' | 'global';
/** `auto` picks the profile prefix from the region; `none` sends bare IDs. */
export type InferenceProfileSetting = InferenceProfilePrefix | 'auto' | 'none';

export const NOVA_MODELS: Readonly<Record<string, NovaModel>> = {
  'amazon.nova-micro-v1:0': {
    id: 'amazon.nova-micro-v1:0', generation: 1, images: false, reasoning: false, structuredOutput: 'tool',
    contextWindow: 128_000, maxOutputTokens: 10_000, profiles: ['us', 'eu', 'apac'],
  },
  'amazon.nova-lite-v1:0': {
    id: 'amazon.nova-lite-v1:0', generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
    contextWindow: 300_000, maxOutputTokens: 10_000, profiles: ['us', 'eu', 'apac'],
  },
  'amazon.nova-pro-v1:0': {
    id: 'amazon.nova-pro-v1:0', generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
    contextWindow: 300_000, maxOutputTokens: 10_000, profiles: ['us', 'eu', 'apac'],
  },
  'amazon.nova-premier-v1:0': {
    id: 'amazon.nova-premier-v1:0', generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
    contextWindow: 1_000_000, maxOutputTokens: 32_000, profiles: ['us'], legacy: true,
  },
  'amazon.nova-2-lite-v1:0': {
    id: 'amazon.nova-2-lite-v1:0', generation: 2, images: true, reasoning: true, structuredOutput: 'tool',
    contextWindow: 1_000_000, maxOutputTokens: 65_536, profiles: ['global', 'us', 'eu', 'apac'],
  },
};

/** OpenAI model families → Nova. Dated snapshots resolve through their family. */
export const DEFAULT_ALIASES: Readonly<Record<string, string>> = {
  'gpt-3.5-turbo': 'amazon.nova-micro-v1:0',
  'gpt-4o-mini': 'amazon.nova-lite-v1:0',
  'gpt-4o': 'amazon.nova-pro-v1:0',
  'gpt-4.1-nano': 'amazon.nova-micro-v1:0',
  'gpt-4.1-mini': 'amazon.nova-lite-v1:0',
  'gpt-4.1': 'amazon.nova-pro-v1:0',
  'gpt-4-turbo': 'amazon.nova-pro-v1:0',
  'gpt-4': 'amazon.nova-pro-v1:0',
};

const PROFILE_RE = /^(us|eu|apac|global|us-gov|jp|au|ca)\.(amazon\.nova-.+)$/;
const ARN_RE = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:(application-inference-profile|inference-profile|provisioned-model)\/.+$/;

/** What a mapping may point at: a Nova model ID, a Nova inference-profile ID, or a Bedrock ARN. */
export function isMappingTarget(id: string): boolean {
  return id.startsWith('amazon.nova-') || PROFILE_RE.test(id) || ARN_RE.test(id);
}
// gpt-4o-2024-08-06, gpt-3.5-turbo-0125, gpt-4-0613, gpt-4-turbo-2024-04-09, gpt-4o-mini-2024-07-18
const SNAPSHOT_RE = /^(.+?)-(\d{4}-\d{2}-\d{2}|\d{4})$/;

export interface ResolvedModel {
  /** The name the client sent (echoed back in `model`). */
  requested: string;
  /** What goes to Bedrock as `modelId` (bare ID or inference-profile ID). */
  bedrockId: string;
  /** Capabilities of the underlying model; a generic Nova v1 entry for unknown Nova IDs. */
  model: NovaModel;
}

export interface ModelResolverOptions {
  /** Alias → Nova ID (bare or profile). Merged over the defaults. */
  mappings?: Record<string, string>;
  inferenceProfile?: InferenceProfileSetting;
  region?: string;
  /** Per-model capability overrides, e.g. `{ "amazon.nova-2-lite-v1:0": { "structuredOutput": "native" } }`. */
  capabilities?: Record<string, Partial<Omit<NovaModel, 'id'>>>;
}

export interface ModelResolver {
  resolve(name: string): ResolvedModel | undefined;
  /** Alias table after overrides, alias → Bedrock ID as it will be sent. */
  aliases(): Record<string, string>;
  /** IDs listed by `/v1/models`: aliases first, then Nova IDs. */
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
  const aliasTable: Record<string, string> = { ...DEFAULT_ALIASES, ...opts.mappings };
  const setting = opts.inferenceProfile ?? 'none';
  const regionPrefix = profilePrefixForRegion(opts.region ?? 'us-east-1');

  function modelFor(bareId: string): NovaModel {
    return table[bareId] ?? { ...GENERIC_NOVA, id: bareId };
  }

  /** Aliases get an inference profile when asked; explicit IDs from clients pass through untouched. */
  function withProfile(bareId: string): string {
    if (setting === 'none') return bareId;
    const model = modelFor(bareId);
    let prefix: InferenceProfilePrefix | undefined = setting === 'auto' ? regionPrefix : setting;
    if (setting === 'auto' && model.profiles.includes('global')) prefix = 'global';
    if (!prefix || !model.profiles.includes(prefix)) return bareId;
    return `${prefix}.${bareId}`;
  }

  function resolveNovaId(id: string, requested: string, fromAlias: boolean): ResolvedModel | undefined {
    // Application inference profiles and provisioned throughput: only an alias may name an ARN.
    if (fromAlias && ARN_RE.test(id)) return { requested, bedrockId: id, model: modelFor(id) };
    const profile = PROFILE_RE.exec(id);
    if (profile) return { requested, bedrockId: id, model: modelFor(profile[2]!) };
    if (!id.startsWith('amazon.nova-')) return undefined;
    return { requested, bedrockId: fromAlias ? withProfile(id) : id, model: modelFor(id) };
  }

  function resolve(name: string): ResolvedModel | undefined {
    const direct = resolveNovaId(name, name, false);
    if (direct) return direct;
    let target = aliasTable[name];
    if (!target) {
      const snapshot = SNAPSHOT_RE.exec(name);
      if (snapshot) target = aliasTable[snapshot[1]!];
    }
    return target ? resolveNovaId(target, name, true) : undefined;
  }

  return {
    resolve,
    aliases: () => Object.fromEntries(Object.keys(aliasTable).map((a) => [a, resolve(a)?.bedrockId ?? aliasTable[a]!])),
    listIds: () => [...Object.keys(aliasTable), ...Object.keys(table)],
  };
}

const GENERIC_NOVA: Omit<NovaModel, 'id'> = {
  generation: 1, images: true, reasoning: false, structuredOutput: 'tool',
  contextWindow: 128_000, maxOutputTokens: 10_000, profiles: [],
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
  return `${source}: "${alias}" maps to "${target}", which is not a Nova model ID (amazon.nova-…), a Nova inference-profile ID (us.amazon.nova-…) or a Bedrock inference-profile / provisioned-model ARN`;
}
