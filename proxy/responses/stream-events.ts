/**
 * Chat completion chunks (as the pipeline yields them, one batch per Bedrock event) →
 * the Responses streaming events. Pure state machine: every text, reasoning or
 * argument delta becomes an event in the batch it arrived in; nothing is held back.
 *
 * Sequence (each event numbered by `sequence_number`):
 *   response.created, response.in_progress,
 *   per item: output_item.added → content_part.added → output_text.delta… → output_text.done
 *     → content_part.done → output_item.done (reasoning: reasoning_text.* likewise;
 *     function calls: function_call_arguments.delta… → .done),
 *   response.completed | response.incomplete, or on a failure: error, response.failed.
 *
 * Item ids: an item's id is announced in `output_item.added`, before its content exists,
 * so messages and reasoning keep the pending id they start with (clients key their text
 * parts on it). A function call is announced with a pending id too; its
 * `output_item.done` (and the final response) carries the self-describing id. With
 * `carriers` on (no response store, and the client did not send `store: false`), a
 * message followed by a function call is described by an empty reasoning item placed
 * between them, so a tool loop that sends the message back by reference resolves
 * without state (see item-ids.ts). A message that ends the response has no carrier:
 * clients take the last output item as the answer, so nothing is appended after it.
 */
import type {
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatCompletionChunkWithReasoning } from '../translate/stream-translator.js';
import type { OpenAIHttpError } from '../errors.js';
import type { DescribedItem, ItemIdCodec } from './item-ids.js';
import {
  functionCallItem,
  messageItem,
  outputText,
  reasoningItem,
  responseUsage,
  startedResponse,
  statusFor,
  type ResponseEcho,
  type ResponseMeta,
  type WireResponse,
} from './to-response.js';

/** Events without their sequence number (added when emitted). */
type Unnumbered = ResponseStreamEvent extends infer E ? (E extends ResponseStreamEvent ? Omit<E, 'sequence_number'> : never) : never;

type Open =
  | { kind: 'message'; index: number; id: string; text: string }
  | { kind: 'reasoning'; index: number; id: string; text: string }
  | { kind: 'call'; index: number; id: string; chatIndex: number; callId: string; name: string; args: string };

export interface ResponseEventStream {
  /** response.created and response.in_progress. */
  start(): ResponseStreamEvent[];
  /** Events for one batch of chat chunks. */
  push(batch: ChatCompletionChunkWithReasoning[]): ResponseStreamEvent[];
  /** The stream ended normally: close what is open, then response.completed / incomplete. */
  finish(): ResponseStreamEvent[];
  /** The stream failed: close nothing (the items stay in_progress), send error and response.failed. */
  fail(err: OpenAIHttpError): ResponseStreamEvent[];
  /** The response as it stands (final after finish/fail). */
  response(): WireResponse;
}

export interface EventStreamOptions {
  /** Put a reasoning carrier between a streamed message and the function call after it. */
  carriers: boolean;
}

export function createResponseEventStream(meta: ResponseMeta, echo: ResponseEcho, codec: ItemIdCodec, opts: EventStreamOptions): ResponseEventStream {
  let seq = 0;
  let open: Open | undefined;
  const output: ResponseOutputItem[] = [];
  /** Streamed messages (pending ids) no carrier describes yet. */
  let uncarried: Array<{ id: string; item: DescribedItem }> = [];
  let finishReason: ChatCompletionChunkWithReasoning['choices'][number]['finish_reason'] | undefined;
  let usage: CompletionUsage | undefined;
  let current = startedResponse(meta, echo);

  const emit = (out: ResponseStreamEvent[], e: Unnumbered) => out.push({ ...e, sequence_number: seq++ } as ResponseStreamEvent);
  const snapshot = () => ({ ...current, output: [...output] });

  function close(out: ResponseStreamEvent[], status: 'completed' | 'incomplete'): void {
    const o = open;
    if (!o) return;
    open = undefined;
    if (o.kind === 'message') {
      const part = outputText(o.text);
      emit(out, { type: 'response.output_text.done', item_id: o.id, output_index: o.index, content_index: 0, text: o.text, logprobs: [] });
      emit(out, { type: 'response.content_part.done', item_id: o.id, output_index: o.index, content_index: 0, part });
      const item = messageItem(o.id, o.text, status);
      output[o.index] = item;
      emit(out, { type: 'response.output_item.done', output_index: o.index, item });
      uncarried.push({ id: o.id, item: { type: 'message', text: o.text } });
    } else if (o.kind === 'reasoning') {
      emit(out, { type: 'response.reasoning_text.done', item_id: o.id, output_index: o.index, content_index: 0, text: o.text });
      emit(out, { type: 'response.content_part.done', item_id: o.id, output_index: o.index, content_index: 0, part: { type: 'reasoning_text', text: o.text } });
      const item = reasoningItem(o.id, o.text);
      output[o.index] = item;
      emit(out, { type: 'response.output_item.done', output_index: o.index, item });
    } else {
      emit(out, { type: 'response.function_call_arguments.done', item_id: o.id, output_index: o.index, name: o.name, arguments: o.args });
      const finalId = codec.describe('fc', { type: 'function_call', call_id: o.callId, name: o.name, arguments: o.args });
      const item = functionCallItem(finalId, o.callId, o.name, o.args, status);
      output[o.index] = item;
      emit(out, { type: 'response.output_item.done', output_index: o.index, item });
    }
  }

  function openItem(out: ResponseStreamEvent[], o: Open, item: ResponseOutputItem): void {
    close(out, 'completed');
    open = o;
    output[o.index] = item;
    emit(out, { type: 'response.output_item.added', output_index: o.index, item });
  }

  function onText(out: ResponseStreamEvent[], delta: string): void {
    if (open?.kind !== 'message') {
      const id = codec.pending('msg');
      const item: ResponseOutputMessage = { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] };
      openItem(out, { kind: 'message', index: output.length, id, text: '' }, item);
      emit(out, { type: 'response.content_part.added', item_id: id, output_index: open!.index, content_index: 0, part: outputText('') });
    }
    const o = open as Extract<Open, { kind: 'message' }>;
    o.text += delta;
    emit(out, { type: 'response.output_text.delta', item_id: o.id, output_index: o.index, content_index: 0, delta, logprobs: [] });
  }

  function onReasoning(out: ResponseStreamEvent[], delta: string): void {
    if (open?.kind !== 'reasoning') {
      const id = codec.pending('rs');
      const item: ResponseReasoningItem = { id, type: 'reasoning', summary: [], content: [] };
      openItem(out, { kind: 'reasoning', index: output.length, id, text: '' }, item);
      emit(out, { type: 'response.content_part.added', item_id: id, output_index: open!.index, content_index: 0, part: { type: 'reasoning_text', text: '' } });
    }
    const o = open as Extract<Open, { kind: 'reasoning' }>;
    o.text += delta;
    emit(out, { type: 'response.reasoning_text.delta', item_id: o.id, output_index: o.index, content_index: 0, delta });
  }

  /** An empty reasoning item whose id describes the messages streamed since the last one. */
  function carrier(out: ResponseStreamEvent[]): void {
    close(out, 'completed');
    const pendingMessages = uncarried;
    uncarried = [];
    if (!opts.carriers || pendingMessages.length === 0) return;
    const { id, carried } = codec.describeCarrier({ type: 'reasoning' }, pendingMessages);
    // Nothing fitted the size bound: an empty item describing nothing would only be noise.
    if (carried === 0) return;
    const item: ResponseReasoningItem = { id, type: 'reasoning', summary: [] };
    const index = output.length;
    output[index] = item;
    emit(out, { type: 'response.output_item.added', output_index: index, item });
    emit(out, { type: 'response.output_item.done', output_index: index, item });
  }

  function onToolCall(out: ResponseStreamEvent[], tc: NonNullable<ChatCompletionChunkWithReasoning['choices'][number]['delta']['tool_calls']>[number]): void {
    if (tc.id !== undefined) {
      carrier(out);
      const id = codec.pending('fc');
      const name = tc.function?.name ?? '';
      const item: ResponseFunctionToolCall = functionCallItem(id, tc.id, name, '', 'in_progress');
      openItem(out, { kind: 'call', index: output.length, id, chatIndex: tc.index, callId: tc.id, name, args: '' }, item);
    }
    const fragment = tc.function?.arguments;
    if (!fragment) return;
    // Converse streams one content block at a time, so a fragment belongs to the open call.
    const o = open;
    if (o?.kind !== 'call' || o.chatIndex !== tc.index) return;
    o.args += fragment;
    emit(out, { type: 'response.function_call_arguments.delta', item_id: o.id, output_index: o.index, delta: fragment });
  }

  function end(out: ResponseStreamEvent[]): void {
    const { status, incomplete_details } = statusFor(finishReason ?? undefined);
    close(out, status === 'completed' ? 'completed' : 'incomplete');
    current = {
      ...current,
      status,
      incomplete_details,
      completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
      usage: responseUsage(usage),
    };
    const response = snapshot();
    if (status === 'completed') emit(out, { type: 'response.completed', response: response as never });
    else emit(out, { type: 'response.incomplete', response: response as never });
  }

  return {
    start() {
      const out: ResponseStreamEvent[] = [];
      emit(out, { type: 'response.created', response: snapshot() as never });
      emit(out, { type: 'response.in_progress', response: snapshot() as never });
      return out;
    },
    push(batch) {
      const out: ResponseStreamEvent[] = [];
      for (const chunk of batch) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        const d = choice.delta;
        if (d.reasoning_content) onReasoning(out, d.reasoning_content);
        if (d.content) onText(out, d.content);
        for (const tc of d.tool_calls ?? []) onToolCall(out, tc);
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      return out;
    },
    finish() {
      const out: ResponseStreamEvent[] = [];
      end(out);
      return out;
    },
    fail(err) {
      const out: ResponseStreamEvent[] = [];
      emit(out, { type: 'error', code: err.code, message: err.message, param: err.param });
      current = {
        ...current,
        status: 'failed',
        error: { code: err.status === 429 ? 'rate_limit_exceeded' : 'server_error', message: err.message },
        ...(usage ? { usage: responseUsage(usage) } : {}),
      };
      emit(out, { type: 'response.failed', response: snapshot() as never });
      return out;
    },
    response: snapshot,
  };
}
