/**
 * The proxy as a Fastify instance: the same app serves `nova-migrate serve`, the Lambda
 * handler and the parity harness's in-process candidate.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ProxyConfig } from './config.js';
import type { BedrockTransport } from './bedrock/transport.js';
import { createSdkTransport } from './bedrock/sdk-transport.js';
import { DEFAULT_PRICES } from './pricing.js';
import { createModelResolver } from './models.js';
import { createKeyChecker } from './auth.js';
import { OpenAIHttpError } from './errors.js';
import { unservedEndpoint } from './unserved-endpoints.js';
import { drainRequest, tooLargeError } from './body-limit.js';
import { createImageLoader } from './images/fetch-image.js';
import { chatCompletionsRoutes } from './routes/chat-completions.js';
import { embeddingsRoutes } from './routes/embeddings.js';
import { responsesRoutes } from './routes/responses.js';
import { modelsRoutes } from './routes/models.js';
import { healthRoutes } from './routes/health.js';
import { VERSION } from './version.js';
import { initMetrics } from './request-metrics.js';
import { installObservability, type ObservabilityOptions } from './observability/plugin.js';
import type { DestinationStream } from 'pino';

export interface AppDeps {
  /** How Bedrock is called; defaults to one transport built from the config (default credential chain). */
  transport?: BedrockTransport;
  /** Where log lines go (stdout by default); tests capture them here. */
  logStream?: DestinationStream;
  /** Metrics sink options (mode overrides config.metrics; EMF writer; Prometheus options). */
  observability?: ObservabilityOptions;
}

/** Streams in flight, so shutdown can let them finish and then abort the stragglers. */
export interface InFlight {
  streams: Set<AbortController>;
}

declare module 'fastify' {
  interface FastifyInstance {
    inFlight: InFlight;
  }
}

export async function buildApp(config: ProxyConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, ...(deps.logStream && { stream: deps.logStream }) },
    // Request bodies hold prompts: never log them; per-request lines come from our own hook.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 128 ? req.headers['x-request-id'] : randomUUID()),
    // Fastify's own closing 503 is not OpenAI-shaped; the onRequest hook below answers instead.
    return503OnClosing: false,
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  const transport = deps.transport ?? createSdkTransport(config);
  const resolver = createModelResolver({
    mappings: config.modelMappings,
    inferenceProfile: config.inferenceProfile,
    region: config.region,
    capabilities: config.capabilities,
  });
  app.decorate('inFlight', { streams: new Set<AbortController>() });

  app.setErrorHandler((err: FastifyError | OpenAIHttpError, req, reply) => {
    if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answerTooLarge(req, reply, config.bodyLimitBytes);
    const e = toOpenAIError(err);
    if (req.metrics) req.metrics.errorType = e.type;
    if (e.status >= 500) req.log.error({ err }, 'request failed');
    void reply.code(e.status).headers(e.headers).send(e.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    const e =
      unservedEndpoint(req.method, req.url) ??
      new OpenAIHttpError(404, `Unknown request URL: ${req.method} ${req.url.split('?')[0]}. Please check the URL for typos.`, {
        code: 'unknown_url',
        type: 'invalid_request_error',
      });
    void reply.code(404).send(e.toJSON());
  });

  app.decorateRequest('metrics', null as never);
  // Before the auth hook, so rejected requests are logged and counted too.
  await installObservability(app, config, deps.observability);
  const check = config.apiKeys.length > 0 ? createKeyChecker(config.apiKeys) : undefined;
  app.addHook('onRequest', async (req, reply) => {
    if (closing) {
      void reply.header('connection', 'close');
      throw new OpenAIHttpError(503, 'The server is shutting down; retry the request.', { code: 'server_shutting_down' });
    }
    const metrics = initMetrics(req);
    if (check && req.url !== '/health') metrics.apiKeyIndex = check(req.headers.authorization);
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  const loadImage = createImageLoader(config.images);
  const runtime = { transport, resolver, loadImage, config, prices: { ...DEFAULT_PRICES, ...config.prices } };
  await app.register(chatCompletionsRoutes, { runtime });
  await app.register(embeddingsRoutes, { runtime });
  await app.register(responsesRoutes, { runtime });
  await app.register(modelsRoutes, { resolver });
  await app.register(healthRoutes, { resolver, config, version: VERSION });
  app.addHook('onClose', async () => {
    if (!deps.transport) transport.destroy();
  });
  return app;
}

/**
 * 413 once the rest of the body is read and discarded (body-limit.ts), so clients still
 * uploading see the answer; the connection stays open unless the body was given up on.
 */
async function answerTooLarge(req: FastifyRequest, reply: FastifyReply, limitBytes: number): Promise<FastifyReply> {
  const e = tooLargeError(limitBytes);
  if (req.metrics) req.metrics.errorType = e.type;
  // Fastify marked the connection for closing; a fully read body does not need that.
  if (await drainRequest(req.raw, limitBytes)) reply.removeHeader('connection');
  return reply.code(413).send(e.toJSON());
}

/** Fastify's own errors (bad JSON, wrong content type) in OpenAI's shape; body too large is answerTooLarge. */
function toOpenAIError(err: FastifyError | OpenAIHttpError): OpenAIHttpError {
  if (err instanceof OpenAIHttpError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new OpenAIHttpError(400, `We could not parse the JSON body of your request: ${err.message}`, { code: 'invalid_json' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new OpenAIHttpError(415, 'Unsupported Content-Type: send application/json.', { code: 'unsupported_media_type', type: 'invalid_request_error' });
  }
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
  return new OpenAIHttpError(status, status >= 500 ? 'The server had an error while processing your request.' : err.message);
}
