/**
 * Candidate: Nova through the proxy. In-process by default (buildApp on loopback: the exact
 * translation the migrated app will get) or a running proxy (`--candidate-url`).
 */
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ProxyConfig } from '../../proxy/config.js';
import { createModelResolver, type ModelResolver } from '../../proxy/models.js';
import { callChat, createClient } from './openai-compatible.js';
import type { Target, TargetCallError } from './types.js';

const CREDENTIALS =
  /credential|security token|UnrecognizedClient|InvalidSignature|ExpiredToken|AccessDenied|not authori[sz]ed|signature/i;

function fatalFor(where: string) {
  return (err: TargetCallError): string | undefined => {
    if (err.status === 401 && !CREDENTIALS.test(err.message)) {
      return `the proxy (${where}) rejected the API key (HTTP 401: ${err.message}). Set NOVA_PROXY_API_KEY to one of its keys.`;
    }
    if ((err.status === 401 || err.status === 403 || err.status === 500 || err.status === undefined) && CREDENTIALS.test(err.message)) {
      return `the candidate (${where}) could not call Bedrock: ${err.message}\nNova needs AWS credentials allowed to call bedrock:InvokeModel (AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK), AWS_REGION, and access to the Nova models enabled in the Bedrock console; or run with --mock.`;
    }
    if (err.status === undefined && err.code === 'connection') return `cannot reach the candidate (${where}): ${err.message}`;
    return undefined;
  };
}

function priced(resolver: ModelResolver) {
  return (body: ChatCompletionCreateParams, headers: Record<string, string>) => headers['x-nova-model'] ?? resolver.resolve(body.model)?.bedrockId ?? body.model;
}

export async function inProcessProxyTarget(
  config: ProxyConfig,
  deps: { transport?: BedrockTransport; provider?: string; label?: string } = {},
): Promise<Target> {
  const { buildApp } = await import('../../proxy/app.js');
  const app = await buildApp({ ...config, apiKeys: [], logLevel: 'silent' }, deps.transport ? { transport: deps.transport } : {});
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = createClient({ apiKey: 'nova-migrate-parity', baseURL: `${address}/v1` });
  const resolver = createModelResolver({
    mappings: config.modelMappings,
    inferenceProfile: config.inferenceProfile,
    region: config.region,
    capabilities: config.capabilities,
  });
  const provider = deps.provider ?? 'nova';
  return {
    side: 'candidate',
    label: deps.label ?? `Nova via in-process proxy (${config.region})`,
    // The port is ephemeral: the cache identifies the in-process proxy by name, and the model by its Bedrock ID.
    cacheTarget: (body) => ({ provider, baseURL: `in-process:${config.region}`, model: resolver.resolve(body.model)?.bedrockId ?? body.model }),
    pricedModel: priced(resolver),
    call: (body, o) => callChat(client, body, o),
    fatal: fatalFor('in-process proxy'),
    endpoint: { baseURL: `${address}/v1`, apiKey: 'nova-migrate-parity', id: `in-process:${config.region}` },
    close: async () => {
      await app.close();
    },
  };
}

/** A proxy already running somewhere; `--map` rewrites `model` before sending. */
export function urlProxyTarget(opts: { url: string; apiKey?: string; mappings?: Record<string, string>; provider?: string }): Target {
  let baseURL = opts.url.replace(/\/+$/, '');
  if (!/\/v1$/.test(baseURL)) baseURL += '/v1';
  const client = createClient({ apiKey: opts.apiKey ?? 'nova-migrate-parity', baseURL });
  const resolver = createModelResolver({ mappings: opts.mappings ?? {} });
  const mapped = (body: ChatCompletionCreateParams) => opts.mappings?.[body.model] ?? body.model;
  const provider = opts.provider ?? 'nova';
  return {
    side: 'candidate',
    label: `Nova via proxy ${baseURL}`,
    cacheTarget: (body) => ({ provider, baseURL, model: mapped(body) }),
    pricedModel: priced(resolver),
    call: (body, o) => callChat(client, { ...body, model: mapped(body) }, o),
    fatal: fatalFor(baseURL),
    endpoint: { baseURL, apiKey: opts.apiKey ?? 'nova-migrate-parity', id: baseURL },
    close: async () => {},
  };
}
