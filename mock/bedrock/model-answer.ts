/**
 * The fake's unscripted Nova answer to a valid Converse request: the synthetic model's decision
 * (mock/synthetic.ts), dressed the way the recorded service answers. Evidence is under
 * test/recorded/data/bedrock/ ([pyd] = pydantic/pydantic-ai/tests/…, [oi] = Arize-ai/…/recordings/,
 * [vai] = vercel/ai/…/__fixtures__/):
 * - Nova 1 with tools and toolChoice auto writes a `<thinking> … </thinking>\n` text block before a
 *   tool call ([pyd] test_bedrock_model_retry.yaml, test_bedrock_model_iter_stream.yaml, [oi]
 *   should-handle-amazon-nova-models.json); with toolChoice any/tool it called tools without one
 *   (test_bedrock_model_structured_output.yaml, test_cache/…preserves_cache[nova].yaml). Final
 *   answers after a tool result had one in 2 of 5 recordings; the fake leaves them plain.
 * - Nova 1 with toolChoice any, right after a tool result, answered in `<thinking>` text with
 *   end_turn instead of calling a tool ([pyd] test_bedrock_model_structured_output.yaml, interaction 2).
 *   One recording; the fake does it every time, so clients of `any` meet it in tests.
 * - A stop sequence ends the text *with* the stop string and stopReason end_turn
 *   ([pyd] test_settings/test_stop_settings[bedrock].yaml); `stop_sequence` was never recorded.
 * - Nova 2 reasoning comes back as `[REDACTED].`, billed in outputTokens (high effort: 2980 tokens
 *   for "ok", [vai] amazon-bedrock-nova-2-high-reasoning-success.json; documented: Amazon Nova 2 User
 *   Guide, reasoning capabilities). The token counts per effort here are synthetic.
 * - toolUse blocks carry `type: "tool_use"` on Nova 2 when the request offers system tools ([pyd]
 *   test_bedrock_model_with_code_execution_tool.yaml; the fake does not run the system tool itself),
 *   and no `type` otherwise (test_multimodal_tool_return_matrix[…].yaml, every Nova 1 recording).
 * - toolUseId: `tooluse_` + 22 URL-safe base64 characters (every Converse recording with tools).
 * - usage carries `serverToolUsage: {}` (every 2026 recording) and the cache fields of
 *   prompt-cache.ts; `performanceConfig` is echoed when sent ([pyd] test_bedrock_model_performance_config.yaml).
 */
import type { ConverseBody } from './converse-adapter.js';
import { countInputTokens, toSyntheticRequest } from './converse-adapter.js';
import type { NovaCapabilities } from './nova-rules.js';
import { isNovaSafeToolName } from './nova-rules.js';
import type { PromptCache } from './prompt-cache.js';
import { answerContent, outputTokens } from './respond.js';
import type { ConverseResponseBody, Usage } from './respond.js';
import { synthesize } from '../synthetic.js';
import type { SyntheticAnswer, SyntheticRequest } from '../synthetic.js';
import { keywords, listPhrase } from '../synthetic/words.js';

export const REDACTED_REASONING = '[REDACTED].';
const TOOL_SEQUENCE_ERROR = 'Model produced invalid sequence as part of ToolUse. Please refer to the model tool use troubleshooting guide.';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Reasoning tokens billed per effort (synthetic; only "high ≈ 3000 for a one-word answer" is recorded). */
const REASONING_TOKENS: Record<string, number> = { low: 180, medium: 900, high: 2900 };

/** Deterministic `tooluse_…` ids, unique per fake (the sequence number seeds them). */
export function toolUseId(seq: number): string {
  let h = 0x811c9dc5 ^ seq;
  let id = '';
  for (let i = 0; i < 22; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (i + seq);
    id += BASE64URL[(h >>> 0) % 64];
  }
  return `tooluse_${id}`;
}

export interface AnswerInput {
  caps: NovaCapabilities;
  body: ConverseBody;
  /** A scripted decision instead of the synthetic model's. */
  scripted?: SyntheticAnswer;
  nextToolUseId: () => string;
  cache: PromptCache;
  latencyMs: number;
}

function thinking(req: SyntheticRequest, answer: SyntheticAnswer): string {
  const topic = listPhrase(keywords(req.lastUserText, 3)) || 'the request';
  const plan = answer.kind === 'tool_calls'
    ? `I will use the ${answer.calls.map((c) => c.name).join(' and ')} tool to answer.`
    : 'The tool has returned its result, so I can now answer the User.';
  return `<thinking> The User asks about ${topic}. ${plan} </thinking>\n`;
}

export function novaAnswer(input: AnswerInput): { response: ConverseResponseBody } | { modelError: string } {
  const { caps, body } = input;
  const req = toSyntheticRequest(body);
  let answer = input.scripted ?? synthesize(req, 'nova');
  const nova1WithTools = caps.generation === 1 && req.tools.length > 0;
  if (!input.scripted && nova1WithTools && req.toolChoice === 'any' && req.lastMessageIsToolResult) {
    answer = synthesize({ ...req, toolChoice: 'auto' }, 'nova');
  }
  if (answer.kind === 'tool_calls' && answer.calls.some((c) => !isNovaSafeToolName(c.name))) return { modelError: TOOL_SEQUENCE_ERROR };
  if (answer.kind === 'text' && answer.stopReason === 'stop_sequence') answer = { ...answer, stopReason: 'end_turn' };

  const preamble = nova1WithTools && (req.toolChoice === 'auto' ? answer.kind === 'tool_calls' : req.toolChoice === 'any' && answer.kind === 'text');
  const rc = (body.additionalModelRequestFields as { reasoningConfig?: { type?: string; maxReasoningEffort?: string } } | undefined)?.reasoningConfig;
  const reasoning = caps.reasoning && rc?.type === 'enabled';
  const systemTools = (body.toolConfig?.tools ?? []).some((t) => (t as { systemTool?: unknown }).systemTool !== undefined);
  const built = answerContent(answer, {
    toolUseId: input.nextToolUseId,
    ...(reasoning ? { reasoning: REDACTED_REASONING } : {}),
    ...(caps.generation === 2 && systemTools ? { toolUseType: 'tool_use' } : {}),
  });
  const content = built.content;
  if (preamble) {
    const at = reasoning ? 1 : 0;
    const first = content[at];
    if (first && typeof first.text === 'string') first.text = `${thinking(req, answer)}${first.text}`;
    else content.splice(at, 0, { text: thinking(req, answer) });
  }

  const counted = countInputTokens(body);
  const cached = input.cache.account(counted.total, counted.checkpoints);
  let output = outputTokens(content);
  if (reasoning) output += REASONING_TOKENS[rc?.maxReasoningEffort ?? 'low'] ?? REASONING_TOKENS.low!;
  const usage: Usage = {
    ...cached,
    outputTokens: output,
    serverToolUsage: {},
    totalTokens: cached.inputTokens + output + (cached.cacheReadInputTokens ?? 0) + (cached.cacheWriteInputTokens ?? 0),
  };
  const response: ConverseResponseBody = {
    output: { message: { role: 'assistant', content } },
    stopReason: built.stopReason,
    usage,
    metrics: { latencyMs: input.latencyMs },
  };
  if (body.performanceConfig) response.performanceConfig = body.performanceConfig;
  return { response };
}
