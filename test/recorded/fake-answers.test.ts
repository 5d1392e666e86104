/**
 * The fake's own answers to the recorded requests, compared with what the live service answered.
 * The synthetic model words things its own way, so the comparison is structural: stop reason,
 * the kinds of content blocks in order (redacted reasoning, `<thinking>` preamble, text, tool use),
 * tool-use ids and `type`, which usage members appear, the stream's event order and padding, and
 * echoed fields. Differences the fake does not model are listed with the reason, never skipped
 * silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../../mock/fake-bedrock.js';
import { decodeFrames } from '../../mock/bedrock/event-stream.js';
import { eventsFromBytes, loadRecordings, shortName, type Recording } from './load.js';

type Json = Record<string, unknown>;

/** Recorded answers whose structure the fake does not reproduce, and why. */
const NOT_MODELLED: Record<string, string> = {
  'test_bedrock_model_with_code_execution_tool.yaml#0': 'Nova 2 system tools (nova_code_interpreter) are not run by the fake: no server_tool_use / toolResult blocks',
  'test_bedrock_model_with_code_execution_tool.yaml#1': 'same: system tools are not run',
  'test_bedrock_model_code_execution_tool_stream.yaml#0': 'same: system tools are not run',
  'test_bedrock_model_guardrail_config.yaml#0': 'guardrails are not evaluated: no trace.guardrail in the answer',
  'should-handle-amazon-nova-models-with-streaming.json#0': 'answer length: the synthetic answer fits in maxTokens 100, the real one was cut (max_tokens)',
  'test_bedrock_model_iter_stream.yaml#0': 'tool choice: the synthetic model calls every tool the question names (get_capital and get_temperature); the real one called one',
  'test_bedrock_model_structured_output.yaml#2': 'tool choice: after a user correction the real model called final_result, the synthetic one scores tool names against the text',
  'test_bedrock_model_retry.yaml#1': 'a <thinking> preamble on a final answer after a tool result (2 of 5 recordings); the fake answers plainly',
  'test_bedrock_nova_tool_result_followed_by_document_accepted.yaml#0': 'same: a <thinking> preamble on a final answer after a tool result',
};

function blockKinds(content: Json[]): string[] {
  return content.map((b) => {
    if (b.reasoningContent) return 'reasoning';
    if (b.toolUse) return `toolUse:${String((b.toolUse as Json).name)}`;
    if (b.toolResult) return 'toolResult';
    if (typeof b.text === 'string') {
      const m = /^\s*<thinking>[\s\S]*?<\/thinking>\s*([\s\S]*)$/.exec(b.text);
      if (!m) return 'text';
      return m[1] === '' ? 'thinking' : 'thinking+text';
    }
    return Object.keys(b).join('+');
  });
}

/** Event types in order, runs of deltas to the same block collapsed into one. */
function eventShape(events: Json[]): string[] {
  const out: string[] = [];
  for (const ev of events) {
    const [type, payload] = Object.entries(ev)[0] as [string, Json];
    const label = type === 'contentBlockDelta' || type === 'contentBlockStart' || type === 'contentBlockStop'
      ? `${type}[${String(payload.contentBlockIndex)}]`
      : type;
    if (out[out.length - 1] !== label || type !== 'contentBlockDelta') out.push(label);
  }
  return out;
}

function responseFromEvents(events: Json[]): { content: Json[]; stopReason: string; usage: Json } {
  const blocks = new Map<number, Json>();
  let stopReason = '';
  let usage: Json = {};
  for (const ev of events) {
    const start = ev.contentBlockStart as { contentBlockIndex: number; start: Json } | undefined;
    if (start) blocks.set(start.contentBlockIndex, { ...start.start });
    const delta = ev.contentBlockDelta as { contentBlockIndex: number; delta: Json } | undefined;
    if (delta) {
      const b = blocks.get(delta.contentBlockIndex) ?? {};
      if (typeof delta.delta.text === 'string') b.text = `${String(b.text ?? '')}${delta.delta.text}`;
      if (delta.delta.reasoningContent) b.reasoningContent = true;
      blocks.set(delta.contentBlockIndex, b);
    }
    if (ev.messageStop) stopReason = String((ev.messageStop as Json).stopReason);
    if (ev.metadata) usage = (ev.metadata as Json).usage as Json;
  }
  return { content: [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b), stopReason, usage };
}

interface Answer {
  content: Json[];
  stopReason: string;
  usage: Json;
  extra: Json;
  events?: Json[];
}

function answerOf(r: Recording): Answer {
  if (r.response.events) return { ...responseFromEvents(r.response.events as Json[]), extra: {}, events: r.response.events as Json[] };
  const body = r.response.json as Json;
  const { output, stopReason, usage, metrics: _m, ...extra } = body;
  return { content: ((output as Json).message as Json).content as Json[], stopReason: String(stopReason), usage: usage as Json, extra };
}

const recordings = loadRecordings().filter((r) => r.body !== undefined && r.response.status === 200 && (r.operation === 'Converse' || r.operation === 'ConverseStream'));

let fake: FakeBedrock;
const fakeAnswers = new Map<string, Answer & { frames?: { body: Json }[] }>();

async function post(r: Recording): Promise<Answer & { frames?: { body: Json }[] }> {
  const op = r.operation === 'Converse' ? 'converse' : 'converse-stream';
  const res = await fetch(`${fake.url}/model/${encodeURIComponent(r.modelId)}/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer recorded-replay' },
    body: r.body!,
  });
  expect(res.status, shortName(r)).toBe(200);
  if (op === 'converse') {
    const body = (await res.json()) as Json;
    const { output, stopReason, usage, metrics: _m, ...extra } = body;
    return { content: ((output as Json).message as Json).content as Json[], stopReason: String(stopReason), usage: usage as Json, extra };
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const events = eventsFromBytes(bytes) as Json[];
  return { ...responseFromEvents(events), extra: {}, events, frames: decodeFrames(bytes) as { body: Json }[] };
}

beforeAll(async () => {
  fake = await startFakeBedrock();
  let file = '';
  for (const r of recordings) {
    if (r.file !== file) fake.reset();
    file = r.file;
    fakeAnswers.set(r.id, await post(r));
  }
});
afterAll(async () => {
  await fake.close();
});

const compared = recordings.filter((r) => !NOT_MODELLED[shortName(r)]);

describe("the fake's answers to the recorded requests have the recorded structure", () => {
  it('lists every recorded answer it does not model, with the reason', () => {
    const names = new Set(recordings.map(shortName));
    for (const name of Object.keys(NOT_MODELLED)) expect(names.has(name), name).toBe(true);
    expect(compared.length + Object.keys(NOT_MODELLED).length).toBe(recordings.length);
  });

  it.each(compared.map((r) => [shortName(r), r] as const))('%s', (_name, r) => {
    const real = answerOf(r);
    const got = fakeAnswers.get(r.id)!;
    expect({ stopReason: got.stopReason, blocks: blockKinds(got.content) }).toEqual({ stopReason: real.stopReason, blocks: blockKinds(real.content) });

    for (const [i, block] of got.content.entries()) {
      const tu = block.toolUse as Json | undefined;
      if (!tu) continue;
      if (r.operation === 'Converse') expect(tu.toolUseId).toMatch(/^tooluse_[A-Za-z0-9_-]{22}$/);
      expect(tu.type, `block ${i} type`).toBe((real.content[i]?.toolUse as Json | undefined)?.type);
    }

    // Cache members appear exactly when the live service sent them; serverToolUsage is on every
    // recent answer (older recordings predate it, so only its presence when recorded is checked).
    const cacheKeys = (u: Json) => Object.keys(u).filter((k) => k.startsWith('cache')).sort();
    expect(cacheKeys(got.usage)).toEqual(cacheKeys(real.usage));
    if ('serverToolUsage' in real.usage) expect(got.usage.serverToolUsage).toEqual(real.usage.serverToolUsage);
    expect(got.usage.totalTokens).toBe(
      ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens'].reduce((s, k) => s + (Number(got.usage[k]) || 0), 0),
    );
    expect(Object.keys(got.extra).sort()).toEqual(Object.keys(real.extra).sort());

    if (real.events) {
      expect(eventShape(got.events!)).toEqual(eventShape(real.events));
      // Every frame is padded, as every recorded frame is.
      if (r.response.bytes) for (const f of got.frames!) expect(typeof f.body.p).toBe('string');
    }
  });
});

describe('Nova 2 beside system tools', () => {
  it('marks client tool calls type "tool_use", as recorded (the system tool itself is not run)', () => {
    const r = recordings.find((x) => x.id.endsWith('test_bedrock_model_with_code_execution_tool.yaml#0'))!;
    const toolUses = fakeAnswers.get(r.id)!.content.flatMap((b) => (b.toolUse ? [b.toolUse as Json] : []));
    expect(toolUses.map((t) => [t.name, t.type])).toEqual([['final_result', 'tool_use']]);
  });
});

describe('recorded cache accounting', () => {
  it('writes up to the last cachePoint: only the text after it is uncached', () => {
    const r = recordings.find((x) => x.file.includes('cache_point_adds_cache_control'))!;
    const got = fakeAnswers.get(r.id)!.usage as Record<string, number>;
    const real = (r.response.json as { usage: Record<string, number> }).usage;
    // Recorded: write 1298, input 10 (the text after the second point). The fake counts ≈4 chars
    // a token, so compare the split, not the numbers.
    expect(real.cacheWriteInputTokens! / (real.cacheWriteInputTokens! + real.inputTokens!)).toBeGreaterThan(0.98);
    expect(got.cacheWriteInputTokens! / (got.cacheWriteInputTokens! + got.inputTokens!)).toBeGreaterThan(0.98);
    expect(got.cacheReadInputTokens).toBe(0);
  });

  it('keys the prefix on tools and toolChoice: tool, auto, tool, auto → write, write, read, read', () => {
    const calls = recordings.filter((x) => x.file.includes('preserves_cache'));
    expect(calls).toHaveLength(4);
    const pattern = (u: Record<string, number>) => [u.cacheWriteInputTokens! > 0 ? 'write' : '-', u.cacheReadInputTokens! > 0 ? 'read' : '-'];
    const real = calls.map((c) => pattern((c.response.json as { usage: Record<string, number> }).usage));
    const got = calls.map((c) => pattern(fakeAnswers.get(c.id)!.usage as Record<string, number>));
    expect(real).toEqual([['write', '-'], ['write', '-'], ['-', 'read'], ['-', 'read']]);
    expect(got).toEqual(real);
  });
});
