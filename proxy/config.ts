/**
 * Proxy configuration: defaults < config file < environment < CLI flags.
 * Loading is the only I/O here (reading the file); validation errors carry a message a
 * user can act on and are raised as `ConfigError`.
 */
import { readFileSync } from 'node:fs';
import { isMappingTarget, mappingTargetError, parseModelMappings, type InferenceProfileSetting, type NovaModel } from './models.js';
import type { PriceTable } from './pricing.js';
import { modelNameProblem } from './model-name.js';

export interface ProxyConfig {
  host: string;
  port: number;
  region: string;
  /** Bearer keys clients must present; empty = no auth (loopback only unless `allowNoAuth`). */
  apiKeys: string[];
  /**
   * Operator keys: they read `/metrics` including per-key cost, and nothing else (a scrape
   * credential cannot spend the Bedrock budget). Client keys see cost per model only.
   */
  adminApiKeys: string[];
  /** `--no-auth`: explicitly allow listening beyond loopback without keys. */
  allowNoAuth: boolean;
  modelMappings: Record<string, string>;
  inferenceProfile: InferenceProfileSetting;
  capabilities: Record<string, Partial<Omit<NovaModel, 'id'>>>;
  /**
   * How Bedrock is called: `direct` (signed HTTPS requests over a keep-alive pool, the
   * default) or `sdk` (the AWS SDK's BedrockRuntimeClient). Same wire requests, same errors.
   */
  bedrockTransport: 'direct' | 'sdk';
  /** Read timeout towards Bedrock: the longest silence (before the first byte, between stream events); long generations stream for minutes. */
  bedrockReadTimeoutMs: number;
  bedrockConnectTimeoutMs: number;
  /** Attempts including the first (throttling and transient errors are retried with the SDK's standard retry strategy). */
  bedrockMaxAttempts: number;
  /**
   * Retry a Converse call whose read timed out. Off by default: the request reached Bedrock,
   * a generation may be running (and billed), and a hung call retried keeps the client
   * waiting for read timeout × attempts.
   */
  bedrockRetryReadTimeouts: boolean;
  /** Whole-request limit for a chat completion, streaming included; also the budget for every Bedrock attempt and back-off. */
  requestTimeoutMs: number;
  /** Time a client has to send its request headers (slowloris bound); → 408 and close. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, headers and body; → 408 and close. */
  requestReadTimeoutMs: number;
  /** Bedrock calls in flight for one `/v1/embeddings` request (one call per input). */
  embeddingConcurrency: number;
  bodyLimitBytes: number;
  /** Largest non-streamed Bedrock answer the proxy buffers; beyond it → 502 `upstream_response_too_large`. */
  bedrockMaxResponseBytes: number;
  /**
   * Model IDs outside the configured table (passed through by clients) that get their own
   * metrics label once Bedrock has answered them; any others are counted as `other`.
   */
  metricsMaxPassThroughModels: number;
  images: {
    maxBytes: number;
    fetchTimeoutMs: number;
    maxRedirects: number;
    /** Hosts that may be fetched even if they resolve to private addresses. */
    allowHosts: string[];
    /** Disable remote fetches entirely (data URLs still work). */
    allowRemote: boolean;
  };
  logPrompts: boolean;
  /**
   * Web origins (`https://app.example.com`) whose pages may call the proxy from a browser
   * (CORS), or `*` for any; empty = no CORS headers, preflights unanswered.
   */
  corsOrigins: string[];
  /**
   * Leave Nova 1's `<thinking>…</thinking>` preambles in `message.content`. Default false: they
   * are moved to `reasoning_content`, so clients see only the answer as content.
   */
  keepThinking: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * How long SIGTERM/SIGINT lets open requests finish; then requests still waiting get a
   * 503 with Retry-After and open streams an error event.
   */
  shutdownGraceMs: number;
  prices: PriceTable;
  /** Per-request metrics: Prometheus `/metrics` (server), CloudWatch EMF lines on stdout (Lambda), or off. */
  metrics: 'prometheus' | 'emf' | 'off';
  /** Responses API store for previous_response_id and GET /v1/responses/{id}: most responses kept (0 = stateless, the default). Per process. */
  responseStoreMaxEntries: number;
  /** Bytes of stored responses (their JSON) before the least recently used go. */
  responseStoreMaxBytes: number;
  responseStoreTtlMs: number;
  /** Signs the Responses API's self-describing item ids; empty = a random key per process (ids then only resolve on the instance that issued them). */
  itemIdKey: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_CONFIG: ProxyConfig = {
  host: '127.0.0.1',
  port: 8080,
  region: 'us-east-1',
  apiKeys: [],
  adminApiKeys: [],
  allowNoAuth: false,
  modelMappings: {},
  inferenceProfile: 'none',
  capabilities: {},
  bedrockTransport: 'direct',
  bedrockReadTimeoutMs: 300_000,
  bedrockConnectTimeoutMs: 5_000,
  bedrockMaxAttempts: 3,
  bedrockRetryReadTimeouts: false,
  requestTimeoutMs: 600_000,
  headersTimeoutMs: 10_000,
  // 32 MB at 1 MB/s, with room to spare.
  requestReadTimeoutMs: 60_000,
  embeddingConcurrency: 8,
  // Base64 inflates images by 4/3; a handful of 3.75 MB images must fit.
  bodyLimitBytes: 32 * 1024 * 1024,
  // Nova's longest answer (65k output tokens, reasoning included) is under 2 MB of JSON even
  // in the worst escaping; the SDK path holds ~10x the answer at its peak while parsing.
  bedrockMaxResponseBytes: 8 * 1024 * 1024,
  metricsMaxPassThroughModels: 20,
  images: {
    // Converse's per-image limit.
    maxBytes: 3_750_000,
    fetchTimeoutMs: 10_000,
    maxRedirects: 3,
    allowHosts: [],
    allowRemote: true,
  },
  logPrompts: false,
  corsOrigins: [],
  keepThinking: false,
  logLevel: 'info',
  // Long enough for a typical non-streamed generation, short enough to answer before the
  // usual 30 s kill timeouts (Kubernetes, ECS) cut every connection.
  shutdownGraceMs: 25_000,
  prices: {},
  metrics: 'prometheus',
  // On by default so clients that rely on OpenAI's default `store: true` (the AI SDK's streamed
  // multi-turn chats, previous_response_id) work against `serve`; bounded by entries, bytes and
  // time. Lambda turns it off (lambda.ts): a per-instance store there answers follow-ups by chance.
  responseStoreMaxEntries: 10_000,
  responseStoreMaxBytes: 64 * 1024 * 1024,
  responseStoreTtlMs: 3_600_000,
  itemIdKey: '',
};

type Env = Record<string, string | undefined>;
export type ConfigOverrides = Partial<Omit<ProxyConfig, 'images'>> & { images?: Partial<ProxyConfig['images']> };

export function loadConfig(opts: { file?: string; env?: Env; overrides?: ConfigOverrides } = {}): ProxyConfig {
  const env = opts.env ?? process.env;
  const fromFile = opts.file ? readConfigFile(opts.file) : {};
  const fromEnv = configFromEnv(env);
  const merged = mergeConfig(mergeConfig(mergeConfig(DEFAULT_CONFIG, fromFile), fromEnv), opts.overrides ?? {});
  validate(merged);
  return merged;
}

function mergeConfig(base: ProxyConfig, patch: ConfigOverrides): ProxyConfig {
  const out: ProxyConfig = { ...base, ...stripUndefined(patch), images: { ...base.images, ...stripUndefined(patch.images ?? {}) } };
  if (patch.modelMappings) out.modelMappings = { ...base.modelMappings, ...patch.modelMappings };
  if (patch.prices) out.prices = { ...base.prices, ...patch.prices };
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Top-level sections of nova-migrate.config.json that belong to other commands (`codemods.exclude`). */
const OTHER_TOOL_SECTIONS = new Set(['codemods']);

function readConfigFile(file: string): ConfigOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? (err as Error).message);
    throw new ConfigError(`cannot read config file ${file}: ${why} (pass --config PATH, or omit it to use defaults and the environment)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${file} must hold a JSON object`);
  const known = new Set(Object.keys(DEFAULT_CONFIG));
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // One nova-migrate.config.json serves every command: other tools' sections are theirs to check.
    if (OTHER_TOOL_SECTIONS.has(key)) continue;
    if (!known.has(key)) throw new ConfigError(`config file ${file}: unknown key "${key}" (known: ${[...known, ...OTHER_TOOL_SECTIONS].join(', ')})`);
    own[key] = value;
  }
  return own as ConfigOverrides;
}

function num(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function bool(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** The origin of an http(s) URL, or undefined. */
function originOf(s: string): string | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function configFromEnv(env: Env): ConfigOverrides {
  let modelMappings: Record<string, string> | undefined;
  if (env.MODEL_MAPPINGS) {
    try {
      modelMappings = parseModelMappings(env.MODEL_MAPPINGS);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return {
    host: env.HOST || undefined,
    port: num(env, 'PORT'),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    apiKeys: list(env.NOVA_PROXY_API_KEYS),
    adminApiKeys: list(env.NOVA_PROXY_ADMIN_API_KEYS),
    modelMappings,
    inferenceProfile: (env.NOVA_INFERENCE_PROFILE || undefined) as InferenceProfileSetting | undefined,
    bedrockTransport: (env.NOVA_BEDROCK_TRANSPORT || undefined) as ProxyConfig['bedrockTransport'] | undefined,
    bedrockReadTimeoutMs: num(env, 'NOVA_BEDROCK_TIMEOUT_MS'),
    bedrockRetryReadTimeouts: bool(env, 'NOVA_BEDROCK_RETRY_READ_TIMEOUTS'),
    requestTimeoutMs: num(env, 'NOVA_REQUEST_TIMEOUT_MS'),
    headersTimeoutMs: num(env, 'NOVA_HEADERS_TIMEOUT_MS'),
    requestReadTimeoutMs: num(env, 'NOVA_REQUEST_READ_TIMEOUT_MS'),
    embeddingConcurrency: num(env, 'NOVA_EMBEDDING_CONCURRENCY'),
    bodyLimitBytes: num(env, 'NOVA_BODY_LIMIT_BYTES'),
    bedrockMaxResponseBytes: num(env, 'NOVA_BEDROCK_MAX_RESPONSE_BYTES'),
    metricsMaxPassThroughModels: num(env, 'NOVA_METRICS_MAX_PASS_THROUGH_MODELS'),
    shutdownGraceMs: num(env, 'NOVA_SHUTDOWN_GRACE_MS'),
    logPrompts: bool(env, 'NOVA_LOG_PROMPTS'),
    corsOrigins: list(env.NOVA_CORS_ORIGINS),
    keepThinking: bool(env, 'NOVA_KEEP_THINKING'),
    logLevel: (env.NOVA_LOG_LEVEL || undefined) as ProxyConfig['logLevel'] | undefined,
    metrics: (env.NOVA_METRICS || undefined) as ProxyConfig['metrics'] | undefined,
    responseStoreMaxEntries: num(env, 'NOVA_RESPONSE_STORE_MAX_ENTRIES'),
    responseStoreMaxBytes: num(env, 'NOVA_RESPONSE_STORE_MAX_BYTES'),
    responseStoreTtlMs: num(env, 'NOVA_RESPONSE_STORE_TTL_MS'),
    itemIdKey: env.NOVA_ITEM_ID_KEY || undefined,
    images: {
      maxBytes: num(env, 'NOVA_IMAGE_MAX_BYTES'),
      allowHosts: list(env.NOVA_IMAGE_ALLOW_HOSTS),
      allowRemote: bool(env, 'NOVA_IMAGE_ALLOW_REMOTE'),
    },
  };
}

const PROFILE_SETTINGS = new Set(['auto', 'none', 'us', 'eu', 'apac', 'global']);
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function validate(c: ProxyConfig): void {
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new ConfigError(`port must be an integer 0-65535, got ${Number.isNaN(c.port) ? 'something that is not a number' : JSON.stringify(c.port)}`);
  if (!PROFILE_SETTINGS.has(c.inferenceProfile)) {
    throw new ConfigError(`inferenceProfile must be one of ${[...PROFILE_SETTINGS].join(', ')}, got "${c.inferenceProfile}"`);
  }
  if (c.bedrockTransport !== 'direct' && c.bedrockTransport !== 'sdk') throw new ConfigError(`bedrockTransport must be direct or sdk, got "${c.bedrockTransport}"`);
  if (!Number.isInteger(c.bedrockMaxAttempts) || c.bedrockMaxAttempts < 1) throw new ConfigError(`bedrockMaxAttempts must be an integer of at least 1, got ${c.bedrockMaxAttempts}`);
  if (!Number.isInteger(c.embeddingConcurrency) || c.embeddingConcurrency < 1 || c.embeddingConcurrency > 256) {
    throw new ConfigError(`embeddingConcurrency must be an integer 1-256, got ${c.embeddingConcurrency}`);
  }
  if (!['prometheus', 'emf', 'off'].includes(c.metrics)) throw new ConfigError(`metrics must be one of prometheus, emf, off, got "${c.metrics}"`);
  if (typeof c.keepThinking !== 'boolean') throw new ConfigError(`keepThinking must be true or false, got ${JSON.stringify(c.keepThinking)}`);
  if (!LOG_LEVELS.has(c.logLevel)) throw new ConfigError(`logLevel must be one of ${[...LOG_LEVELS].join(', ')}`);
  if (!Array.isArray(c.corsOrigins) || c.corsOrigins.some((o) => typeof o !== 'string' || (o !== '*' && originOf(o) !== o))) {
    throw new ConfigError(`corsOrigins (NOVA_CORS_ORIGINS) must be "*" or origins like "https://app.example.com" (scheme, host and port only, no path or trailing slash), got ${JSON.stringify(c.corsOrigins)}`);
  }
  if (!Array.isArray(c.apiKeys) || c.apiKeys.some((k) => typeof k !== 'string' || k.length < 8)) {
    throw new ConfigError('apiKeys must be strings of at least 8 characters');
  }
  if (!Array.isArray(c.adminApiKeys) || c.adminApiKeys.some((k) => typeof k !== 'string' || k.length < 8)) {
    throw new ConfigError('adminApiKeys must be strings of at least 8 characters');
  }
  if (c.adminApiKeys.length > 0 && c.apiKeys.length === 0) {
    throw new ConfigError('adminApiKeys need apiKeys: without client keys the proxy has no authentication for admin keys to add to');
  }
  if (c.adminApiKeys.some((k) => c.apiKeys.includes(k))) throw new ConfigError('a key cannot be both in apiKeys and in adminApiKeys');
  for (const key of ['requestTimeoutMs', 'headersTimeoutMs', 'requestReadTimeoutMs', 'bodyLimitBytes', 'bedrockMaxResponseBytes', 'shutdownGraceMs'] as const) {
    if (!Number.isInteger(c[key]) || c[key] <= 0) throw new ConfigError(`${key} must be a positive integer, got ${c[key]}`);
  }
  if (!Number.isInteger(c.metricsMaxPassThroughModels) || c.metricsMaxPassThroughModels < 0) {
    throw new ConfigError(`metricsMaxPassThroughModels must be a non-negative integer, got ${c.metricsMaxPassThroughModels}`);
  }
  for (const key of ['responseStoreMaxEntries', 'responseStoreMaxBytes', 'responseStoreTtlMs'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 0) throw new ConfigError(`${key} must be a non-negative integer, got ${JSON.stringify(c[key])}`);
  }
  if (typeof c.itemIdKey !== 'string' || (c.itemIdKey !== '' && c.itemIdKey.length < 32)) {
    throw new ConfigError('itemIdKey (NOVA_ITEM_ID_KEY) must be at least 32 characters, e.g. the output of `openssl rand -base64 32`');
  }
  for (const [alias, id] of Object.entries(c.modelMappings)) {
    const problem = modelNameProblem(alias);
    if (problem) throw new ConfigError(`modelMappings: the alias ${JSON.stringify(alias)} ${problem}, so no client could send it`);
    if (typeof id !== 'string' || !id) throw new ConfigError(`modelMappings["${alias}"] must be a model ID string`);
    if (!isMappingTarget(id)) throw new ConfigError(mappingTargetError('modelMappings', alias, id));
  }
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The proxy spends the operator's Bedrock budget: never expose it without keys by accident. */
export function assertSafeBinding(config: ProxyConfig): void {
  if (config.apiKeys.length === 0 && !config.allowNoAuth && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      `refusing to listen on ${config.host} without API keys: anyone who can reach it could spend your Bedrock budget. ` +
        'Set NOVA_PROXY_API_KEYS (or apiKeys in the config file), or pass --no-auth if the network is trusted.',
    );
  }
}
