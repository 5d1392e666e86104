/**
 * Per-request observability: when a response closes (normal replies and hijacked
 * streaming replies alike), write ONE structured log line and record the request in the
 * metrics sink — Prometheus in server mode, CloudWatch EMF on Lambda.
 *
 * Must be installed before the app's own onRequest hook (auth): a hook that throws stops
 * the ones after it, and 401s deserve a log line too. The close listener reads
 * `req.metrics` when the response closes, so the order of initialisation doesn't matter.
 *
 * Prompts and outputs never appear here; the chat route logs them separately, and only
 * with `logPrompts`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ServerResponse } from 'node:http';
import type { ProxyConfig } from '../config.js';
import { errorTypeForStatus } from '../errors.js';
import { emptySample, type MetricsSink } from './metric-defs.js';
import { createModelLabels } from './model-labels.js';
import { lineWriter, type AccessFields } from './access-line.js';
import type { EmfOptions } from './emf.js';
import type { PrometheusOptions, PrometheusSink } from './prometheus.js';

export type MetricsMode = 'prometheus' | 'emf' | 'off';

export interface ObservabilityOptions {
  /** Overrides `config.metrics`. */
  mode?: MetricsMode;
  emf?: EmfOptions;
  prometheus?: PrometheusOptions;
  /** Bedrock IDs that always get their own `model` label (the configured table; see model-labels.ts). */
  knownModels?: Iterable<string>;
}

export interface Observability {
  mode: MetricsMode;
  sink: MetricsSink | undefined;
  /** Present in prometheus mode. */
  prometheus: PrometheusSink | undefined;
}

/** URLs that are probes, not traffic: logged at debug level, kept out of the metrics. */
const QUIET_ROUTES = new Set(['/health', '/health/', '/metrics']);
/** Client-chosen strings in the per-request log line are cut here (model names are validated to 256). */
const MAX_LOGGED_CHARS = 256;
const capped = (s: string | undefined) => (s !== undefined && s.length > MAX_LOGGED_CHARS ? `${s.slice(0, MAX_LOGGED_CHARS)}...` : s);

const kRequest = Symbol('novaRequest');
type TrackedResponse = ServerResponse & { [kRequest]?: FastifyRequest };

const round = (v: number) => Math.round(v * 1000) / 1000;

export async function installObservability(
  app: FastifyInstance,
  config: Pick<ProxyConfig, 'metrics'> & Partial<Pick<ProxyConfig, 'apiKeys' | 'metricsMaxPassThroughModels'>>,
  opts: ObservabilityOptions = {},
): Promise<Observability> {
  const mode: MetricsMode = opts.mode ?? config.metrics ?? 'prometheus';
  let sink: MetricsSink | undefined;
  let prometheus: PrometheusSink | undefined;
  if (mode === 'prometheus') {
    // Loaded only in this mode: the Lambda bundle leaves prom-client out.
    const { createPrometheusSink } = await import('./prometheus.js');
    prometheus = createPrometheusSink({ openStreams: () => app.inFlight?.streams.size ?? 0, ...opts.prometheus });
    sink = prometheus;
  } else if (mode === 'emf') {
    const { createEmfSink } = await import('./emf.js');
    sink = createEmfSink(opts.emf);
  }
  const sample = emptySample();
  const labels = createModelLabels(opts.knownModels ?? [], config.metricsMaxPassThroughModels ?? 20);
  const authEnabled = (config.apiKeys?.length ?? 0) > 0;
  const writeLine = lineWriter(app.log as Logger);

  function onClose(this: TrackedResponse) {
    const req = this[kRequest];
    this[kRequest] = undefined;
    const m = req?.metrics;
    if (!req || !m) return;
    const totalMs = performance.now() - m.startedAt;
    const status = this.statusCode;
    const aborted = !this.writableFinished;
    // A response that never finished was cut by the client (or the connection), whatever the route made of it.
    const errorType = aborted ? 'client_closed' : (m.errorType ?? (status >= 400 ? errorTypeForStatus(status) : undefined));
    const overheadMs = Math.max(0, totalMs - (m.bedrockMs ?? 0));
    const route = req.routeOptions.url;
    const quiet = route !== undefined && QUIET_ROUTES.has(route);
    const fields: AccessFields = {
      route: route ?? null,
      method: req.method,
      status,
      model: capped(m.model),
      bedrockModelId: capped(m.bedrockModelId),
      stream: m.stream,
      latencyMs: round(totalMs),
      bedrockMs: m.bedrockMs === undefined ? undefined : round(m.bedrockMs),
      overheadMs: round(overheadMs),
      ttftMs: m.ttftMs === undefined ? undefined : round(m.ttftMs),
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      cachedInputTokens: m.cachedInputTokens,
      costUsd: m.costUsd,
      errorType,
      apiKeyIndex: m.apiKeyIndex,
      aborted: aborted || undefined,
    };
    if (writeLine) writeLine(quiet ? 'debug' : 'info', req.id, fields, 'request completed');
    else if (quiet) req.log.debug(fields, 'request completed');
    else req.log.info(fields, 'request completed');
    if (!sink || quiet) return;
    sample.model = labels.label(m.bedrockModelId, status < 400 && m.bedrockMs !== undefined);
    sample.stream = m.stream;
    sample.status = status;
    sample.apiKey = m.apiKeyIndex === undefined ? 'none' : String(m.apiKeyIndex);
    sample.totalMs = totalMs;
    sample.bedrockMs = m.bedrockMs;
    sample.overheadMs = overheadMs;
    sample.ttftMs = m.ttftMs;
    sample.inputTokens = m.inputTokens;
    sample.outputTokens = m.outputTokens;
    sample.cachedInputTokens = m.cachedInputTokens;
    sample.costUsd = m.costUsd;
    sample.errorType = errorType;
    sink.record(sample);
  }

  app.addHook('onRequest', (req, reply, done) => {
    const res = reply.raw as TrackedResponse;
    res[kRequest] = req;
    // 'close' fires once per response; `on` skips the wrapper `once` allocates.
    res.on('close', onClose);
    done();
  });

  if (prometheus) {
    const p = prometheus;
    // Behind the API keys (Prometheus sends one with `authorization: { credentials: … }` in
    // the scrape config). Per-key cost only for admin keys, or when there are no keys at all.
    app.get('/metrics', { config: { admin: true } }, async (req, reply) => {
      const text = await p.metrics({ perKey: !authEnabled || req.metrics?.admin === true });
      void reply.type(p.contentType);
      return text;
    });
  }
  return { mode, sink, prometheus };
}
