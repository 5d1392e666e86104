/**
 * The JSON body of a Converse / ConverseStream request, built once from the translated
 * input: everything but `modelId` (it travels in the path), blobs as base64.
 *
 * Common case (no binary content): one JSON.stringify, one UTF-8 buffer, hashed once for
 * the signature. With images or documents, the base64 is not pushed through JSON.stringify
 * (escaping megabytes of base64 costs more than the rest of the request): the JSON is built
 * with a marker in place of each blob and the base64 text is written between the pieces —
 * for data-URL images exactly the text the client sent (translate/data-url.ts). The SHA-256
 * the signature needs covers exactly these bytes.
 */
import { createHash, hash, randomBytes } from 'node:crypto';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { Base64Source } from '../translate/data-url.js';

export interface WireBody {
  /** The bytes to send, in order (one buffer unless there are blobs). */
  chunks: Buffer[];
  length: number;
  /** Hex SHA-256 of the bytes, for SigV4's payload hash. */
  sha256: string;
}

export function wireBody(json: string): WireBody {
  const buf = Buffer.from(json, 'utf8');
  return { chunks: [buf], length: buf.length, sha256: hash('sha256', buf, 'hex') };
}

export function converseBody(input: ConverseCommandInput): WireBody {
  const { modelId: _modelId, ...body } = input;
  if (!hasBlobs(input.messages)) return wireBody(JSON.stringify(body));
  return withBlobs(body);
}

/** Content blocks that can hold bytes: anything but text, tool use (JSON) and cache points. */
function hasBlobs(messages: ConverseCommandInput['messages']): boolean {
  if (!messages) return false;
  for (const m of messages) {
    const content = m.content;
    if (!content) continue;
    for (const block of content) {
      if (block.text !== undefined || block.toolUse !== undefined || block.cachePoint !== undefined) continue;
      if (containsBlob(block, 0)) return true;
    }
  }
  return false;
}

function containsBlob(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object' || depth > 12) return false;
  if (v instanceof Uint8Array || v instanceof Base64Source) return true;
  if (Array.isArray(v)) return v.some((x) => containsBlob(x, depth + 1));
  for (const k in v) if (containsBlob((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

// A marker no client text can produce: a NUL (escaped by JSON.stringify as \u0000) and a
// per-process random nonce nobody outside the process ever sees.
const NONCE = randomBytes(12).toString('hex');
const MARKER_PREFIX = `\u0000${NONCE}:`;
const SERIALIZED_PREFIX = JSON.stringify(MARKER_PREFIX).slice(0, -1);

function withBlobs(body: object): WireBody {
  const blobs: string[] = [];
  const json = JSON.stringify(body, (_key, value: unknown) => {
    // A Base64Source is the whole `source` member: `{ bytes }` with the client's base64.
    if (value instanceof Base64Source) {
      blobs.push(value.base64);
      return { bytes: `${MARKER_PREFIX}${blobs.length - 1}` };
    }
    if (value instanceof Uint8Array) {
      blobs.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
      return `${MARKER_PREFIX}${blobs.length - 1}`;
    }
    return value;
  });
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let length = 0;
  const add = (b: Buffer) => {
    chunks.push(b);
    hash.update(b);
    length += b.length;
  };
  let from = 0;
  for (let at = json.indexOf(SERIALIZED_PREFIX); at !== -1; at = json.indexOf(SERIALIZED_PREFIX, from)) {
    const end = json.indexOf('"', at + SERIALIZED_PREFIX.length);
    const index = Number(json.slice(at + SERIALIZED_PREFIX.length, end));
    // Up to and including the opening quote, then the base64 (ASCII), then on from the closing quote.
    add(Buffer.from(json.slice(from, at + 1), 'utf8'));
    add(Buffer.from(blobs[index]!, 'latin1'));
    from = end;
  }
  add(Buffer.from(json.slice(from), 'utf8'));
  return { chunks, length, sha256: hash.digest('hex') };
}
