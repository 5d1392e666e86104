/**
 * A Responses API request → the Chat Completions request the generation pipeline
 * (chat/run-chat.ts) takes, so both surfaces share one translation to Converse. Pure.
 *
 * What this file decides (the pipeline decides the rest and its errors are renamed back,
 * see `ChatPaths`):
 * - `instructions` → a leading system message; `input` items → messages in order:
 *   user/system/developer messages as they are (input_text → text, input_image →
 *   image_url, input_file → file), assistant messages and the function_call items after
 *   them → one assistant message with text and tool_calls, function_call_output → a tool
 *   message. Reasoning items are accepted and not sent: Nova takes no earlier reasoning as
 *   input (reported in `x-nova-ignored-params` as `input.reasoning`).
 * - Function calls and their outputs are paired the way OpenAI pairs them: an output must
 *   answer an earlier call, and every call needs its output before the next message.
 * - `tools`: function tools only; OpenAI's built-in tools are a 400 naming the tool.
 * - `text.format` → `response_format` (the same structured-output path as chat);
 *   `reasoning.effort` → `reasoning_effort`; `max_output_tokens` → `max_completion_tokens`;
 *   temperature, top_p, parallel_tool_calls, user, safety_identifier, prompt_cache_key,
 *   service_tier, top_logprobs pass through unchanged.
 * - Accepted and not honoured (reported): `truncation: "auto"` (the request fails with a
 *   context error instead of dropping early items), `reasoning.summary` (Nova's reasoning
 *   comes back as reasoning text, not a summary), `include` values other than
 *   `message.output_text.logprobs` (a 400: Nova has no logprobs), `max_tool_calls`
 *   (it limits built-in tools only), `stream_options`, unknown parameters.
 * - 400: `conversation`, `background: true`, `prompt` (they need OpenAI-side state),
 *   built-in tools and tool choices.
 */
import type { ChatCompletionCreateParams, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { invalidParam, OpenAIHttpError, unsupportedParam } from '../errors.js';
import { describe, expectObj, expectString, optArray, optBoolean, optEnum, optMetadata, optString, type Obj } from '../translate/validate.js';
import type { PlacedItem } from './resolve-input.js';

/** Top-level parameters this translation reads or reports on purpose. */
const KNOWN = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'text', 'reasoning', 'max_output_tokens',
  'temperature', 'top_p', 'metadata', 'user', 'truncation', 'store', 'previous_response_id', 'conversation', 'stream',
  'stream_options', 'include', 'background', 'prompt', 'max_tool_calls', 'safety_identifier', 'prompt_cache_key',
  'prompt_cache_retention', 'service_tier', 'top_logprobs', 'prompt_cache_options', 'context_management', 'moderation',
]);

/** Tool types OpenAI runs itself; Nova has none of them behind this proxy. */
const BUILT_IN_TOOLS: Readonly<Record<string, string>> = {
  web_search: 'web search',
  web_search_preview: 'web search',
  web_search_2025_08_26: 'web search',
  web_search_preview_2025_03_11: 'web search',
  file_search: 'file search',
  code_interpreter: 'code interpreter',
  computer_use_preview: 'computer use',
  computer_use: 'computer use',
  computer: 'computer use',
  mcp: 'remote MCP servers',
  image_generation: 'image generation',
  local_shell: 'local shell',
  shell: 'shell',
  apply_patch: 'apply patch',
  tool_search: 'tool search',
};

export interface ChatTranslation {
  chat: ChatCompletionCreateParams;
  paths: ChatPaths;
  /** Responses parameters accepted but not honoured (for `x-nova-ignored-params`). */
  ignored: string[];
}

export interface ToChatOptions {
  stream: boolean;
  /** A response store is configured (else `store: true` is reported as not honoured). */
  storeConfigured: boolean;
}

/** Where each chat message came from, so the pipeline's 400s name the Responses field. */
interface MessageOrigin {
  path: string;
  /** Path of the whole content (`input` for a string input, `input[2].content`…). */
  content: string;
  /** Path of each chat content part. */
  parts: string[];
  /** Path of each tool call (the function_call item). */
  calls: string[];
  kind: 'message' | 'tool';
}

export function toChatRequest(body: Obj, items: PlacedItem[], opts: ToChatOptions): ChatTranslation {
  const ignored: string[] = [];
  const ignore = (key: string) => {
    if (!ignored.includes(key)) ignored.push(key);
  };

  if (body.conversation != null) {
    throw unsupportedParam('conversation', 'conversation objects need OpenAI\'s Conversations API, which this proxy does not serve; send the conversation in `input` (or use previous_response_id with a response store).');
  }
  if (optBoolean(body.background, 'background')) {
    throw unsupportedParam('background', 'background responses are not supported: the proxy answers while the request is open; send the request without background (streaming keeps long generations alive).');
  }
  if (body.prompt != null) {
    throw unsupportedParam('prompt', 'prompt templates are stored by OpenAI and are not available here; send the prompt text as instructions and input.');
  }
  if (body.context_management != null) {
    throw unsupportedParam('context_management', 'context_management (server-side compaction) is not supported by this proxy.');
  }
  if (optEnum(body.truncation, 'truncation', ['auto', 'disabled']) === 'auto') ignore('truncation');
  if (optBoolean(body.store, 'store') === true && !opts.storeConfigured) ignore('store');
  for (const [k, v] of (optArray(body.include, 'include') ?? []).entries()) {
    const value = expectString(v, `include[${k}]`);
    if (value === 'message.output_text.logprobs') throw unsupportedParam(`include[${k}]`, 'logprobs are not available from Nova');
    ignore('include');
  }
  if (body.max_tool_calls != null) ignore('max_tool_calls');
  if (body.stream_options != null) ignore('stream_options');
  optMetadata(body.metadata, 'metadata');
  for (const key in body) if (!KNOWN.has(key)) ignore(encodeURIComponent(key).slice(0, 64));

  const messages: ChatCompletionMessageParam[] = [];
  const origins: MessageOrigin[] = [];
  const instructions = optString(body.instructions, 'instructions');
  if (instructions !== undefined && instructions.trim() !== '') {
    messages.push({ role: 'system', content: instructions });
    origins.push({ path: 'instructions', content: 'instructions', parts: [], calls: [], kind: 'message' });
  }
  if (convertItems(items, messages, origins)) ignore('input.reasoning');

  const chat: Obj = { model: body.model, messages };
  const tools = convertTools(body.tools);
  if (tools.length) chat.tools = tools;
  if (body.tool_choice != null) chat.tool_choice = convertToolChoice(body.tool_choice);
  for (const key of ['parallel_tool_calls', 'temperature', 'top_p', 'user', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'service_tier', 'top_logprobs', 'prompt_cache_options', 'moderation']) {
    if (body[key] !== undefined) chat[key] = body[key];
  }
  // The one Responses tier chat completions lack; not honoured by Nova either way.
  if (chat.service_tier === 'ultrafast') {
    delete chat.service_tier;
    ignore('service_tier');
  }
  if (body.max_output_tokens != null) chat.max_completion_tokens = body.max_output_tokens;
  if (body.text != null) {
    const text = expectObj(body.text, 'text');
    if (text.format != null) chat.response_format = convertFormat(expectObj(text.format, 'text.format'));
    if (text.verbosity != null) chat.verbosity = text.verbosity;
  }
  if (body.reasoning != null) {
    const r = expectObj(body.reasoning, 'reasoning');
    if (r.effort != null) chat.reasoning_effort = r.effort;
    const summary = optEnum(r.summary, 'reasoning.summary', REASONING_SUMMARIES);
    const generateSummary = optEnum(r.generate_summary, 'reasoning.generate_summary', REASONING_SUMMARIES);
    if (summary !== undefined || generateSummary !== undefined) ignore('reasoning.summary');
  }
  chat.stream = opts.stream;
  // Usage arrives after the finish on the chat stream; the Responses stream needs it for response.completed.
  if (opts.stream) chat.stream_options = { include_usage: true };
  return { chat: chat as unknown as ChatCompletionCreateParams, paths: new ChatPaths(origins, tools.length), ignored };
}

/** OpenAI's `reasoning.summary` values (echoed in the Response). */
const REASONING_SUMMARIES = ['auto', 'concise', 'detailed'] as const;

/** Returns true when reasoning items were dropped. */
function convertItems(items: PlacedItem[], messages: ChatCompletionMessageParam[], origins: MessageOrigin[]): boolean {
  let droppedReasoning = false;
  /** Calls awaiting their output: call_id → where the call was. */
  const pending = new Map<string, string>();
  let assistant: { parts: Array<{ type: 'text' | 'refusal'; text?: string; refusal?: string }>; calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>; origin: MessageOrigin } | undefined;

  const flushAssistant = () => {
    if (!assistant) return;
    messages.push({
      role: 'assistant',
      content: assistant.parts.length ? (assistant.parts as never) : null,
      ...(assistant.calls.length ? { tool_calls: assistant.calls } : {}),
    });
    origins.push(assistant.origin);
    assistant = undefined;
  };
  const requireOutputs = (at: string) => {
    if (pending.size === 0) return;
    const [callId, where] = pending.entries().next().value!;
    throw invalidParam(at, `No tool output found for function call ${callId} (${where}): every function_call needs its function_call_output before the next message.`);
  };
  const openAssistant = (path: string) =>
    (assistant ??= { parts: [], calls: [], origin: { path, content: `${path}.content`, parts: [], calls: [], kind: 'message' } });

  for (const { item, path } of items) {
    switch (item.type) {
      case 'reasoning':
        droppedReasoning = true;
        break;
      case 'message': {
        if (item.role === 'assistant') {
          // Text of an assistant turn joins the calls around it: Converse sees one turn.
          const a = openAssistant(path);
          for (const [j, part] of assistantParts(item.content, path === 'input' ? 'input' : `${path}.content`).entries()) {
            a.parts.push(part.part);
            a.origin.parts.push(part.path ?? `${path}.content[${j}]`);
          }
          break;
        }
        flushAssistant();
        if (item.role === 'user') requireOutputs(path);
        const contentPath = path === 'input' ? 'input' : `${path}.content`;
        const { content, parts } = inputContent(item.content, contentPath);
        messages.push({ role: item.role, content } as ChatCompletionMessageParam);
        origins.push({ path, content: contentPath, parts, calls: [], kind: 'message' });
        break;
      }
      case 'function_call': {
        if (pending.has(item.call_id) || assistant?.calls.some((c) => c.id === item.call_id)) {
          throw invalidParam(`${path}.call_id`, `${path}.call_id ${JSON.stringify(item.call_id)} is used by another function_call of the same turn`);
        }
        if (pending.size > 0 && !assistant) requireOutputs(path);
        const a = openAssistant(path);
        a.calls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
        a.origin.calls.push(path);
        pending.set(item.call_id, path);
        break;
      }
      case 'function_call_output': {
        flushAssistant();
        if (!pending.has(item.call_id)) {
          throw invalidParam(`${path}.call_id`, `No tool call found for function call output with call_id ${item.call_id}.`);
        }
        pending.delete(item.call_id);
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: toolOutput(item.output, `${path}.output`) });
        origins.push({ path, content: `${path}.output`, parts: [], calls: [], kind: 'tool' });
        break;
      }
    }
  }
  flushAssistant();
  requireOutputs(items.length ? items[items.length - 1]!.path : 'input');
  if (messages.length === 0) throw invalidParam('input', 'input must contain at least one item');
  return droppedReasoning;
}

/** A user/system/developer message's content → chat content, part paths kept 1:1. */
function inputContent(raw: unknown, param: string): { content: unknown; parts: string[] } {
  if (typeof raw === 'string') return { content: raw, parts: [] };
  if (!Array.isArray(raw)) throw invalidParam(param, `${param} must be a string or an array of content parts, got ${describe(raw)}`);
  const parts: string[] = [];
  const content = raw.map((r, j) => {
    const p = `${param}[${j}]`;
    parts.push(p);
    const part = expectObj(r, p);
    switch (part.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        return { type: 'text', text: expectString(part.text, `${p}.text`) };
      case 'input_image': {
        if (part.file_id != null && part.image_url == null) {
          throw unsupportedParam(`${p}.file_id`, `${p}.file_id: file IDs need OpenAI's Files API; send the image as image_url (a data URL or an http(s) URL)`);
        }
        const url = expectString(part.image_url, `${p}.image_url`);
        return { type: 'image_url', image_url: { url, ...(typeof part.detail === 'string' ? { detail: part.detail } : {}) } };
      }
      case 'input_file': {
        if (part.file_data == null) {
          if (part.file_id != null) throw unsupportedParam(`${p}.file_id`, `${p}.file_id: file IDs need OpenAI's Files API; send the file inline as file_data (a base64 data URL)`);
          if (part.file_url != null) throw unsupportedParam(`${p}.file_url`, `${p}.file_url: files are not fetched by URL; send the file inline as file_data (a base64 data URL)`);
        }
        return { type: 'file', file: { file_data: expectString(part.file_data, `${p}.file_data`), ...(typeof part.filename === 'string' ? { filename: part.filename } : {}) } };
      }
      case 'input_audio':
        throw unsupportedParam(p, `${p}: audio input is not supported by Nova through the Converse API`);
      default:
        throw invalidParam(`${p}.type`, `${p}.type must be one of "input_text", "input_image", "input_file", got ${JSON.stringify(part.type ?? null)}`);
    }
  });
  return { content, parts };
}

/** An assistant message's content → text/refusal parts (output_text as OpenAI returns it). */
function assistantParts(raw: unknown, param: string): Array<{ part: { type: 'text' | 'refusal'; text?: string; refusal?: string }; path?: string }> {
  if (typeof raw === 'string') return raw.trim() ? [{ part: { type: 'text', text: raw }, path: param }] : [];
  if (!Array.isArray(raw)) throw invalidParam(param, `${param} must be a string or an array of content parts, got ${describe(raw)}`);
  const out: Array<{ part: { type: 'text' | 'refusal'; text?: string; refusal?: string }; path?: string }> = [];
  raw.forEach((r, j) => {
    const p = `${param}[${j}]`;
    const part = expectObj(r, p);
    if (part.type === 'output_text' || part.type === 'input_text' || part.type === 'text') {
      const text = expectString(part.text, `${p}.text`);
      if (text.trim()) out.push({ part: { type: 'text', text }, path: p });
    } else if (part.type === 'refusal') {
      out.push({ part: { type: 'refusal', refusal: expectString(part.refusal, `${p}.refusal`) }, path: p });
    } else {
      throw invalidParam(`${p}.type`, `${p}.type must be "output_text" or "refusal" in an assistant message, got ${JSON.stringify(part.type ?? null)}`);
    }
  });
  return out;
}

/** function_call_output.output → the tool message's text. */
function toolOutput(raw: unknown, param: string): string {
  if (typeof raw === 'string') return raw;
  const texts: string[] = [];
  (raw as unknown[]).forEach((r, j) => {
    const p = `${param}[${j}]`;
    const part = expectObj(r, p);
    if (part.type === 'input_text' || part.type === 'output_text') texts.push(expectString(part.text, `${p}.text`));
    else throw unsupportedParam(`${p}.type`, `${p}: only text parts are supported in function call outputs here, got ${JSON.stringify(part.type ?? null)}`);
  });
  return texts.join('\n');
}

function builtInError(param: string, type: string): OpenAIHttpError {
  return unsupportedParam(param, `${param}: the built-in tool "${type}" (${BUILT_IN_TOOLS[type]}) is run by OpenAI and has no equivalent on Nova behind this proxy; remove it, or provide the capability as a function tool.`);
}

function convertTools(raw: unknown): Obj[] {
  const list = optArray(raw, 'tools') ?? [];
  return list.map((t, k) => {
    const p = `tools[${k}]`;
    const tool = expectObj(t, p);
    const type = tool.type;
    if (typeof type === 'string' && type in BUILT_IN_TOOLS) throw builtInError(p, type);
    if (type === 'custom') throw unsupportedParam(p, `${p}: custom tools are not supported by Nova; use type "function"`);
    if (type !== 'function') throw invalidParam(`${p}.type`, `${p}.type must be "function", got ${JSON.stringify(type ?? null)}`);
    const fn: Obj = { name: tool.name };
    if (tool.description != null) fn.description = tool.description;
    if (tool.parameters != null) fn.parameters = tool.parameters;
    if (tool.strict != null) fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
}

function convertToolChoice(raw: unknown): unknown {
  if (typeof raw === 'string') return raw;
  const tc = expectObj(raw, 'tool_choice');
  const type = tc.type;
  if (type === 'function') return { type: 'function', function: { name: expectString(tc.name, 'tool_choice.name') } };
  if (type === 'allowed_tools') {
    const tools = optArray(tc.tools, 'tool_choice.tools') ?? [];
    return {
      type: 'allowed_tools',
      allowed_tools: {
        mode: tc.mode,
        tools: tools.map((t, j) => {
          const entry = expectObj(t, `tool_choice.tools[${j}]`);
          if (typeof entry.type === 'string' && entry.type in BUILT_IN_TOOLS) throw builtInError(`tool_choice.tools[${j}]`, entry.type);
          if (entry.type !== 'function') throw invalidParam(`tool_choice.tools[${j}].type`, `tool_choice.tools[${j}].type must be "function", got ${JSON.stringify(entry.type ?? null)}`);
          return { type: 'function', function: { name: expectString(entry.name, `tool_choice.tools[${j}].name`) } };
        }),
      },
    };
  }
  if (typeof type === 'string' && type in BUILT_IN_TOOLS) throw builtInError('tool_choice', type);
  if (type === 'mcp' || type === 'custom' || type === 'apply_patch' || type === 'shell') {
    throw unsupportedParam('tool_choice', `tool_choice: ${type} tools are not supported by Nova; use function tools`);
  }
  throw invalidParam('tool_choice.type', `tool_choice.type must be "function" or "allowed_tools", got ${JSON.stringify(type ?? null)}`);
}

function convertFormat(f: Obj): unknown {
  switch (f.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      // Both required here (unlike chat's json_schema), and echoed back in the Response.
      for (const key of ['name', 'schema'] as const) {
        if (f[key] == null) throw invalidParam(`text.format.${key}`, `Missing required parameter: 'text.format.${key}'.`, 'missing_required_parameter');
      }
      const js: Obj = { name: expectString(f.name, 'text.format.name'), schema: expectObj(f.schema, 'text.format.schema') };
      if (f.description != null) js.description = f.description;
      if (f.strict != null) js.strict = f.strict;
      return { type: 'json_schema', json_schema: js };
    }
    default:
      throw invalidParam('text.format.type', `text.format.type must be "text", "json_object" or "json_schema", got ${JSON.stringify(f.type ?? null)}`);
  }
}

/**
 * Renames Chat Completions parameter paths (what the pipeline's 400s and ignored/adjusted
 * lists name) to the Responses request's own: `messages[3].content[0].image_url.url` →
 * `input[2].content[0].image_url`, `max_completion_tokens` → `max_output_tokens`…
 */
export class ChatPaths {
  constructor(
    private readonly origins: MessageOrigin[],
    private readonly toolCount: number,
  ) {}

  param(path: string): string {
    let m = /^messages\[(\d+)\](.*)$/.exec(path);
    if (m) return this.message(Number(m[1]), m[2]!);
    if (path === 'messages') return 'input';
    m = /^tools\[(\d+)\](?:\.function)?(.*)$/.exec(path);
    if (m && Number(m[1]) < this.toolCount) return `tools[${m[1]}]${m[2]}`;
    m = /^tool_choice(.*)$/.exec(path);
    if (m) return `tool_choice${m[1]!.replace(/^\.function/, '').replace(/^\.allowed_tools/, '').replace(/(\.tools\[\d+\])\.function/, '$1')}`;
    m = /^response_format(.*)$/.exec(path);
    if (m) return `text.format${m[1]!.replace(/^\.json_schema/, '')}`;
    switch (path) {
      case 'max_completion_tokens':
        return 'max_output_tokens';
      case 'reasoning_effort':
        return 'reasoning.effort';
      case 'verbosity':
        return 'text.verbosity';
      default:
        return path;
    }
  }

  private message(i: number, rest: string): string {
    const o = this.origins[i];
    if (!o) return `input${rest}`;
    if (rest === '') return o.path;
    if (rest === '.content') return o.content;
    let m = /^\.content\[(\d+)\](.*)$/.exec(rest);
    if (m) {
      const part = o.parts[Number(m[1])] ?? `${o.content}[${m[1]}]`;
      // image_url.url and file.file_data are flat fields of input_image / input_file.
      return part + m[2]!.replace(/^\.image_url\.url$/, '.image_url').replace(/^\.file(?=\.|$)/, '');
    }
    m = /^\.tool_calls\[(\d+)\](.*)$/.exec(rest);
    if (m) {
      const call = o.calls[Number(m[1])] ?? o.path;
      return call + m[2]!.replace(/^\.function/, '').replace(/^\.id$/, '.call_id');
    }
    if (rest === '.tool_call_id') return `${o.path}.call_id`;
    return o.path + rest;
  }

  /** The same renaming inside a message text. */
  text(message: string): string {
    return message.replace(
      /\b(?:messages(?:\[\d+\](?:\.[A-Za-z_]+|\[\d+\])*)?|tools\[\d+\](?:\.[A-Za-z_]+|\[\d+\])*|tool_choice(?:\.[A-Za-z_]+|\[\d+\])*|response_format(?:\.[A-Za-z_]+|\[\d+\])*|max_completion_tokens|reasoning_effort)/g,
      (p) => this.param(p),
    );
  }

  /** A pipeline 400 in the Responses request's terms. */
  error(err: OpenAIHttpError): OpenAIHttpError {
    return new OpenAIHttpError(err.status, this.text(err.message), {
      type: err.type,
      param: err.param === null ? null : this.param(err.param),
      code: err.code,
      headers: err.headers,
      cause: err,
    });
  }
}

