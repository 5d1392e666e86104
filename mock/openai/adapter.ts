// ChatCompletionCreateParams -> the synthetic model's request.
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { JsonSchema, SyntheticRequest } from '../synthetic.js';

type AnyPart = ChatCompletionContentPart | { type: string; text?: string; refusal?: string };

/** Text of a message's content, whether a string or an array of parts. */
export function contentText(content: ChatCompletionMessageParam['content'] | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return (content as AnyPart[])
    .map((p) => (p.type === 'text' ? (p as { text: string }).text : p.type === 'refusal' ? (p as { refusal: string }).refusal : ''))
    .filter(Boolean)
    .join('\n');
}

function hasImagePart(content: ChatCompletionMessageParam['content'] | undefined): boolean {
  return Array.isArray(content) && (content as AnyPart[]).some((p) => p.type === 'image_url');
}

const EMPTY_PARAMS: JsonSchema = { type: 'object', properties: {} };

function toolsOf(params: ChatCompletionCreateParams): SyntheticRequest['tools'] {
  const out: SyntheticRequest['tools'] = [];
  for (const t of params.tools ?? []) {
    if (t.type === 'function') out.push({ name: t.function.name, schema: (t.function.parameters as JsonSchema | undefined) ?? EMPTY_PARAMS });
  }
  // Legacy `functions` (deprecated but still accepted by the API).
  for (const f of params.functions ?? []) out.push({ name: f.name, schema: (f.parameters as JsonSchema | undefined) ?? EMPTY_PARAMS });
  return out;
}

function toolChoiceOf(params: ChatCompletionCreateParams, tools: SyntheticRequest['tools']): {
  choice: SyntheticRequest['toolChoice'];
  tools: SyntheticRequest['tools'];
} {
  const tc = params.tool_choice ?? params.function_call;
  if (tc === undefined) return { choice: tools.length > 0 ? 'auto' : 'none', tools };
  if (tc === 'none') return { choice: 'none', tools };
  if (tc === 'auto') return { choice: 'auto', tools };
  if (tc === 'required') return { choice: 'any', tools };
  if ('type' in tc && tc.type === 'function') return { choice: { name: tc.function.name }, tools };
  if ('type' in tc && tc.type === 'allowed_tools') {
    const allowed = new Set(
      tc.allowed_tools.tools.map((t) => (t as { function?: { name?: string } }).function?.name).filter((n): n is string => !!n),
    );
    return { choice: tc.allowed_tools.mode === 'required' ? 'any' : 'auto', tools: tools.filter((t) => allowed.has(t.name)) };
  }
  if ('name' in tc && typeof tc.name === 'string') return { choice: { name: tc.name }, tools }; // legacy function_call: {name}
  return { choice: 'auto', tools };
}

export function toSyntheticRequest(params: ChatCompletionCreateParams): SyntheticRequest {
  const messages = params.messages;
  const system = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => contentText(m.content))
    .join('\n');
  const users = messages.filter((m) => m.role === 'user');
  const lastUser = users[users.length - 1];
  const last = messages[messages.length - 1];
  const lastIsToolResult = last?.role === 'tool' || last?.role === 'function';
  const { choice, tools } = toolChoiceOf(params, toolsOf(params));

  const req: SyntheticRequest = {
    system,
    lastUserText: contentText(lastUser?.content),
    hasImage: users.some((m) => hasImagePart(m.content)),
    tools,
    toolChoice: choice,
    lastMessageIsToolResult: lastIsToolResult,
  };
  if (lastIsToolResult) req.toolResultText = contentText(last.content);
  const rf = params.response_format;
  if (rf?.type === 'json_schema') req.jsonSchema = (rf.json_schema.schema as JsonSchema | undefined) ?? { type: 'object' };
  if (rf?.type === 'json_object') req.jsonObject = true;
  const max = params.max_completion_tokens ?? params.max_tokens;
  if (typeof max === 'number') req.maxTokens = max;
  if (typeof params.stop === 'string') req.stop = [params.stop];
  else if (Array.isArray(params.stop)) req.stop = params.stop;
  return req;
}

/** Text counted as prompt tokens: every message plus tool definitions and the output schema. */
export function promptText(params: ChatCompletionCreateParams): string {
  const parts = params.messages.map((m) => {
    const calls = m.role === 'assistant' && m.tool_calls ? JSON.stringify(m.tool_calls) : '';
    return `${m.role}\n${contentText(m.content)}${calls}`;
  });
  if (params.tools?.length) parts.push(JSON.stringify(params.tools));
  if (params.functions?.length) parts.push(JSON.stringify(params.functions));
  if (params.response_format?.type === 'json_schema') parts.push(JSON.stringify(params.response_format.json_schema));
  return parts.join('\n');
}
