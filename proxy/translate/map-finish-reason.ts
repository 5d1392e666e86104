/**
 * Bedrock `stopReason` → OpenAI `finish_reason`, shared by the non-streaming and the
 * streaming response translators so both always agree.
 */
import type { StopReason } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { OpenAIHttpError } from '../errors.js';

export type FinishReason = ChatCompletion.Choice['finish_reason'];

/** What the response actually contained; needed because `tool_use` is ambiguous under JSON emulation. */
export interface EmittedCalls {
  /** Tool calls returned to the client as `tool_calls` (the emulated JSON tool excluded). */
  toolCalls: number;
  /** The `response_format` JSON tool was called and its input returned as `content`. */
  jsonTool: boolean;
}

/**
 * Stop reasons that mean the model produced nothing usable. Mapping them to a finish
 * reason would hand the client broken JSON / broken tool arguments with a success
 * status; an upstream error (502) is honest and OpenAI SDKs retry it.
 */
const FAILURES: ReadonlySet<string> = new Set<StopReason>(['malformed_model_output', 'malformed_tool_use']);

export function isFailureStopReason(stopReason: string | undefined): boolean {
  return stopReason !== undefined && FAILURES.has(stopReason);
}

/** The 502 for a failure stop reason (see `isFailureStopReason`), otherwise undefined. */
export function stopReasonError(stopReason: string | undefined): OpenAIHttpError | undefined {
  if (stopReason === 'malformed_tool_use') {
    return new OpenAIHttpError(502, 'Bedrock: the model produced a malformed tool call (stopReason malformed_tool_use). Retrying the request usually helps.', {
      code: 'model_output_malformed',
    });
  }
  if (stopReason === 'malformed_model_output') {
    return new OpenAIHttpError(502, 'Bedrock: the model produced malformed output (stopReason malformed_model_output). Retrying the request usually helps.', {
      code: 'model_output_malformed',
    });
  }
  return undefined;
}

/**
 * `calls` disambiguates `tool_use`: when only the emulated JSON tool was called the client
 * asked for a JSON answer, not a tool call, so it sees `stop`; a `tool_use` stop with no
 * tool call left to show (impossible in practice) also becomes `stop`, because clients
 * that see `tool_calls` go looking for `message.tool_calls`.
 *
 * Failure stop reasons map to `stop` here; callers that want the 502 use `stopReasonError`.
 * Unknown or missing stop reasons map to `stop`.
 */
export function mapFinishReason(stopReason: string | undefined, calls?: EmittedCalls): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    // The input plus the output hit the window: from the client's side the answer was cut short.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      if (calls && calls.toolCalls === 0) return 'stop';
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}
