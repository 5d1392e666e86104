import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig({}, { fake: { chunkDelayMs: 5 } });
});
afterAll(async () => rig?.close());

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const chunks: { chunk: OpenAI.Chat.Completions.ChatCompletionChunk }[] = [];
  for await (const chunk of stream) {
    expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    chunks.push({ chunk });
  }
  return chunks;
}

describe('streaming', () => {
  it('passes each delta through as it arrives, before Bedrock has finished', async () => {
    // Bedrock sends two deltas and then nothing more: a proxy that held output back until the
    // end of the stream would never deliver them (no timing involved).
    rig.fake.enqueue({
      events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hello' } } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ' world' } } }],
      hang: true,
    });
    const controller = new AbortController();
    const stream = await rig.client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text === 'Hello world') break;
    }
    controller.abort();
    expect(text).toBe('Hello world');
  });

  it('streams role first, content deltas as they arrive, a finish chunk and usage', async () => {
    const stream = await rig.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Tell me a short story about a robot learning to paint.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const first = chunks[0]!.chunk;
    expect(first.choices[0]!.delta.role).toBe('assistant');
    const ids = new Set(chunks.map((c) => c.chunk.id));
    expect(ids.size).toBe(1);
    const content = chunks.map((c) => c.chunk.choices[0]?.delta.content ?? '').join('');
    expect(content.length).toBeGreaterThan(20);
    const deltas = chunks.filter((c) => c.chunk.choices[0]?.delta.content);
    expect(deltas.length).toBeGreaterThan(2);
    const finish = chunks.find((c) => c.chunk.choices[0]?.finish_reason);
    expect(finish!.chunk.choices[0]!.finish_reason).toBe('stop');
    const last = chunks.at(-1)!.chunk;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    expect(last.model).toBe('gpt-4o-mini');
  });

  it('ends with data: [DONE] on the wire', async () => {
    const res = await fetch(`${rig.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-nova-model')).toBe('amazon.nova-lite-v1:0');
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text).not.toMatch(/"usage"/);
  });

  it('streams tool calls with a dense index, id and name first, then argument fragments', async () => {
    const stream = await rig.client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Look up the weather in Paris' }],
      tools: [{ type: 'function', function: { name: 'lookup.weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
      tool_choice: 'required',
    });
    const chunks = (await collect(stream)).map((c) => c.chunk);
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]!.index).toBe(0);
    expect(toolDeltas[0]!.id).toBeTruthy();
    expect(toolDeltas[0]!.function!.name).toBe('lookup.weather');
    expect(toolDeltas.slice(1).every((d) => d.id === undefined && d.index === 0)).toBe(true);
    const args = toolDeltas.map((d) => d.function?.arguments ?? '').join('');
    expect(typeof JSON.parse(args).city).toBe('string');
    expect(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('streams JSON text for response_format', async () => {
    const stream = await rig.client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'Give me a JSON object describing a cat' }],
      response_format: { type: 'json_object' },
    });
    const chunks = (await collect(stream)).map((c) => c.chunk);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(typeof JSON.parse(content)).toBe('object');
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
  });
});
