/**
 * Where the judge runs: OpenAI (chat completions with a strict JSON schema, through the
 * `openai` SDK) or Nova on Bedrock (Converse with a forced tool whose input schema is the
 * verdict, through the proxy's Bedrock transport: the AWS SDK client — BedrockRuntimeClient +
 * ConverseCommand — with the team's default credential chain). Both return the
 * verdict as JSON text plus the usage and latency of the call.
 */
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import type OpenAI from 'openai';
import { JUDGE_SCHEMA, JUDGE_SYSTEM_PROMPT } from './prompt.js';

export interface JudgeAnswer {
  text: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface JudgeBackend {
  provider: 'openai' | 'nova';
  /** Model ID as billed (a Bedrock ID with its inference-profile prefix for Nova). */
  model: string;
  /** Stable identity of the endpoint for cache keys (never an ephemeral port). */
  cacheId: string;
  /** The request as sent, for the cache key and the reports. */
  request(user: string): unknown;
  ask(user: string, signal: AbortSignal): Promise<JudgeAnswer>;
}

export function openAIJudge(client: OpenAI, model: string, cacheId: string): JudgeBackend {
  const request = (user: string) => ({
    model,
    temperature: 0,
    messages: [
      { role: 'system' as const, content: JUDGE_SYSTEM_PROMPT },
      { role: 'user' as const, content: user },
    ],
    response_format: { type: 'json_schema' as const, json_schema: { name: 'judgement', strict: true, schema: JUDGE_SCHEMA as unknown as Record<string, unknown> } },
  });
  return {
    provider: 'openai',
    model,
    cacheId,
    request,
    async ask(user, signal) {
      const r = await client.chat.completions.create({ ...request(user), stream: false }, { signal });
      const u = r.usage;
      return { text: r.choices[0]?.message?.content ?? '', ...(u ? { usage: { inputTokens: u.prompt_tokens ?? 0, outputTokens: u.completion_tokens ?? 0 } } : {}) };
    },
  };
}

export const NOVA_JUDGE_TOOL = 'record_judgement';

export function novaJudge(transport: Pick<BedrockTransport, 'converse'>, modelId: string, cacheId: string): JudgeBackend {
  const request = (user: string): ConverseCommandInput => ({
    modelId,
    system: [{ text: JUDGE_SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: [{ text: user }] }],
    inferenceConfig: { temperature: 0, maxTokens: 2000 },
    // Greedy decoding: Nova's documented setting for deterministic tool calls.
    additionalModelRequestFields: { inferenceConfig: { topK: 1 } },
    toolConfig: {
      tools: [{ toolSpec: { name: NOVA_JUDGE_TOOL, description: 'Record the verdict on the CANDIDATE answer.', inputSchema: { json: JUDGE_SCHEMA as never } } }],
      toolChoice: { tool: { name: NOVA_JUDGE_TOOL } },
    },
  });
  return {
    provider: 'nova',
    model: modelId,
    cacheId,
    request,
    async ask(user, signal) {
      const r = await transport.converse(request(user), { signal });
      const content = r.output?.message?.content ?? [];
      const tool = content.find((b) => b.toolUse?.name === NOVA_JUDGE_TOOL)?.toolUse;
      const text = tool ? JSON.stringify(tool.input ?? {}) : content.map((b) => b.text ?? '').join('');
      const u = r.usage;
      return { text, ...(u ? { usage: { inputTokens: u.inputTokens ?? 0, outputTokens: u.outputTokens ?? 0 } } : {}) };
    },
  };
}
