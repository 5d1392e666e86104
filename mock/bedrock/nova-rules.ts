/**
 * What the real service enforces for Amazon Nova models beyond the service model's shapes:
 * model ids, conversation structure, blank text, tool plumbing, Nova's tool-schema subset,
 * model-specific request fields and model capabilities.
 *
 * Every rule says what justifies it:
 * - `recorded:` a real answer of the live service, stored under test/recorded/data/bedrock/
 *   ([pyd] = pydantic/pydantic-ai/tests/…, [oi] = Arize-ai/openinference/…/recordings/,
 *   [vai] = vercel/ai/…/__fixtures__/); test/recorded/requests.test.ts replays each one.
 * - `documented:` an AWS document (named).
 * - `unverified:` neither; kept because the fake must reject *something* there and the wording
 *   follows the service's other messages. docs/proxy.md lists these as documentation-only.
 *
 * Two families of messages (recorded): Bedrock's own Converse checks answer plain sentences
 * ([vai] amazon-bedrock-empty-message-validation-error.json), while the model's input schema
 * answers "The model returned the following errors: Malformed input request: <pointer>: <detail>,
 * please reformat your input and try again." ([pyd] test_multimodal_tool_return_matrix[…document…],
 * [vai] amazon-bedrock-nova-micro-portable-reasoning.json). Both are ValidationException (400).
 */
import type { BedrockError } from './errors.js';

export interface NovaCapabilities {
  /** Bare foundation-model ID, e.g. `amazon.nova-lite-v1:0`. */
  baseId: string;
  /** 1 for Micro/Lite/Pro/Premier, 2 for Nova 2. */
  generation: 1 | 2;
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

type ModelEntry = Omit<NovaCapabilities, 'baseId' | 'viaProfile'>;

/**
 * The Nova text models Converse serves. documented: Amazon Nova User Guide, model ids and
 * output limits (10K for Micro/Lite/Pro, 32K Premier, 64K Nova 2 Lite); Micro is text-only.
 */
const MODELS: Readonly<Record<string, ModelEntry>> = {
  'amazon.nova-micro-v1:0': { generation: 1, images: false, reasoning: false, maxOutputTokens: 10_000 },
  'amazon.nova-lite-v1:0': { generation: 1, images: true, reasoning: false, maxOutputTokens: 10_000 },
  'amazon.nova-pro-v1:0': { generation: 1, images: true, reasoning: false, maxOutputTokens: 10_000 },
  'amazon.nova-premier-v1:0': { generation: 1, images: true, reasoning: false, maxOutputTokens: 32_000 },
  'amazon.nova-2-lite-v1:0': { generation: 2, images: true, reasoning: true, maxOutputTokens: 65_536 },
};

const PROFILE_PREFIXES = ['us.', 'eu.', 'apac.', 'global.', 'us-gov.', 'jp.', 'au.', 'ca.'];

/** Capabilities of a Nova model ID (bare, profile-prefixed or ARN), or undefined if it is not a known Nova model. */
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
  // Provisioned-throughput variants carry a context-length suffix (amazon.nova-lite-v1:0:300k).
  const baseId = id.replace(/:\d+k$/, '');
  const entry = MODELS[baseId];
  return entry ? { baseId, viaProfile, ...entry } : undefined;
}

function validation(message: string): BedrockError {
  return { errorType: 'ValidationException', message };
}

/** An error of the model's input schema, in the recorded frame (see the header). */
export function modelError(detail: string): BedrockError {
  return validation(`The model returned the following errors: ${detail}`);
}

function malformed(pointer: string, detail: string): BedrockError {
  return modelError(`Malformed input request: ${pointer}: ${detail}, please reformat your input and try again.`);
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Keys Nova's tool-schema validator refuses at any schema node. unverified: no recording sends
 * them (litellm#10062 reports `$schema`/`$id` refused by Bedrock tool schemas). recorded as
 * accepted, so NOT listed: `title` (top level and in properties), `format`, `additionalProperties`
 * — [pyd] test_bedrock_model_structured_output.yaml, test_bedrock_model_iter_stream.yaml,
 * test_bedrock_model_with_code_execution_tool.yaml.
 */
const FORBIDDEN_SCHEMA_KEYS = ['$defs', 'definitions', '$ref', '$schema'];
// Keywords whose value is a map of name → subschema, a subschema, or a list of subschemas.
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SCHEMA_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];

/** First forbidden key in a JSON schema, walking schema nodes only (a property *named* `$ref` is fine). */
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

/**
 * A toolResult that is part of an assistant turn: Nova 2's own record of a server-side tool run
 * (`type: nova_code_interpreter_result`), which clients send back as they received it.
 * recorded as accepted: [pyd] test_bedrock_model_with_code_execution_tool.yaml (interaction 2).
 */
function isServerToolResult(block: Json): boolean {
  return isObj(block.toolResult) && typeof block.toolResult.type === 'string' && block.toolResult.type !== '';
}

/**
 * Tool results may hold text, json and images (S3 images included), but a document or a video
 * from S3 makes the model's input schema reject the whole toolResult. recorded on Nova 2 Lite:
 * [pyd] test_multimodal_tool_return_matrix[direct-uploaded_file-{document,video}-bedrock_nova].yaml
 * (400) and […image…].yaml (200). Bytes-sourced documents/videos in a toolResult are not recorded.
 */
function rejectedToolResultContent(block: Json): boolean {
  return asArray((block.toolResult as Json).content).some((c) => {
    if (!isObj(c)) return false;
    const media = (isObj(c.document) ? c.document : isObj(c.video) ? c.video : undefined) as Json | undefined;
    return media !== undefined && isObj(media.source) && media.source.s3Location !== undefined;
  });
}

function checkMessages(messages: unknown[], caps: NovaCapabilities, hasToolConfig: boolean): BedrockError | undefined {
  const first = messages[0];
  // unverified wording (the Converse API reference requires a user message first).
  if (!isObj(first) || first.role !== 'user') {
    return validation('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  }
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i] as Json;
    const prev = i > 0 ? (messages[i - 1] as Json) : undefined;
    if (msg.role !== 'user' && msg.role !== 'assistant') {
      return validation(`Role '${String(msg.role)}' at messages.${i} is not supported by this model. Use the system field for system prompts, and try again.`);
    }
    // unverified wording (alternation is documented in the Converse API reference).
    if (prev && prev.role === msg.role) {
      return validation('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
    const content = asArray(msg.content);
    // recorded: [vai] amazon-bedrock-empty-message-validation-error.json (exact text and header).
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
      // unverified wording.
      if (isBlank(block.text)) {
        return validation(`The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`);
      }
      // documented: Nova Micro is a text-only model (Amazon Nova User Guide). unverified wording.
      const toolResultImages = isObj(block.toolResult) && asArray(block.toolResult.content).some((c) => isObj(c) && c.image !== undefined);
      if ((block.image !== undefined || toolResultImages) && !caps.images) {
        return validation("This model doesn't support the image content block that you provided. Try again with a model that supports image input.");
      }
      // documented: Converse API reference (toolConfig is required with toolUse/toolResult blocks). unverified wording.
      if ((block.toolUse !== undefined || block.toolResult !== undefined) && !hasToolConfig) {
        return validation('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
      }
      if (isObj(block.toolUse) && msg.role !== 'assistant') {
        return validation(`The toolUse block at messages.${i}.content.${j} must be in an assistant message.`);
      }
      if (isObj(block.toolResult)) {
        if (msg.role !== 'user') {
          if (caps.generation === 2 && isServerToolResult(block)) continue;
          return validation(`The toolResult block at messages.${i}.content.${j} must be in a user message.`);
        }
        if (rejectedToolResultContent(block)) return malformed(`#/messages/${i}/content/${j}`, 'extraneous key [toolResult] is not permitted');
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
    // documented: Bedrock User Guide, Prompt caching — Nova models take cache checkpoints in
    // system and messages only (tools: Anthropic models). unverified wording.
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

/** recorded: [vai] amazon-bedrock-nova-2-high-reasoning-validation-error.json (served by the vercel/ai test exactly for enabled + high + maxTokens). */
export const HIGH_EFFORT_MAX_TOKENS_ERROR =
  "`maxTokens` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at https://docs.aws.amazon.com/nova/latest/userguide";

function checkAdditionalFields(fields: unknown, caps: NovaCapabilities, inferenceConfig: unknown): BedrockError | undefined {
  if (fields === undefined || fields === null) return undefined;
  if (!isObj(fields)) return malformed('#', `expected type: JSONObject, found: ${Array.isArray(fields) ? 'JSONArray' : typeof fields}`);
  const inf = fields.inferenceConfig;
  // recorded as accepted: topK 20 ([pyd] test_bedrock_top_k_nova_variant.yaml). documented: topK
  // range (Amazon Nova User Guide, inference parameters). unverified wording.
  if (isObj(inf) && inf.topK !== undefined) {
    const topK = inf.topK;
    if (typeof topK !== 'number' || !Number.isInteger(topK)) {
      return malformed('#/inferenceConfig/topK', `expected type: Integer, found: ${typeof topK}`);
    }
    if (topK > 128) return malformed('#/inferenceConfig/topK', `${topK} is not less or equal to 128`);
    if (topK < 0) return malformed('#/inferenceConfig/topK', `${topK} is not greater or equal to 0`);
  }
  if (fields.reasoningConfig !== undefined) {
    // recorded: [vai] amazon-bedrock-nova-micro-portable-reasoning.json (any reasoningConfig on Nova 1).
    if (!caps.reasoning) return modelError('Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.');
    const rc = fields.reasoningConfig;
    // unverified wording; the values are documented (Amazon Nova 2 User Guide, extended thinking).
    if (!isObj(rc) || (rc.type !== 'enabled' && rc.type !== 'disabled')) {
      return malformed('#/reasoningConfig/type', `${JSON.stringify(isObj(rc) ? rc.type : rc)} is not a valid enum value`);
    }
    const effort = rc.maxReasoningEffort;
    if (effort !== undefined && !['low', 'medium', 'high'].includes(String(effort))) {
      return malformed('#/reasoningConfig/maxReasoningEffort', `${JSON.stringify(effort)} is not a valid enum value`);
    }
    // recorded: see HIGH_EFFORT_MAX_TOKENS_ERROR. Low and medium with maxTokens are not recorded; accepted here.
    if (rc.type === 'enabled' && effort === 'high' && isObj(inferenceConfig) && inferenceConfig.maxTokens !== undefined) {
      return modelError(HIGH_EFFORT_MAX_TOKENS_ERROR);
    }
  }
  return undefined;
}

/** The message for every unknown or misspelled model id. */
export const INVALID_MODEL_MESSAGE = 'The provided model identifier is invalid.';

/**
 * Model-ID checks. An id that is not a known Nova model → 400 ValidationException "The provided
 * model identifier is invalid." (recorded, on Converse, ConverseStream and CountTokens alike:
 * [pyd] test_bedrock_error.yaml, test_bedrock_streaming_error.yaml, test_bedrock_count_tokens_error.yaml,
 * test_model_name_suggestion[bedrock].yaml (a mistyped Nova id); [oi] should-handle-api-error-scenarios.json
 * and should-handle-streaming-api-errors-gracefully.json, with the x-amzn-ErrorType header).
 * A bare id when profiles are required: wording as in public reports of the live error (note the
 * typographic apostrophe), e.g. ed-donner/production community_contributions/mrbrownnl_nova_inference_profile.md.
 */
export function checkModelId(modelId: string, opts: NovaRuleOptions = {}): BedrockError | NovaCapabilities {
  const caps = novaCapabilities(modelId);
  if (!caps) return validation(INVALID_MODEL_MESSAGE);
  if (opts.requireInferenceProfile && !caps.viaProfile) {
    return validation(`Invocation of model ID ${caps.baseId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`);
  }
  return caps;
}

/** Nova rules for a Converse/ConverseStream body that already passed shape validation. */
export function checkNovaRules(body: Json, caps: NovaCapabilities): BedrockError | undefined {
  const messages = asArray(body.messages);
  const hasToolConfig = isObj(body.toolConfig);
  const system = asArray(body.system);
  // recorded as accepted: "system": [] ([pyd] test_bedrock_empty_system_prompt.yaml). Blank text: unverified wording.
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
  // documented: output limits (see MODELS). unverified wording.
  if (isObj(inf) && typeof inf.maxTokens === 'number' && inf.maxTokens > caps.maxOutputTokens) {
    return validation(`The maximum tokens you requested exceeds the model limit of ${caps.maxOutputTokens}. Try again with a maximum tokens value that is lower than ${caps.maxOutputTokens}.`);
  }
  const fieldsError = checkAdditionalFields(body.additionalModelRequestFields, caps, inf);
  if (fieldsError) return fieldsError;
  const textFormat = isObj(body.outputConfig) ? body.outputConfig.textFormat : undefined;
  // unverified wording.
  if (isObj(textFormat) && isObj(textFormat.structure) && isObj(textFormat.structure.jsonSchema)) {
    try {
      JSON.parse(String(textFormat.structure.jsonSchema.schema));
    } catch {
      return validation('The JSON schema provided in outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON. Fix the schema and try again.');
    }
  }
  return undefined;
}

/**
 * Tool names Nova can emit reliably; others make generation fail with a ModelErrorException
 * ("Model produced invalid sequence as part of ToolUse…", an error users report for names with
 * hyphens). unverified: no recording of it.
 */
export function isNovaSafeToolName(name: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(name);
}
