import { describe, expect, it } from 'vitest';
import type { ContentBlock, ConverseCommandOutput, StopReason, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { toChatCompletion, toolArguments } from '../../../proxy/translate/convert-response.js';
import { OpenAIHttpError } from '../../../proxy/errors.js';
import { META, expectValidCompletion, makeState } from './helpers.js';

function output(content: ContentBlock[], stopReason: StopReason = 'end_turn', usage: TokenUsage = { inputTokens: 20, outputTokens: 8, totalTokens: 28 }): ConverseCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: 'req-1' },
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage,
    metrics: { latencyMs: 400 },
  };
}

describe('toChatCompletion', () => {
  it('plain text', () => {
    const c = toChatCompletion(output([{ text: 'Hello ' }, { text: 'world' }]), makeState(), META);
    expect(c).toEqual({
      id: META.id,
      object: 'chat.completion',
      created: META.created,
      model: META.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expectValidCompletion(c);
  });

  it('tool calls: names mapped back, ids kept, {} for empty input, content null without text', () => {
    const state = makeState({ toolNames: new Map([['get_weather_v2', 'get.weather/v2']]) });
    const c = toChatCompletion(
      output(
        [
          { toolUse: { toolUseId: 'tooluse_A', name: 'get_weather_v2', input: { city: 'Paris', units: 'c' } } },
          { toolUse: { toolUseId: 'tooluse_B', name: 'now', input: undefined } },
          { toolUse: { toolUseId: 'tooluse_C', name: 'ping', input: {} } },
        ],
        'tool_use',
      ),
      state,
      META,
    );
    const choice = c.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: 'tooluse_A', type: 'function', function: { name: 'get.weather/v2', arguments: '{"city":"Paris","units":"c"}' } },
      { id: 'tooluse_B', type: 'function', function: { name: 'now', arguments: '{}' } },
      { id: 'tooluse_C', type: 'function', function: { name: 'ping', arguments: '{}' } },
    ]);
    expectValidCompletion(c);
  });

  it('text before a tool call is kept as content', () => {
    const c = toChatCompletion(output([{ text: 'Let me check.' }, { toolUse: { toolUseId: 't1', name: 'f', input: { a: 1 } } }], 'tool_use'), makeState(), META);
    expect(c.choices[0]!.message.content).toBe('Let me check.');
    expect(c.choices[0]!.message.tool_calls).toHaveLength(1);
    expectValidCompletion(c);
  });

  it('parallel_tool_calls false keeps only the first call', () => {
    const c = toChatCompletion(
      output(
        [
          { toolUse: { toolUseId: 't1', name: 'a', input: { x: 1 } } },
          { toolUse: { toolUseId: 't2', name: 'b', input: { y: 2 } } },
        ],
        'tool_use',
      ),
      makeState({ parallelToolCalls: false }),
      META,
    );
    expect(c.choices[0]!.message.tool_calls!.map((t) => t.id)).toEqual(['t1']);
    expect(c.choices[0]!.finish_reason).toBe('tool_calls');
  });

  describe('JSON emulation', () => {
    const state = makeState({ jsonTool: 'json_response' });

    it('the JSON tool input becomes content, finish stop, no tool_calls', () => {
      const input = { name: 'Ada', tags: ['x', 'y'], nested: { ok: true } };
      const c = toChatCompletion(output([{ toolUse: { toolUseId: 't', name: 'json_response', input } }], 'tool_use'), state, META);
      const choice = c.choices[0]!;
      expect(choice.message.content).toBe(JSON.stringify(input));
      expect(JSON.parse(choice.message.content!)).toEqual(input);
      expect(choice.message).not.toHaveProperty('tool_calls');
      expect(choice.finish_reason).toBe('stop');
      expectValidCompletion(c);
    });

    it('a preamble (Nova 1 <thinking>) does not corrupt the JSON', () => {
      const c = toChatCompletion(
        output([{ text: '<thinking>The user wants JSON.</thinking>' }, { toolUse: { toolUseId: 't', name: 'json_response', input: { a: 1 } } }], 'tool_use'),
        state,
        META,
      );
      expect(c.choices[0]!.message.content).toBe('{"a":1}');
    });

    it('without the JSON tool call the text is the answer', () => {
      const c = toChatCompletion(output([{ text: '{"a":1}' }]), state, META);
      expect(c.choices[0]!.message.content).toBe('{"a":1}');
      expect(c.choices[0]!.finish_reason).toBe('stop');
    });

    it('a real tool call next to the JSON tool stays a tool call', () => {
      const c = toChatCompletion(
        output(
          [
            { toolUse: { toolUseId: 't1', name: 'lookup', input: { q: 'x' } } },
            { toolUse: { toolUseId: 't2', name: 'json_response', input: { a: 1 } } },
          ],
          'tool_use',
        ),
        state,
        META,
      );
      expect(c.choices[0]!.message.tool_calls!.map((t) => t.function.name)).toEqual(['lookup']);
      expect(c.choices[0]!.finish_reason).toBe('tool_calls');
      expectValidCompletion(c);
    });

    it('length cut keeps finish_reason length', () => {
      const c = toChatCompletion(output([{ toolUse: { toolUseId: 't', name: 'json_response', input: {} } }], 'max_tokens'), state, META);
      expect(c.choices[0]!.finish_reason).toBe('length');
      expect(c.choices[0]!.message.content).toBe('{}');
    });
  });

  describe('stop sequences', () => {
    const state = makeState({ stopSequences: ['END', '\n\nHuman:'] });

    it('strips the matched stop sequence at the end', () => {
      const c = toChatCompletion(output([{ text: 'The answer is 4.END' }], 'stop_sequence'), state, META);
      expect(c.choices[0]!.message.content).toBe('The answer is 4.');
      expect(c.choices[0]!.finish_reason).toBe('stop');
    });

    it('only one, only at the end, whatever the stop reason (Nova reports end_turn at a stop string)', () => {
      expect(toChatCompletion(output([{ text: 'ENDENDEND' }], 'stop_sequence'), state, META).choices[0]!.message.content).toBe('ENDEND');
      expect(toChatCompletion(output([{ text: 'END of story' }], 'stop_sequence'), state, META).choices[0]!.message.content).toBe('END of story');
      const endTurn = toChatCompletion(output([{ text: 'The END' }], 'end_turn'), state, META).choices[0]!;
      expect([endTurn.message.content, endTurn.finish_reason]).toEqual(['The ', 'stop']);
      expect(toChatCompletion(output([{ text: 'The END' }], 'max_tokens'), state, META).choices[0]!.message.content).toBe('The ');
      // Not the last thing in the message: kept.
      const beforeTool = toChatCompletion(output([{ text: 'The END' }, { toolUse: { toolUseId: 't', name: 'f', input: {} } }], 'tool_use'), state, META);
      expect(beforeTool.choices[0]!.message.content).toBe('The END');
    });

    it('works across text blocks', () => {
      const c = toChatCompletion(output([{ text: 'Hi\n\nHu' }, { text: 'man:' }], 'stop_sequence'), state, META);
      expect(c.choices[0]!.message.content).toBe('Hi');
    });
  });

  it('Nova 2 reasoning surfaces in reasoning_content', () => {
    const c = toChatCompletion(
      output([
        { reasoningContent: { reasoningText: { text: 'First, 2+2 ', signature: 'sig' } } },
        { reasoningContent: { reasoningText: { text: 'is 4.' } } },
        { reasoningContent: { redactedContent: new Uint8Array([1, 2]) } },
        { text: '4' },
      ]),
      makeState(),
      META,
    );
    const msg = c.choices[0]!.message;
    expect(msg.content).toBe('4');
    expect(msg.reasoning_content).toBe('First, 2+2 is 4.');
    expectValidCompletion(c);
  });

  it('no reasoning_content field without reasoning', () => {
    expect(toChatCompletion(output([{ text: 'x' }]), makeState(), META).choices[0]!.message).not.toHaveProperty('reasoning_content');
  });

  it('usage with cache reads and writes', () => {
    const c = toChatCompletion(
      output([{ text: 'x' }], 'end_turn', { inputTokens: 50, outputTokens: 10, totalTokens: 1560, cacheReadInputTokens: 1000, cacheWriteInputTokens: 500 }),
      makeState(),
      META,
    );
    expect(c.usage).toEqual({ prompt_tokens: 1550, completion_tokens: 10, total_tokens: 1560, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 500 } });
    expectValidCompletion(c);
  });

  it('guardrail and length', () => {
    expect(toChatCompletion(output([{ text: 'Sorry.' }], 'guardrail_intervened'), makeState(), META).choices[0]!.finish_reason).toBe('content_filter');
    expect(toChatCompletion(output([{ text: 'Once upon' }], 'max_tokens'), makeState(), META).choices[0]!.finish_reason).toBe('length');
  });

  it('an empty answer is an empty string, not null', () => {
    const c = toChatCompletion(output([]), makeState(), META);
    expect(c.choices[0]!.message.content).toBe('');
    expectValidCompletion(c);
  });

  it('malformed output is a 502, not a success', () => {
    expect(() => toChatCompletion(output([{ text: '{"a":' }], 'malformed_model_output'), makeState(), META)).toThrow(OpenAIHttpError);
    try {
      toChatCompletion(output([{ toolUse: { toolUseId: 't', name: 'f', input: {} } }], 'malformed_tool_use'), makeState(), META);
      expect.unreachable();
    } catch (e) {
      expect((e as OpenAIHttpError).status).toBe(502);
    }
  });
});

describe('toolArguments', () => {
  it('serialises documents and defaults to {}', () => {
    expect(toolArguments({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
    expect(toolArguments(undefined)).toBe('{}');
    expect(toolArguments(null)).toBe('{}');
    expect(toolArguments('')).toBe('{}');
    expect(toolArguments('{"a":1}')).toBe('{"a":1}');
  });
});

// Compile-time: the richer return type still satisfies the contract's ChatCompletion.
const _contract: (o: ConverseCommandOutput) => import('openai/resources/chat/completions').ChatCompletion = (o) => toChatCompletion(o, makeState(), META);
void _contract;
