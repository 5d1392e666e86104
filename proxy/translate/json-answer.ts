/**
 * JSON-output emulation (`response_format` on models served through a forced `json_response` tool)
 * when the model answers in text instead of calling the tool.
 *
 * That happens: with client tools and `toolChoice: any`, right after a tool result, Nova Micro
 * answered in `<thinking>` text with end_turn (recorded:
 * test/recorded/data/bedrock/pydantic/pydantic-ai/tests/models/cassettes/test_bedrock/
 * test_bedrock_model_structured_output.yaml, interaction 2). Returning that text as a 200 would
 * break the client's JSON contract. So:
 * 1. text that is itself a JSON object (optionally in a ```json fence) is taken as the answer;
 * 2. otherwise the generation is retried once with the JSON tool forced and a stricter instruction
 *    (`strictJsonInput`); the client sees only the retry's answer, with the usage of both calls;
 * 3. if the retry answers in text too, the client gets a 502 `json_answer_missing`, never a 200.
 */
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { OpenAIHttpError } from '../errors.js';

export const JSON_ANSWER_MISSING = 'json_answer_missing';

/** The JSON text of an answer given as plain text, if it is one JSON object; else undefined. */
export function salvageJson(text: string): string | undefined {
  let t = text.trim();
  const fence = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(t);
  if (fence) t = fence[1]!.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? t : undefined;
  } catch {
    return undefined;
  }
}

export function jsonAnswerMissing(stopReason: string | undefined): OpenAIHttpError {
  return new OpenAIHttpError(
    502,
    `Bedrock: the model answered in text instead of the JSON that response_format asks for (stopReason ${stopReason ?? 'unknown'}), ` +
      'also when asked again with the JSON tool forced. Retrying the request may help.',
    { code: JSON_ANSWER_MISSING },
  );
}

export function isJsonAnswerMissing(err: unknown): boolean {
  return err instanceof OpenAIHttpError && err.code === JSON_ANSWER_MISSING;
}

/** The retry: same conversation and tools, the JSON tool forced, and an instruction that says so. */
export function strictJsonInput(input: ConverseCommandInput, jsonTool: string): ConverseCommandInput {
  const tools = input.toolConfig?.tools ?? [];
  return {
    ...input,
    system: [
      ...(input.system ?? []),
      { text: `Give your final answer now by calling the ${jsonTool} tool with the answer as its input. Do not answer in plain text.` },
    ],
    toolConfig: { ...input.toolConfig, tools, toolChoice: { tool: { name: jsonTool } } },
  };
}
