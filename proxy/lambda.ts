/**
 * AWS Lambda entry point: the same Fastify app as `nova-migrate serve`, built once per
 * container (during the init phase when possible) and reused by every invocation.
 *
 * Exports:
 *  - `handler`: streaming (`awslambda.streamifyResponse`) when the runtime provides the
 *    global — function URL with RESPONSE_STREAM, API Gateway REST with
 *    `responseTransferMode: STREAM`. Falls back to the buffered handler elsewhere.
 *  - `bufferedHandler`: classic API Gateway proxy integration (whole response at once).
 *
 * Environment: the proxy's usual variables (AWS_REGION, MODEL_MAPPINGS,
 * NOVA_INFERENCE_PROFILE, NOVA_LOG_LEVEL, NOVA_LOG_PROMPTS…), plus
 *  - NOVA_API_KEYS_SECRET_ARN: Secrets Manager secret holding the client API keys
 *    (read once at cold start). Keys in NOVA_PROXY_API_KEYS are refused here.
 *  - NOVA_ITEM_ID_KEY_SECRET_ARN: Secrets Manager secret holding the key that signs Responses
 *    item ids, shared by every container so an id issued by one resolves on the next.
 *  - NOVA_ALLOW_NO_AUTH=true: run without keys (e.g. behind an IAM-authorised function URL).
 *  - NOVA_METRICS (default `emf`), NOVA_METRICS_NAMESPACE (default `NovaProxy`).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import { loadConfig } from './config.js';
import { fetchApiKeys, fetchItemIdKey, type SecretsClientLike } from './lambda/secrets.js';
import { createBufferedHandler, createStreamingHandler, type AwsLambdaGlobal } from './lambda/handlers.js';

declare global {
  // Provided by the Lambda Node.js runtime. Off Lambda the AWS SDK (lambda-invoke-store)
  // may define it as an empty object, so test for the function, not the global.
  var awslambda: Partial<AwsLambdaGlobal> | undefined;
}

type Env = Record<string, string | undefined>;

export async function initApp(env: Env = process.env, deps: AppDeps & { secrets?: SecretsClientLike } = {}): Promise<FastifyInstance> {
  const { NOVA_PROXY_API_KEYS, ...rest } = env;
  if (NOVA_PROXY_API_KEYS) {
    throw new Error('API keys in the NOVA_PROXY_API_KEYS environment variable are refused on Lambda: store them in Secrets Manager and set NOVA_API_KEYS_SECRET_ARN.');
  }
  const config = loadConfig({ env: { NOVA_METRICS: 'emf', NOVA_RESPONSE_STORE_MAX_ENTRIES: '0', ...rest } });
  const itemKeyArn = env.NOVA_ITEM_ID_KEY_SECRET_ARN;
  const itemIdKey = itemKeyArn ? fetchItemIdKey(itemKeyArn, config.region, deps.secrets) : undefined;
  // Read alongside the API keys; if those fail first, this one's failure is not a second error.
  itemIdKey?.catch(() => undefined);
  const secretArn = env.NOVA_API_KEYS_SECRET_ARN;
  if (secretArn) {
    const keys = await fetchApiKeys(secretArn, config.region, deps.secrets);
    if (keys.length === 0 || keys.some((k) => k.length < 8)) throw new Error('the API keys secret must hold at least one key of 8 characters or more');
    config.apiKeys = keys;
  } else if (!/^(1|true|yes)$/i.test(env.NOVA_ALLOW_NO_AUTH ?? '')) {
    throw new Error('no API keys: set NOVA_API_KEYS_SECRET_ARN to a Secrets Manager secret, or NOVA_ALLOW_NO_AUTH=true if something else authenticates callers.');
  }
  if (itemIdKey) {
    config.itemIdKey = await itemIdKey;
    if (config.itemIdKey.length < 32) throw new Error('the item id key secret must hold at least 32 characters');
  }
  const { secrets: _secrets, ...appDeps } = deps;
  const app = await buildApp(config, {
    ...appDeps,
    observability: { ...appDeps.observability, emf: { namespace: env.NOVA_METRICS_NAMESPACE || undefined, ...appDeps.observability?.emf } },
  });
  await app.ready();
  return app;
}

let appPromise: Promise<FastifyInstance> | undefined;

/** The container's app, built on first use; a failed init is retried on the next event. */
export function getApp(): Promise<FastifyInstance> {
  return (appPromise ??= initApp().catch((err: unknown) => {
    appPromise = undefined;
    process.stderr.write(`${JSON.stringify({ level: 50, msg: 'proxy init failed', err: err instanceof Error ? err.message : String(err) })}\n`);
    throw err;
  }));
}

export const bufferedHandler = createBufferedHandler(getApp);
const runtime = globalThis.awslambda;
export const handler =
  typeof runtime?.streamifyResponse === 'function' && runtime.HttpResponseStream ? createStreamingHandler(getApp, runtime as AwsLambdaGlobal) : bufferedHandler;

// On Lambda, build the app during the init phase (top-level await), so the first request
// doesn't pay for it on top of its own latency.
if (process.env.AWS_LAMBDA_FUNCTION_NAME && process.env.NOVA_LAZY_INIT !== 'true') await getApp().catch(() => undefined);
