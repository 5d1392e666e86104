/**
 * ConverseStream events → OpenAI `chat.completion.chunk`s, one event at a time. Pure state
 * machine: the route feeds each Bedrock event to `push` and writes the returned chunks
 * at once. Nothing is buffered except
 * - the tail of the text that could still be a stop sequence (see strip-stop.ts), and
 * - under JSON emulation (`state.jsonTool`), text that arrives before the JSON tool:
 *   it is held until the model either calls the JSON tool (the text is dropped, as in
 *   the non-streaming path) or does something else (the text is released).
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
import { createStopSequenceBuffer } from './strip-stop.js';
import { clientToolName } from './convert-response.js';
import { mapBedrockError } from './map-error.js';

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
}

/** Tool blocks by Bedrock contentBlockIndex (text and reasoning blocks need no bookkeeping). */
type Block =
  | { kind: 'tool'; index: number; argsSent: boolean }
  | { kind: 'json'; argsSent: boolean }
  /** A tool call dropped by parallel_tool_calls: false, or a second call of the JSON tool. */
  | { kind: 'ignored' };

/** Stream exception members of the ConverseStreamOutput union, should the SDK hand one over instead of throwing it. */
const EXCEPTION_MEMBERS = [
  'internalServerException',
  'modelStreamErrorException',
  'serviceUnavailableException',
  'throttlingException',
  'validationException',
] as const;

export function createStreamTranslator(state: TranslationState, meta: ResponseMeta): StreamTranslator {
  const stops = createStopSequenceBuffer(state.stopSequences);
  const blocks = new Map<number, Block>();
  let started = false;
  let finished = false;
  let usageSent = false;
  let finish: FinishReason | undefined;
  let usage: CompletionUsage | undefined;
  let toolCalls = 0;
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
    if (text !== '') out.push(chunk({ content: text }));
  }

  /** Something other than text is coming: held text is no longer at the end of the message. */
  function releaseText(out: ChatCompletionChunkWithReasoning[], opts: { dropPreJson?: boolean } = {}): void {
    if (preJson !== '') {
      const pending = preJson;
      preJson = '';
      if (!opts.dropPreJson) emitText(out, stops.push(pending));
    }
    emitText(out, stops.flush());
    textIsLast = false;
  }

  function onText(out: ChatCompletionChunkWithReasoning[], text: string): void {
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

  function onToolStart(out: ChatCompletionChunkWithReasoning[], blockIndex: number, toolUseId: string | undefined, name: string | undefined): void {
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
    blocks.set(blockIndex, { kind: 'tool', index, argsSent: false });
    out.push(
      chunk({
        tool_calls: [
          {
            index,
            id: toolUseId ?? `call_${meta.id}_${index}`,
            type: 'function',
            function: { name: clientToolName(state, name), arguments: '' },
          },
        ],
      }),
    );
  }

  function onToolInput(out: ChatCompletionChunkWithReasoning[], block: Block | undefined, fragment: string): void {
    if (fragment === '' || !block) return;
    if (block.kind === 'json') {
      block.argsSent = true;
      out.push(chunk({ content: fragment }));
    } else if (block.kind === 'tool') {
      block.argsSent = true;
      out.push(chunk({ tool_calls: [{ index: block.index, function: { arguments: fragment } }] }));
    }
  }

  /** A tool that streamed no input still gets `{}` arguments, like the non-streaming path. */
  function onBlockStop(out: ChatCompletionChunkWithReasoning[], block: Block | undefined): void {
    if (block?.kind === 'json' && !block.argsSent) {
      block.argsSent = true;
      out.push(chunk({ content: '{}' }));
    } else if (block?.kind === 'tool' && !block.argsSent) {
      block.argsSent = true;
      out.push(chunk({ tool_calls: [{ index: block.index, function: { arguments: '{}' } }] }));
    }
  }

  function onStop(out: ChatCompletionChunkWithReasoning[], stopReason: string | undefined): void {
    const failure = stopReasonError(stopReason);
    if (failure) throw failure;
    // Text held for JSON emulation that never got its JSON tool is the answer after all.
    if (preJson !== '') {
      emitText(out, stops.push(preJson));
      preJson = '';
    }
    emitText(out, stops.finish(stopReason === 'stop_sequence' && textIsLast));
    finish = mapFinishReason(stopReason, { toolCalls, jsonTool: jsonCalled });
    finished = true;
    out.push(chunk({}, finish));
  }

  function push(event: ConverseStreamOutput): ChatCompletionChunkWithReasoning[] {
    const out: ChatCompletionChunkWithReasoning[] = [];
    for (const member of EXCEPTION_MEMBERS) {
      const ex = event[member];
      if (ex !== undefined) throw mapBedrockError(withName(ex, member));
    }
    if (event.messageStart) {
      start(out);
    } else if (event.contentBlockStart) {
      start(out);
      const idx = event.contentBlockStart.contentBlockIndex ?? 0;
      const toolUse = event.contentBlockStart.start?.toolUse;
      if (toolUse) onToolStart(out, idx, toolUse.toolUseId, toolUse.name);
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
        // A separate channel: held content text stays held (it may still end the message).
        if (r !== undefined && r !== '') out.push(chunk({ reasoning_content: r }));
      }
    } else if (event.contentBlockStop) {
      onBlockStop(out, blocks.get(event.contentBlockStop.contentBlockIndex ?? 0));
    } else if (event.messageStop) {
      start(out);
      onStop(out, event.messageStop.stopReason);
    } else if (event.metadata) {
      usage = mapUsage(event.metadata.usage);
      if (state.includeUsage && !usageSent) {
        usageSent = true;
        out.push({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage });
      }
    }
    return out;
  }

  return {
    push,
    usage: () => usage,
    finishReason: () => finish,
    get finished() {
      return finished;
    },
  };
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
