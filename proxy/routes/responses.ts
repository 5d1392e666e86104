/**
 * The Responses API: POST /v1/responses (JSON or SSE events), and with a response store
 * GET / DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items. Unprefixed
 * routes too, for API Gateway stages. The generation is the chat pipeline
 * (chat/run-chat.ts); this file translates in (responses/to-chat.ts) and out
 * (responses/to-response.ts, responses/stream-events.ts) and writes HTTP.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { invalidParam, OpenAIHttpError } from '../errors.js';
import { isObj, optBoolean, optInteger, optString, type Obj } from '../translate/validate.js';
import { sseEvent } from '../sse.js';
import { streamReply, type StreamFrames } from './stream-reply.js';
import { completeChat, novaHeaders, openChatStream, prepareChat, type ChatRuntime, type PreparedChat } from '../chat/run-chat.js';
import { openRequestScope } from '../chat/request-scope.js';
import { createItemIdCodec } from '../responses/item-ids.js';
import { resolveInput, type ConversationItem, type PlacedItem } from '../responses/resolve-input.js';
import { toChatRequest } from '../responses/to-chat.js';
import { responseEcho, toResponse, type ResponseEcho, type ResponseMeta, type WireResponse } from '../responses/to-response.js';
import { createResponseEventStream } from '../responses/stream-events.js';
import type { ChatCompletionChunkWithReasoning } from '../translate/stream-translator.js';
import { createResponseStore, listedItem, withIds, type ResponseStore } from '../responses/response-store.js';

const STATELESS_HINT = 'this proxy is stateless unless a response store is configured (responseStoreMaxEntries / NOVA_RESPONSE_STORE_MAX_ENTRIES)';

export const responsesRoutes: FastifyPluginAsync<{ runtime: ChatRuntime }> = async (app, opts) => {
  const rt = opts.runtime;
  const { config } = rt;
  const inFlight = app.inFlight;
  // A random key per process unless configured: ids then resolve only where they were issued.
  const codec = createItemIdCodec(config.itemIdKey || randomBytes(32));
  const store: ResponseStore | undefined =
    config.responseStoreMaxEntries > 0
      ? createResponseStore({ maxEntries: config.responseStoreMaxEntries, maxBytes: config.responseStoreMaxBytes, ttlMs: config.responseStoreTtlMs })
      : undefined;
  const lookup = store ? (id: string) => store.item(id) : undefined;

  /** The conversation `previous_response_id` continues, or [] without one. */
  function previousConversation(body: Obj): ConversationItem[] {
    const prev = optString(body.previous_response_id, 'previous_response_id');
    if (prev === undefined) return [];
    if (!store) {
      throw invalidParam('previous_response_id', `previous_response_id needs a stored response, and ${STATELESS_HINT}. Send the full conversation in \`input\` instead (earlier output items can be sent back as they are).`);
    }
    const items = store.conversation(prev);
    if (!items) throw invalidParam('previous_response_id', `Previous response with id '${prev}' not found (responses are kept in memory for ${Math.round(config.responseStoreTtlMs / 1000)} s, per proxy instance).`, 'previous_response_not_found');
    return items;
  }

  function remember(body: Obj, response: WireResponse, context: ConversationItem[], placed: PlacedItem[]): void {
    if (!store || body.store === false) return;
    store.put({ response, context, input: withIds(placed.map((p) => p.item)) });
  }

  async function create(req: FastifyRequest, reply: FastifyReply) {
    const scope = openRequestScope(reply.raw, config.requestTimeoutMs);
    let streaming = false;
    try {
      const body = req.body;
      if (!isObj(body)) throw invalidParam(null, 'The request body must be a JSON object.');
      const stream = optBoolean(body.stream, 'stream') === true;
      if (body.input === undefined) throw invalidParam('input', 'input is required: a string or an array of input items');
      const context = previousConversation(body);
      const placed = resolveInput(body.input, { codec, ...(lookup ? { lookup } : {}) });
      const items: PlacedItem[] = [...context.map((item) => ({ item, path: 'previous_response_id' })), ...placed];
      const tr = toChatRequest(body, items, { stream, storeConfigured: store !== undefined });
      let chat: PreparedChat;
      try {
        chat = await prepareChat(rt, tr.chat, req.metrics, scope);
      } catch (err) {
        throw err instanceof OpenAIHttpError && err.status === 400 ? tr.paths.error(err) : err;
      }
      const state = chat.prepared.state;
      state.ignoredParams = [...new Set([...tr.ignored, ...state.ignoredParams.map((p) => tr.paths.param(p))])];
      state.adjustedParams = state.adjustedParams.map((p) => tr.paths.param(p));
      reply.headers(novaHeaders(chat));
      if (config.logPrompts) req.log.info({ instructions: body.instructions, input: body.input }, 'prompt');

      const meta: ResponseMeta = { id: `resp_${randomBytes(24).toString('hex')}`, createdAt: chat.meta.created, model: body.model as string };
      const echo = responseEcho(body, store !== undefined);
      if (stream) {
        const out = responseFrames(req, meta, echo, (r) => remember(body, r, context, placed));
        const chunks = await openChatStream(rt, chat, req.metrics, scope);
        // Goes on after the handler returns, as in chat-completions.ts; the writer disposes of the scope.
        streaming = true;
        streamReply(req, reply, scope, inFlight.streams, chunks, chat.resolved.bedrockId, out);
        return reply;
      }
      const completion = await completeChat(rt, chat, req.metrics, scope);
      const response = toResponse(completion, meta, echo, codec);
      if (req.metrics.costUsd !== undefined) reply.header('x-nova-cost-usd', req.metrics.costUsd.toFixed(8));
      if (config.logPrompts) req.log.info({ output: response.output }, 'completion');
      remember(body, response, context, placed);
      return response;
    } finally {
      if (!streaming) scope.dispose();
    }
  }

  /** The Responses API's typed events around the generation's chunks. */
  function responseFrames(req: FastifyRequest, meta: ResponseMeta, echo: ResponseEcho, onDone: (r: WireResponse) => void): StreamFrames<ChatCompletionChunkWithReasoning[]> {
    // Without a store, and unless the client sends its items inline (store: false), tool loops need carriers.
    const events = createResponseEventStream(meta, echo, codec, { carriers: !store && (req.body as Obj).store !== false });
    const frames = (list: Array<{ type: string }>) => {
      let text = '';
      for (const e of list) text += sseEvent(e);
      return text;
    };
    return {
      first: frames(events.start()),
      frames: (batch) => frames(events.push(batch)),
      end: () => frames(events.finish()),
      ended: () => {
        if (config.logPrompts) req.log.info({ output: events.response().output }, 'completion');
        onDone(events.response());
      },
      // Headers are gone: report in-band (`error`, then `response.failed`), then close.
      error: (e) => frames(events.fail(e)),
    };
  }

  function stored(id: string): NonNullable<ReturnType<ResponseStore['get']>> {
    if (!store) throw new OpenAIHttpError(404, `Response with id '${id}' not found: ${STATELESS_HINT}.`, { param: 'response_id', code: 'response_not_found' });
    const e = store.get(id);
    if (!e) throw new OpenAIHttpError(404, `Response with id '${id}' not found.`, { param: 'response_id', code: 'response_not_found' });
    return e;
  }

  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/responses`, create);
    app.get<{ Params: { id: string }; Querystring: Obj }>(`${prefix}/responses/:id`, async (req) => {
      if (req.query.stream === 'true') throw invalidParam('stream', 'streaming a stored response again is not supported; GET it without stream');
      return stored(req.params.id).response;
    });
    app.delete<{ Params: { id: string } }>(`${prefix}/responses/:id`, async (req) => {
      stored(req.params.id);
      store!.delete(req.params.id);
      return { id: req.params.id, object: 'response', deleted: true };
    });
    app.get<{ Params: { id: string }; Querystring: Obj }>(`${prefix}/responses/:id/input_items`, async (req) => {
      const e = stored(req.params.id);
      const q = req.query;
      const limit = optInteger(q.limit === undefined ? undefined : Number(q.limit), 'limit', 1, 100) ?? 20;
      const order = q.order ?? 'desc';
      if (order !== 'asc' && order !== 'desc') throw invalidParam('order', `order must be "asc" or "desc", got ${JSON.stringify(order)}`);
      let list = order === 'asc' ? [...e.input] : [...e.input].reverse();
      if (typeof q.after === 'string') {
        const at = list.findIndex((i) => i.id === q.after);
        list = at < 0 ? [] : list.slice(at + 1);
      }
      const page = list.slice(0, limit).map(listedItem);
      return { object: 'list', data: page, first_id: page[0]?.id ?? '', last_id: page.at(-1)?.id ?? '', has_more: list.length > limit };
    });
  }
};
