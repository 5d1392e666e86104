/**
 * ConverseStream events → OpenAI `chat.completion.chunk`s, one event at a time. Pure state
 * machine: the route feeds each Bedrock event to `push` and writes the returned chunks
 * at once. It makes the same decisions as convert-response.ts (see there). Nothing is
 * buffered except
 * - the tail of the text that could still be a stop sequence (strip-stop.ts),
 * - at the start of the message, text that could still open a `<thinking>` preamble, and
 *   inside one, text that could still close it (thinking.ts); the preamble itself streams as
 *   `reasoning_content`,
 * - reasoning text while it could still be Nova 2's `[REDACTED].` placeholder (reasoning.ts), and
 * - under JSON emulation (`state.jsonTool`), text that arrives before the JSON tool:
 *   it is held until the model either calls the JSON tool (the text is dropped, as in
 *   the non-streaming path) or does something else (the text is released). When the message
 *   ends in text, text that is a JSON object is the answer; otherwise the translator sends
 *   nothing more and sets `jsonRetryNeeded`: the caller retries the generation and feeds the
 *   new stream after `restart()` (json-answer.ts); the client sees one answer.
 *
 * Chunks mirror OpenAI's: every chunk has `choices[0].logprobs: null` and
 * `finish_reason` (null until the finish chunk); with `include_usage` every chunk carries
 * `usage: null` and the last one is `{choices: [], usage}`, sent on Bedrock's metadata
 * event (which follows messageStop); without it there is no `usage` field at all.
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { Mutable, ResponseMeta, TranslationState } from './types.js';
import { mapFinishReason, stopReasonError, type FinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import { createStopSequenceBuffer, stripStopSequence } from './strip-stop.js';
import { clientToolName } from './convert-response.js';
import { mapBedrockError } from './map-error.js';
import { createThinkingFilter, type ThinkingFilter } from './thinking.js';
import { createReasoningFilter, estimateReasoningTokens, type ReasoningFilter } from './reasoning.js';
import { salvageJson } from './json-answer.js';
import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { addUsage } from './map-usage.js';
import { STREAM_EXCEPTION_MEMBERS } from './stream-members.js';

/** A delta that may carry Nova 2 reasoning text (`reasoning_content`, as DeepSeek/vLLM stream it). */
export type ChunkDeltaWithReasoning = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

export type ChatCompletionChunkWithReasoning = Omit<ChatCompletionChunk, 'choices'> & {
  choices: Array<Omit<ChatCompletionChunk.Choice, 'delta'> & { delta: ChunkDeltaWithReasoning }>;
};

export interface StreamTranslator {
  /** Chunks to write now for one Bedrock event (often none). Throws OpenAIHttpError on failure stop reasons and stream exception events. */
  push(event: ConverseStreamOutput): ChatCompletionChunkWithReasoning[];
  /** Usage from the metadata event, once seen (for logs and metrics; sent to the client only with include_usage). */
  usage(): CompletionUsage | undefined;
  /** The finish reason sent, once messageStop was seen. */
  finishReason(): FinishReason | undefined;
  /** messageStop seen: the answer is complete (the metadata event may still follow). */
  readonly finished: boolean;
  /**
   * JSON emulation: the message ended in text that is not JSON. Nothing of it was sent; the
   * caller should retry the generation (json-answer.ts `strictJsonInput`), call `restart()`
   * and push the new stream's events, or fail with `jsonAnswerMissing`.
   */
  readonly jsonRetryNeeded: boolean;
  /** Starts over for a retried generation: the client's stream continues where it was. */
  restart(): void;
}

/** Tool blocks by Bedrock contentBlockIndex (text blocks need no bookkeeping). */
type Block =
  | { kind: 'tool'; index: number; argsSent: boolean }
  | { kind: 'json'; argsSent: boolean }
  | { kind: 'reasoning'; filter: ReasoningFilter }
  /** A tool call dropped by parallel_tool_calls: false, a second call of the JSON tool, or a Nova 2 server tool. */
  | { kind: 'ignored' };


export function createStreamTranslator(state: TranslationState, meta: ResponseMeta): StreamTranslator {
  // Per response.
  let started = false;
  let usageSent = false;
  let finish: FinishReason | undefined;
  let usage: CompletionUsage | undefined;
  let toolCalls = 0;
  let reasoningSeen = false;
  /** Characters of content and tool calls sent: the visible output, for the reasoning-token estimate. */
  let visible = 0;
  /** Usage of generations that were retried (billed, not shown). */
  let carried: TokenUsage | undefined;
  // Per generation (reset by restart()).
  let stops = createStopSequenceBuffer(state.stopSequences);
  let thinking: ThinkingFilter | undefined = state.keepThinking ? undefined : createThinkingFilter();
  let blocks = new Map<number, Block>();
  let jsonCalled = false;
  // JSON emulation: text seen before we know whether the JSON tool will be called.
  let preJson = '';
  // The held tail is at the very end of the message so far (stop-sequence stripping applies).
  let textIsLast = false;

  function chunk(delta: ChunkDeltaWithReasoning, finishReason: FinishReason | null = null): ChatCompletionChunkWithReasoning {
    const c: ChatCompletionChunkWithReasoning = {
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (state.includeUsage) c.usage = null;
    return c;
  }

  function start(out: ChatCompletionChunkWithReasoning[]): void {
    if (started) return;
    started = true;
    out.push(chunk({ role: 'assistant', content: '', refusal: null }));
  }

  function emitText(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (text === '') return;
    visible += text.length;
    out.push(chunk({ content: text }));
  }

  function emitReasoning(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (text === '') return;
    reasoningSeen = true;
    out.push(chunk({ reasoning_content: text }));
  }

  /** Content text after the thinking preamble: held for JSON emulation, else through the stop buffer. */
  function onContent(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (text === '') return;
    if (state.jsonTool !== undefined) {
      // Once the JSON tool answered, content is that JSON; trailing text would corrupt it.
      if (!jsonCalled) preJson += text;
      textIsLast = !jsonCalled;
      return;
    }
    // A new text block continues the same message text, so a held tail stays held.
    textIsLast = true;
    emitText(out, stops.push(text));
  }

  function onText(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (!thinking || thinking.passthrough) return onContent(out, text);
    const split = thinking.push(text);
    emitReasoning(out, split.thinking);
    onContent(out, split.content);
  }

  /** The start of the message is over: a held thinking prefix becomes what it is. */
  function endThinking(out: ChatCompletionChunkWithReasoning[]): void {
    if (!thinking || thinking.passthrough) return;
    const split = thinking.end();
    emitReasoning(out, split.thinking);
    onContent(out, split.content);
  }

  /** Something other than text is coming: held text is no longer at the end of the message. */
  function releaseText(out: ChatCompletionChunkWithReasoning[], opts: { dropPreJson?: boolean } = {}): void {
    endThinking(out);
    if (preJson !== '') {
      const pending = preJson;
      preJson = '';
      if (!opts.dropPreJson) emitText(out, stops.push(pending));
    }
    emitText(out, stops.flush());
    textIsLast = false;
  }

  function onToolStart(out: ChatCompletionChunkWithReasoning[], blockIndex: number, toolUse: { toolUseId?: string; name?: string; type?: string }): void {
    // Nova 2 system tools run inside Bedrock; their calls are not the client's to make.
    if (toolUse.type === 'server_tool_use') {
      blocks.set(blockIndex, { kind: 'ignored' });
      return;
    }
    const { toolUseId, name } = toolUse;
    const isJson = state.jsonTool !== undefined && name === state.jsonTool;
    if (isJson) {
      if (jsonCalled) {
        blocks.set(blockIndex, { kind: 'ignored' });
        return;
      }
      releaseText(out, { dropPreJson: true });
      jsonCalled = true;
      blocks.set(blockIndex, { kind: 'json', argsSent: false });
      return;
    }
    if (!state.parallelToolCalls && toolCalls > 0) {
      blocks.set(blockIndex, { kind: 'ignored' });
      return;
    }
    releaseText(out);
    const index = toolCalls++;
    const clientName = clientToolName(state, name);
    visible += clientName.length;
    blocks.set(blockIndex, { kind: 'tool', index, argsSent: false });
    out.push(
      chunk({
        tool_calls: [
          {
            index,
            id: toolUseId ?? `call_${meta.id}_${index}`,
            type: 'function',
            function: { name: clientName, arguments: '' },
          },
        ],
      }),
    );
  }

  function onToolInput(out: ChatCompletionChunkWithReasoning[], block: Block | undefined, fragment: string): void {
    if (fragment === '' || !block) return;
    if (block.kind === 'json') {
      block.argsSent = true;
      emitText(out, fragment);
    } else if (block.kind === 'tool') {
      block.argsSent = true;
      visible += fragment.length;
      out.push(chunk({ tool_calls: [{ index: block.index, function: { arguments: fragment } }] }));
    }
  }

  function onReasoning(out: ChatCompletionChunkWithReasoning[], blockIndex: number, text: string): void {
    reasoningSeen = true;
    let block = blocks.get(blockIndex);
    if (!block) {
      block = { kind: 'reasoning', filter: createReasoningFilter() };
      blocks.set(blockIndex, block);
    }
    // A separate channel: held content text stays held (it may still end the message).
    if (block.kind === 'reasoning') emitReasoning(out, block.filter.push(text));
  }

  /** A tool that streamed no input still gets `{}` arguments, like the non-streaming path. */
  function onBlockStop(out: ChatCompletionChunkWithReasoning[], block: Block | undefined): void {
    if (block?.kind === 'json' && !block.argsSent) {
      block.argsSent = true;
      emitText(out, '{}');
    } else if (block?.kind === 'tool' && !block.argsSent) {
      block.argsSent = true;
      visible += 2;
      out.push(chunk({ tool_calls: [{ index: block.index, function: { arguments: '{}' } }] }));
    } else if (block?.kind === 'reasoning') {
      emitReasoning(out, block.filter.end());
    }
  }

  function onStop(out: ChatCompletionChunkWithReasoning[], stopReason: string | undefined): void {
    const failure = stopReasonError(stopReason);
    if (failure) throw failure;
    for (const block of blocks.values()) if (block.kind === 'reasoning') emitReasoning(out, block.filter.end());
    endThinking(out);
    if (state.jsonTool !== undefined && !jsonCalled && toolCalls === 0) {
      // The answer came as text: a JSON object is the answer; anything else is retried.
      const json = salvageJson(textIsLast ? stripStopSequence(preJson, state.stopSequences) : preJson);
      preJson = '';
      if (json === undefined) {
        self.jsonRetryNeeded = true;
        return;
      }
      emitText(out, json);
    } else if (preJson !== '') {
      // Text held for JSON emulation beside client tool calls is part of the answer after all.
      emitText(out, stops.push(preJson));
      preJson = '';
    }
    // Nova keeps a matched stop string and may report end_turn: strip it whatever the reason.
    emitText(out, stops.finish(textIsLast));
    finish = mapFinishReason(stopReason, { toolCalls, jsonTool: jsonCalled });
    self.finished = true;
    out.push(chunk({}, finish));
  }

  function onMetadata(out: ChatCompletionChunkWithReasoning[], raw: TokenUsage | undefined): void {
    if (self.jsonRetryNeeded) {
      carried = addUsage(carried, raw);
      return;
    }
    const total = addUsage(carried, raw);
    usage = mapUsage(total, reasoningSeen ? estimateReasoningTokens(total?.outputTokens ?? 0, visible) : undefined);
    if (state.includeUsage && !usageSent) {
      usageSent = true;
      out.push({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage });
    }
  }

  function push(event: ConverseStreamOutput): ChatCompletionChunkWithReasoning[] {
    const out: ChatCompletionChunkWithReasoning[] = [];
    // An exception member handed over instead of thrown.
    for (const member of STREAM_EXCEPTION_MEMBERS) {
      const ex = event[member];
      if (ex !== undefined) throw mapBedrockError(withName(ex, member));
    }
    if (event.messageStart) {
      start(out);
    } else if (event.contentBlockStart) {
      start(out);
      const idx = event.contentBlockStart.contentBlockIndex ?? 0;
      const blockStart = event.contentBlockStart.start;
      if (blockStart?.toolUse) onToolStart(out, idx, blockStart.toolUse);
      else if (blockStart?.toolResult) blocks.set(idx, { kind: 'ignored' });
    } else if (event.contentBlockDelta) {
      start(out);
      const idx = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      if (delta?.text !== undefined) {
        onText(out, delta.text);
      } else if (delta?.toolUse) {
        onToolInput(out, blocks.get(idx), delta.toolUse.input ?? '');
      } else if (delta?.reasoningContent) {
        const r = delta.reasoningContent.text;
        if (r !== undefined && r !== '') onReasoning(out, idx, r);
        else reasoningSeen = true;
      }
    } else if (event.contentBlockStop) {
      onBlockStop(out, blocks.get(event.contentBlockStop.contentBlockIndex ?? 0));
    } else if (event.messageStop) {
      start(out);
      onStop(out, event.messageStop.stopReason);
    } else if (event.metadata) {
      onMetadata(out, event.metadata.usage);
    }
    return out;
  }

  // Plain data fields, not getters: V8 keeps an object literal that declares a getter in
  // dictionary mode (slower lookups on every event, ~450 bytes per stream).
  const self: Mutable<StreamTranslator> = {
    push,
    usage: () => usage,
    finishReason: () => finish,
    finished: false,
    jsonRetryNeeded: false,
    restart() {
      stops = createStopSequenceBuffer(state.stopSequences);
      thinking = state.keepThinking ? undefined : createThinkingFilter();
      blocks = new Map();
      jsonCalled = false;
      self.jsonRetryNeeded = false;
      preJson = '';
      textIsLast = false;
    },
  };
  return self;
}

function withName(ex: unknown, member: string): unknown {
  const name = member[0]!.toUpperCase() + member.slice(1);
  if (ex instanceof Error) {
    if (!ex.name || ex.name === 'Error') ex.name = name;
    return ex;
  }
  const message = ex && typeof ex === 'object' && typeof (ex as { message?: unknown }).message === 'string' ? (ex as { message: string }).message : '';
  return Object.assign(new Error(message), { name });
}
