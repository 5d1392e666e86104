// What the real API rejects before generating anything: schema violations
// (against the trimmed spec), unknown arguments, unknown models and a few
// cross-field rules the schema cannot express. Each throws a FakeHttpError
// worded and coded like OpenAI's.
import type { ErrorObject } from 'ajv';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { checkOpenAI, componentSchema, declaredProperties, errorParam, valueAt, type Json, type OpenAISchemaName } from '../spec/openai-validator.js';
import { FakeHttpError, invalidRequest, modelNotFound, notAChatModel } from './errors.js';
import { isChatModel, isEmbeddingModel } from './models.js';
import { contentText } from './adapter.js';

const declared = new Map<OpenAISchemaName, Set<string>>();
function declaredOf(schema: OpenAISchemaName): Set<string> {
  let d = declared.get(schema);
  if (!d) declared.set(schema, (d = declaredProperties(schema)));
  return d;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a decimal';
  return `a ${typeof v}`;
}

/** The tag values a discriminated oneOf accepts (from its branches' `enum`/`const`). */
function discriminatorTags(parent: unknown, tag: string): string[] {
  const branches = ((parent as Json | undefined)?.oneOf as Json[] | undefined) ?? [];
  return branches.flatMap((b) => {
    const target = typeof b.$ref === 'string' ? componentSchema(b.$ref.split('/').pop()!) : b;
    const prop = (target?.properties as Record<string, Json> | undefined)?.[tag];
    return prop ? ((prop.enum as string[] | undefined) ?? (prop.const !== undefined ? [String(prop.const)] : [])) : [];
  });
}

/** One ajv error -> the 400 the real API would send for it. */
export function schemaErrorToHttp(e: ErrorObject, body: unknown): FakeHttpError {
  const param = errorParam(e);
  const value = valueAt(body, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
    case 'additionalProperties':
      return invalidRequest(`Unrecognized request argument supplied: ${param}`, param, 'unknown_parameter');
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum': {
      const declaredType = (e.parentSchema as { type?: string | string[] } | undefined)?.type;
      const kind = [declaredType].flat().includes('integer') ? 'integer' : 'decimal';
      const above = e.keyword.toLowerCase().includes('max');
      return invalidRequest(
        `Invalid '${param}': ${kind} ${above ? 'above maximum' : 'below minimum'} value. Expected a value ${above ? '<=' : '>='} ${String(p.limit)}, but got ${JSON.stringify(value)} instead.`,
        param,
        `${kind}_${above ? 'above_max' : 'below_min'}_value`,
      );
    }
    case 'type':
      return invalidRequest(
        `Invalid type for '${param}': expected ${String(p.type).replace(/^(\w)/, (c) => ('aeiou'.includes(c) ? 'an ' : 'a ') + c)}, but got ${typeName(value)} instead.`,
        param,
        'invalid_type',
      );
    case 'enum':
      return invalidRequest(
        `Invalid value: '${String(value)}'. Supported values are: ${(p.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ')}.`,
        param,
        'invalid_value',
      );
    case 'discriminator': {
      const tag = String(p.tag);
      const tagParam = param ? `${param}.${tag}` : tag;
      const got = String((value as Record<string, unknown> | undefined)?.[tag]);
      const tags = discriminatorTags(e.parentSchema, tag);
      return invalidRequest(`Invalid value: '${got}'. Supported values are: ${tags.map((t) => `'${t}'`).join(', ')}.`, tagParam, 'invalid_value');
    }
    case 'minItems':
      return Array.isArray(value) && value.length === 0
        ? invalidRequest(`Invalid '${param}': empty array. Expected an array with minimum length ${String(p.limit)}, but got an empty array instead.`, param, 'empty_array')
        : invalidRequest(`Invalid '${param}': array too short. Expected an array with minimum length ${String(p.limit)}.`, param, 'array_below_min_length');
    case 'maxItems':
      return invalidRequest(`Invalid '${param}': array too long. Expected an array with maximum length ${String(p.limit)}.`, param, 'array_above_max_length');
    case 'maxLength':
      return invalidRequest(`Invalid '${param}': string too long. Expected a string with maximum length ${String(p.limit)}.`, param, 'string_above_max_length');
    case 'minLength':
      return invalidRequest(`Invalid '${param}': string too short. Expected a string with minimum length ${String(p.limit)}.`, param, 'string_below_min_length');
    default:
      return invalidRequest(`Invalid '${param || 'body'}': ${e.message ?? e.keyword}.`, param || null, 'invalid_value');
  }
}

function checkSchema(schema: OpenAISchemaName, body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest(`Invalid type for request body: expected an object, but got ${typeName(body)} instead.`, null, 'invalid_type');
  }
  const known = declaredOf(schema);
  for (const k of Object.keys(body)) {
    if (!known.has(k)) throw invalidRequest(`Unrecognized request argument supplied: ${k}`, null, null);
  }
  const r = checkOpenAI(schema, body);
  if (!r.ok) throw schemaErrorToHttp(r.raw[0]!, body);
}

/** Cross-field rules of the chat endpoint (after the schema passed). */
function checkChatSemantics(p: ChatCompletionCreateParams): void {
  if (p.stream_options != null && !p.stream) {
    throw invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
  }
  if (p.tool_choice != null && !p.tools?.length) {
    throw invalidRequest("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'tool_choice', null);
  }
  if (p.top_logprobs != null && p.top_logprobs > 0 && !p.logprobs) {
    throw invalidRequest("Invalid value for 'logprobs': must be true when 'top_logprobs' is specified.", 'logprobs', 'invalid_value');
  }
  (p.tools ?? []).forEach((t, i) => {
    const name = t.type === 'function' ? t.function.name : t.custom.name;
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      const param = `tools[${i}].${t.type === 'function' ? 'function' : 'custom'}.name`;
      throw invalidRequest(
        `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        param,
        'invalid_value',
      );
    }
  });
  // Tool results must answer the tool calls of the assistant message before them,
  // and every tool call must be answered before the conversation continues.
  let pending = new Set<string>();
  let pendingFrom = -1;
  p.messages.forEach((m, i) => {
    if (m.role === 'tool') {
      if (!pending.has(m.tool_call_id)) {
        throw invalidRequest(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages[${i}].role`,
          null,
        );
      }
      pending.delete(m.tool_call_id);
      return;
    }
    if (pending.size > 0) {
      throw invalidRequest(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
        `messages[${pendingFrom}].role`,
        null,
      );
    }
    if (m.role === 'assistant' && m.tool_calls?.length) {
      pending = new Set(m.tool_calls.map((c) => c.id));
      pendingFrom = i;
    }
  });
  if (pending.size > 0) {
    throw invalidRequest(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
      `messages[${pendingFrom}].role`,
      null,
    );
  }
  if (p.response_format?.type === 'json_object' && !p.messages.some((m) => /json/i.test(contentText(m.content)))) {
    throw invalidRequest(
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      'messages',
      null,
    );
  }
}

export function checkChatRequest(body: unknown): ChatCompletionCreateParams {
  checkSchema('CreateChatCompletionRequest', body);
  const p = body as ChatCompletionCreateParams;
  if (!isChatModel(p.model)) throw isEmbeddingModel(p.model) ? notAChatModel() : modelNotFound(p.model);
  checkChatSemantics(p);
  return p;
}

export function checkEmbeddingRequest(body: unknown): EmbeddingCreateParams {
  checkSchema('CreateEmbeddingRequest', body);
  const p = body as EmbeddingCreateParams;
  if (!isEmbeddingModel(p.model)) throw modelNotFound(p.model);
  const texts = typeof p.input === 'string' ? [p.input] : p.input;
  if (texts.some((t) => t === '')) throw invalidRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input', null);
  if (p.dimensions != null && p.model === 'text-embedding-ada-002') {
    throw invalidRequest('This model does not support specifying dimensions.', 'dimensions', null);
  }
  return p;
}
