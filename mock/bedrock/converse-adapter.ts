/**
 * Converse request → SyntheticRequest (what the synthetic model decides from), plus the
 * input-token count the fake reports in `usage`.
 */
import { createHash } from 'node:crypto';
import type { ContentBlock, ConverseCommandInput, Message, SystemContentBlock, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { countTokens } from '../synthetic.js';
import type { JsonSchema, SyntheticRequest } from '../synthetic.js';

/** The JSON body of a Converse/ConverseStream request (blobs are base64 strings on the wire). */
export type ConverseBody = Omit<ConverseCommandInput, 'modelId'>;

/** Rough token cost of an image, whatever its size. */
const IMAGE_TOKENS = 800;

function systemText(system: SystemContentBlock[] | undefined): string {
  return (system ?? []).flatMap((b) => (typeof b.text === 'string' ? [b.text] : [])).join('\n');
}

function blockText(block: ContentBlock): string {
  return typeof block.text === 'string' ? block.text : '';
}

function toolResultText(content: ToolResultContentBlock[] | undefined): string {
  return (content ?? [])
    .map((c) => (typeof c.text === 'string' ? c.text : c.json !== undefined ? JSON.stringify(c.json) : ''))
    .filter(Boolean)
    .join('\n');
}

function lastUserText(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    const text = (m.content ?? []).map(blockText).filter(Boolean).join('\n');
    if (text) return text;
  }
  return '';
}

export function toSyntheticRequest(body: ConverseBody): SyntheticRequest {
  const messages = body.messages ?? [];
  const last = messages[messages.length - 1];
  const lastResults = (last?.role === 'user' ? last.content ?? [] : []).filter((b) => b.toolResult !== undefined);
  const lastResult = lastResults[lastResults.length - 1]?.toolResult;
  const tools = (body.toolConfig?.tools ?? []).flatMap((t) =>
    t.toolSpec?.name ? [{ name: t.toolSpec.name, schema: (t.toolSpec.inputSchema?.json ?? { type: 'object' }) as JsonSchema }] : [],
  );
  const choice = body.toolConfig?.toolChoice;
  const toolChoice: SyntheticRequest['toolChoice'] = tools.length === 0
    ? 'none'
    : choice?.tool?.name ? { name: choice.tool.name } : choice?.any ? 'any' : 'auto';
  const req: SyntheticRequest = {
    system: systemText(body.system),
    lastUserText: lastUserText(messages),
    hasImage: messages.some((m) => (m.content ?? []).some((b) => b.image !== undefined)),
    tools,
    toolChoice,
    lastMessageIsToolResult: lastResults.length > 0,
  };
  if (lastResult) req.toolResultText = toolResultText(lastResult.content);
  const format = body.outputConfig?.textFormat;
  const schemaText = format?.structure?.jsonSchema?.schema;
  if (format?.type === 'json_schema' && typeof schemaText === 'string') {
    try {
      req.jsonSchema = JSON.parse(schemaText) as JsonSchema;
    } catch {
      // validation rejects unparsable schemas before we get here
    }
  }
  const inf = body.inferenceConfig;
  if (typeof inf?.maxTokens === 'number') req.maxTokens = inf.maxTokens;
  if (inf?.stopSequences?.length) req.stop = inf.stopSequences;
  return req;
}

function contentTokens(content: ContentBlock[] | undefined): number {
  let n = 0;
  for (const b of content ?? []) {
    if (typeof b.text === 'string') n += countTokens(b.text);
    else if (b.image) n += IMAGE_TOKENS;
    else if (b.toolUse) n += countTokens(`${b.toolUse.name}${JSON.stringify(b.toolUse.input ?? {})}`);
    else if (b.toolResult) n += countTokens(toolResultText(b.toolResult.content) || ' ');
    else if (b.reasoningContent?.reasoningText?.text) n += countTokens(b.reasoningContent.reasoningText.text);
  }
  return n;
}

export interface CacheCheckpoint {
  /** Identifies everything before the checkpoint (tools and tool choice included). */
  key: string;
  /** Input tokens before the checkpoint. */
  tokens: number;
}

export interface InputTokenCount {
  total: number;
  /** One entry per cachePoint, in prompt order. */
  checkpoints: CacheCheckpoint[];
}

/**
 * Input tokens: tool specifications, system and messages. Cheap: text lengths only. The prompt
 * is read in the order the model sees it — tools (with the tool choice) first, then system, then
 * messages — so a checkpoint's prefix covers the tools: recorded, the same system + cachePoint
 * wrote and read a prefix that changed with toolChoice ([pyd] test_cache/
 * test_bedrock_single_tool_choice_preserves_cache[nova].yaml, test/recorded/data/bedrock/).
 */
export function countInputTokens(body: ConverseBody): InputTokenCount {
  let total = 0;
  const checkpoints: CacheCheckpoint[] = [];
  const prefix = createHash('sha256');
  const mark = (): void => {
    checkpoints.push({ key: prefix.copy().digest('base64url'), tokens: total });
  };
  const tools = body.toolConfig?.tools ?? [];
  for (const t of tools) {
    if (t.toolSpec) total += countTokens(JSON.stringify(t.toolSpec));
  }
  if (tools.length > 0) prefix.update(JSON.stringify(body.toolConfig));
  for (const b of body.system ?? []) {
    if (b.cachePoint) mark();
    if (typeof b.text === 'string') {
      total += countTokens(b.text);
      prefix.update(`\u0000system:${b.text}`);
    }
  }
  for (const m of body.messages ?? []) {
    for (const b of m.content ?? []) {
      if (b.cachePoint) {
        mark();
        continue;
      }
      const n = contentTokens([b]);
      total += n;
      prefix.update(`\u0000${m.role}:${typeof b.text === 'string' ? b.text : JSON.stringify(b)}`);
    }
  }
  return { total: Math.max(1, total), checkpoints };
}
