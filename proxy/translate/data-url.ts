/**
 * `data:` URLs for images and files. Only base64 payloads are accepted (binary data in a
 * percent-encoded URL is not something clients send). Sizes are checked on the encoded
 * length before decoding, so an oversized upload costs no allocation.
 */
import type { LoadedImage } from './types.js';
import { invalidParam } from '../errors.js';
import { ACCEPTED_IMAGE_TYPES, IMAGE_MEDIA_TYPES, sniffImageFormat } from '../images/image-type.js';

export interface DataUrl {
  /** Lower-cased media type without parameters; '' when the URL names none. */
  mediaType: string;
  /** The base64 payload, undecoded. */
  base64: string;
}

/** Any character base64 (standard or URL-safe, line-wrapped) cannot hold. A negated class: linear, no backtracking. */
const NOT_BASE64 = /[^A-Za-z0-9+/=\-_\r\n]/;

export function parseDataUrl(url: string, param: string): DataUrl {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma === -1) throw invalidParam(param, `${param} is not a valid data URL`);
  const meta = url.slice(5, comma).split(';');
  if (meta[meta.length - 1]?.trim().toLowerCase() !== 'base64') {
    throw invalidParam(param, `${param} must be a base64 data URL (data:<type>;base64,<data>)`);
  }
  return { mediaType: (meta[0] ?? '').trim().toLowerCase(), base64: url.slice(comma + 1) };
}

/** Decoded size of a base64 string, from its length. */
export function base64DecodedLength(b64: string): number {
  let pad = 0;
  if (b64.endsWith('==')) pad = 2;
  else if (b64.endsWith('=')) pad = 1;
  return Math.floor((b64.length * 3) / 4) - pad;
}

export function decodeBase64(b64: string, param: string): Uint8Array {
  if (NOT_BASE64.test(b64)) throw invalidParam(param, `${param} holds invalid base64 data`);
  const buf = Buffer.from(b64, 'base64');
  if (buf.length === 0) throw invalidParam(param, `${param} holds no data`);
  // A plain Uint8Array view: same bytes, no copy.
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** An image data URL → Converse image; type, size and magic bytes checked. */
export function decodeImageDataUrl(url: string, param: string, maxBytes: number): LoadedImage {
  const { mediaType, base64 } = parseDataUrl(url, param);
  const format = IMAGE_MEDIA_TYPES[mediaType];
  if (!format) throw invalidParam(param, `image type ${mediaType || '(none)'} is not supported; accepted: ${ACCEPTED_IMAGE_TYPES}`);
  const size = base64DecodedLength(base64);
  if (size > maxBytes) throw invalidParam(param, `image is ${size} bytes, more than the ${maxBytes}-byte limit`);
  const bytes = decodeBase64(base64, param);
  const actual = sniffImageFormat(bytes);
  if (actual !== format) {
    throw invalidParam(param, `image is declared as ${mediaType} but the data is ${actual ? `a ${actual} image` : 'not a png, jpeg, gif or webp image'}`);
  }
  return { format, bytes };
}
