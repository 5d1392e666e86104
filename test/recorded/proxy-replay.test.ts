/**
 * The whole proxy against recorded answers: the real `openai` SDK calls the proxy, the proxy calls
 * the fake Bedrock through the AWS SDK, and the fake answers with the recorded bytes (JSON bodies,
 * raw event streams with their padding and CRCs, recorded error bodies). What the client gets must
 * be what the response translation makes of the recording, schema-valid, streamed or not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { toChatCompletion } from '../../proxy/translate/convert-response.js';
import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { eventsToResponse, type StreamEvent } from '../../mock/bedrock/respond.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { META, makeState, sdkReassemble } from '../translate/response/helpers.js';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { loadRecordings, recording, shortName, type Recording } from './load.js';

type Json = Record<string, unknown>;

const replayable = loadRecordings().filter(
  (r) => r.response.status === 200 && (r.operation === 'Converse' || r.operation === 'ConverseStream'),
);

function recordedOutput(r: Recording): ConverseCommandOutput {
  return (r.response.json ?? eventsToResponse(r.response.events as StreamEvent[])) as unknown as ConverseCommandOutput;
}

/** An OpenAI request that makes the proxy ask for what the recording answers: its model, stop strings and tool names. */
function requestFor(r: Recording): { params: ChatCompletionCreateParams; stops: string[] } {
  const body = r.body ? (JSON.parse(r.body) as { inferenceConfig?: { stopSequences?: string[] } }) : {};
  const stops = body.inferenceConfig?.stopSequences ?? [];
  const content = (recordedOutput(r).output?.message?.content ?? []) as unknown as Json[];
  const names = [...new Set(content.flatMap((b) => {
    const tu = b.toolUse as Json | undefined;
    return tu && tu.type !== 'server_tool_use' ? [String(tu.name)] : [];
  }))];
  return {
    stops,
    params: {
      model: r.modelId,
      messages: [{ role: 'user', content: 'Hello' }],
      ...(stops.length ? { stop: stops } : {}),
      ...(names.length ? { tools: names.map((name) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } })) } : {}),
    },
  };
}

function replayStep(r: Recording) {
  if (r.response.bytes) return { replay: { status: 200, headers: r.response.headers, body: r.response.bytes } };
  if (r.response.events) return { events: r.response.events as StreamEvent[] };
  return { replay: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(r.response.json) } };
}

const comparable = (c: { choices: Array<{ message?: unknown; finish_reason: unknown }>; usage?: unknown }) => ({
  message: c.choices[0]!.message,
  finish_reason: c.choices[0]!.finish_reason,
  usage: c.usage,
});

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
beforeEach(() => rig.fake.reset());
afterAll(async () => {
  await rig.close();
});

describe('recorded answers through the whole proxy', () => {
  it.each(replayable.map((r) => [shortName(r), r] as const))('%s', async (_name, r) => {
    const { params, stops } = requestFor(r);
    const expected = toChatCompletion(recordedOutput(r), makeState({ stopSequences: stops }), META);

    if (r.operation === 'Converse') {
      rig.fake.enqueue(replayStep(r));
      const raw = await rig.client.chat.completions.create({ ...params, stream: false }).withResponse();
      const got = JSON.parse(JSON.stringify(raw.data)) as Json;
      expect(validateOpenAI('CreateChatCompletionResponse', got)).toEqual([]);
      expect(comparable(got as never)).toEqual(comparable(JSON.parse(JSON.stringify(expected)) as never));
      expect(raw.response.headers.get('x-nova-model')).toBe(r.modelId);
    } else {
      rig.fake.enqueue(replayStep(r));
      const stream = await rig.client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
      const chunks: ChatCompletionChunk[] = [];
      for await (const c of stream) chunks.push(c);
      for (const c of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', JSON.parse(JSON.stringify(c)))).toEqual([]);
      const final = await sdkReassemble(chunks);
      const exp = JSON.parse(JSON.stringify(expected)) as { choices: Array<{ message: Json }> };
      const reasoning = chunks.map((c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join('');
      expect(reasoning).toBe((exp.choices[0]!.message.reasoning_content as string | undefined) ?? '');
      expect(final.choices[0]!.message.content ?? null).toEqual(exp.choices[0]!.message.content);
      expect(final.choices[0]!.finish_reason).toBe((expected.choices[0]!.finish_reason));
      expect(chunks.at(-1)!.usage).toEqual(expected.usage);
    }
    // The proxy's own request was valid for the fake (a replay is sent only after validation).
    expect(rig.fake.requests).toHaveLength(1);
  });
});

describe('recorded errors through the whole proxy', () => {
  it('a mistyped Nova id: Bedrock 400 "The provided model identifier is invalid." → OpenAI 404 model_not_found', async () => {
    const r = recording('test_model_name_suggestion[bedrock].yaml#0');
    const err = await rig.client.chat.completions.create({ model: r.modelId, messages: [{ role: 'user', content: 'hello' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const e = err as InstanceType<typeof OpenAI.NotFoundError>;
    expect([e.status, e.code, e.param]).toEqual([404, 'model_not_found', 'model']);
    expect(e.message).toContain('The provided model identifier is invalid');
    // The same on a stream: an HTTP error before any event.
    const s = await rig.client.chat.completions.create({ model: r.modelId, messages: [{ role: 'user', content: 'hello' }], stream: true }).catch((x: unknown) => x);
    expect(s).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it.each([
    'amazon-bedrock-nova-2-high-reasoning-validation-error.json#0',
    'test_multimodal_tool_return_matrix[direct-uploaded_file-document-bedrock_nova].yaml#1',
    'amazon-bedrock-empty-message-validation-error.json#0',
  ])('%s replayed: 400 invalid_request_error quoting Bedrock', async (id) => {
    const r = recording(id);
    rig.fake.enqueue({ replay: { status: 400, headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/', ...r.response.headers }, body: JSON.stringify(r.response.json) } });
    const err = await rig.client.chat.completions.create({ model: 'us.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'hello' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.type).toBe('invalid_request_error');
    expect(e.message).toContain((r.response.json as { message: string }).message.replace(/\.$/, ''));
  });
});
