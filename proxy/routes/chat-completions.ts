/**
 * POST /v1/chat/completions (and /chat/completions: API Gateway strips the stage, so
 * clients using `base_url=https://…/prod` arrive without the /v1 prefix). The generation
 * itself is chat/run-chat.ts; this file is the HTTP surface: JSON or SSE.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatCompletionCreateParams } from '../translate/types.js';
import { streamErrorEvent } from '../translate/map-error.js';
import type { OpenAIHttpError } from '../errors.js';
import { chunkFramer, SSE_DONE, sseFrame } from '../sse.js';
import { streamReply, type StreamFrames } from './stream-reply.js';
import { completeChat, novaHeaders, openChatStream, prepareChat, type ChatRuntime } from '../chat/run-chat.js';
import type { ChatCompletionChunkWithReasoning } from '../translate/stream-translator.js';
import { openRequestScope } from '../chat/request-scope.js';
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
        // The stream goes on after the handler returns: an open stream holds only what it
        // needs (its frames, the chunks), not this function with the whole prepared request.
        streaming = true;
        // Fastify's request would hold the parsed body (a whole conversation, possibly) for
        // as long as the stream is open; what the stream needs was taken from it above.
        req.body = undefined;
        streamReply(req, reply, scope, inFlight.streams, chunks, chat.resolved.bedrockId, new ChatFrames());
        return reply;
      }
      const completion = await completeChat(rt, chat, req.metrics, scope);
      if (req.metrics.costUsd !== undefined) reply.header('x-nova-cost-usd', req.metrics.costUsd.toFixed(8));
      if (config.logPrompts) req.log.info({ completion: completion.choices[0]?.message }, 'completion');
      return completion;
    } finally {
      if (!streaming) scope.dispose();
    }
  }

  // Streams hijack the reply; the schema serialises the non-streamed completion.
  for (const url of ['/v1/chat/completions', '/chat/completions']) app.post(url, { schema: { response: { 200: chatCompletionSchema } } }, handler);
};

/** A chat completion stream's frames: `data:` chunks, `[DONE]`, or an OpenAI-shaped error event. */
class ChatFrames implements StreamFrames<ChatCompletionChunkWithReasoning[]> {
  private readonly frame = chunkFramer();

  frames(batch: ChatCompletionChunkWithReasoning[]): string {
    let text = '';
    for (const chunk of batch) text += this.frame(chunk);
    return text;
  }

  end(): string {
    return SSE_DONE;
  }

  /** Reported the way OpenAI does mid-stream, then the stream closes. Never a fake `stop`. */
  error(e: OpenAIHttpError): string {
    return sseFrame(streamErrorEvent(e));
  }
}
