/**
 * Chat results → the Responses API `response` object. Pure.
 *
 * - Output items in the order Converse produces them: reasoning (what the pipeline returns
 *   as `reasoning_content`: `content: [{type: "reasoning_text"}]`, `summary: []` — Nova's
 *   reasoning is the reasoning itself, not a summary), the assistant message (one
 *   `output_text` part; omitted when the turn is only tool calls), then one
 *   `function_call` item per tool call.
 * - `status`: `incomplete` with `incomplete_details.reason` `max_output_tokens` (finish
 *   reason `length`) or `content_filter`; otherwise `completed`.
 * - `usage.output_tokens_details.reasoning_tokens` is the pipeline's estimate when the
 *   answer carried reasoning, else 0 (the Responses schema requires the field).
 * - Request fields the object echoes (instructions, tools, tool_choice, text, metadata…)
 *   are echoed as the client sent them (`responseEcho`).
 */
import type { ChatCompletionWithReasoning } from '../translate/convert-response.js';
import type { CompletionUsage } from 'openai/resources/completions';
import type {
  FunctionTool,
  Response,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { ItemIdCodec } from './item-ids.js';
import { isObj, type Obj } from '../translate/validate.js';

/** The response as sent on the wire (`output_text` is computed by the SDKs, not sent). */
export type WireResponse = Omit<Response, 'output_text'> & { store?: boolean; max_tool_calls?: number | null };

export type ResponseStatus = NonNullable<Response['status']>;
type Finish = ChatCompletionWithReasoning['choices'][number]['finish_reason'];

/** Identity of one response: id, creation time, the model name the client asked for. */
export interface ResponseMeta {
  id: string;
  createdAt: number;
  model: string;
}

/** The fields of a response that restate the request. */
export type ResponseEcho = Pick<
  WireResponse,
  | 'instructions'
  | 'max_output_tokens'
  | 'metadata'
  | 'parallel_tool_calls'
  | 'previous_response_id'
  | 'reasoning'
  | 'temperature'
  | 'text'
  | 'tool_choice'
  | 'tools'
  | 'top_p'
  | 'truncation'
  | 'user'
  | 'safety_identifier'
  | 'prompt_cache_key'
  | 'service_tier'
  | 'max_tool_calls'
  | 'background'
> & { store?: boolean };

/** Echo of a request already validated by the translation (shapes are trusted here). */
export function responseEcho(body: Obj, storeConfigured: boolean): ResponseEcho {
  const text = isObj(body.text) ? body.text : {};
  const reasoning = isObj(body.reasoning) ? body.reasoning : undefined;
  const tools = (Array.isArray(body.tools) ? body.tools : []).map((t: Obj): FunctionTool => ({
    type: 'function',
    name: t.name as string,
    description: (t.description as string | undefined) ?? null,
    parameters: (t.parameters as FunctionTool['parameters']) ?? null,
    strict: (t.strict as boolean | undefined) ?? null,
  }));
  const echo: ResponseEcho = {
    background: false,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    max_tool_calls: typeof body.max_tool_calls === 'number' ? body.max_tool_calls : null,
    metadata: isObj(body.metadata) ? (body.metadata as Record<string, string>) : {},
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id: typeof body.previous_response_id === 'string' ? body.previous_response_id : null,
    reasoning: reasoning ? { effort: (reasoning.effort as never) ?? null, summary: (reasoning.summary as never) ?? null } : null,
    // Stored only where a store exists and the client did not opt out.
    store: storeConfigured && body.store !== false,
    temperature: typeof body.temperature === 'number' ? body.temperature : null,
    text: { format: (isObj(text.format) ? text.format : { type: 'text' }) as never, ...(text.verbosity != null ? { verbosity: text.verbosity as never } : {}) },
    tool_choice: (body.tool_choice ?? 'auto') as WireResponse['tool_choice'],
    tools,
    top_p: typeof body.top_p === 'number' ? body.top_p : null,
    truncation: body.truncation === 'auto' ? 'auto' : 'disabled',
  };
  if (typeof body.user === 'string') echo.user = body.user;
  if (typeof body.safety_identifier === 'string') echo.safety_identifier = body.safety_identifier;
  if (typeof body.prompt_cache_key === 'string') echo.prompt_cache_key = body.prompt_cache_key;
  if (typeof body.service_tier === 'string') echo.service_tier = body.service_tier as never;
  return echo;
}

/** A response that has not produced anything yet (`response.created` / `in_progress`). */
export function startedResponse(meta: ResponseMeta, echo: ResponseEcho): WireResponse {
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.createdAt,
    status: 'in_progress',
    completed_at: null,
    error: null,
    incomplete_details: null,
    model: meta.model,
    output: [],
    ...echo,
    usage: undefined,
  };
}

/** Finish reason → status and incomplete_details. */
export function statusFor(finish: Finish | undefined): { status: ResponseStatus; incomplete_details: WireResponse['incomplete_details'] } {
  if (finish === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function responseUsage(u: CompletionUsage | undefined): ResponseUsage {
  return {
    input_tokens: u?.prompt_tokens ?? 0,
    input_tokens_details: { cached_tokens: u?.prompt_tokens_details?.cached_tokens ?? 0, cache_write_tokens: cacheWrite(u) },
    output_tokens: u?.completion_tokens ?? 0,
    output_tokens_details: { reasoning_tokens: u?.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: (u?.prompt_tokens ?? 0) + (u?.completion_tokens ?? 0),
  };
}

function cacheWrite(u: CompletionUsage | undefined): number {
  const d = u?.prompt_tokens_details as { cache_write_tokens?: number } | undefined;
  return d?.cache_write_tokens ?? 0;
}

export function outputText(text: string): ResponseOutputMessage['content'][number] {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, text: string, status: ResponseOutputMessage['status']): ResponseOutputMessage {
  return { id, type: 'message', status, role: 'assistant', content: [outputText(text)] };
}

export function reasoningItem(id: string, text: string): ResponseReasoningItem {
  return { id, type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text }] };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: ResponseFunctionToolCall['status']): ResponseFunctionToolCall {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args };
}

export function toResponse(completion: ChatCompletionWithReasoning, meta: ResponseMeta, echo: ResponseEcho, codec: ItemIdCodec): WireResponse {
  const choice = completion.choices[0];
  const msg = choice?.message;
  const { status, incomplete_details } = statusFor(choice?.finish_reason);
  const output: ResponseOutputItem[] = [];
  if (msg?.reasoning_content) output.push(reasoningItem(codec.pending('rs'), msg.reasoning_content));
  const calls = msg?.tool_calls ?? [];
  if (typeof msg?.content === 'string' && (msg.content !== '' || calls.length === 0)) {
    const text = msg.content;
    output.push(messageItem(codec.describe('msg', { type: 'message', text }), text, status === 'completed' ? 'completed' : 'incomplete'));
  }
  for (const c of calls) {
    const item = { type: 'function_call' as const, call_id: c.id, name: c.function.name, arguments: c.function.arguments };
    output.push(functionCallItem(codec.describe('fc', item), c.id, c.function.name, c.function.arguments, 'completed'));
  }
  return {
    ...startedResponse(meta, echo),
    status,
    completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    incomplete_details,
    output,
    usage: responseUsage(completion.usage),
  };
}
