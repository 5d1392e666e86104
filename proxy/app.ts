/**
 * The proxy as a Fastify instance: the same app serves `nova-migrate serve`, the Lambda
 * handler and the parity harness's in-process candidate.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { stdSerializers } from 'pino';
import type { ProxyConfig } from './config.js';
import type { BedrockTransport } from './bedrock/transport.js';
import { createBedrockTransport } from './bedrock/create-transport.js';
import { DEFAULT_PRICES } from './pricing.js';
import { createModelResolver } from './models.js';
import { createKeyChecker } from './auth.js';
import { OpenAIHttpError } from './errors.js';
import { answerClientError, isSendableHeader, requestTooLarge, toOpenAIError, type HttpLimits } from './http-errors.js';
import { unservedEndpoint } from './unserved-endpoints.js';
import { installCors } from './cors.js';
import { drainRequest } from './body-limit.js';
import { trackScopes, type Abortable } from './chat/request-scope.js';
import { createImageLoader } from './images/fetch-image.js';
import { chatCompletionsRoutes } from './routes/chat-completions.js';
import { embeddingsRoutes } from './routes/embeddings.js';
import { responsesRoutes } from './routes/responses.js';
import { modelsRoutes } from './routes/models.js';
import { healthRoutes } from './routes/health.js';
import { schemaController } from './routes/response-serializers.js';
import { VERSION } from './version.js';
import { initMetrics } from './request-metrics.js';
import { installObservability, type ObservabilityOptions } from './observability/plugin.js';
import { tableModelIds } from './observability/model-labels.js';
import { REQUEST_ID_LOG_LABEL } from './observability/access-line.js';
import { requestLoggerFactory } from './observability/request-logger.js';
import type { DestinationStream } from 'pino';

export interface AppDeps {
  /** How Bedrock is called; defaults to one transport built from the config (default credential chain). */
  transport?: BedrockTransport;
  /** Where log lines go (stdout by default); tests capture them here. */
  logStream?: DestinationStream;
  /** Metrics sink options (mode overrides config.metrics; EMF writer; Prometheus options). */
  observability?: ObservabilityOptions;
}

/** Work in flight, so shutdown can let it finish and then answer or abort the stragglers. */
export interface InFlight {
  /** Streaming responses under way (headers sent). */
  streams: Set<Abortable>;
  /** Every open request scope: requests waiting on Bedrock (or on images) and open streams. */
  requests: Set<Abortable>;
}

declare module 'fastify' {
  interface FastifyInstance {
    inFlight: InFlight;
  }
  interface FastifyContextConfig {
    /** Served without an API key (health probes). */
    public?: boolean;
    /** Admin keys may call it (operator endpoints); client keys still can. */
    admin?: boolean;
  }
}

/** Longest path segment a route parameter takes (`/v1/models/:id`): room for any model name, %-encoded. */
export const MAX_PARAM_LENGTH = 1024;
/** `x-request-id` values adopted as the request ID (and echoed back); anything else gets a fresh UUID. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** Error messages and stacks in the logs are cut here: they may quote client input. */
const MAX_LOGGED_ERROR_CHARS = 2000;

/** The 503 for requests that arrive during shutdown or are still waiting when the grace period ends. */
export function shuttingDown(): OpenAIHttpError {
  return new OpenAIHttpError(503, 'The server is shutting down; retry the request.', {
    code: 'server_shutting_down',
    headers: { 'retry-after': '1', connection: 'close' },
  });
}

export async function buildApp(config: ProxyConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const headersTimeoutMs = Math.min(config.headersTimeoutMs, config.requestReadTimeoutMs);
  const limits: HttpLimits = {
    bodyLimitBytes: config.bodyLimitBytes,
    maxParamLength: MAX_PARAM_LENGTH,
    headersTimeoutMs,
    requestReadTimeoutMs: config.requestReadTimeoutMs,
  };
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, serializers: { err: boundedErrorSerializer }, ...(deps.logStream && { stream: deps.logStream }) },
    // Request bodies hold prompts: never log them; per-request lines come from our own hook.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: REQUEST_ID_LOG_LABEL }),
    // pino's per-request child is made only when a request logs more than its access line
    // (with logging off Fastify's default hands every request the one no-op logger).
    ...(config.logLevel !== 'silent' && { childLoggerFactory: requestLoggerFactory }),
    genReqId: (req) => {
      const id = req.headers['x-request-id'];
      return typeof id === 'string' && REQUEST_ID.test(id) ? id : randomUUID();
    },
    // Fastify's own closing 503 is not OpenAI-shaped; the onRequest hook below answers instead.
    return503OnClosing: false,
    // A client must deliver its whole request (headers and body) in bounded time, or it could
    // hold a connection forever by trickling bytes. Node checks the deadlines every
    // connectionsCheckingInterval; expiry goes to clientErrorHandler (408 and close).
    requestTimeout: config.requestReadTimeoutMs,
    http: {
      requestTimeout: config.requestReadTimeoutMs,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Response serialisers generated ahead of time; no request-validation schemas.
    schemaController,
    // Bad %-encoding and over-long path segments, raised by the router before any hook runs.
    frameworkErrors: (err, _req, reply) => {
      const e = toOpenAIError(err, limits);
      // The generic reply type can't be narrowed here; this is the plain reply of the app.
      void (reply as unknown as FastifyReply).code(e.status).send(e.toJSON());
    },
    // Oversize headers, request timeouts, unparseable HTTP: raised on the socket, before a request exists.
    clientErrorHandler: (err, socket) => answerClientError(err, socket, limits),
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  const transport = deps.transport ?? (await createBedrockTransport(config));
  const resolver = createModelResolver({
    mappings: config.modelMappings,
    inferenceProfile: config.inferenceProfile,
    region: config.region,
    capabilities: config.capabilities,
  });
  const inFlight: InFlight = { streams: new Set(), requests: new Set() };
  app.decorate('inFlight', inFlight);

  app.setErrorHandler((err: FastifyError | OpenAIHttpError, req, reply) => {
    if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answerTooLarge(req, reply, limits.bodyLimitBytes);
    const e = toOpenAIError(err, limits);
    if (req.metrics) req.metrics.errorType = e.type;
    if (e.status >= 500) req.log.error({ err }, 'request failed');
    // A header set before the failure may be the failure (a value Node refuses to send).
    for (const [name, value] of Object.entries(reply.getHeaders())) if (!isSendableHeader(name, value)) reply.removeHeader(name);
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
  await installObservability(app, config, { ...deps.observability, knownModels: tableModelIds(Object.values(resolver.aliases())) });
  // Before the key check: a preflight carries no key, and is answered in the CORS hook.
  await installCors(app, config.corsOrigins);
  const check = config.apiKeys.length > 0 ? createKeyChecker(config.apiKeys, config.adminApiKeys) : undefined;
  // Callback hooks rather than async ones: Fastify then goes on synchronously, without a
  // promise and a microtask hop per hook and request.
  app.addHook('onRequest', (req, reply, done) => {
    if (closing) return done(shuttingDown());
    trackScopes(reply.raw, inFlight.requests);
    const metrics = initMetrics(req);
    const route = req.routeOptions.config;
    if (!check || route?.public) return done();
    let key;
    try {
      key = check(req.headers.authorization);
    } catch (err) {
      // Nothing more is read from a client without a valid key: close once the 401 is out,
      // so trickling a body after it cannot hold the connection.
      void reply.header('connection', 'close');
      return done(err as Error);
    }
    if (key.kind === 'admin') {
      if (!route?.admin) {
        return done(
          new OpenAIHttpError(403, 'This is an admin key: it reads operator endpoints such as /metrics and cannot call the API. Use a client key.', {
            code: 'admin_key_not_allowed',
          }),
        );
      }
      metrics.admin = true;
    } else metrics.apiKeyIndex = key.index;
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
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

/** pino's error serializer with message and stack cut to a bounded size. */
function boundedErrorSerializer(err: Error): { type: string; message: string; stack: string; [key: string]: unknown } {
  const out = stdSerializers.err(err) as unknown as { type: string; message: string; stack: string; [key: string]: unknown };
  for (const key of ['message', 'stack']) {
    const v = out[key];
    if (typeof v === 'string' && v.length > MAX_LOGGED_ERROR_CHARS) out[key] = `${v.slice(0, MAX_LOGGED_ERROR_CHARS)}... (${v.length} characters)`;
  }
  return out;
}

/**
 * 413 once the rest of the body is read and discarded (body-limit.ts), so clients still
 * uploading see the answer; the connection stays open unless the body was given up on.
 */
async function answerTooLarge(req: FastifyRequest, reply: FastifyReply, limitBytes: number): Promise<FastifyReply> {
  const e = requestTooLarge(limitBytes);
  if (req.metrics) req.metrics.errorType = e.type;
  // Fastify marked the connection for closing; a fully read body does not need that.
  if (await drainRequest(req.raw, limitBytes)) reply.removeHeader('connection');
  return reply.code(413).send(e.toJSON());
}
