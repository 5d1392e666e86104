/**
 * Today's model names and `file` parts with images, through the real openai SDK against the
 * fake Bedrock; every response schema-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { PNG } from '../translate/request/helpers.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
afterAll(async () => rig?.close());

const last = () => rig.fake.requests.at(-1)! as { modelId: string; body: any };

describe('current OpenAI model names', () => {
  it.each([
    ['gpt-5', 'us.amazon.nova-2-lite-v1:0'],
    ['gpt-5-mini', 'us.amazon.nova-2-lite-v1:0'],
    ['gpt-5-nano-2025-08-07', 'us.amazon.nova-2-lite-v1:0'],
    ['gpt-5.2', 'us.amazon.nova-2-lite-v1:0'],
    ['o3', 'us.amazon.nova-2-lite-v1:0'],
    ['o4-mini-2025-04-16', 'us.amazon.nova-2-lite-v1:0'],
    ['gpt-4.1', 'us.amazon.nova-2-lite-v1:0'],
    ['gpt-4.1-mini', 'amazon.nova-lite-v1:0'],
    ['chatgpt-4o-latest', 'amazon.nova-pro-v1:0'],
  ])('%s → %s', async (model, bedrockId) => {
    const { data, response } = await rig.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(validateOpenAI('CreateChatCompletionResponse', data)).toEqual([]);
    expect(data.model).toBe(model);
    expect(response.headers.get('x-nova-model')).toBe(bedrockId);
    expect(last().modelId).toBe(bedrockId);
  });

  it('carries reasoning_effort of reasoning models to Nova 2 reasoning', async () => {
    const data = await rig.client.chat.completions.create({ model: 'o4-mini', reasoning_effort: 'medium', messages: [{ role: 'user', content: 'Why is the sky blue?' }] });
    expect(validateOpenAI('CreateChatCompletionResponse', data)).toEqual([]);
    expect(last().body.additionalModelRequestFields).toEqual({ reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } });
    await rig.client.chat.completions.create({ model: 'gpt-5-mini', reasoning_effort: 'minimal', messages: [{ role: 'user', content: 'hi' }] });
    expect(last().body.additionalModelRequestFields).toBeUndefined();
  });

  it('streams for a gpt-5 family model', async () => {
    const stream = await rig.client.chat.completions.create({ model: 'gpt-5.1', stream: true, messages: [{ role: 'user', content: 'Hello' }] });
    let text = '';
    for await (const chunk of stream) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text.length).toBeGreaterThan(0);
    expect(last().modelId).toBe('us.amazon.nova-2-lite-v1:0');
  });
});

describe('file parts', () => {
  it('sends an image in a file part as an image block, next to a PDF document', async () => {
    const pdf = Buffer.from('%PDF-1.4 minimal');
    const data = await rig.client.chat.completions.create({
      model: 'gpt-4.1-nano',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'file', file: { filename: 'chart.png', file_data: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}` } },
            { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf.toString('base64')}` } },
          ],
        },
      ],
    });
    expect(validateOpenAI('CreateChatCompletionResponse', data)).toEqual([]);
    const content = last().body.messages[0].content;
    expect(content[0]).toEqual({ text: 'What is in these?' });
    expect(content[1].image.format).toBe('png');
    expect(Buffer.from(content[1].image.source.bytes, 'base64')).toEqual(Buffer.from(PNG));
    expect(content[2].document).toMatchObject({ format: 'pdf', name: 'report' });
  });
});
