import { describe, expect, it } from 'vitest';
import { OpenAIHttpError } from '../../../proxy/errors.js';
import { Base64Source, base64DecodedLength, decodeImageDataUrl, imageDataUrl, parseDataUrl } from '../../../proxy/translate/data-url.js';
import { sniffImageFormat } from '../../../proxy/images/image-type.js';
import { GIF, JPEG, PNG, WEBP, dataUrl } from './helpers.js';

describe('data URLs', () => {
  it('parses media type and payload, ignoring parameters and case', () => {
    expect(parseDataUrl('data:Image/PNG;charset=x;base64,AAAA', 'p')).toEqual({ mediaType: 'image/png', base64: 'AAAA' });
  });

  it('computes decoded length from the encoded length', () => {
    expect([base64DecodedLength('AAAA'), base64DecodedLength('AAA='), base64DecodedLength('AA==')]).toEqual([3, 2, 1]);
  });

  it('decodes a large image into a plain Uint8Array view', () => {
    const big = new Uint8Array(3_000_000);
    big.set(PNG);
    const img = decodeImageDataUrl(dataUrl('image/png', big), 'p', 3_750_000);
    expect(img.format).toBe('png');
    expect(img.bytes.length).toBe(3_000_000);
    expect(Object.getPrototypeOf(img.bytes)).toBe(Uint8Array.prototype);
  });

  it('rejects a payload of line breaks and an invalid character', () => {
    expect(() => decodeImageDataUrl(`data:image/png;base64,${'\n'.repeat(2_000_000)}@`, 'p', 3_750_000)).toThrow(OpenAIHttpError);
  });

  it('sniffs the four formats and nothing else', () => {
    expect([PNG, JPEG, GIF, WEBP, new Uint8Array([0x42, 0x4d, 0, 0])].map(sniffImageFormat)).toEqual(['png', 'jpeg', 'gif', 'webp', undefined]);
  });

  it('passes the base64 on untouched: checked from its head and length, decoded only when bytes are read', () => {
    const big = new Uint8Array(3_000).fill(7);
    big.set(PNG);
    const b64 = Buffer.from(big).toString('base64');
    const img = imageDataUrl(`data:image/png;base64,${b64}`, 'p', 3_750_000);
    expect(img.format).toBe('png');
    expect(img.source).toBeInstanceOf(Base64Source);
    expect(img.source.base64).toBe(b64);
    expect(Buffer.from(img.source.bytes).equals(Buffer.from(big))).toBe(true);
    expect(img.source).toEqual({ bytes: big });
  });

  it('normalises wrapped and URL-safe payloads to standard base64', () => {
    const bytes = new Uint8Array([...PNG, 0xfb, 0xff, 0xfe, 0x3e, 0x3f]);
    const std = Buffer.from(bytes).toString('base64');
    const wrapped = `${Buffer.from(bytes).toString('base64url').slice(0, 8)}\r\n${Buffer.from(bytes).toString('base64url').slice(8)}`;
    const img = imageDataUrl(`data:image/png;base64,${wrapped}`, 'p', 1000);
    expect(img.source.base64).toBe(std);
  });

  it.each([
    ['misplaced padding', 'iVBO=w0KGgo='],
    ['an impossible length', 'iVBORw0KG'],
    ['a bad head', '@@@@iVBORw0KGgo='],
    ['nothing', ''],
  ])('rejects %s', (_, payload) => {
    expect(() => imageDataUrl(`data:image/png;base64,${payload}`, 'p', 1000)).toThrow(OpenAIHttpError);
  });
});
