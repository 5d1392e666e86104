/**
 * What the real service enforces for Amazon Nova models beyond the service model's
 * shapes: conversation structure, blank text, tool plumbing, Nova's tool-schema subset,
 * model-specific request fields and model capabilities. Wording follows the messages the
 * service returns where they are known.
 */
import type { BedrockError } from './errors.js';

export interface NovaCapabilities {
  /** Bare foundation-model ID, e.g. `amazon.nova-lite-v1:0`. */
  baseId: string;
  images: boolean;
  /** Nova 2: accepts `additionalModelRequestFields.reasoningConfig`. */
  reasoning: boolean;
  maxOutputTokens: number;
  /** True when the ID carried an inference-profile prefix or was an ARN. */
  viaProfile: boolean;
}

export interface NovaRuleOptions {
  /** Reject bare model IDs as on-demand invocations without an inference profile. */
  requireInferenceProfile?: boolean;
}

const PROFILE_PREFIXES = ['us.', 'eu.', 'apac.', 'global.', 'us-gov.', 'jp.', 'au.', 'ca.'];
const NOVA_ID = /^amazon\.nova-[a-z0-9-]+(?:-v\d+(?::\d+)?(?::[a-z0-9]+)?)?$/;

/** Capabilities of a Nova model ID (bare, profile-prefixed or ARN), or undefined if it is not Nova. */
export function novaCapabilities(modelId: string): NovaCapabilities | undefined {
  let id = modelId;
  let viaProfile = false;
  if (id.startsWith('arn:')) {
    id = id.slice(id.lastIndexOf('/') + 1);
    viaProfile = true;
  }
  const prefix = PROFILE_PREFIXES.find((p) => id.startsWith(p));
  if (prefix) {
    id = id.slice(prefix.length);
    viaProfile = true;
  }
  if (!NOVA_ID.test(id)) return undefined;
  // Text-only Nova models: Micro (v1) and Sonic/Canvas are not conversational image readers.
  const images = !/^amazon\.nova-micro/.test(id);
  const reasoning = id.startsWith('amazon.nova-2-');
  const maxOutputTokens = reasoning ? 65_536 : id.startsWith('amazon.nova-premier') ? 32_000 : 10_000;
  return { baseId: id, images, reasoning, maxOutputTokens, viaProfile };
}

function validation(message: string): BedrockError {
  return { errorType: 'ValidationException', message };
}

function malformed(pointer: string, detail: string): BedrockError {
  return validation(`Malformed input request: ${pointer}: ${detail}, please reformat your input and try again.`);
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Keys Nova's tool-schema validator does not accept at any schema node. */
const FORBIDDEN_SCHEMA_KEYS = ['$defs', 'definitions', 'title', '$ref', '$schema'];
// Keywords whose value is a map of name → subschema, a subschema, or a list of subschemas.
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SCHEMA_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];

/** First forbidden key in a JSON schema, walking schema nodes only (a property *named* `title` is fine). */
function forbiddenSchemaKey(schema: unknown, pointer: string): { pointer: string; key: string } | undefined {
  if (!isObj(schema)) return undefined;
  for (const key of FORBIDDEN_SCHEMA_KEYS) if (key in schema) return { pointer, key };
  for (const kw of SCHEMA_MAPS) {
    const map = schema[kw];
    if (!isObj(map)) continue;
    for (const [name, sub] of Object.entries(map)) {
      const hit = forbiddenSchemaKey(sub, `${pointer}/${kw}/${name}`);
      if (hit) return hit;
    }
  }
  for (const kw of SCHEMA_ONE) {
    const hit = forbiddenSchemaKey(schema[kw], `${pointer}/${kw}`);
    if (hit) return hit;
  }
  for (const kw of SCHEMA_LISTS) {
    const list = schema[kw];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const hit = forbiddenSchemaKey(list[i], `${pointer}/${kw}/${i}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

const isBlank = (s: unknown): boolean => typeof s === 'string' && s.trim() === '';

function checkMessages(messages: unknown[], caps: NovaCapabilities, hasToolConfig: boolean): BedrockError | undefined {
  const first = messages[0];
  if (!isObj(first) || first.role !== 'user') {
    return validation('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  }
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i] as Json;
    const prev = i > 0 ? (messages[i - 1] as Json) : undefined;
    if (msg.role !== 'user' && msg.role !== 'assistant') {
      return validation(`Role '${String(msg.role)}' at messages.${i} is not supported by this model. Use the system field for system prompts, and try again.`);
    }
    if (prev && prev.role === msg.role) {
      return validation('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
    const content = asArray(msg.content);
    if (content.length === 0) {
      return validation(`The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`);
    }
    const previousToolUseIds = new Set(
      asArray(prev?.content).flatMap((b) => (isObj(b) && isObj(b.toolUse) ? [String(b.toolUse.toolUseId)] : [])),
    );
    let toolResults = 0;
    for (let j = 0; j < content.length; j++) {
      const block = content[j];
      if (!isObj(block)) continue;
      if (isBlank(block.text)) {
        return validation(`The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`);
      }
      const toolResultImages = isObj(block.toolResult) && asArray(block.toolResult.content).some((c) => isObj(c) && c.image !== undefined);
      if ((block.image !== undefined || toolResultImages) && !caps.images) {
        return validation("This model doesn't support the image content block that you provided. Try again with a model that supports image input.");
      }
      if ((block.toolUse !== undefined || block.toolResult !== undefined) && !hasToolConfig) {
        return validation('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
      }
      if (isObj(block.toolUse) && msg.role !== 'assistant') {
        return validation(`The toolUse block at messages.${i}.content.${j} must be in an assistant message.`);
      }
      if (isObj(block.toolResult)) {
        if (msg.role !== 'user') {
          return validation(`The toolResult block at messages.${i}.content.${j} must be in a user message.`);
        }
        toolResults++;
        if (toolResults > previousToolUseIds.size) {
          return validation(`The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`);
        }
        const id = String(block.toolResult.toolUseId);
        if (!previousToolUseIds.has(id)) {
          return validation(`The toolResult block at messages.${i}.content.${j} refers to toolUseId ${id}, which does not match any toolUse block of the previous turn.`);
        }
      }
    }
  }
  return undefined;
}

function checkTools(toolConfig: Json): BedrockError | undefined {
  const tools = asArray(toolConfig.tools);
  for (let i = 0; i < tools.length; i++) {
    const tool = tools[i];
    if (!isObj(tool)) continue;
    if (tool.cachePoint !== undefined) {
      return validation(`The model you selected doesn't support cachePoint in toolConfig.tools (found at toolConfig.tools.${i}). Remove the cachePoint and try again.`);
    }
    const spec = tool.toolSpec;
    if (isObj(spec) && isObj(spec.inputSchema)) {
      const hit = forbiddenSchemaKey(spec.inputSchema.json, '#');
      if (hit) return malformed(hit.pointer, `extraneous key [${hit.key}] is not permitted`);
    }
  }
  return undefined;
}

function checkAdditionalFields(fields: unknown, caps: NovaCapabilities): BedrockError | undefined {
  if (fields === undefined || fields === null) return undefined;
  if (!isObj(fields)) return malformed('#', `expected type: JSONObject, found: ${Array.isArray(fields) ? 'JSONArray' : typeof fields}`);
  const inf = fields.inferenceConfig;
  if (isObj(inf) && inf.topK !== undefined) {
    const topK = inf.topK;
    if (typeof topK !== 'number' || !Number.isInteger(topK)) {
      return malformed('#/inferenceConfig/topK', `expected type: Integer, found: ${typeof topK}`);
    }
    if (topK > 128) return malformed('#/inferenceConfig/topK', `${topK} is not less or equal to 128`);
    if (topK < 0) return malformed('#/inferenceConfig/topK', `${topK} is not greater or equal to 0`);
  }
  if (fields.reasoningConfig !== undefined) {
    if (!caps.reasoning) return malformed('#', 'extraneous key [reasoningConfig] is not permitted');
    const rc = fields.reasoningConfig;
    if (!isObj(rc) || (rc.type !== 'enabled' && rc.type !== 'disabled')) {
      return malformed('#/reasoningConfig/type', `${JSON.stringify(isObj(rc) ? rc.type : rc)} is not a valid enum value`);
    }
    const effort = rc.maxReasoningEffort;
    if (effort !== undefined && !['low', 'medium', 'high'].includes(String(effort))) {
      return malformed('#/reasoningConfig/maxReasoningEffort', `${JSON.stringify(effort)} is not a valid enum value`);
    }
  }
  return undefined;
}

/** Model-ID checks: unknown model → ResourceNotFoundException; bare ID when profiles are required. */
export function checkModelId(modelId: string, opts: NovaRuleOptions = {}): BedrockError | NovaCapabilities {
  const caps = novaCapabilities(modelId);
  if (!caps) {
    return { errorType: 'ResourceNotFoundException', message: 'Could not resolve the foundation model from the provided model identifier.' };
  }
  if (opts.requireInferenceProfile && !caps.viaProfile) {
    return validation(`Invocation of model ID ${caps.baseId} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.`);
  }
  return caps;
}

/** Nova rules for a Converse/ConverseStream body that already passed shape validation. */
export function checkNovaRules(body: Json, caps: NovaCapabilities): BedrockError | undefined {
  const messages = asArray(body.messages);
  const hasToolConfig = isObj(body.toolConfig);
  const system = asArray(body.system);
  for (let i = 0; i < system.length; i++) {
    const block = system[i];
    if (isObj(block) && isBlank(block.text)) {
      return validation(`The text field in the SystemContentBlock object at system.${i} is blank. Add text to the text field, and try again.`);
    }
  }
  const msgError = checkMessages(messages, caps, hasToolConfig);
  if (msgError) return msgError;
  if (hasToolConfig) {
    const toolError = checkTools(body.toolConfig as Json);
    if (toolError) return toolError;
  }
  const inf = body.inferenceConfig;
  if (isObj(inf) && typeof inf.maxTokens === 'number' && inf.maxTokens > caps.maxOutputTokens) {
    return validation(`The maximum tokens you requested exceeds the model limit of ${caps.maxOutputTokens}. Try again with a maximum tokens value that is lower than ${caps.maxOutputTokens}.`);
  }
  const fieldsError = checkAdditionalFields(body.additionalModelRequestFields, caps);
  if (fieldsError) return fieldsError;
  const textFormat = isObj(body.outputConfig) ? body.outputConfig.textFormat : undefined;
  if (isObj(textFormat) && isObj(textFormat.structure) && isObj(textFormat.structure.jsonSchema)) {
    try {
      JSON.parse(String(textFormat.structure.jsonSchema.schema));
    } catch {
      return validation('The JSON schema provided in outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON. Fix the schema and try again.');
    }
  }
  return undefined;
}

/** Tool names Nova can emit reliably; others make generation fail ("invalid sequence as part of ToolUse"). */
export function isNovaSafeToolName(name: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(name);
}
