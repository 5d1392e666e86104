/**
 * Proxy configuration: defaults < config file < environment < CLI flags.
 * Loading is the only I/O here (reading the file); validation errors carry a message a
 * user can act on and are raised as `ConfigError`.
 */
import { readFileSync } from 'node:fs';
import { isMappingTarget, mappingTargetError, parseModelMappings, type InferenceProfileSetting, type NovaModel } from './models.js';
import type { PriceTable } from './pricing.js';

export interface ProxyConfig {
  host: string;
  port: number;
  region: string;
  /** Bearer keys clients must present; empty = no auth (loopback only unless `allowNoAuth`). */
  apiKeys: string[];
  /** `--no-auth`: explicitly allow listening beyond loopback without keys. */
  allowNoAuth: boolean;
  modelMappings: Record<string, string>;
  inferenceProfile: InferenceProfileSetting;
  capabilities: Record<string, Partial<Omit<NovaModel, 'id'>>>;
  /** Socket read timeout towards Bedrock; long generations stream for minutes. */
  bedrockReadTimeoutMs: number;
  bedrockConnectTimeoutMs: number;
  /** SDK attempts including the first (throttling and 5xx are retried by the SDK's standard mode). */
  bedrockMaxAttempts: number;
  /** Whole-request limit for a chat completion, streaming included. */
  requestTimeoutMs: number;
  bodyLimitBytes: number;
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
   * Leave Nova 1's `<thinking>…</thinking>` preambles in `message.content`. Default false: they
   * are moved to `reasoning_content`, so clients see only the answer as content.
   */
  keepThinking: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long SIGTERM/SIGINT waits for open streams before closing them. */
  shutdownGraceMs: number;
  prices: PriceTable;
  /** Per-request metrics: Prometheus `/metrics` (server), CloudWatch EMF lines on stdout (Lambda), or off. */
  metrics: 'prometheus' | 'emf' | 'off';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_CONFIG: ProxyConfig = {
  host: '127.0.0.1',
  port: 8080,
  region: 'us-east-1',
  apiKeys: [],
  allowNoAuth: false,
  modelMappings: {},
  inferenceProfile: 'none',
  capabilities: {},
  bedrockReadTimeoutMs: 300_000,
  bedrockConnectTimeoutMs: 5_000,
  bedrockMaxAttempts: 3,
  requestTimeoutMs: 600_000,
  // Base64 inflates images by 4/3; a handful of 3.75 MB images must fit.
  bodyLimitBytes: 32 * 1024 * 1024,
  images: {
    // Converse's per-image limit.
    maxBytes: 3_750_000,
    fetchTimeoutMs: 10_000,
    maxRedirects: 3,
    allowHosts: [],
    allowRemote: true,
  },
  logPrompts: false,
  keepThinking: false,
  logLevel: 'info',
  shutdownGraceMs: 10_000,
  prices: {},
  metrics: 'prometheus',
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
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) throw new ConfigError(`config file ${file}: unknown key "${key}" (known: ${[...known].join(', ')})`);
  }
  return parsed as ConfigOverrides;
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
    modelMappings,
    inferenceProfile: (env.NOVA_INFERENCE_PROFILE || undefined) as InferenceProfileSetting | undefined,
    bedrockReadTimeoutMs: num(env, 'NOVA_BEDROCK_TIMEOUT_MS'),
    requestTimeoutMs: num(env, 'NOVA_REQUEST_TIMEOUT_MS'),
    bodyLimitBytes: num(env, 'NOVA_BODY_LIMIT_BYTES'),
    logPrompts: bool(env, 'NOVA_LOG_PROMPTS'),
    keepThinking: bool(env, 'NOVA_KEEP_THINKING'),
    logLevel: (env.NOVA_LOG_LEVEL || undefined) as ProxyConfig['logLevel'] | undefined,
    metrics: (env.NOVA_METRICS || undefined) as ProxyConfig['metrics'] | undefined,
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
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new ConfigError(`port must be an integer 0-65535, got ${c.port}`);
  if (!PROFILE_SETTINGS.has(c.inferenceProfile)) {
    throw new ConfigError(`inferenceProfile must be one of ${[...PROFILE_SETTINGS].join(', ')}, got "${c.inferenceProfile}"`);
  }
  if (!['prometheus', 'emf', 'off'].includes(c.metrics)) throw new ConfigError(`metrics must be one of prometheus, emf, off, got "${c.metrics}"`);
  if (typeof c.keepThinking !== 'boolean') throw new ConfigError(`keepThinking must be true or false, got ${JSON.stringify(c.keepThinking)}`);
  if (!LOG_LEVELS.has(c.logLevel)) throw new ConfigError(`logLevel must be one of ${[...LOG_LEVELS].join(', ')}`);
  if (!Array.isArray(c.apiKeys) || c.apiKeys.some((k) => typeof k !== 'string' || k.length < 8)) {
    throw new ConfigError('apiKeys must be strings of at least 8 characters');
  }
  for (const [alias, id] of Object.entries(c.modelMappings)) {
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
