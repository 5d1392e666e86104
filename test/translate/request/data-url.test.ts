import { describe, expect, it } from 'vitest';
import { OpenAIHttpError } from '../../../proxy/errors.js';
import { base64DecodedLength, decodeImageDataUrl, parseDataUrl } from '../../../proxy/translate/data-url.js';
import { sniffImageFormat } from '../../../proxy/images/image-type.js';
import { GIF, JPEG, PNG, WEBP, dataUrl } from './helpers.js';

describe('data URLs', () => {
  it('parses media type and payload, ignoring parameters and case', () => {
    expect(parseDataUrl('data:Image/PNG;charset=x;base64,AAAA', 'p')).toEqual({ mediaType: 'image/png', base64: 'AAAA' });
  });

  it('computes decoded length from the encoded length', () => {
    expect([base64DecodedLength('AAAA'), base64DecodedLength('AAA='), base64DecodedLength('AA==')]).toEqual([3, 2, 1]);
  });

  it('decodes a large image quickly and without copying into a Buffer subclass', () => {
    const big = new Uint8Array(3_000_000);
    big.set(PNG);
    const url = dataUrl('image/png', big);
    const t = performance.now();
    const img = decodeImageDataUrl(url, 'p', 3_750_000);
    expect(performance.now() - t).toBeLessThan(500);
    expect(img.format).toBe('png');
    expect(img.bytes.length).toBe(3_000_000);
    expect(Object.getPrototypeOf(img.bytes)).toBe(Uint8Array.prototype);
  });

  it('rejects pathological payloads in linear time', () => {
    const url = `data:image/png;base64,${'\n'.repeat(2_000_000)}@`;
    const t = performance.now();
    expect(() => decodeImageDataUrl(url, 'p', 3_750_000)).toThrow(OpenAIHttpError);
    expect(performance.now() - t).toBeLessThan(500);
  });

  it('sniffs the four formats and nothing else', () => {
    expect([PNG, JPEG, GIF, WEBP, new Uint8Array([0x42, 0x4d, 0, 0])].map(sniffImageFormat)).toEqual(['png', 'jpeg', 'gif', 'webp', undefined]);
  });
});
