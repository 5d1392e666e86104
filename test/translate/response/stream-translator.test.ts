import { describe, expect, it } from 'vitest';
import type { ConverseCommandOutput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { createStreamTranslator, type ChatCompletionChunkWithReasoning } from '../../../proxy/translate/stream-translator.js';
import { toChatCompletion } from '../../../proxy/translate/convert-response.js';
import { OpenAIHttpError } from '../../../proxy/errors.js';
import type { TranslationState } from '../../../proxy/translate/types.js';
import { META, ev, expectValidChunks, makeState, sdkReassemble } from './helpers.js';

function run(state: TranslationState, events: ConverseStreamOutput[]) {
  const t = createStreamTranslator(state, META);
  const perEvent = events.map((e) => t.push(e));
  const chunks = perEvent.flat();
  expectValidChunks(chunks);
  return { t, perEvent, chunks };
}

const deltas = (chunks: ChatCompletionChunkWithReasoning[]) => chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
const contentOf = (chunks: ChatCompletionChunkWithReasoning[]) => deltas(chunks).map((d) => d.content ?? '').join('');

describe('createStreamTranslator', () => {
  it('text: role chunk first, deltas at once, finish chunk; no usage field without include_usage', async () => {
    const { perEvent, chunks, t } = run(makeState(), [ev.start(), ev.text(0, 'Hel'), ev.text(0, 'lo!'), ev.blockStop(0), ev.stop('end_turn'), ev.metadata()]);
    expect(perEvent.map((p) => p.length)).toEqual([1, 1, 1, 0, 1, 0]);
    expect(chunks[0]).toEqual({
      id: META.id,
      object: 'chat.completion.chunk',
      created: META.created,
      model: META.model,
      choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }],
    });
    expect(chunks[1]!.choices[0]!.delta).toEqual({ content: 'Hel' });
    expect(chunks[3]!.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    for (const c of chunks) {
      expect(c).not.toHaveProperty('usage');
      expect(c.id).toBe(META.id);
    }
    expect(t.finished).toBe(true);
    expect(t.finishReason()).toBe('stop');
    expect(t.usage()).toEqual({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } });

    const final = await sdkReassemble(chunks);
    expect(final.choices[0]!.message.content).toBe('Hello!');
    expect(final.choices[0]!.finish_reason).toBe('stop');
  });

  it('include_usage: usage null on every chunk, then a last chunk with choices [] and usage', () => {
    const { chunks } = run(makeState({ includeUsage: true }), [
      ev.start(),
      ev.text(0, 'Hi'),
      ev.blockStop(0),
      ev.stop('end_turn'),
      ev.metadata(30, 2, { cacheReadInputTokens: 100 }),
    ]);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 130, completion_tokens: 2, total_tokens: 132, prompt_tokens_details: { cached_tokens: 100 } });
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('two parallel tool calls after a text block get dense indices 0 and 1, even interleaved', async () => {
    const state = makeState({ toolNames: new Map([['search_docs', 'search-docs']]) });
    const { chunks } = run(state, [
      ev.start(),
      ev.text(0, 'Looking both up.'),
      ev.blockStop(0),
      ev.toolStart(1, 'tooluse_1', 'search_docs'),
      ev.toolStart(2, 'tooluse_2', 'get_time'),
      ev.toolInput(1, '{"q":'),
      ev.toolInput(2, '{"tz":"UTC"}'),
      ev.toolInput(1, '"nova"}'),
      ev.blockStop(1),
      ev.blockStop(2),
      ev.stop('tool_use'),
      ev.metadata(),
    ]);
    const toolDeltas = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    expect(toolDeltas).toEqual([
      { index: 0, id: 'tooluse_1', type: 'function', function: { name: 'search-docs', arguments: '' } },
      { index: 1, id: 'tooluse_2', type: 'function', function: { name: 'get_time', arguments: '' } },
      { index: 0, function: { arguments: '{"q":' } },
      { index: 1, function: { arguments: '{"tz":"UTC"}' } },
      { index: 0, function: { arguments: '"nova"}' } },
    ]);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');

    const final = await sdkReassemble(chunks);
    const msg = final.choices[0]!.message;
    expect(msg.content).toBe('Looking both up.');
    expect(msg.tool_calls).toEqual([
      { id: 'tooluse_1', type: 'function', function: { name: 'search-docs', arguments: '{"q":"nova"}' } },
      { id: 'tooluse_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } },
    ]);
  });

  it('parallel_tool_calls false drops calls after the first', () => {
    const { chunks } = run(makeState({ parallelToolCalls: false }), [
      ev.start(),
      ev.toolStart(0, 'a', 'one'),
      ev.toolInput(0, '{}'),
      ev.blockStop(0),
      ev.toolStart(1, 'b', 'two'),
      ev.toolInput(1, '{"x":1}'),
      ev.blockStop(1),
      ev.stop('tool_use'),
    ]);
    const toolDeltas = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    expect(toolDeltas.map((d) => d.index)).toEqual([0, 0]);
    expect(toolDeltas[0]!.id).toBe('a');
    expect(JSON.stringify(chunks)).not.toContain('"two"');
  });

  it('a tool that streams no input gets {} arguments', async () => {
    const { chunks } = run(makeState(), [ev.start(), ev.toolStart(0, 'a', 'now'), ev.blockStop(0), ev.stop('tool_use')]);
    const final = await sdkReassemble(chunks);
    expect(final.choices[0]!.message.tool_calls![0]!).toMatchObject({ function: { name: 'now', arguments: '{}' } });
  });

  describe('JSON emulation', () => {
    const state = makeState({ jsonTool: 'json_response' });

    it('the JSON tool input streams as content, finish stop, no tool_calls', async () => {
      const { chunks } = run(state, [
        ev.start(),
        ev.toolStart(0, 't', 'json_response'),
        ev.toolInput(0, '{"name":'),
        ev.toolInput(0, '"Ada"}'),
        ev.blockStop(0),
        ev.stop('tool_use'),
        ev.metadata(),
      ]);
      expect(deltas(chunks).some((d) => d.tool_calls)).toBe(false);
      expect(contentOf(chunks)).toBe('{"name":"Ada"}');
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
      const final = await sdkReassemble(chunks);
      expect(JSON.parse(final.choices[0]!.message.content!)).toEqual({ name: 'Ada' });
    });

    it('a preamble before the JSON tool is dropped, as in the non-streaming path', () => {
      const { chunks } = run(state, [
        ev.start(),
        ev.text(0, '<thinking>JSON please</thinking>'),
        ev.blockStop(0),
        ev.toolStart(1, 't', 'json_response'),
        ev.toolInput(1, '{"a":1}'),
        ev.blockStop(1),
        ev.stop('tool_use'),
      ]);
      expect(contentOf(chunks)).toBe('{"a":1}');
    });

    it('text is released if the JSON tool never comes', () => {
      const { chunks } = run(state, [ev.start(), ev.text(0, '{"a":'), ev.text(0, '1}'), ev.blockStop(0), ev.stop('end_turn')]);
      expect(contentOf(chunks)).toBe('{"a":1}');
    });

    it('text after the JSON tool is dropped too', () => {
      const { chunks } = run(state, [ev.start(), ev.toolStart(0, 't', 'json_response'), ev.toolInput(0, '[1]'), ev.blockStop(0), ev.text(1, ' done'), ev.stop('end_turn')]);
      expect(contentOf(chunks)).toBe('[1]');
    });

    it('released text still loses its stop sequence', () => {
      const s = makeState({ jsonTool: 'json_response', stopSequences: ['</out>'] });
      const { chunks } = run(s, [ev.start(), ev.text(0, '{"a":1}</o'), ev.text(0, 'ut>'), ev.stop('stop_sequence')]);
      expect(contentOf(chunks)).toBe('{"a":1}');
    });

    it('an empty JSON tool input is {}', () => {
      const { chunks } = run(state, [ev.start(), ev.toolStart(0, 't', 'json_response'), ev.blockStop(0), ev.stop('tool_use')]);
      expect(contentOf(chunks)).toBe('{}');
    });
  });

  describe('stop sequences', () => {
    it('"…E" + "ND" with stop END: held back, then dropped', async () => {
      const state = makeState({ stopSequences: ['END'] });
      const { perEvent, chunks } = run(state, [ev.start(), ev.text(0, 'The answer is 4. E'), ev.text(0, 'ND'), ev.blockStop(0), ev.stop('stop_sequence'), ev.metadata()]);
      expect(perEvent[1]!.map((c) => c.choices[0]!.delta.content)).toEqual(['The answer is 4. ']);
      expect(perEvent[2]).toEqual([]);
      expect(contentOf(chunks)).toBe('The answer is 4. ');
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
      expect((await sdkReassemble(chunks)).choices[0]!.message.content).toBe('The answer is 4. ');
    });

    it('a held prefix is released as soon as it cannot be the stop sequence', () => {
      const { perEvent } = run(makeState({ stopSequences: ['END'] }), [ev.start(), ev.text(0, 'E'), ev.text(0, 'ntry'), ev.stop('end_turn')]);
      expect(perEvent[1]).toEqual([]);
      expect(perEvent[2]!.map((c) => c.choices[0]!.delta.content)).toEqual(['Entry']);
    });

    it('a held prefix that never completed is flushed at the end', () => {
      const { perEvent, chunks } = run(makeState({ stopSequences: ['END'] }), [ev.start(), ev.text(0, 'THE EN'), ev.stop('max_tokens')]);
      expect(perEvent[2]!.map((c) => c.choices[0]!.delta.content ?? null)).toEqual(['EN', null]);
      expect(contentOf(chunks)).toBe('THE EN');
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    });

    it('a complete stop string at the end is dropped whatever the stop reason (end_turn as recorded)', () => {
      const { chunks } = run(makeState({ stopSequences: ['Paris'] }), [ev.start(), ev.text(0, 'The city of '), ev.text(0, 'Par'), ev.text(0, 'is'), ev.blockStop(0), ev.stop('end_turn')]);
      expect(contentOf(chunks)).toBe('The city of ');
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    });

    it('held text is released before a tool call', () => {
      const { chunks } = run(makeState({ stopSequences: ['END'] }), [ev.start(), ev.text(0, 'calling E'), ev.blockStop(0), ev.toolStart(1, 't', 'f'), ev.stop('tool_use')]);
      const firstTool = chunks.findIndex((c) => c.choices[0]?.delta.tool_calls);
      expect(contentOf(chunks.slice(0, firstTool))).toBe('calling E');
    });

    it('without stop sequences nothing is ever held', () => {
      const { perEvent } = run(makeState(), [ev.start(), ev.text(0, 'E'), ev.text(0, 'N')]);
      expect(perEvent[1]).toHaveLength(1);
      expect(perEvent[2]).toHaveLength(1);
    });
  });

  it('reasoning deltas become reasoning_content; signatures are dropped', () => {
    const { chunks } = run(makeState(), [
      ev.start(),
      ev.reasoning(0, 'Think'),
      ev.reasoning(0, 'ing.'),
      ev.signature(0, 'abc'),
      ev.blockStop(0),
      ev.text(1, 'Answer'),
      ev.blockStop(1),
      ev.stop('end_turn'),
    ]);
    expect(deltas(chunks).map((d) => d.reasoning_content).filter(Boolean)).toEqual(['Think', 'ing.']);
    expect(contentOf(chunks)).toBe('Answer');
  });

  it('emits the role chunk even if messageStart is missing', () => {
    const { chunks } = run(makeState(), [ev.text(0, 'x'), ev.stop('end_turn')]);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.filter((c) => c.choices[0]?.delta.role)).toHaveLength(1);
  });

  it('malformed stop reasons throw a 502 instead of a fake finish', () => {
    const t = createStreamTranslator(makeState(), META);
    t.push(ev.start());
    expect(() => t.push(ev.stop('malformed_tool_use'))).toThrow(OpenAIHttpError);
  });

  it('a stream exception event throws the mapped error', () => {
    const t = createStreamTranslator(makeState(), META);
    const event = { throttlingException: new ThrottlingException({ message: 'Too many requests', $metadata: {} }) } as ConverseStreamOutput;
    try {
      t.push(event);
      expect.unreachable();
    } catch (e) {
      expect((e as OpenAIHttpError).status).toBe(429);
    }
  });

  it('streaming and non-streaming give the same message', async () => {
    const state = makeState({ stopSequences: ['###'], toolNames: new Map([['a_b', 'a.b']]) });
    const events = [
      ev.start(),
      ev.reasoning(0, 'r'),
      ev.blockStop(0),
      ev.text(1, 'Use a.b'),
      ev.blockStop(1),
      ev.toolStart(2, 'id1', 'a_b'),
      ev.toolInput(2, '{"k":[1,2]}'),
      ev.blockStop(2),
      ev.stop('tool_use'),
      ev.metadata(10, 3),
    ];
    const { chunks } = run(state, events);
    const streamed = await sdkReassemble(chunks);
    const output: ConverseCommandOutput = {
      $metadata: {},
      output: { message: { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'r' } } }, { text: 'Use a.b' }, { toolUse: { toolUseId: 'id1', name: 'a_b', input: { k: [1, 2] } } }] } },
      stopReason: 'tool_use',
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      metrics: { latencyMs: 1 },
    };
    const whole = toChatCompletion(output, state, META);
    expect(streamed.choices[0]!.message.content).toBe(whole.choices[0]!.message.content);
    expect(streamed.choices[0]!.message.tool_calls).toEqual(whole.choices[0]!.message.tool_calls);
    expect(streamed.choices[0]!.finish_reason).toBe(whole.choices[0]!.finish_reason);
  });
});

// Compile-time: the richer chunk type still satisfies the contract's ChatCompletionChunk.
const _contract: (e: ConverseStreamOutput) => ChatCompletionChunk[] = (e) => createStreamTranslator(makeState(), META).push(e);
void _contract;

describe('what the recordings taught (unit level)', () => {
  it('a "[REDACTED]." reasoning block split across deltas never reaches the client; readable reasoning is not held', () => {
    const { chunks } = run(makeState({ includeUsage: true }), [
      ev.start(),
      ev.reasoning(0, '[RED'),
      ev.reasoning(0, 'ACTED].'),
      ev.blockStop(0),
      ev.text(1, 'ok'),
      ev.blockStop(1),
      ev.stop('end_turn'),
      ev.metadata(88, 2980),
    ]);
    expect(deltas(chunks).some((d) => d.reasoning_content !== undefined)).toBe(false);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 2980, completion_tokens_details: { reasoning_tokens: 2979 } });

    // Held only while it could still be the placeholder, then released at once.
    const readable = run(makeState(), [ev.start(), ev.reasoning(0, '[RE'), ev.reasoning(0, 'CALL] the facts'), ev.reasoning(0, ' first'), ev.blockStop(0)]);
    expect(readable.perEvent[1]).toEqual([]);
    expect(readable.perEvent[2]!.map((c) => c.choices[0]!.delta.reasoning_content)).toEqual(['[RECALL] the facts']);
    expect(readable.perEvent[3]!.map((c) => c.choices[0]!.delta.reasoning_content)).toEqual([' first']);
    const plain = run(makeState(), [ev.start(), ev.reasoning(0, 'First, ')]);
    expect(plain.perEvent[1]!.map((c) => c.choices[0]!.delta.reasoning_content)).toEqual(['First, ']);
  });

  it('keepThinking streams the preamble as content', () => {
    const { chunks } = run(makeState({ keepThinking: true }), [ev.start(), ev.text(0, '<thinking>x</thinking>\nHi'), ev.stop('end_turn')]);
    expect(contentOf(chunks)).toBe('<thinking>x</thinking>\nHi');
  });

  it('Nova 2 server tool blocks are skipped, the client tool after them gets index 0', () => {
    const { chunks } = run(makeState(), [
      ev.start(),
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 's', name: 'nova_code_interpreter', type: 'server_tool_use' } } } },
      ev.toolInput(0, '{"snippet":"1+1"}'),
      ev.blockStop(0),
      { contentBlockStart: { contentBlockIndex: 1, start: { toolResult: { toolUseId: 's', status: 'success', type: 'nova_code_interpreter_result' } } } } as ConverseStreamOutput,
      ev.blockStop(1),
      ev.toolStart(2, 'c', 'final_result'),
      ev.toolInput(2, '{"result":2}'),
      ev.blockStop(2),
      ev.stop('tool_use'),
    ]);
    const calls = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    expect(calls.map((c) => [c.index, c.function?.name])).toEqual([[0, 'final_result'], [0, undefined]]);
  });
});
