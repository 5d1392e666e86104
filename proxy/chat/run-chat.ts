/**
 * One chat generation, independent of the HTTP surface that asked for it: Chat Completions
 * writes its result as `chat.completion` / SSE chunks, other OpenAI surfaces (the Responses
 * API) convert the same results into their own shapes. Order of work: validate and resolve
 * locally, translate, call Bedrock — nothing reaches AWS until the request is known to be
 * valid, and nothing is sent (and billed) for a client that is already gone.
 *
 * JSON-output emulation can need a second Bedrock call: when the model answers in text instead
 * of calling the JSON tool, the generation is retried once with the tool forced
 * (translate/json-answer.ts), streaming included; usage and cost cover both calls.
 */
import { randomId } from './random-id.js';
import type { ConverseCommandInput, ConverseCommandOutput, ConverseStreamOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { ProxyConfig } from '../config.js';
import type { ModelResolver, ResolvedModel } from '../models.js';
import type { BedrockTransport } from '../bedrock/transport.js';
import { invalidParam, OpenAIHttpError } from '../errors.js';
import { headerList } from '../header-safe.js';
import { requireModelName } from '../model-name.js';
import type { ChatCompletionCreateParams, ImageLoader, PreparedConverse, ResponseMeta, TranslationState } from '../translate/types.js';
import { prepareConverse } from '../translate/prepare-converse.js';
import { toChatCompletion, type ChatCompletionWithReasoning } from '../translate/convert-response.js';
import { createStreamTranslator, type ChatCompletionChunkWithReasoning, type StreamTranslator } from '../translate/stream-translator.js';
import { mapBedrockError } from '../translate/map-error.js';
import { addUsage, tokenCounts } from '../translate/map-usage.js';
import { isJsonAnswerMissing, jsonAnswerMissing, strictJsonInput } from '../translate/json-answer.js';
import { estimateCost, type PriceTable } from '../pricing.js';
import type { RequestMetrics } from '../request-metrics.js';
import { modelNotFound } from '../routes/models.js';
import type { RequestScope } from './request-scope.js';
import { DONE, stopIterator } from '../iteration-done.js';

/** What every generation needs from the app; built once per process. */
export interface ChatRuntime {
  transport: BedrockTransport;
  resolver: ModelResolver;
  loadImage: ImageLoader;
  config: ProxyConfig;
  prices: PriceTable;
}

/** A validated, translated request, ready to send. */
export interface PreparedChat {
  resolved: ResolvedModel;
  prepared: PreparedConverse;
  meta: ResponseMeta;
}

export async function prepareChat(rt: ChatRuntime, body: ChatCompletionCreateParams | null, m: RequestMetrics, scope: RequestScope): Promise<PreparedChat> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidParam(null, 'The request body must be a JSON object.');
  requireModelName(body.model);
  const resolved = rt.resolver.resolve(body.model);
  if (!resolved) throw modelNotFound(body.model);
  m.model = body.model;
  m.bedrockModelId = resolved.bedrockId;
  m.stream = body.stream === true;
  let prepared;
  try {
    prepared = await prepareConverse(body, {
      bedrockModelId: resolved.bedrockId,
      model: resolved.model,
      loadImage: rt.loadImage,
      maxImageBytes: rt.config.images.maxBytes,
      signal: scope,
      keepThinking: rt.config.keepThinking,
    });
  } catch (err) {
    // An image fetch cut short by the abort fails as "cancelled": report why it was cut.
    throw scope.abortReason() ?? err;
  }
  const gone = scope.abortReason();
  if (gone) throw gone;
  const meta: ResponseMeta = { id: `chatcmpl-${randomId(12)}`, created: Math.floor(Date.now() / 1000), model: body.model };
  return { resolved, prepared, meta };
}

/** Response headers that tell the client what the proxy did with its request (sendable and capped: they echo client input). */
export function novaHeaders({ resolved, prepared }: PreparedChat): Record<string, string> {
  const h: Record<string, string> = { 'x-nova-model': resolved.bedrockId };
  if (prepared.state.ignoredParams.length) h['x-nova-ignored-params'] = headerList(prepared.state.ignoredParams);
  if (prepared.state.adjustedParams.length) h['x-nova-adjusted-params'] = headerList(prepared.state.adjustedParams);
  return h;
}

export function recordUsage(rt: ChatRuntime, m: RequestMetrics, usage: TokenUsage | undefined, bedrockId: string): void {
  if (!usage) return;
  const t = tokenCounts(usage);
  m.inputTokens = t.inputTokens;
  m.outputTokens = t.outputTokens;
  m.cachedInputTokens = t.cachedInputTokens;
  m.costUsd = estimateCost(bedrockId, t, rt.prices);
}

/** Converse, translated to a chat completion (retried once when a JSON answer came as text). */
export async function completeChat(rt: ChatRuntime, chat: PreparedChat, m: RequestMetrics, scope: RequestScope): Promise<ChatCompletionWithReasoning> {
  const { resolved, prepared, meta } = chat;
  const sent = performance.now();
  const call = async (input: ConverseCommandInput): Promise<ConverseCommandOutput> => {
    try {
      return await rt.transport.converse(input, { signal: scope, maxResponseBytes: rt.config.bedrockMaxResponseBytes });
    } catch (err) {
      throw scope.abortReason() ?? mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'Converse' });
    } finally {
      m.bedrockMs = performance.now() - sent;
    }
  };
  const output = await call(prepared.input);
  recordUsage(rt, m, output.usage, resolved.bedrockId);
  try {
    return toChatCompletion(output, prepared.state, meta);
  } catch (err) {
    const jsonTool = prepared.state.jsonTool;
    if (!isJsonAnswerMissing(err) || jsonTool === undefined) throw err;
    const retry = await call(strictJsonInput(prepared.input, jsonTool));
    retry.usage = addUsage(output.usage, retry.usage);
    recordUsage(rt, m, retry.usage, resolved.bedrockId);
    return toChatCompletion(retry, prepared.state, meta);
  }
}

/**
 * ConverseStream, opened: rejects (a normal HTTP error, nothing written yet) if Bedrock
 * refuses the call. The returned iterable yields the chunks for each Bedrock event the
 * moment it arrives (often none for an event), throws OpenAIHttpError mid-stream, and
 * throws `upstream_truncated` if the stream ends before the model finished. A JSON answer
 * that came as text is retried once inside the same client stream (nothing of it was sent).
 */
export async function openChatStream(
  rt: ChatRuntime,
  chat: PreparedChat,
  m: RequestMetrics,
  scope: RequestScope,
): Promise<AsyncIterableIterator<ChatCompletionChunkWithReasoning[]>> {
  const { resolved, prepared } = chat;
  const sent = performance.now();
  const open = async (input: ConverseCommandInput): Promise<AsyncIterable<ConverseStreamOutput[]>> => {
    try {
      return await rt.transport.converseStream(input, { signal: scope });
    } catch (err) {
      m.bedrockMs = performance.now() - sent;
      throw scope.abortReason() ?? mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'ConverseStream' });
    }
  };
  const first = await open(prepared.input);
  // The Converse input stays referenced only when a JSON retry may need it: a long
  // conversation is otherwise not held for as long as the stream is open.
  const { jsonTool } = prepared.state;
  const retry = jsonTool !== undefined ? { input: prepared.input, jsonTool } : undefined;
  return new ChatChunks(rt, m, scope, sent, first, open, prepared.state, chat.meta, resolved.bedrockId, retry);
}

type Chunks = ChatCompletionChunkWithReasoning[];

/**
 * The chunks of one stream, as an async iterator written by hand rather than an async
 * generator: between batches an open stream then holds this object and the event queue's
 * pending promise, not a suspended generator with its registers (which keep the last batch,
 * its events and chunks alive), its request queue and promises (~1 KB per open stream,
 * measured in heap snapshots). Each `next()` is one promise step from the event batch to
 * its chunks. Not reentrant: like a generator's, calls are not meant to overlap (the
 * writers in sse.ts and for-await never do).
 */
class ChatChunks implements AsyncIterableIterator<Chunks> {
  private readonly translator: StreamTranslator;
  private events: AsyncIterator<ConverseStreamOutput[]>;
  private retried = false;
  /** Usage of a generation that was retried: billed, so counted in the metrics and cost. */
  private carried: TokenUsage | undefined = undefined;
  private stopReason: string | undefined = undefined;
  private closed = false;
  private readonly onEvents = (r: IteratorResult<ConverseStreamOutput[]>): Promise<IteratorResult<Chunks>> | IteratorResult<Chunks> => this.step(r);
  private readonly onFailure = (err: unknown): never => this.fail(err);

  constructor(
    private readonly rt: ChatRuntime,
    private readonly m: RequestMetrics,
    private readonly scope: RequestScope,
    private readonly sent: number,
    first: AsyncIterable<ConverseStreamOutput[]>,
    private readonly open: (input: ConverseCommandInput) => Promise<AsyncIterable<ConverseStreamOutput[]>>,
    state: TranslationState,
    meta: ResponseMeta,
    private readonly bedrockId: string,
    private readonly retry: { input: ConverseCommandInput; jsonTool: string } | undefined,
  ) {
    this.translator = createStreamTranslator(state, meta);
    this.events = first[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Chunks>> {
    if (this.closed) return Promise.resolve(DONE);
    try {
      return this.events.next().then(this.onEvents, this.onFailure);
    } catch (err) {
      return Promise.reject(this.failure(err));
    }
  }

  /** Leaving early (the client went away, a write failed): stops the Bedrock stream. */
  return(): Promise<IteratorResult<Chunks>> {
    if (!this.closed) {
      this.close();
      stopIterator(this.events);
    }
    return Promise.resolve(DONE);
  }

  /** One batch of events: its chunks (the next batch's when it makes none), or the end. */
  private step(r: IteratorResult<ConverseStreamOutput[]>): Promise<IteratorResult<Chunks>> | IteratorResult<Chunks> {
    // Closed by return() while this batch was on its way.
    if (this.closed) return DONE;
    try {
      if (!r.done) {
        const out = this.translate(r.value);
        return out ? { value: out, done: false } : this.next();
      }
      const t = this.translator;
      if (t.jsonRetryNeeded) {
        if (this.retried || this.retry === undefined) throw jsonAnswerMissing(this.stopReason);
        this.retried = true;
        t.restart();
        const retry = this.retry;
        return this.open(strictJsonInput(retry.input, retry.jsonTool)).then((events) => {
          this.events = events[Symbol.asyncIterator]();
          // Closed by return() while the retry was being opened: stop it at once.
          if (this.closed) stopIterator(this.events);
          return this.next();
        }, this.onFailure);
      }
      // A stream that ends without messageStop was cut off upstream: say so, don't fake completion.
      if (!t.finished) throw new OpenAIHttpError(502, 'Bedrock: the response stream ended before the model finished.', { code: 'upstream_truncated' });
      this.close();
      return DONE;
    } catch (err) {
      // A failure of ours or in-band (an exception event, a malformed answer) while Bedrock
      // may still be sending: stop its stream, as leaving a for-await loop would.
      stopIterator(this.events);
      return this.fail(err);
    }
  }

  /** The chunks of every event in the batch, written together (undefined when there are none). */
  private translate(batch: ConverseStreamOutput[]): Chunks | undefined {
    const { m, translator } = this;
    let out: Chunks | undefined;
    for (const event of batch) {
      if (event.messageStop) this.stopReason = event.messageStop.stopReason;
      if (event.contentBlockDelta) m.ttftMs ??= performance.now() - m.startedAt;
      const chunks = translator.push(event);
      if (event.metadata) {
        const total = addUsage(this.carried, event.metadata.usage);
        recordUsage(this.rt, m, total, this.bedrockId);
        if (translator.jsonRetryNeeded) this.carried = total;
      }
      if (chunks.length === 0) continue;
      if (out === undefined) out = chunks;
      else for (const c of chunks) out.push(c);
    }
    return out;
  }

  private fail(err: unknown): never {
    throw this.failure(err);
  }

  /** The error to report, once the iteration is over (a shutdown or time limit says why it was cut). */
  private failure(err: unknown): unknown {
    this.close();
    return this.scope.abortReason() ?? mapBedrockError(err, { modelId: this.bedrockId, operation: 'ConverseStream' });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.m.bedrockMs = performance.now() - this.sent;
  }
}
