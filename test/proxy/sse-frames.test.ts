/**
 * The SSE framer's template path must write exactly what JSON.stringify writes, for every
 * chunk the stream translator produces (text, unicode, reasoning, tool calls, JSON
 * emulation, finish and usage chunks) and for chunk shapes it does not recognise.
 */
import { describe, expect, it } from 'vitest';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { chunkFramer, sseFrame } from '../../proxy/sse.js';
import { createStreamTranslator } from '../../proxy/translate/stream-translator.js';
import type { TranslationState } from '../../proxy/translate/types.js';

const TEXTS = ['Hello', ' wörld ✓', '"quoted" \\ back\nslash', '\u0000\u001f\u2028\u2029', '😀 日本語', '', '</script>'];

function state(over: Partial<TranslationState> = {}): TranslationState {
  return { toolNames: new Map(), stopSequences: [], parallelToolCalls: true, includeUsage: false, ignoredParams: [], adjustedParams: [], ...over };
}

function events(seed: number): ConverseStreamOutput[] {
  const out: ConverseStreamOutput[] = [{ messageStart: { role: 'assistant' } }];
  let block = 0;
  for (let i = 0; i < 6; i++) {
    const kind = (seed + i * 7) % 4;
    if (kind === 0 || kind === 1) out.push({ contentBlockDelta: { contentBlockIndex: block, delta: { text: TEXTS[(seed + i) % TEXTS.length]! } } });
    else if (kind === 2) out.push({ contentBlockDelta: { contentBlockIndex: block, delta: { reasoningContent: { text: TEXTS[(seed * 3 + i) % TEXTS.length]! } } } });
    else {
      block++;
      out.push({ contentBlockStart: { contentBlockIndex: block, start: { toolUse: { toolUseId: `t${i}`, name: i % 2 ? 'json_response' : 'get_weather' } } } });
      out.push({ contentBlockDelta: { contentBlockIndex: block, delta: { toolUse: { input: '{"city":"Par' } } } });
      out.push({ contentBlockDelta: { contentBlockIndex: block, delta: { toolUse: { input: 'is ✓"}' } } } });
      out.push({ contentBlockStop: { contentBlockIndex: block } });
      block++;
    }
  }
  out.push({ messageStop: { stopReason: seed % 3 === 0 ? 'tool_use' : 'end_turn' } });
  out.push({ metadata: { usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 1 } } });
  return out;
}

describe('SSE frames', () => {
  it('equal sseFrame for every chunk the translator makes', () => {
    let chunks = 0;
    for (let seed = 0; seed < 60; seed++) {
      const st = state({ includeUsage: seed % 2 === 0, ...(seed % 5 === 0 ? { jsonTool: 'json_response' } : {}), parallelToolCalls: seed % 3 !== 0 });
      const t = createStreamTranslator(st, { id: `chatcmpl-${seed}`, created: 1700000000 + seed, model: seed % 4 ? 'gpt-4o-mini' : 'model "with" ünïcode' });
      const frame = chunkFramer();
      for (const e of events(seed)) {
        for (const c of t.push(e)) {
          expect(frame(c)).toBe(sseFrame(c));
          chunks++;
        }
      }
    }
    expect(chunks).toBeGreaterThan(500);
  });

  it('fall back to JSON.stringify for shapes the template does not cover', () => {
    const frame = chunkFramer();
    const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, logprobs: null, finish_reason: null }] };
    const odd = [
      { ...base, system_fingerprint: 'fp' },
      { ...base, usage: { prompt_tokens: 1 } },
      { ...base, choices: [...base.choices, { ...base.choices[0]!, index: 1 }] },
      { ...base, choices: [{ ...base.choices[0]!, logprobs: { content: [] } }] },
      { ...base, choices: [{ ...base.choices[0]!, extra: true }] },
      { object: 'chat.completion.chunk', id: 'c', created: 1, model: 'm', choices: base.choices },
      { ...base, created: 1.5 },
    ];
    for (const c of odd) expect(frame(c as never)).toBe(sseFrame(c));
  });
});
