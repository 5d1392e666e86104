/**
 * POST /v1/chat/completions (and /chat/completions: API Gateway strips the stage, so
 * clients using `base_url=https://…/prod` arrive without the /v1 prefix).
 *
 * Order of work per request: validate and resolve locally, translate, call Bedrock.
 * Nothing reaches AWS until the request is known to be valid.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { randomBytes } from 'node:crypto';
import type { ProxyConfig } from '../config.js';
import type { ModelResolver, ResolvedModel } from '../models.js';
import { invalidParam, OpenAIHttpError } from '../errors.js';
import type { ChatCompletionCreateParams, ImageLoader, PreparedConverse, ResponseMeta } from '../translate/types.js';
import { prepareConverse } from '../translate/prepare-converse.js';
import { toChatCompletion } from '../translate/convert-response.js';
import { createStreamTranslator } from '../translate/stream-translator.js';
import { mapBedrockError, streamErrorEvent } from '../translate/map-error.js';
import { tokenCounts } from '../translate/map-usage.js';
import { modelNotFound } from './models.js';
import { SSE_DONE, SSE_HEADERS, sseFrame, writeSse } from '../sse.js';
import { DEFAULT_PRICES, estimateCost, type PriceTable } from '../pricing.js';
import type { RequestMetrics } from '../request-metrics.js';
import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';

interface ChatRouteOptions {
  bedrock: BedrockRuntimeClient;
  resolver: ModelResolver;
  loadImage: ImageLoader;
  config: ProxyConfig;
}

export const chatCompletionsRoutes: FastifyPluginAsync<ChatRouteOptions> = async (app, opts) => {
  const { bedrock, resolver, loadImage, config } = opts;
  const inFlight = app.inFlight;
  const prices: PriceTable = { ...DEFAULT_PRICES, ...config.prices };

  function recordUsage(m: RequestMetrics, usage: TokenUsage | undefined, bedrockId: string) {
    if (!usage) return;
    const t = tokenCounts(usage);
    m.inputTokens = t.inputTokens;
    m.outputTokens = t.outputTokens;
    m.cachedInputTokens = t.cachedInputTokens;
    m.costUsd = estimateCost(bedrockId, t, prices);
  }

  async function handler(req: FastifyRequest, reply: FastifyReply) {
    const body = req.body as ChatCompletionCreateParams | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidParam(null, 'The request body must be a JSON object.');
    if (typeof body.model !== 'string' || body.model === '') throw invalidParam('model', 'You must provide a model parameter (a string).');
    const resolved = resolver.resolve(body.model);
    if (!resolved) throw modelNotFound(body.model);
    const m = req.metrics;
    m.model = body.model;
    m.bedrockModelId = resolved.bedrockId;
    m.stream = body.stream === true;

    // One controller per request: client disconnect, the request time limit and shutdown
    // all abort the work in progress — image fetches as well as the Bedrock call.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new OpenAIHttpError(504, `Request exceeded the time limit of ${config.requestTimeoutMs} ms.`)), config.requestTimeoutMs);
    const res = reply.raw;
    const onClose = () => {
      if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    try {
      const prepared = await prepareConverse(body, {
        bedrockModelId: resolved.bedrockId,
        model: resolved.model,
        loadImage,
        maxImageBytes: config.images.maxBytes,
        signal: controller.signal,
      });
      // Nothing is sent to Bedrock (and billed) for a client that is already gone.
      const gone = abortReason(controller);
      if (gone) throw gone;
      const meta: ResponseMeta = { id: `chatcmpl-${randomBytes(12).toString('base64url')}`, created: Math.floor(Date.now() / 1000), model: body.model };
      reply.headers(novaHeaders(resolved, prepared));
      if (config.logPrompts) req.log.info({ prompt: body.messages }, 'prompt');
      if (body.stream === true) return await stream(req, reply, prepared, meta, resolved, controller);
      let output;
      const sent = performance.now();
      try {
        output = await bedrock.send(new ConverseCommand(prepared.input), { abortSignal: controller.signal });
      } catch (err) {
        throw abortReason(controller) ?? mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'Converse' });
      } finally {
        m.bedrockMs = performance.now() - sent;
      }
      recordUsage(m, output.usage, resolved.bedrockId);
      if (m.costUsd !== undefined) reply.header('x-nova-cost-usd', m.costUsd.toFixed(8));
      const completion = toChatCompletion(output, prepared.state, meta);
      if (config.logPrompts) req.log.info({ completion: completion.choices[0]?.message }, 'completion');
      return completion;
    } finally {
      clearTimeout(timer);
    }
  }

  async function stream(
    req: FastifyRequest,
    reply: FastifyReply,
    prepared: PreparedConverse,
    meta: ResponseMeta,
    resolved: ResolvedModel,
    controller: AbortController,
  ) {
    let output;
    const m = req.metrics;
    const sent = performance.now();
    try {
      output = await bedrock.send(new ConverseStreamCommand(prepared.input), { abortSignal: controller.signal });
    } catch (err) {
      m.bedrockMs = performance.now() - sent;
      // Nothing written yet: a normal HTTP error.
      throw abortReason(controller) ?? mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'ConverseStream' });
    }
    if (!output.stream) throw new OpenAIHttpError(502, 'Bedrock returned no stream.');

    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, { ...SSE_HEADERS, ...(reply.getHeaders() as Record<string, string>), 'x-request-id': req.id });
    inFlight.streams.add(controller);
    const translator = createStreamTranslator(prepared.state, meta);
    try {
      for await (const event of output.stream) {
        if (event.metadata) recordUsage(m, event.metadata.usage, resolved.bedrockId);
        if (event.contentBlockDelta) m.ttftMs ??= performance.now() - m.startedAt;
        const chunks = translator.push(event);
        if (chunks.length === 0) continue;
        let text = '';
        for (const chunk of chunks) text += sseFrame(chunk);
        if (!(await writeSse(res, text, controller.signal))) {
          // Client gone, or stopped reading until the time limit: drop the connection.
          controller.abort();
          res.destroy();
          return;
        }
      }
      // A stream that ends without messageStop was cut off upstream: say so, don't fake completion.
      if (!translator.finished) throw new OpenAIHttpError(502, 'Bedrock: the response stream ended before the model finished.', { code: 'upstream_truncated' });
      await writeSse(res, SSE_DONE, controller.signal);
    } catch (err) {
      if (res.destroyed) return;
      // Headers are gone: report in-band the way OpenAI does, then close. Never a fake `stop`.
      const e = abortReason(controller) ?? mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'ConverseStream' });
      m.errorType = e.type;
      if (e.status >= 500) req.log.error({ err }, 'stream failed');
      // Written even after an abort (time limit, shutdown): that is what the event reports.
      res.write(sseFrame(streamErrorEvent(e)));
    } finally {
      m.bedrockMs = performance.now() - sent;
      inFlight.streams.delete(controller);
      // Aborted (time limit) with output still stuck behind a client that stopped reading:
      // ending politely would keep the socket open for as long as the client likes.
      if (controller.signal.aborted && res.writableNeedDrain) res.destroy();
      else res.end();
    }
  }

  for (const url of ['/v1/chat/completions', '/chat/completions']) app.post(url, handler);
};

/** The OpenAIHttpError that caused an abort (time limit, shutdown), if any. */
function abortReason(controller: AbortController): OpenAIHttpError | undefined {
  if (!controller.signal.aborted) return undefined;
  const reason: unknown = controller.signal.reason;
  return reason instanceof OpenAIHttpError ? reason : new OpenAIHttpError(499, 'Client closed the request.');
}

function novaHeaders(resolved: ResolvedModel, prepared: PreparedConverse): Record<string, string> {
  const h: Record<string, string> = { 'x-nova-model': resolved.bedrockId };
  if (prepared.state.ignoredParams.length) h['x-nova-ignored-params'] = prepared.state.ignoredParams.join(',');
  if (prepared.state.adjustedParams.length) h['x-nova-adjusted-params'] = prepared.state.adjustedParams.join(',');
  return h;
}
