/**
 * LangChain's ChatOpenAI with `useResponsesApi: true` against the proxy: invoke, stream,
 * a tool round trip and structured output.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatOpenAI } from '@langchain/openai';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { createTap, type Tap } from './support.js';

let rig: ProxyRig;
let tap: Tap;
beforeAll(async () => {
  rig = await startProxyRig();
  tap = createTap();
});
afterEach(async () => {
  await tap.assertValid();
});
afterAll(async () => rig?.close());

const lastBedrock = () => rig.fake.requests.at(-1)! as { body: any };
const chat = (model = 'gpt-4o') =>
  new ChatOpenAI({ model, useResponsesApi: true, apiKey: 'unused', maxRetries: 0, configuration: { baseURL: `${rig.origin}/v1`, fetch: tap.fetch } });

describe('LangChain ChatOpenAI (useResponsesApi)', () => {
  it('invokes through /v1/responses', async () => {
    const res = await chat('gpt-4o-mini').invoke('Hello, how are you?');
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(tap.creates()).toHaveLength(1);
  });

  it('streams chunks', async () => {
    const pieces: string[] = [];
    for await (const chunk of await chat('gpt-4o-mini').stream('Describe the sea in a sentence or two.')) pieces.push(chunk.text);
    expect(pieces.filter(Boolean).length).toBeGreaterThan(1);
    expect(pieces.join('').length).toBeGreaterThan(10);
    expect(tap.creates()[0]!.request.stream).toBe(true);
  });

  it('round-trips a tool call', async () => {
    const getWeather = tool(async ({ city }) => `Sunny in ${city}`, {
      name: 'get_weather',
      description: 'Current weather for a city',
      schema: z.object({ city: z.string() }),
    });
    const model = chat().bindTools([getWeather]);
    const messages: BaseMessage[] = [new HumanMessage('What is the weather in Paris?')];
    const ai = await model.invoke(messages);
    expect(ai.tool_calls?.[0]).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
    messages.push(ai);
    for (const call of ai.tool_calls ?? []) messages.push(new ToolMessage({ tool_call_id: call.id!, content: await getWeather.invoke(call.args as { city: string }) }));
    const final = await model.invoke(messages);
    expect(final).toBeInstanceOf(AIMessage);
    expect(final.text.length).toBeGreaterThan(0);
    const msgs = lastBedrock().body.messages;
    expect(msgs[1].content[0].toolUse).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    expect(msgs[2].content[0].toolResult.content).toEqual([{ text: 'Sunny in Paris' }]);
  });

  it('returns structured output', async () => {
    const structured = chat().withStructuredOutput(z.object({ name: z.string(), born: z.number().int() }), { name: 'person' });
    const person = await structured.invoke('Who wrote Hamlet? Give name and birth year.');
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.born)).toBe(true);
  });
});
