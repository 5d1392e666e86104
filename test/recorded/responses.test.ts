/**
 * (b) Every recorded Nova answer — Converse JSON, ConverseStream bytes, the InvokeModel forms of
 * the same shapes — through the proxy's response translation and stream translation: the result
 * must be a schema-valid OpenAI answer with the recorded content, tool calls, usage (cache tokens
 * included) and finish reason, the same whether it streamed or not. The raw recorded payloads are
 * fed as they are (extra members such as `p`, `serverToolUsage`, `cache*Count`, `toolUse.type`
 * included), which is also what a transport that skips the SDK's parsing would hand over.
 */
import { describe, expect, it } from 'vitest';
import type { ConverseCommandOutput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { toChatCompletion, type ChatCompletionWithReasoning } from '../../proxy/translate/convert-response.js';
import { createStreamTranslator, type ChatCompletionChunkWithReasoning } from '../../proxy/translate/stream-translator.js';
import { OpenAIHttpError } from '../../proxy/errors.js';
import type { TranslationState } from '../../proxy/translate/types.js';
import { eventsToResponse, responseToEvents, type ConverseResponseBody, type StreamEvent } from '../../mock/bedrock/respond.js';
import { META, expectValidChunks, expectValidCompletion, makeState, sdkReassemble } from '../translate/response/helpers.js';
import { loadRecordings, recording, shortName, type Recording } from './load.js';

type Json = Record<string, unknown>;

/** Every recorded successful answer, whatever the operation. */
const answers = loadRecordings().filter((r) => r.response.status === 200 && (r.response.json !== undefined || r.response.events !== undefined));

/** The translation state the recorded request implies (its stop sequences), plus overrides. */
function stateFor(r: Recording, overrides: Partial<TranslationState> = {}): TranslationState {
  const body = r.body ? (JSON.parse(r.body) as { inferenceConfig?: { stopSequences?: string[] } }) : {};
  return makeState({ stopSequences: body.inferenceConfig?.stopSequences ?? [], includeUsage: true, ...overrides });
}

/** The recorded answer as a Converse output and as stream events, whichever was recorded. */
function forms(r: Recording): { output: ConverseCommandOutput; events: ConverseStreamOutput[] } {
  if (r.response.events) {
    const events = r.response.events;
    return { output: eventsToResponse(events) as unknown as ConverseCommandOutput, events: events as unknown as ConverseStreamOutput[] };
  }
  const body = r.response.json as ConverseResponseBody;
  // Recorded bodies lack nothing the conversion needs; metrics are absent from InvokeModel answers.
  const events = responseToEvents({ ...body, metrics: body.metrics ?? { latencyMs: 0 } } as ConverseResponseBody);
  return { output: body as unknown as ConverseCommandOutput, events: events as unknown as ConverseStreamOutput[] };
}

function translate(r: Recording, state: TranslationState): { completion: ChatCompletionWithReasoning; chunks: ChatCompletionChunkWithReasoning[] } {
  const { output, events } = forms(r);
  const completion = toChatCompletion(output, state, META);
  const t = createStreamTranslator(state, META);
  const chunks = events.flatMap((e) => t.push(e));
  expect(t.finished).toBe(true);
  return { completion, chunks };
}

const message = (c: { choices: Array<{ message: unknown }> }) => c.choices[0]!.message as Json;

describe('every recorded answer through the response translation', () => {
  it('covers the recorded answers', () => {
    expect(answers.length).toBeGreaterThanOrEqual(33);
  });

  it.each(answers.map((r) => [shortName(r), r] as const))('%s', async (_name, r) => {
    const { completion, chunks } = translate(r, stateFor(r));
    expectValidCompletion(completion);
    expectValidChunks(chunks);

    // Streaming and non-streaming agree, as the client's SDK reassembles the stream.
    const streamed = await sdkReassemble(chunks);
    const m = message(completion);
    const s = streamed.choices[0]!.message as unknown as Json;
    expect(s.content ?? null).toEqual(m.content);
    // Streamed arguments are Nova's JSON text as sent (`7006652.0`), the non-streamed ones are
    // re-serialised from the parsed input (`7006652`): the same JSON value.
    const calls = (msg: Json) =>
      ((msg.tool_calls as Array<{ id: string; type: string; function: { name: string; arguments: string } }> | undefined) ?? []).map((c) => ({
        id: c.id,
        type: c.type,
        name: c.function.name,
        args: JSON.parse(c.function.arguments) as unknown,
      }));
    expect(calls(s)).toEqual(calls(m));
    expect(streamed.choices[0]!.finish_reason).toBe(completion.choices[0]!.finish_reason);
    const reasoningStreamed = chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('');
    expect(reasoningStreamed).toBe((m.reasoning_content as string | undefined) ?? '');
    expect(chunks.at(-1)!.usage).toEqual(completion.usage);

    // Nothing of Nova's scaffolding reaches the client's content or reasoning.
    expect(String(m.content ?? '')).not.toMatch(/<\/?thinking>/);
    expect(String(m.reasoning_content ?? '')).not.toMatch(/\[REDACTED\]/);

    // Usage: prompt = input + cache read + cache write, cached = cache read (the recorded numbers).
    const { output } = forms(r);
    const u = output.usage as Record<string, number> | undefined;
    if (u) {
      const read = u.cacheReadInputTokens ?? 0;
      const write = u.cacheWriteInputTokens ?? 0;
      expect(completion.usage).toMatchObject({
        prompt_tokens: u.inputTokens! + read + write,
        completion_tokens: u.outputTokens,
        total_tokens: u.inputTokens! + read + write + u.outputTokens!,
        prompt_tokens_details: { cached_tokens: read, ...(write > 0 ? { cache_write_tokens: write } : {}) },
      });
    }

    // Finish reason from the recorded stop reason and what was returned.
    const stop = String(output.stopReason);
    const expected = stop === 'max_tokens' ? 'length' : stop === 'tool_use' && m.tool_calls ? 'tool_calls' : 'stop';
    expect(completion.choices[0]!.finish_reason).toBe(expected);
  });
});

describe('what the recordings show, case by case', () => {
  it('stop string kept by Nova with end_turn is removed (test_stop_settings)', () => {
    const { completion } = translate(recording('test_stop_settings[bedrock].yaml#0'), stateFor(recording('test_stop_settings[bedrock].yaml#0')));
    expect(message(completion).content).toBe('The city of ');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('maxTokens 5 → finish length with the truncated text', () => {
    const { completion } = translate(recording('test_bedrock_model_max_tokens.yaml#0'), makeState());
    expect([message(completion).content, completion.choices[0]!.finish_reason]).toEqual(['The capital of France is', 'length']);
  });

  it('a <thinking> preamble before a tool call becomes reasoning; content null; reasoning tokens estimated', () => {
    const { completion } = translate(recording('test_bedrock_model_retry.yaml#0'), makeState());
    const m = message(completion);
    expect(m.content).toBeNull();
    expect(m.reasoning_content).toBe(
      'To determine the capital of France, I can use the provided tool that returns the capital of a given country. Since the country in question is France, I will use the tool with the country parameter set to "France".',
    );
    expect(m.tool_calls).toEqual([{ id: 'tooluse_Ze_bgl9CSqu8aJv7XD-_Dw', type: 'function', function: { name: 'get_capital', arguments: '{"country":"France"}' } }]);
    // 66 output tokens, visible: "get_capital" + '{"country":"France"}' = 31 characters ≈ 8 tokens.
    expect(completion.usage!.completion_tokens_details).toEqual({ reasoning_tokens: 58 });
  });

  it('a <thinking> preamble before a final answer becomes reasoning; the answer is the content', () => {
    const { completion } = translate(recording('test_bedrock_model_retry.yaml#1'), makeState());
    expect(message(completion).content).toBe('The capital of France is Paris. If you need any further information, feel free to ask!');
    expect(message(completion).reasoning_content).toMatch(/^It appears that there was an error/);
  });

  it('the preamble streams as reasoning, split across deltas exactly as recorded', () => {
    const r = recording('test_bedrock_model_iter_stream.yaml#0');
    const { chunks, completion } = translate(r, makeState());
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('');
    expect(message(completion).reasoning_content).toMatch(/^To find the temperature .* in Paris\.$/);
    expect(message(completion).tool_calls).toEqual([{ id: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA', type: 'function', function: { name: 'get_temperature', arguments: '{"city":"Paris"}' } }]);
    expect(completion.usage!.completion_tokens_details).toEqual({ reasoning_tokens: 83 });
  });

  it('keepThinking leaves the preamble in the content', () => {
    const r = recording('test_bedrock_model_retry.yaml#1');
    const { completion } = translate(r, makeState({ keepThinking: true }));
    expect(message(completion).content).toMatch(/^<thinking> It appears/);
    expect(message(completion)).not.toHaveProperty('reasoning_content');
  });

  it('Nova 2 "[REDACTED]." reasoning is not reasoning_content; its tokens are reported as reasoning_tokens', () => {
    const { completion } = translate(recording('amazon-bedrock-nova-2-high-reasoning-success.json#0'), makeState());
    expect(message(completion)).not.toHaveProperty('reasoning_content');
    expect(message(completion).content).toBe('ok');
    expect(completion.usage).toMatchObject({ completion_tokens: 2980, completion_tokens_details: { reasoning_tokens: 2979 } });
  });

  it('answers without reasoning claim no reasoning tokens', () => {
    const { completion } = translate(recording('test_bedrock_model.yaml#0'), makeState());
    expect(completion.usage).not.toHaveProperty('completion_tokens_details');
  });

  it('cache writes up to the last cachePoint: prompt 1308 = 10 + 1298 written', () => {
    const { completion } = translate(recording('test_bedrock_cache_point_adds_cache_control[nova-lite].yaml#0'), makeState());
    expect(completion.usage).toEqual({ prompt_tokens: 1308, completion_tokens: 2, total_tokens: 1310, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 1298 } });
  });

  it('cache reads are cached_tokens inside prompt_tokens', () => {
    const { completion } = translate(recording('test_bedrock_single_tool_choice_preserves_cache[nova].yaml#3'), makeState());
    expect(completion.usage).toEqual({ prompt_tokens: 2556, completion_tokens: 4, total_tokens: 2560, prompt_tokens_details: { cached_tokens: 2098 } });
  });

  it('Nova 2 server tools (code interpreter) are not client tool calls', () => {
    for (const id of ['test_bedrock_model_with_code_execution_tool.yaml#0', 'test_bedrock_model_code_execution_tool_stream.yaml#0']) {
      const { completion } = translate(recording(id), makeState());
      const calls = message(completion).tool_calls as Array<{ function: { name: string; arguments: string } }>;
      expect(calls.map((c) => c.function.name)).toEqual(['final_result']);
      expect(JSON.parse(calls[0]!.function.arguments)).toEqual({ result: 7006652 });
    }
  });

  it('InvokeModel stream with one content block per delta is one content string', () => {
    const { completion } = translate(recording('should-handle-amazon-nova-streaming.json#0'), makeState());
    expect(message(completion).content).toMatch(/^In the year 2145, humanity launched the starship \*Odyssey\* to explore/);
    expect(completion.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 114 });
  });

  describe('JSON emulation meets the recorded answers (final_result as the JSON tool)', () => {
    const json = (r: Recording) => stateFor(r, { jsonTool: 'final_result' });

    it('the JSON tool call is the content', () => {
      const r = recording('test_bedrock_model_structured_output.yaml#2');
      const { completion, chunks } = translate(r, json(r));
      expect(JSON.parse(String(message(completion).content))).toEqual({ city: 'London', date: '2022-01-01', temperature: '30°C' });
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    });

    it('a text answer under toolChoice any (B9) is no 200: non-streaming throws json_answer_missing, the stream asks for a retry', () => {
      const r = recording('test_bedrock_model_structured_output.yaml#1');
      const { output, events } = forms(r);
      const err = (() => {
        try {
          toChatCompletion(output, json(r), META);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(OpenAIHttpError);
      expect((err as OpenAIHttpError).status).toBe(502);
      expect((err as OpenAIHttpError).code).toBe('json_answer_missing');

      const t = createStreamTranslator(json(r), META);
      const chunks = events.flatMap((e) => t.push(e));
      expect(t.jsonRetryNeeded).toBe(true);
      expect(t.finished).toBe(false);
      // The client saw the role chunk and the preamble as reasoning; no content, no finish, no usage.
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('');
      expect(chunks.every((c) => c.choices.length === 1 && c.choices[0]!.finish_reason === null)).toBe(true);

      // The retry's answer (the recorded JSON tool call) continues the same stream.
      t.restart();
      const retry = forms(recording('test_bedrock_model_structured_output.yaml#2')).events;
      const more = retry.flatMap((e) => t.push(e));
      expect(t.finished).toBe(true);
      const content = more.map((c) => c.choices[0]?.delta.content ?? '').join('');
      expect(JSON.parse(content)).toEqual({ city: 'London', date: '2022-01-01', temperature: '30°C' });
      // Usage covers both generations: 627 + 821 input, 67 + 31 output.
      expect(more.at(-1)!.usage).toMatchObject({ prompt_tokens: 1448, completion_tokens: 98 });
      expectValidChunks([...chunks, ...more]);
    });

    it('text that is a JSON object is taken as the answer', () => {
      const out: ConverseCommandOutput = {
        output: { message: { role: 'assistant', content: [{ text: '<thinking>x</thinking>\n```json\n{"a": 1}\n```' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        metrics: { latencyMs: 1 },
        $metadata: {},
      };
      const state = makeState({ jsonTool: 'json_response' });
      expect(message(toChatCompletion(out, state, META)).content).toBe('{"a": 1}');
      const t = createStreamTranslator(state, META);
      const events = responseToEvents(out as unknown as ConverseResponseBody) as unknown as ConverseStreamOutput[];
      const content = events.flatMap((e) => t.push(e)).map((c) => c.choices[0]?.delta.content ?? '').join('');
      expect(content).toBe('{"a": 1}');
      expect(t.jsonRetryNeeded).toBe(false);
    });
  });
});

// Kept visible: the raw stream payloads carry `p` padding the translator must ignore.
it('recorded stream payloads carry the p padding', () => {
  const events = recording('test_bedrock_model_stream.yaml#0').response.events as StreamEvent[];
  expect(events.every((e) => typeof (Object.values(e)[0] as Json).p === 'string')).toBe(true);
});
