/**
 * Converse response bodies and ConverseStream event lists: from a synthetic answer, and
 * converted into each other so a scripted step of either kind serves both operations.
 */
import { countTokens } from '../synthetic.js';
import type { SyntheticAnswer } from '../synthetic.js';

type Json = Record<string, unknown>;

/** A Converse response body as sent on the wire. */
export interface ConverseResponseBody {
  output: { message: { role: 'assistant'; content: Json[] } };
  stopReason: string;
  usage: Usage;
  metrics: { latencyMs: number };
  [k: string]: unknown;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  /** Duplicates of the two above, sent beside them (recorded; not in the service model). */
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
  /** Recorded as `{}` on every 2026 answer; not in the service model. */
  serverToolUsage?: Json;
}

/** One ConverseStreamOutput member: `{ messageStart: {...} }`, `{ contentBlockDelta: {...} }`… */
export type StreamEvent = Record<string, Json>;

export interface AnswerOptions {
  /** Reasoning text to put first (Nova 2 with reasoningConfig enabled). */
  reasoning?: string;
  /** Makes a toolUse ID; called once per tool call. */
  toolUseId: () => string;
  /** `toolUse.type` to set (Nova 2 beside system tools sends `tool_use`). */
  toolUseType?: string;
}

/** Content blocks and stop reason for a synthetic answer. */
export function answerContent(answer: SyntheticAnswer, opts: AnswerOptions): { content: Json[]; stopReason: string } {
  const content: Json[] = [];
  if (opts.reasoning) content.push({ reasoningContent: { reasoningText: { text: opts.reasoning } } });
  if (answer.kind === 'text') {
    content.push({ text: answer.text });
    return { content, stopReason: answer.stopReason };
  }
  for (const call of answer.calls) {
    content.push({ toolUse: { toolUseId: opts.toolUseId(), name: call.name, input: call.input, ...(opts.toolUseType ? { type: opts.toolUseType } : {}) } });
  }
  return { content, stopReason: 'tool_use' };
}

/** Output tokens of a list of content blocks. */
export function outputTokens(content: Json[]): number {
  let n = 0;
  for (const b of content) {
    if (typeof b.text === 'string') n += countTokens(b.text);
    const tu = b.toolUse as Json | undefined;
    if (tu) n += countTokens(`${String(tu.name)}${JSON.stringify(tu.input)}`);
    const rc = b.reasoningContent as { reasoningText?: { text?: string } } | undefined;
    if (rc?.reasoningText?.text) n += countTokens(rc.reasoningText.text);
  }
  return n;
}

/** Splits text into small pieces (about two words each) the way streamed deltas arrive. */
export function chunkText(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i += 2) out.push(pieces.slice(i, i + 2).join(''));
  return out.length > 0 ? out : [text];
}

function chunkJson(json: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; i += 12) out.push(json.slice(i, i + 12));
  return out.length > 0 ? out : ['{}'];
}

/** The event sequence ConverseStream sends for a Converse response. */
export function responseToEvents(res: ConverseResponseBody): StreamEvent[] {
  const events: StreamEvent[] = [{ messageStart: { role: 'assistant' } }];
  res.output.message.content.forEach((block, contentBlockIndex) => {
    if (typeof block.text === 'string') {
      // Text blocks have no contentBlockStart, as in the real service.
      for (const text of chunkText(block.text)) events.push({ contentBlockDelta: { contentBlockIndex, delta: { text } } });
    } else if (block.toolUse) {
      const tu = block.toolUse as Json;
      const start: Json = { toolUseId: tu.toolUseId, name: tu.name };
      if (tu.type !== undefined) start.type = tu.type;
      events.push({ contentBlockStart: { contentBlockIndex, start: { toolUse: start } } });
      for (const input of chunkJson(JSON.stringify(tu.input ?? {}))) {
        events.push({ contentBlockDelta: { contentBlockIndex, delta: { toolUse: { input } } } });
      }
    } else if (block.reasoningContent) {
      const text = (block.reasoningContent as { reasoningText?: { text?: string; signature?: string } }).reasoningText;
      for (const piece of chunkText(text?.text ?? '')) {
        events.push({ contentBlockDelta: { contentBlockIndex, delta: { reasoningContent: { text: piece } } } });
      }
      if (text?.signature) events.push({ contentBlockDelta: { contentBlockIndex, delta: { reasoningContent: { signature: text.signature } } } });
    } else {
      return;
    }
    events.push({ contentBlockStop: { contentBlockIndex } });
  });
  const stop: Json = { stopReason: res.stopReason };
  if (res.additionalModelResponseFields !== undefined) stop.additionalModelResponseFields = res.additionalModelResponseFields;
  events.push({ messageStop: stop });
  events.push({ metadata: { usage: res.usage, metrics: { latencyMs: res.metrics.latencyMs } } });
  return events;
}

/** Reassembles a Converse response from stream events (for scripted event steps sent to Converse). */
export function eventsToResponse(events: StreamEvent[]): ConverseResponseBody {
  const blocks = new Map<number, Json & { _json?: string }>();
  let stopReason = 'end_turn';
  let usage: Usage | undefined;
  let latencyMs = 0;
  for (const ev of events) {
    const start = ev.contentBlockStart as { contentBlockIndex: number; start: { toolUse?: Json } } | undefined;
    if (start?.start.toolUse) blocks.set(start.contentBlockIndex, { toolUse: { ...start.start.toolUse }, _json: '' });
    const delta = ev.contentBlockDelta as { contentBlockIndex: number; delta: Json } | undefined;
    if (delta) {
      const b = blocks.get(delta.contentBlockIndex) ?? {};
      if (typeof delta.delta.text === 'string') b.text = `${typeof b.text === 'string' ? b.text : ''}${delta.delta.text}`;
      const tu = delta.delta.toolUse as { input?: string } | undefined;
      if (tu?.input !== undefined) b._json = `${b._json ?? ''}${tu.input}`;
      const rc = delta.delta.reasoningContent as { text?: string } | undefined;
      if (rc?.text !== undefined) {
        const prev = (b.reasoningContent as { reasoningText: { text: string } } | undefined)?.reasoningText.text ?? '';
        b.reasoningContent = { reasoningText: { text: prev + rc.text } };
      }
      blocks.set(delta.contentBlockIndex, b);
    }
    if (ev.messageStop) stopReason = String(ev.messageStop.stopReason);
    if (ev.metadata) {
      usage = ev.metadata.usage as Usage;
      latencyMs = Number((ev.metadata.metrics as Json | undefined)?.latencyMs ?? 0);
    }
  }
  const content = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => {
    const { _json, ...block } = b;
    if (block.toolUse && _json !== undefined) (block.toolUse as Json).input = _json ? JSON.parse(_json) : {};
    return block;
  });
  usage ??= { inputTokens: 1, outputTokens: outputTokens(content), totalTokens: 1 + outputTokens(content) };
  return { output: { message: { role: 'assistant', content } }, stopReason, usage, metrics: { latencyMs } };
}
