/**
 * `data:` URLs for images and files. Only base64 payloads are accepted (binary data in a
 * percent-encoded URL is not something clients send). Sizes are checked on the encoded
 * length before decoding, so an oversized upload costs no allocation.
 *
 * Images are not decoded at all: Bedrock's JSON wants base64, which is what the client
 * sent. The type is checked on the first bytes, the size on the length, and the text goes
 * into the request body as it came (see `Base64Source`).
 */
import type { ImageFormat } from '@aws-sdk/client-bedrock-runtime';
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

/**
 * Converse image/document source bytes that arrived as base64. The direct transport writes
 * `base64` into the request body untouched (no decode, no re-encode, no JSON escaping);
 * `bytes` decodes on first read, for the SDK transport (which encodes bytes itself) and
 * anything else that wants them. `bytes` is an own enumerable property, so the source
 * compares equal to `{ bytes }` and serialises like one.
 */
export class Base64Source {
  declare readonly bytes: Uint8Array;
  readonly #base64: string;
  #bytes: Uint8Array | undefined;

  /** `base64` must be standard base64 (A–Z a–z 0–9 + /, `=` padding only at the end). */
  constructor(base64: string, decoded?: Uint8Array) {
    this.#base64 = base64;
    this.#bytes = decoded;
    Object.defineProperty(this, 'bytes', { enumerable: true, get: () => (this.#bytes ??= toUint8Array(Buffer.from(this.#base64, 'base64'))) });
  }

  get base64(): string {
    return this.#base64;
  }
}

const toUint8Array = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.length);

/** Characters Buffer's decoder tolerates (line breaks, URL-safe alphabet) but Bedrock's JSON blobs don't. */
const LENIENT_CHARS = ['\n', '\r', ' ', '\t', '-', '_'];
const STRICT_HEAD = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A base64 payload as a source, checked without decoding it: a well-formed length and
 * padding, and a valid head (the caller sniffs the type from `head`). Payloads in the
 * lenient forms clients sometimes send (wrapped lines, URL-safe alphabet) are decoded and
 * re-encoded once, so what reaches Bedrock is always standard base64.
 */
export function base64Source(b64: string, param: string): { source: Base64Source; head: Uint8Array } {
  if (b64.length === 0) throw invalidParam(param, `${param} holds no data`);
  if (LENIENT_CHARS.some((c) => b64.includes(c))) {
    const bytes = decodeBase64(b64, param);
    return { source: new Base64Source(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'), bytes), head: bytes.subarray(0, 16) };
  }
  const eq = b64.indexOf('=');
  const headText = b64.slice(0, 24);
  if (b64.length % 4 === 1 || (eq !== -1 && eq < b64.length - 2) || (eq !== -1 && b64[b64.length - 1] !== '=') || !STRICT_HEAD.test(headText)) {
    throw invalidParam(param, `${param} holds invalid base64 data`);
  }
  const head = toUint8Array(Buffer.from(headText, 'base64'));
  if (head.length === 0) throw invalidParam(param, `${param} holds no data`);
  return { source: new Base64Source(b64), head };
}

/** An image data URL → Converse image source; type (magic bytes), size (length) checked, nothing decoded. */
export function imageDataUrl(url: string, param: string, maxBytes: number): { format: ImageFormat; source: Base64Source } {
  const { mediaType, base64 } = parseDataUrl(url, param);
  const format = IMAGE_MEDIA_TYPES[mediaType];
  if (!format) throw invalidParam(param, `image type ${mediaType || '(none)'} is not supported; accepted: ${ACCEPTED_IMAGE_TYPES}`);
  const size = base64DecodedLength(base64);
  if (size > maxBytes) throw invalidParam(param, `image is ${size} bytes, more than the ${maxBytes}-byte limit`);
  const { source, head } = base64Source(base64, param);
  const actual = sniffImageFormat(head);
  if (actual !== format) {
    throw invalidParam(param, `image is declared as ${mediaType} but the data is ${actual ? `a ${actual} image` : 'not a png, jpeg, gif or webp image'}`);
  }
  return { format, source };
}

/** An image data URL → decoded bytes (for callers that need them; request translation uses `imageDataUrl`). */
export function decodeImageDataUrl(url: string, param: string, maxBytes: number): LoadedImage {
  const { format, source } = imageDataUrl(url, param, maxBytes);
  return { format, bytes: source.bytes };
}
