import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { checkConverseRequest, formatIssues, servicePath, validateConverseRequest, validateShape } from '../../mock/spec/bedrock-validator.js';
import { startFakeBedrock } from '../../mock/fake-bedrock.js';
import type { FakeBedrock } from '../../mock/fake-bedrock.js';

const LITE = 'us.amazon.nova-lite-v1:0';
// 1×1 transparent PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

type Body = Record<string, unknown>;
const user = (text: string): Body => ({ role: 'user', content: [{ text }] });
const simple = (extra: Body = {}): Body => ({ messages: [user('Hello')], ...extra });
const check = (body: unknown, modelId = LITE): string | undefined => validateConverseRequest('Converse', modelId, body);

const weatherSchema = {
  type: 'object',
  properties: {
    location: { type: 'string', description: 'City name' },
    // A property *named* title is an ordinary property, not the `title` keyword.
    title: { type: 'string' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['location'],
};

/** A correct request using most of the Converse surface (wire form: blobs are base64). */
function richBody(): Body {
  return {
    system: [{ text: 'You are a weather assistant.' }, { cachePoint: { type: 'default' } }],
    messages: [
      { role: 'user', content: [{ text: 'What is in this picture, and the weather in Paris?' }, { image: { format: 'png', source: { bytes: PNG_BASE64 } } }] },
      { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_abc123', name: 'get_weather', input: { location: 'Paris' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_abc123', content: [{ json: { temperature: 21 } }, { text: 'clear sky' }], status: 'success' } }] },
      { role: 'assistant', content: [{ text: 'It is 21 degrees and clear.' }] },
      { role: 'user', content: [{ text: 'Thanks! Give me that as JSON.' }, { cachePoint: { type: 'default' } }] },
    ],
    inferenceConfig: { maxTokens: 512, temperature: 0.7, topP: 0.9, stopSequences: ['END'] },
    toolConfig: {
      tools: [{ toolSpec: { name: 'get_weather', description: 'Current weather', inputSchema: { json: weatherSchema } } }],
      toolChoice: { auto: {} },
    },
    additionalModelRequestFields: { inferenceConfig: { topK: 50 } },
    outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify({ type: 'object', properties: { temperature: { type: 'number' } } }), name: 'weather' } } } },
    requestMetadata: { app: 'nova-migrate' },
  };
}

describe('validateShape (service model constraints)', () => {
  it('accepts a correct rich request', () => {
    expect(validateShape('ConverseRequest', { modelId: LITE, ...richBody() })).toEqual([]);
    expect(check(richBody())).toBeUndefined();
    expect(validateConverseRequest('ConverseStream', 'amazon.nova-pro-v1:0', richBody())).toBeUndefined();
  });

  it('reports paths with 0-based indexes and service-style messages with 1-based member paths', () => {
    const body = simple({
      messages: [user('hi'), { role: 'assistant', content: [{ text: 'ok' }, { image: { format: 'bmp', source: { bytes: PNG_BASE64 } } }] }],
    });
    const issues = validateShape('ConverseRequest', { modelId: LITE, ...body });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('messages.1.content.1.image.format');
    expect(servicePath('messages.1.content.1.image.format', 'ConverseRequest')).toBe('messages.2.member.content.2.member.image.format');
    expect(formatIssues('ConverseRequest', issues)).toBe(
      "1 validation error detected: Value 'bmp' at 'messages.2.member.content.2.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
    );
  });

  it('rejects a bad enum value for role', () => {
    expect(check({ messages: [user('hi'), { role: 'bot', content: [{ text: 'x' }] }] })).toBe(
      "1 validation error detected: Value 'bot' at 'messages.2.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant, system]",
    );
  });

  it('rejects temperature and topP above 1', () => {
    expect(check(simple({ inferenceConfig: { temperature: 1.5 } }))).toBe(
      "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
    );
    const two = check(simple({ inferenceConfig: { topP: 2, maxTokens: 0 } }));
    expect(two).toMatch(/^2 validation errors detected: /);
    expect(two).toContain("Value '2' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value less than or equal to 1; ");
    expect(two).toContain("Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('rejects unknown members', () => {
    const msg = check(simple({ inferenceConfig: { topK: 40 } }));
    expect(msg).toMatch(/^1 validation error detected: Value '40' at 'inferenceConfig.topK' failed to satisfy constraint: Member is not a known member of InferenceConfiguration/);
    expect(check({ ...simple(), response_format: { type: 'json_object' } })).toMatch(/'response_format'/);
  });

  it('requires exactly one member of a union', () => {
    const twoMembers = check({ messages: [{ role: 'user', content: [{ text: 'hi', image: { format: 'png', source: { bytes: PNG_BASE64 } } }] }] });
    expect(twoMembers).toMatch(/at 'messages.1.member.content.1.member' failed to satisfy constraint: Member must have exactly one of its union members set/);
    expect(check({ messages: [{ role: 'user', content: [{}] }] })).toMatch(/exactly one .* found none/);
    expect(check(simple({ toolConfig: { tools: [{ toolSpec: { name: 'a', inputSchema: { json: {} } } }], toolChoice: { auto: {}, any: {} } } }))).toMatch(/'toolConfig.toolChoice'/);
  });

  it('checks required members, types, lengths, patterns and blobs', () => {
    expect(check({ messages: [{ role: 'user' }] })).toBe("1 validation error detected: Value null at 'messages.1.member.content' failed to satisfy constraint: Member must not be null");
    expect(check({ messages: [{ role: 'user', content: 'hi' }] })).toMatch(/Member must be a list/);
    expect(check(simple({ inferenceConfig: { maxTokens: 1.5 } }))).toMatch(/Member must be an integer/);
    const badTool = simple({ toolConfig: { tools: [{ toolSpec: { name: 'get weather', inputSchema: { json: {} } } }] } });
    expect(check(badTool)).toBe("1 validation error detected: Value 'get weather' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+");
    expect(check(simple({ system: [{ text: '' }] }))).toMatch(/at 'system.1.member.text' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    const badBlob = { messages: [{ role: 'user', content: [{ text: 'x' }, { image: { format: 'png', source: { bytes: 'not base64!' } } }] }] };
    // ImageSource is sensitive: the value is redacted like the service does.
    expect(check(badBlob)).toMatch(/Value '\*\*\* Sensitive Data Redacted \*\*\*' at 'messages.1.member.content.2.member.image.source.bytes'/);
  });
});

describe('Nova rules', () => {
  it('requires the conversation to start with a user message and to alternate', () => {
    expect(check({ messages: [{ role: 'assistant', content: [{ text: 'Hi' }] }] })).toBe('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
    expect(check({ messages: [] })).toMatch(/must start with a user message/);
    expect(check({ messages: [user('a'), { role: 'assistant', content: [] }] })).toBe('The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again.');
    expect(check({ messages: [user('a'), user('b')] })).toBe('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
  });

  it('rejects blank text blocks and blank system text', () => {
    expect(check({ messages: [user('hi'), { role: 'assistant', content: [{ text: '' }] }] })).toBe('The text field in the ContentBlock object at messages.1.content.0 is blank. Add text to the text field, and try again.');
    expect(check({ messages: [{ role: 'user', content: [{ text: 'hi' }, { text: '  \n' }] }] })).toMatch(/messages.0.content.1 is blank/);
    expect(check(simple({ system: [{ text: '   ' }] }))).toMatch(/SystemContentBlock object at system.0 is blank/);
  });

  it('rejects forbidden keys in tool input schemas, wherever the schema node is; accepts the recorded ones', () => {
    const withSchema = (json: unknown): Body => simple({ toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json } } }] } });
    expect(check(withSchema({ type: 'object', $defs: { A: { type: 'string' } }, properties: { a: { $ref: '#/$defs/A' } } }))).toBe(
      'The model returned the following errors: Malformed input request: #: extraneous key [$defs] is not permitted, please reformat your input and try again.',
    );
    expect(check(withSchema({ type: 'object', properties: { a: { type: 'array', items: { type: 'object', $ref: '#/x' } } } }))).toMatch(/#\/properties\/a\/items: extraneous key \[\$ref\]/);
    // Recorded as accepted (test/recorded): title at the top and in properties, format, additionalProperties.
    expect(check(withSchema({ type: 'object', title: 'Response', additionalProperties: false, properties: { d: { type: 'string', format: 'date', title: 'D' } } }))).toBeUndefined();
    expect(check(withSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }))).toMatch(/extraneous key \[\$schema\]/);
    expect(check(withSchema({ type: 'object', anyOf: [{ definitions: {} }] }))).toMatch(/#\/anyOf\/0: extraneous key \[definitions\]/);
    expect(check(withSchema(weatherSchema))).toBeUndefined();
  });

  it('limits topK and allows reasoningConfig only on Nova 2', () => {
    expect(check(simple({ additionalModelRequestFields: { inferenceConfig: { topK: 500 } } }))).toBe(
      'The model returned the following errors: Malformed input request: #/inferenceConfig/topK: 500 is not less or equal to 128, please reformat your input and try again.',
    );
    const reasoning = simple({ additionalModelRequestFields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } } });
    expect(check(reasoning, 'amazon.nova-lite-v1:0')).toBe('The model returned the following errors: Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.');
    expect(check(reasoning, 'us.amazon.nova-2-lite-v1:0')).toBeUndefined();
    expect(check(reasoning, 'amazon.nova-2-lite-v1:0')).toBeUndefined();
    expect(check(simple({ additionalModelRequestFields: { reasoningConfig: { type: 'on' } } }), 'global.amazon.nova-2-lite-v1:0')).toMatch(/reasoningConfig\/type/);
  });

  it('rejects images on Nova Micro only', () => {
    const image = { messages: [{ role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: PNG_BASE64 } } }] }] };
    expect(check(image, 'us.amazon.nova-micro-v1:0')).toMatch(/doesn't support the image content block/);
    expect(check(image, 'us.amazon.nova-pro-v1:0')).toBeUndefined();
  });

  it('checks tool plumbing: toolConfig present, results answer the previous toolUse', () => {
    const body = richBody();
    delete body.toolConfig;
    expect(check(body)).toBe('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
    const wrongId = richBody();
    ((wrongId.messages as Body[])[2]!.content as Body[])[0] = { toolResult: { toolUseId: 'tooluse_other', content: [{ text: 'x' }] } };
    expect(check(wrongId)).toMatch(/toolUseId tooluse_other, which does not match any toolUse block of the previous turn/);
    const tooMany = richBody();
    ((tooMany.messages as Body[])[2]!.content as Body[]).push({ toolResult: { toolUseId: 'tooluse_abc123', content: [{ text: 'again' }] } });
    expect(check(tooMany)).toBe('The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.');
  });

  it('rejects cachePoint among tools and maxTokens above the model limit', () => {
    const cached = simple({ toolConfig: { tools: [{ toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } }, { cachePoint: { type: 'default' } }] } });
    expect(check(cached)).toMatch(/doesn't support cachePoint in toolConfig.tools/);
    expect(check(simple({ inferenceConfig: { maxTokens: 16_384 } }))).toMatch(/exceeds the model limit of 10000/);
    expect(check(simple({ inferenceConfig: { maxTokens: 16_384 } }), 'us.amazon.nova-2-lite-v1:0')).toBeUndefined();
  });

  it('resolves model IDs: unknown models, profiles and ARNs', () => {
    expect(checkConverseRequest('Converse', 'anthropic.claude-3-haiku-20240307-v1:0', simple())).toEqual({
      errorType: 'ValidationException',
      message: 'The provided model identifier is invalid.',
    });
    for (const id of ['amazon.nova-pro-v1:0', 'eu.amazon.nova-lite-v1:0', 'apac.amazon.nova-micro-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0']) {
      expect(check(simple(), id)).toBeUndefined();
    }
    expect(validateConverseRequest('Converse', 'amazon.nova-lite-v1:0', simple(), { requireInferenceProfile: true })).toBe(
      "Invocation of model ID amazon.nova-lite-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    );
    expect(validateConverseRequest('Converse', LITE, simple(), { requireInferenceProfile: true })).toBeUndefined();
  });
});

describe('what the SDK puts on the wire passes validation', () => {
  let fake: FakeBedrock;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    fake = await startFakeBedrock();
    client = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  it('accepts a rich SDK request (image bytes, tools, toolUse/toolResult, outputConfig) on both operations', async () => {
    const wire = richBody();
    const input = {
      ...wire,
      modelId: LITE,
      messages: (wire.messages as Body[]).map((m) => ({
        ...m,
        content: (m.content as Body[]).map((b) => (b.image ? { image: { format: 'png', source: { bytes: Buffer.from(PNG_BASE64, 'base64') } } } : b)),
      })),
    } as unknown as ConverseCommandInput;
    const res = await client.send(new ConverseCommand(input));
    expect(res.output?.message?.content?.[0]?.text).toMatch(/^\{.*"temperature":/);
    const stream = await client.send(new ConverseStreamCommand(input));
    for await (const _ of stream.stream ?? []) { /* drain */ }
    const sent = fake.requests[0]!.body as Body;
    expect(((sent.messages as Body[])[0]!.content as Body[])[1]).toEqual({ image: { format: 'png', source: { bytes: PNG_BASE64 } } });
  });

  it('rejects what the service rejects, with the same exception', async () => {
    const err = await client.send(new ConverseCommand({
      modelId: 'us.amazon.nova-micro-v1:0',
      messages: [{ role: 'user', content: [{ text: 'hi' }, { image: { format: 'png', source: { bytes: Buffer.from(PNG_BASE64, 'base64') } } }] }],
    })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ValidationException');
    expect((err as Error).message).toMatch(/image content block/);
  });
});
