/**
 * The OpenAI Agents SDK in its default mode (the Responses API) against the proxy: a tool
 * agent, a handoff, streaming. Tracing is off (it would export to OpenAI).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { createTap, type Tap } from './support.js';

let rig: ProxyRig;
let tap: Tap;
let runner: Runner;
beforeAll(async () => {
  setTracingDisabled(true);
  rig = await startProxyRig();
  tap = createTap();
  const client = new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: 'unused', maxRetries: 0, fetch: tap.fetch });
  // The provider's default API is Responses (useResponses is not set).
  runner = new Runner({ modelProvider: new OpenAIProvider({ openAIClient: client }), tracingDisabled: true });
});
afterEach(async () => {
  await tap.assertValid();
});
afterAll(async () => rig?.close());

const lastBedrock = () => rig.fake.requests.at(-1)! as { body: any };

function agents() {
  const calls: string[] = [];
  const getWeather = tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return `Sunny and 21C in ${city}`;
    },
  });
  const weather = new Agent({ name: 'Weather', instructions: 'You answer weather questions using get_weather.', tools: [getWeather], model: 'gpt-4o' });
  const triage = new Agent({ name: 'Triage', instructions: 'Hand weather questions to the Weather agent.', handoffs: [weather], model: 'gpt-4o-mini' });
  return { weather, triage, calls };
}

describe('OpenAI Agents SDK (Responses mode)', () => {
  it('runs a tool agent to its final output', async () => {
    const { weather, calls } = agents();
    const result = await runner.run(weather, 'What is the weather in Paris?');
    expect(calls).toEqual(['Paris']);
    expect(typeof result.finalOutput).toBe('string');
    expect((result.finalOutput as string).length).toBeGreaterThan(0);
    const creates = tap.creates();
    expect(creates.length).toBe(2);
    // The second turn carries the call and its output back inline.
    const input = creates[1]!.request.input;
    expect(input.some((i: any) => i.type === 'function_call' && i.name === 'get_weather')).toBe(true);
    expect(input.some((i: any) => i.type === 'function_call_output')).toBe(true);
    expect(lastBedrock().body.system).toEqual([{ text: 'You answer weather questions using get_weather.' }]);
  });

  it('hands off to another agent, which then uses its tool', async () => {
    const { triage, weather, calls } = agents();
    rig.fake.enqueue(
      { output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_h1', name: 'transfer_to_Weather', input: {} } }] } }, stopReason: 'tool_use' },
      { output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_h2', name: 'get_weather', input: { city: 'Oslo' } } }] } }, stopReason: 'tool_use' },
    );
    const result = await runner.run(triage, 'What is the weather in Oslo?');
    expect(result.lastAgent?.name).toBe(weather.name);
    expect(calls).toEqual(['Oslo']);
    expect((result.finalOutput as string).length).toBeGreaterThan(0);
    const creates = tap.creates();
    expect(creates.map((c) => c.request.tools.map((t: any) => t.name))).toEqual([['transfer_to_Weather'], ['get_weather'], ['get_weather']]);
    // The weather agent sees the handoff call and its output as history.
    expect(lastBedrock().body.messages.some((m: any) => m.content.some((b: any) => b.toolResult?.toolUseId === 'tooluse_h1' || b.text?.includes('tooluse_h1')))).toBe(true);
  });

  it('streams a run, tool call included', async () => {
    const { weather, calls } = agents();
    const result = await runner.run(weather, 'What is the weather in Lisbon?', { stream: true });
    const kinds = new Set<string>();
    for await (const ev of result) kinds.add(ev.type === 'run_item_stream_event' ? `${ev.type}:${ev.name}` : ev.type);
    await result.completed;
    expect(calls).toEqual(['Lisbon']);
    expect(kinds).toContain('raw_model_stream_event');
    expect(kinds).toContain('run_item_stream_event:tool_called');
    expect(kinds).toContain('run_item_stream_event:tool_output');
    expect((result.finalOutput as string).length).toBeGreaterThan(0);
    expect(tap.creates().every((c) => c.request.stream === true)).toBe(true);
  });
});
