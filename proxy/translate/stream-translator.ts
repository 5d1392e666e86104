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
import type { ResponseMeta, TranslationState } from './types.js';
import { mapFinishReason, stopReasonError, type FinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import { createStopSequenceBuffer, stripStopSequence, type StopSequenceBuffer } from './strip-stop.js';
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
  return new Translator(state, meta);
}

/**
 * A class rather than closures over a factory's locals: one object per stream instead of
 * a function object for every step (~1 KB per open stream), and its fields are data
 * fields V8 keeps fast (see test/translate/fast-objects.test.ts).
 */
class Translator implements StreamTranslator {
  finished = false;
  jsonRetryNeeded = false;
  // Per response.
  private started = false;
  private usageSent = false;
  private finish: FinishReason | undefined;
  private usageSeen: CompletionUsage | undefined;
  private toolCalls = 0;
  private reasoningSeen = false;
  /** Characters of content and tool calls sent: the visible output, for the reasoning-token estimate. */
  private visible = 0;
  /** Usage of generations that were retried (billed, not shown). */
  private carried: TokenUsage | undefined;
  // Per generation (reset by restart()).
  private stops: StopSequenceBuffer;
  private thinking: ThinkingFilter | undefined;
  /** Made for the first tool, reasoning or tool-result block; text needs no bookkeeping. */
  private blocks: Map<number, Block> | undefined;
  private jsonCalled = false;
  // JSON emulation: text seen before we know whether the JSON tool will be called.
  private preJson = '';
  // The held tail is at the very end of the message so far (stop-sequence stripping applies).
  private textIsLast = false;

  constructor(
    private readonly state: TranslationState,
    private readonly meta: ResponseMeta,
  ) {
    this.stops = createStopSequenceBuffer(state.stopSequences);
    this.thinking = state.keepThinking ? undefined : createThinkingFilter();
  }

  usage(): CompletionUsage | undefined {
    return this.usageSeen;
  }

  finishReason(): FinishReason | undefined {
    return this.finish;
  }

  restart(): void {
    this.stops = createStopSequenceBuffer(this.state.stopSequences);
    this.thinking = this.state.keepThinking ? undefined : createThinkingFilter();
    this.blocks = undefined;
    this.jsonCalled = false;
    this.jsonRetryNeeded = false;
    this.preJson = '';
    this.textIsLast = false;
  }

  push(event: ConverseStreamOutput): ChatCompletionChunkWithReasoning[] {
    const out: ChatCompletionChunkWithReasoning[] = [];
    // An exception member handed over instead of thrown.
    for (const member of STREAM_EXCEPTION_MEMBERS) {
      const ex = event[member];
      if (ex !== undefined) throw mapBedrockError(withName(ex, member));
    }
    if (event.messageStart) {
      this.start(out);
    } else if (event.contentBlockStart) {
      this.start(out);
      const idx = event.contentBlockStart.contentBlockIndex ?? 0;
      const blockStart = event.contentBlockStart.start;
      if (blockStart?.toolUse) this.onToolStart(out, idx, blockStart.toolUse);
      else if (blockStart?.toolResult) this.setBlock(idx, IGNORED);
    } else if (event.contentBlockDelta) {
      this.start(out);
      const idx = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      if (delta?.text !== undefined) {
        this.onText(out, delta.text);
      } else if (delta?.toolUse) {
        this.onToolInput(out, this.blocks?.get(idx), delta.toolUse.input ?? '');
      } else if (delta?.reasoningContent) {
        const r = delta.reasoningContent.text;
        if (r !== undefined && r !== '') this.onReasoning(out, idx, r);
        else this.reasoningSeen = true;
      }
    } else if (event.contentBlockStop) {
      this.onBlockStop(out, this.blocks?.get(event.contentBlockStop.contentBlockIndex ?? 0));
    } else if (event.messageStop) {
      this.start(out);
      this.onStop(out, event.messageStop.stopReason);
    } else if (event.metadata) {
      this.onMetadata(out, event.metadata.usage);
    }
    return out;
  }

  private setBlock(index: number, block: Block): void {
    (this.blocks ??= new Map()).set(index, block);
  }

  private chunk(delta: ChunkDeltaWithReasoning, finishReason: FinishReason | null = null): ChatCompletionChunkWithReasoning {
    const meta = this.meta;
    const c: ChatCompletionChunkWithReasoning = {
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (this.state.includeUsage) c.usage = null;
    return c;
  }

  private start(out: ChatCompletionChunkWithReasoning[]): void {
    if (this.started) return;
    this.started = true;
    out.push(this.chunk({ role: 'assistant', content: '', refusal: null }));
  }

  private emitText(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (text === '') return;
    this.visible += text.length;
    out.push(this.chunk({ content: text }));
  }

  private emitReasoning(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (text === '') return;
    this.reasoningSeen = true;
    out.push(this.chunk({ reasoning_content: text }));
  }

  /** Content text after the thinking preamble: held for JSON emulation, else through the stop buffer. */
  private onContent(out: ChatCompletionChunkWithReasoning[], text: string): void {
    if (text === '') return;
    if (this.state.jsonTool !== undefined) {
      // Once the JSON tool answered, content is that JSON; trailing text would corrupt it.
      if (!this.jsonCalled) this.preJson += text;
      this.textIsLast = !this.jsonCalled;
      return;
    }
    // A new text block continues the same message text, so a held tail stays held.
    this.textIsLast = true;
    this.emitText(out, this.stops.push(text));
  }

  private onText(out: ChatCompletionChunkWithReasoning[], text: string): void {
    const thinking = this.thinking;
    if (!thinking || thinking.passthrough) return this.onContent(out, text);
    const split = thinking.push(text);
    this.emitReasoning(out, split.thinking);
    this.onContent(out, split.content);
  }

  /** The start of the message is over: a held thinking prefix becomes what it is. */
  private endThinking(out: ChatCompletionChunkWithReasoning[]): void {
    const thinking = this.thinking;
    if (!thinking || thinking.passthrough) return;
    const split = thinking.end();
    this.emitReasoning(out, split.thinking);
    this.onContent(out, split.content);
  }

  /** Something other than text is coming: held text is no longer at the end of the message. */
  private releaseText(out: ChatCompletionChunkWithReasoning[], dropPreJson = false): void {
    this.endThinking(out);
    if (this.preJson !== '') {
      const pending = this.preJson;
      this.preJson = '';
      if (!dropPreJson) this.emitText(out, this.stops.push(pending));
    }
    this.emitText(out, this.stops.flush());
    this.textIsLast = false;
  }

  private onToolStart(out: ChatCompletionChunkWithReasoning[], blockIndex: number, toolUse: { toolUseId?: string; name?: string; type?: string }): void {
    // Nova 2 system tools run inside Bedrock; their calls are not the client's to make.
    if (toolUse.type === 'server_tool_use') {
      this.setBlock(blockIndex, IGNORED);
      return;
    }
    const { toolUseId, name } = toolUse;
    const isJson = this.state.jsonTool !== undefined && name === this.state.jsonTool;
    if (isJson) {
      if (this.jsonCalled) {
        this.setBlock(blockIndex, IGNORED);
        return;
      }
      this.releaseText(out, true);
      this.jsonCalled = true;
      this.setBlock(blockIndex, { kind: 'json', argsSent: false });
      return;
    }
    if (!this.state.parallelToolCalls && this.toolCalls > 0) {
      this.setBlock(blockIndex, IGNORED);
      return;
    }
    this.releaseText(out);
    const index = this.toolCalls++;
    const clientName = clientToolName(this.state, name);
    this.visible += clientName.length;
    this.setBlock(blockIndex, { kind: 'tool', index, argsSent: false });
    out.push(
      this.chunk({
        tool_calls: [
          {
            index,
            id: toolUseId ?? `call_${this.meta.id}_${index}`,
            type: 'function',
            function: { name: clientName, arguments: '' },
          },
        ],
      }),
    );
  }

  private onToolInput(out: ChatCompletionChunkWithReasoning[], block: Block | undefined, fragment: string): void {
    if (fragment === '' || !block) return;
    if (block.kind === 'json') {
      block.argsSent = true;
      this.emitText(out, fragment);
    } else if (block.kind === 'tool') {
      block.argsSent = true;
      this.visible += fragment.length;
      out.push(this.chunk({ tool_calls: [{ index: block.index, function: { arguments: fragment } }] }));
    }
  }

  private onReasoning(out: ChatCompletionChunkWithReasoning[], blockIndex: number, text: string): void {
    this.reasoningSeen = true;
    let block = this.blocks?.get(blockIndex);
    if (!block) {
      block = { kind: 'reasoning', filter: createReasoningFilter() };
      this.setBlock(blockIndex, block);
    }
    // A separate channel: held content text stays held (it may still end the message).
    if (block.kind === 'reasoning') this.emitReasoning(out, block.filter.push(text));
  }

  /** A tool that streamed no input still gets `{}` arguments, like the non-streaming path. */
  private onBlockStop(out: ChatCompletionChunkWithReasoning[], block: Block | undefined): void {
    if (block?.kind === 'json' && !block.argsSent) {
      block.argsSent = true;
      this.emitText(out, '{}');
    } else if (block?.kind === 'tool' && !block.argsSent) {
      block.argsSent = true;
      this.visible += 2;
      out.push(this.chunk({ tool_calls: [{ index: block.index, function: { arguments: '{}' } }] }));
    } else if (block?.kind === 'reasoning') {
      this.emitReasoning(out, block.filter.end());
    }
  }

  private onStop(out: ChatCompletionChunkWithReasoning[], stopReason: string | undefined): void {
    const failure = stopReasonError(stopReason);
    if (failure) throw failure;
    if (this.blocks) for (const block of this.blocks.values()) if (block.kind === 'reasoning') this.emitReasoning(out, block.filter.end());
    this.endThinking(out);
    const state = this.state;
    if (state.jsonTool !== undefined && !this.jsonCalled && this.toolCalls === 0) {
      // The answer came as text: a JSON object is the answer; anything else is retried.
      const json = salvageJson(this.textIsLast ? stripStopSequence(this.preJson, state.stopSequences) : this.preJson);
      this.preJson = '';
      if (json === undefined) {
        this.jsonRetryNeeded = true;
        return;
      }
      this.emitText(out, json);
    } else if (this.preJson !== '') {
      // Text held for JSON emulation beside client tool calls is part of the answer after all.
      this.emitText(out, this.stops.push(this.preJson));
      this.preJson = '';
    }
    // Nova keeps a matched stop string and may report end_turn: strip it whatever the reason.
    this.emitText(out, this.stops.finish(this.textIsLast));
    this.finish = mapFinishReason(stopReason, { toolCalls: this.toolCalls, jsonTool: this.jsonCalled });
    this.finished = true;
    out.push(this.chunk({}, this.finish));
  }

  private onMetadata(out: ChatCompletionChunkWithReasoning[], raw: TokenUsage | undefined): void {
    if (this.jsonRetryNeeded) {
      this.carried = addUsage(this.carried, raw);
      return;
    }
    const total = addUsage(this.carried, raw);
    const usage = mapUsage(total, this.reasoningSeen ? estimateReasoningTokens(total?.outputTokens ?? 0, this.visible) : undefined);
    this.usageSeen = usage;
    if (this.state.includeUsage && !this.usageSent) {
      this.usageSent = true;
      const meta = this.meta;
      out.push({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage });
    }
  }
}

/** Blocks that are seen and not acted on carry no state: one object serves them all. */
const IGNORED: Block = Object.freeze({ kind: 'ignored' });

function withName(ex: unknown, member: string): unknown {
  const name = member[0]!.toUpperCase() + member.slice(1);
  if (ex instanceof Error) {
    if (!ex.name || ex.name === 'Error') ex.name = name;
    return ex;
  }
  const message = ex && typeof ex === 'object' && typeof (ex as { message?: unknown }).message === 'string' ? (ex as { message: string }).message : '';
  return Object.assign(new Error(message), { name });
}
