import { expect } from 'vitest';
import { NOVA_MODELS, type NovaModel } from '../../../proxy/models.js';
import { OpenAIHttpError } from '../../../proxy/errors.js';
import { prepareConverse } from '../../../proxy/translate/prepare-converse.js';
import type { ChatCompletionCreateParams, ImageLoader, PreparedConverse, TranslateContext } from '../../../proxy/translate/types.js';
import { validateConverseRequest } from '../../../mock/spec/bedrock-validator.js';

export const LITE = NOVA_MODELS['amazon.nova-lite-v1:0']!;
export const MICRO = NOVA_MODELS['amazon.nova-micro-v1:0']!;
export const NOVA2 = NOVA_MODELS['amazon.nova-2-lite-v1:0']!;

export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
export const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0]);
export const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50]);

export function dataUrl(type: string, bytes: Uint8Array): string {
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

export const noLoader: ImageLoader = async (url) => {
  throw new Error(`unexpected image fetch ${url}`);
};

export function ctxFor(model: NovaModel = LITE, over: Partial<TranslateContext> = {}): TranslateContext {
  return { bedrockModelId: model.id, model, loadImage: noLoader, maxImageBytes: 3_750_000, ...over };
}

export function body(extra: Record<string, unknown>): ChatCompletionCreateParams {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], ...extra } as ChatCompletionCreateParams;
}

/** prepareConverse, then prove Bedrock (the spec + Nova rules validator) accepts the output. */
export async function prepare(b: Record<string, unknown>, ctx: TranslateContext = ctxFor()): Promise<PreparedConverse> {
  const out = await prepareConverse(body(b), ctx);
  const { modelId, ...rest } = out.input;
  const wire = toWire(rest);
  expect(validateConverseRequest('Converse', modelId!, wire)).toBeUndefined();
  expect(validateConverseRequest('ConverseStream', modelId!, wire)).toBeUndefined();
  return out;
}

/** The OpenAIHttpError prepareConverse rejects with. */
export async function reject(b: Record<string, unknown>, ctx: TranslateContext = ctxFor()): Promise<OpenAIHttpError> {
  try {
    await prepareConverse(body(b), ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(OpenAIHttpError);
    expect((err as OpenAIHttpError).status).toBe(400);
    return err as OpenAIHttpError;
  }
  throw new Error('expected prepareConverse to reject');
}

/** What the SDK puts on the wire: blobs as base64. */
export function toWire(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toWire);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  return v;
}
