/**
 * OpenAI Chat Completions request → Converse input plus the state the response side
 * needs. Validates every field it reads (400s name the parameter path); the only I/O is
 * `ctx.loadImage` for http(s) images, all fetched concurrently.
 *
 * response_format emulation (models with `structuredOutput: 'tool'`):
 * - no client tools (or tool_choice none): a `json_response` tool is the only tool and is
 *   forced (`toolChoice.tool`); its input becomes `message.content`.
 * - client tools with tool_choice auto: the json tool is added to them and `toolChoice`
 *   is `any`, so the model either calls a client tool or answers through the json tool;
 *   a one-line system instruction says so.
 * - client tools with tool_choice required / a named function: the answer is a tool call,
 *   so no json tool is added and `response_format` is listed as ignored.
 */
import type { SystemContentBlock, Tool, ToolChoice, ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import { invalidParam } from '../errors.js';
import type { ChatCompletionCreateParams, PreparedConverse, TranslateContext, TranslationState } from './types.js';
import { convertMessages } from './convert-messages.js';
import { planInference } from './inference-config.js';
import { clientToolNames, converseToolChoice, parseTools, toolSpec } from './prepare-tools.js';
import { checkRequestParams } from './request-params.js';
import { JSON_TOOL_NAME, planResponseFormat } from './response-format.js';
import { createToolNameMapper } from './tool-names.js';
import { isObj } from './validate.js';
import type { AbortSignalLike } from '../abort-signal.js';

const NO_RENAMES: ReadonlyMap<string, string> = new Map();

export async function prepareConverse(body: ChatCompletionCreateParams, ctx: TranslateContext): Promise<PreparedConverse> {
  const b: unknown = body;
  if (!isObj(b)) throw invalidParam(null, 'the request body must be a JSON object');

  const params = checkRequestParams(b);
  const inference = planInference(b, ctx.model);
  const parsed = parseTools(b);
  const format = planResponseFormat(b.response_format, ctx.model);
  const names = createToolNameMapper(clientToolNames(b));
  const ignored = [...params.ignored, ...inference.ignored];

  const tools: Tool[] = parsed.tools.map((t) => toolSpec(t, names.safe(t.name)));
  const choiceGiven = b.tool_choice != null || b.function_call != null;
  let toolChoice: ToolChoice | undefined = choiceGiven ? converseToolChoice(parsed.choice, names) : undefined;
  let jsonTool: string | undefined;
  const extraSystem: SystemContentBlock[] = [];
  if (format.kind === 'tool') {
    const spec = (name: string): Tool => ({ toolSpec: { name, description: format.description, inputSchema: { json: format.schema as ToolInputSchema.JsonMember['json'] } } });
    if (tools.length === 0) {
      jsonTool = names.reserve(JSON_TOOL_NAME);
      tools.push(spec(jsonTool));
      toolChoice = { tool: { name: jsonTool } };
    } else if (parsed.choice.kind === 'auto') {
      jsonTool = names.reserve(JSON_TOOL_NAME);
      tools.push(spec(jsonTool));
      toolChoice = { any: {} };
      extraSystem.push({ text: `Use the other tools as needed; give your final answer only by calling the ${jsonTool} tool, never as plain text.` });
    } else {
      ignored.push('response_format');
    }
  }

  const converted = convertMessages(b.messages, { ctx, names, nativeTools: new Set(parsed.tools.map((t) => t.name)) });
  // Everything is validated by now: start all image fetches at once.
  if (converted.fetches.length) await fetchImages(converted.fetches, ctx.signal);

  const system = extraSystem.length ? [...converted.system, ...extraSystem] : converted.system;
  const additional = inference.additional;
  // Fields set in this order (it is the wire body's), only when present; no spread temporaries.
  const input: PreparedConverse['input'] = { modelId: ctx.bedrockModelId, messages: converted.messages };
  if (system.length) input.system = system;
  if (inference.inferenceConfig) input.inferenceConfig = inference.inferenceConfig;
  if (tools.length) input.toolConfig = toolChoice ? { tools, toolChoice } : { tools };
  if (Object.keys(additional).length) input.additionalModelRequestFields = additional as ToolInputSchema.JsonMember['json'];
  if (format.kind === 'native') input.outputConfig = format.outputConfig;
  const state: TranslationState = {
    // Most requests rename nothing: share one empty map rather than keep one per request (and per open stream).
    toolNames: names.renames ?? NO_RENAMES,
    ...(jsonTool ? { jsonTool } : {}),
    stopSequences: inference.stopSequences,
    parallelToolCalls: params.parallelToolCalls,
    includeUsage: params.includeUsage,
    ignoredParams: ignored,
    adjustedParams: inference.adjusted,
    ...(ctx.keepThinking ? { keepThinking: true } : {}),
  };
  return { input, state };
}

/** Converse takes at most 20 images per request; refusing more up front also bounds fetch work. */
export const MAX_REMOTE_IMAGES = 20;

/** Runs the fetches together; the first failure (or the request's own abort) cancels the rest. */
async function fetchImages(fetches: Array<(signal: AbortSignal) => Promise<void>>, requestSignal: AbortSignalLike | undefined): Promise<void> {
  if (fetches.length > MAX_REMOTE_IMAGES) {
    throw invalidParam('messages', `at most ${MAX_REMOTE_IMAGES} image URLs per request (got ${fetches.length})`);
  }
  const batch = new AbortController();
  const cancel = () => batch.abort();
  requestSignal?.addEventListener('abort', cancel, { once: true });
  try {
    await Promise.all(
      fetches.map((f) =>
        f(batch.signal).catch((err: unknown) => {
          batch.abort();
          throw err;
        }),
      ),
    );
  } finally {
    requestSignal?.removeEventListener('abort', cancel);
  }
}
