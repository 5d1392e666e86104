/**
 * Converse output → OpenAI `chat.completion` (non-streaming). Pure.
 *
 * Decisions (mirrored by the stream translator so both paths give the same answer):
 * - Text blocks are joined with '' (streaming concatenates deltas the same way).
 * - `content` is null only when the message has tool calls and no text; otherwise a string.
 * - Nova 2 reasoning (`reasoningContent.reasoningText`) goes to `message.reasoning_content`,
 *   the non-standard field DeepSeek, vLLM and others use; omitted when there is none. The
 *   `[REDACTED].` placeholder Nova 2 Lite sends, redacted bytes and signatures are not reasoning
 *   and are dropped; the reasoning tokens are estimated into `usage` instead (reasoning.ts).
 * - A Nova 1 `<thinking>…</thinking>` preamble at the start of the text is moved from the content
 *   to `reasoning_content` (thinking.ts), unless `state.keepThinking`.
 * - JSON emulation (`state.jsonTool`): the JSON tool's input becomes `content`
 *   (`JSON.stringify`), any text around it is dropped, and the finish reason is `stop`. Other
 *   tool calls, if the model made any, stay tool calls. When the model answered in text
 *   instead, text that is a JSON object is the content; anything else throws
 *   `json_answer_missing` (json-answer.ts: the caller retries once).
 * - `parallel_tool_calls: false`: only the first tool call is kept.
 * - Stop sequences: Nova ends at a stop string and keeps it in the text, reporting end_turn as
 *   often as stop_sequence (recorded: test/recorded/…/test_stop_settings[bedrock].yaml), so the
 *   stop string is removed from the end of the text whatever the stop reason, when the text is
 *   the last thing in the message.
 * - Nova 2 server-side tools (`toolUse.type: server_tool_use` and the assistant-side
 *   `toolResult`) ran inside Bedrock: they are not tool calls for the client.
 * - malformed_model_output / malformed_tool_use throw a 502 OpenAIHttpError (see
 *   map-finish-reason.ts).
 */
import type { ContentBlock, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type {
  ChatCompletion,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import type { ResponseMeta, TranslationState } from './types.js';
import { mapFinishReason, stopReasonError } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import { stripStopSequence } from './strip-stop.js';
import { splitThinking } from './thinking.js';
import { estimateReasoningTokens, isRedactedPlaceholder } from './reasoning.js';
import { jsonAnswerMissing, salvageJson } from './json-answer.js';

/**
 * The assistant message as the proxy builds it: only function tool calls (Nova has no
 * custom tools) plus the reasoning text Nova 2 returns. Assignable to ChatCompletionMessage.
 */
export type ChatCompletionMessageWithReasoning = Omit<ChatCompletionMessage, 'tool_calls'> & {
  tool_calls?: ChatCompletionMessageFunctionToolCall[];
  reasoning_content?: string;
};

export type ChatCompletionWithReasoning = Omit<ChatCompletion, 'choices'> & {
  choices: Array<Omit<ChatCompletion.Choice, 'message'> & { message: ChatCompletionMessageWithReasoning }>;
};

/** Tool-call arguments as OpenAI sends them: a JSON string, `{}` when the tool took no input. */
export function toolArguments(input: unknown): string {
  if (input === undefined || input === null || input === '') return '{}';
  if (typeof input === 'string') {
    // Never seen from Nova, but a string input that is JSON already must not be quoted again.
    try {
      JSON.parse(input);
      return input;
    } catch {
      return JSON.stringify(input);
    }
  }
  return JSON.stringify(input);
}

/** The name the client declared for a tool Nova called under its Nova-safe name. */
export function clientToolName(state: TranslationState, name: string | undefined): string {
  const n = name ?? '';
  return state.toolNames.get(n) ?? n;
}

export function toChatCompletion(output: ConverseCommandOutput, state: TranslationState, meta: ResponseMeta): ChatCompletionWithReasoning {
  const failure = stopReasonError(output.stopReason);
  if (failure) throw failure;

  const blocks: ContentBlock[] = output.output?.message?.content ?? [];
  let text = '';
  let reasoning = '';
  let reasoningSeen = false;
  let jsonContent: string | undefined;
  let textIsLast = false;
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];

  for (const block of blocks) {
    if (block.text !== undefined) {
      text += block.text;
      textIsLast = true;
    } else if (block.reasoningContent) {
      reasoningSeen = true;
      const r = block.reasoningContent.reasoningText?.text ?? '';
      if (!isRedactedPlaceholder(r)) reasoning += r;
    } else if (block.toolUse) {
      if (block.toolUse.type === 'server_tool_use') continue;
      textIsLast = false;
      const { toolUseId, name, input } = block.toolUse;
      if (state.jsonTool !== undefined && name === state.jsonTool) {
        // Only the first call of the JSON tool is the answer.
        jsonContent ??= toolArguments(input);
        continue;
      }
      if (!state.parallelToolCalls && toolCalls.length > 0) continue;
      toolCalls.push({
        id: toolUseId ?? `call_${meta.id}_${toolCalls.length}`,
        type: 'function',
        function: { name: clientToolName(state, name), arguments: toolArguments(input) },
      });
    }
  }

  if (!state.keepThinking) {
    const split = splitThinking(text);
    if (split.thinking !== '') {
      reasoning += split.thinking;
      reasoningSeen = true;
    }
    text = split.content;
  }
  if (textIsLast) text = stripStopSequence(text, state.stopSequences);

  let content: string | null;
  if (jsonContent !== undefined) content = jsonContent;
  else if (state.jsonTool !== undefined && toolCalls.length === 0) {
    content = salvageJson(text) ?? null;
    if (content === null) throw jsonAnswerMissing(output.stopReason);
  } else if (text === '' && toolCalls.length > 0) content = null;
  else content = text;

  const message: ChatCompletionMessageWithReasoning = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  const visible = (content?.length ?? 0) + toolCalls.reduce((n, c) => n + c.function.name.length + c.function.arguments.length, 0);

  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: mapFinishReason(output.stopReason, { toolCalls: toolCalls.length, jsonTool: jsonContent !== undefined }),
      },
    ],
    usage: mapUsage(output.usage, reasoningSeen ? estimateReasoningTokens(output.usage?.outputTokens ?? 0, visible) : undefined),
  };
}
