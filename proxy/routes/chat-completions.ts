/**
 * POST /v1/chat/completions (and /chat/completions: API Gateway strips the stage, so
 * clients using `base_url=https://…/prod` arrive without the /v1 prefix). The generation
 * itself is chat/run-chat.ts; this file is the HTTP surface: JSON or SSE.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatCompletionCreateParams } from '../translate/types.js';
import { mapBedrockError, streamErrorEvent } from '../translate/map-error.js';
import { chunkFramer, SSE_DONE, SSE_HEADERS, sseFrame, writeSse } from '../sse.js';
import { completeChat, novaHeaders, openChatStream, prepareChat, type ChatRuntime } from '../chat/run-chat.js';
import type { ChatCompletionChunkWithReasoning } from '../translate/stream-translator.js';
import { openRequestScope, type RequestScope } from '../chat/request-scope.js';
import { chatCompletionSchema } from './response-schemas.js';

export const chatCompletionsRoutes: FastifyPluginAsync<{ runtime: ChatRuntime }> = async (app, opts) => {
  const rt = opts.runtime;
  const inFlight = app.inFlight;
  const { config } = rt;

  async function handler(req: FastifyRequest, reply: FastifyReply) {
    const scope = openRequestScope(reply.raw, config.requestTimeoutMs);
    let streaming = false;
    try {
      const body = req.body as ChatCompletionCreateParams | null;
      const chat = await prepareChat(rt, body, req.metrics, scope);
      reply.headers(novaHeaders(chat));
      if (config.logPrompts) req.log.info({ prompt: body?.messages }, 'prompt');
      if (body?.stream === true) {
        const chunks = await openChatStream(rt, chat, req.metrics, scope);
        // Not awaited: an open stream then holds one suspended function (stream) and only
        // what it needs, not this one with the whole prepared request. stream() disposes of the scope.
        streaming = true;
        // Fastify's request would hold the parsed body (a whole conversation, possibly) for
        // as long as the stream is open; what the stream needs was taken from it above.
        req.body = undefined;
        return stream(req, reply, chunks, chat.resolved.bedrockId, scope);
      }
      const completion = await completeChat(rt, chat, req.metrics, scope);
      if (req.metrics.costUsd !== undefined) reply.header('x-nova-cost-usd', req.metrics.costUsd.toFixed(8));
      if (config.logPrompts) req.log.info({ completion: completion.choices[0]?.message }, 'completion');
      return completion;
    } finally {
      if (!streaming) scope.dispose();
    }
  }

  /** Writes the stream and disposes of the scope (the handler hands it over without waiting). */
  async function stream(req: FastifyRequest, reply: FastifyReply, chunks: AsyncIterable<ChatCompletionChunkWithReasoning[]>, bedrockId: string, scope: RequestScope) {
    try {
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, { ...SSE_HEADERS, ...(reply.getHeaders() as Record<string, string>), 'x-request-id': req.id });
      inFlight.streams.add(scope);
      const frame = chunkFramer();
      try {
        for await (const batch of chunks) {
          let text = '';
          for (const chunk of batch) text += frame(chunk);
          if (!(await writeSse(res, text, scope))) {
            // Client gone, or stopped reading until the time limit: drop the connection.
            scope.abort();
            res.destroy();
            return;
          }
        }
        await writeSse(res, SSE_DONE, scope);
      } catch (err) {
        if (res.destroyed) return;
        // Headers are gone: report in-band the way OpenAI does, then close. Never a fake `stop`.
        const e = mapBedrockError(err, { modelId: bedrockId, operation: 'ConverseStream' });
        req.metrics.errorType = e.type;
        if (e.status >= 500) req.log.error({ err }, 'stream failed');
        // Written even after an abort (time limit, shutdown): that is what the event reports.
        res.write(sseFrame(streamErrorEvent(e)));
      } finally {
        inFlight.streams.delete(scope);
        // Aborted (time limit) with output still stuck behind a client that stopped reading:
        // ending politely would keep the socket open for as long as the client likes.
        if (scope.aborted && res.writableNeedDrain) res.destroy();
        else res.end();
      }
    } finally {
      scope.dispose();
    }
  }

  // Streams hijack the reply; the schema serialises the non-streamed completion.
  for (const url of ['/v1/chat/completions', '/chat/completions']) app.post(url, { schema: { response: { 200: chatCompletionSchema } } }, handler);
};
