/**
 * The openai SDK's Chat Completions helpers against the proxy — what apps built on them call
 * without writing the requests themselves: `parse` with a zod schema (strict json_schema),
 * the `stream` helper's accumulated final message, and `runTools`, which loops tool calls
 * and results until the model answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodResponseFormat, zodFunction } from 'openai/helpers/zod';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
afterAll(async () => rig?.close());

const Person = z.object({ name: z.string(), born: z.number().int() });

describe('openai SDK Chat Completions helpers', () => {
  it('chat.completions.parse returns the parsed object of a strict json_schema answer', async () => {
    const completion = await rig.client.chat.completions.parse({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Who wrote Hamlet? Name and birth year.' }],
      response_format: zodResponseFormat(Person, 'person'),
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    const parsed = completion.choices[0]!.message.parsed;
    expect(parsed).not.toBeNull();
    expect(Person.safeParse(parsed).success).toBe(true);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('the stream helper accumulates deltas into the final message', async () => {
    const stream = rig.client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Describe the sea in two sentences.' }], stream_options: { include_usage: true } });
    let deltas = '';
    stream.on('content.delta', ({ delta }) => (deltas += delta));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(deltas);
    expect(deltas.length).toBeGreaterThan(10);
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('runTools calls the function with parsed arguments, sends its result back and returns the answer', async () => {
    const calls: { city: string }[] = [];
    const runner = rig.client.chat.completions.runTools({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather in Lisbon?' }],
      tools: [
        zodFunction({
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: z.object({ city: z.string() }),
          function: async (args: { city: string }) => {
            calls.push(args);
            return { city: args.city, temperatureC: 21 };
          },
        }),
      ],
    });
    const answer = await runner.finalContent();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(typeof calls[0]!.city).toBe('string');
    expect(answer?.length).toBeGreaterThan(0);
    // The tool result went to Bedrock as a toolResult block for the call it answers.
    const sent = (rig.fake.requests.at(-1) as { body: any }).body;
    const results = sent.messages.flatMap((m: any) => m.content).filter((c: any) => c.toolResult);
    const uses = sent.messages.flatMap((m: any) => m.content).filter((c: any) => c.toolUse);
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results[0].toolResult.toolUseId).toBe(uses[0].toolUse.toolUseId);
  });
});
