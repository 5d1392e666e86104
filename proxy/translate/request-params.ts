/**
 * Top-level parameters Nova cannot honour (400 `unsupported_parameter`) or accepts and
 * ignores (listed in `state.ignoredParams`, reported in `x-nova-ignored-params`).
 *
 * Unsupported: n > 1, logprobs: true, top_logprobs > 0, audio, modalities with "audio",
 * prediction, web_search_options, moderation.
 * Ignored (only when set to something that would change OpenAI's behaviour): seed, user,
 * metadata, store: true, service_tier (other than auto/default), logit_bias (non-empty), presence_penalty and
 * frequency_penalty (non-zero), safety_identifier, prompt_cache_key,
 * prompt_cache_retention, prompt_cache_options, verbosity, and any parameter this proxy
 * does not know. `model` and `stream` belong to the route.
 */
import { invalidParam, unsupportedParam } from '../errors.js';
import { headerToken } from '../header-safe.js';
import { expectObj, optArray, optBoolean, optEnum, optInteger, optMetadata, optNumber, optString, type Obj } from './validate.js';

/** Every top-level parameter something in the translation reads. */
const KNOWN = new Set([
  'model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'top_k', 'max_tokens', 'max_completion_tokens', 'stop',
  'tools', 'tool_choice', 'parallel_tool_calls', 'functions', 'function_call', 'response_format', 'reasoning_effort',
  'n', 'logprobs', 'top_logprobs', 'audio', 'modalities', 'prediction', 'web_search_options', 'moderation',
  'seed', 'user', 'metadata', 'store', 'service_tier', 'logit_bias', 'presence_penalty', 'frequency_penalty',
  'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'prompt_cache_options', 'verbosity',
]);

export interface RequestParams {
  ignored: string[];
  includeUsage: boolean;
  parallelToolCalls: boolean;
}

/** Chat completions' `service_tier` values (OpenAI's ServiceTier). */
export const SERVICE_TIERS = ['auto', 'default', 'flex', 'scale', 'priority', 'fast'] as const;
/** OpenAI's Verbosity. */
export const VERBOSITY = ['low', 'medium', 'high'] as const;

export function checkRequestParams(body: Obj): RequestParams {
  const n = optInteger(body.n, 'n', 1);
  if (n !== undefined && n > 1) throw unsupportedParam('n', 'n > 1 is not supported: Nova returns one choice per request; send separate requests');
  if (optBoolean(body.logprobs, 'logprobs')) throw unsupportedParam('logprobs', 'logprobs are not available from Nova');
  const topLogprobs = optInteger(body.top_logprobs, 'top_logprobs', 0, 20);
  if (topLogprobs) throw unsupportedParam('top_logprobs', 'logprobs are not available from Nova');
  if (body.audio != null) throw unsupportedParam('audio', 'audio output is not supported by Nova through the Converse API');
  const modalities = optArray(body.modalities, 'modalities');
  if (modalities?.includes('audio')) throw unsupportedParam('modalities', 'audio output is not supported by Nova; use modalities ["text"]');
  if (body.prediction != null) throw unsupportedParam('prediction', 'predicted outputs are not supported by Nova');
  if (body.web_search_options != null) throw unsupportedParam('web_search_options', 'web search is not supported by this proxy');
  optBoolean(body.stream, 'stream');
  if (body.moderation != null) throw unsupportedParam('moderation', 'OpenAI moderation policies are not available with Nova; use Bedrock Guardrails');

  const ignored: string[] = [];
  const ignore = (key: string, when: boolean) => {
    if (when) ignored.push(key);
  };
  ignore('seed', optInteger(body.seed, 'seed') !== undefined);
  ignore('user', !!optString(body.user, 'user'));
  const metadata = optMetadata(body.metadata, 'metadata');
  ignore('metadata', metadata !== undefined && Object.keys(metadata).length > 0);
  ignore('store', optBoolean(body.store, 'store') === true);
  const tier = optEnum(body.service_tier, 'service_tier', SERVICE_TIERS);
  ignore('service_tier', tier !== undefined && tier !== 'auto' && tier !== 'default');
  ignore('logit_bias', body.logit_bias != null && Object.keys(expectObj(body.logit_bias, 'logit_bias')).length > 0);
  ignore('presence_penalty', !!optNumber(body.presence_penalty, 'presence_penalty', -2, 2));
  ignore('frequency_penalty', !!optNumber(body.frequency_penalty, 'frequency_penalty', -2, 2));
  optEnum(body.verbosity, 'verbosity', VERBOSITY);
  for (const key of ['safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'prompt_cache_options', 'verbosity']) {
    ignore(key, body[key] != null);
  }
  // Unknown keys are client-chosen text bound for a response header: encoded there (novaHeaders), cut here.
  for (const key in body) if (!KNOWN.has(key)) ignored.push(headerToken(key));

  let includeUsage = false;
  if (body.stream_options != null) {
    const so = expectObj(body.stream_options, 'stream_options');
    includeUsage = optBoolean(so.include_usage, 'stream_options.include_usage') ?? false;
  }
  const parallel = optBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (body.messages === undefined) throw invalidParam('messages', 'messages is required');
  return { ignored, includeUsage, parallelToolCalls: parallel ?? true };
}

