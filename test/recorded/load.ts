/**
 * Loads the recorded Amazon Nova traffic in test/recorded/data (see its README) into one
 * shape, whatever the source format: pydantic-ai VCR cassettes (YAML, base64 event streams),
 * openinference nock recordings (JSON, hex event streams, real headers) and vercel/ai fixtures
 * (bare bodies and decoded stream lines). Event streams are decoded with the same codec the
 * AWS SDK uses. Reads only the in-repo copy, so a plain clone runs the suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { decodeFrames } from '../../mock/bedrock/event-stream.js';
import type { StreamEvent } from '../../mock/fake-bedrock.js';

export const DATA_DIR = fileURLToPath(new URL('./data/bedrock/', import.meta.url));

export type RecordedOperation = 'Converse' | 'ConverseStream' | 'CountTokens' | 'InvokeModel' | 'InvokeModelWithResponseStream';
export type RecordingSource = 'pydantic/pydantic-ai' | 'Arize-ai/openinference' | 'vercel/ai';

export interface RecordedResponse {
  status: number;
  /** Response headers as recorded, names lower-cased (pydantic-ai keeps few, vercel/ai almost none). */
  headers: Record<string, string>;
  /** The JSON body of a non-stream answer or of an error. */
  json?: unknown;
  /** The raw `application/vnd.amazon.eventstream` bytes, when the recording kept them. */
  bytes?: Uint8Array;
  /**
   * The stream as ConverseStream events (`{ messageStart: {...} }`…), payloads as sent (the `p`
   * padding included where the bytes were recorded). InvokeModelWithResponseStream chunks are
   * unwrapped to the events they carry.
   */
  events?: StreamEvent[];
}

export interface Recording {
  /** `<file relative to data/bedrock>#<interaction>` */
  id: string;
  file: string;
  source: RecordingSource;
  operation: RecordedOperation;
  /** Model id as in the request path, decoded. */
  modelId: string;
  /** The exact request body text; undefined when the source did not store the request. */
  body?: string;
  /** Set when the request was not recorded but rebuilt from the test that served the fixture: where from. */
  rebuilt?: string;
  response: RecordedResponse;
}

const OPERATIONS: Record<string, RecordedOperation> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  'count-tokens': 'CountTokens',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
};

function route(pathOrUri: string): { operation: RecordedOperation; modelId: string } {
  const m = /\/model\/([^/]+)\/([a-z-]+)$/.exec(pathOrUri);
  const operation = m ? OPERATIONS[m[2]!] : undefined;
  if (!m || !operation) throw new Error(`recorded path not understood: ${pathOrUri}`);
  return { operation, modelId: decodeURIComponent(m[1]!) };
}

function sourceOf(file: string): RecordingSource {
  if (file.startsWith('pydantic/')) return 'pydantic/pydantic-ai';
  if (file.startsWith('Arize-ai/')) return 'Arize-ai/openinference';
  return 'vercel/ai';
}

/** Decodes raw event-stream bytes to ConverseStream events (unwrapping InvokeModel `chunk` frames). */
export function eventsFromBytes(bytes: Uint8Array): StreamEvent[] {
  return decodeFrames(bytes).map(({ headers, body }) => {
    const type = headers[':event-type'] ?? headers[':exception-type'] ?? 'unknown';
    if (type === 'chunk') {
      const { bytes: inner } = body as { bytes: string };
      return JSON.parse(Buffer.from(inner, 'base64').toString('utf8')) as StreamEvent;
    }
    return { [type]: body } as StreamEvent;
  });
}

function lowerHeaders(pairs: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k.toLowerCase()] = v;
  return out;
}

// ---------------------------------------------------------------- pydantic-ai (VCR YAML)

interface Cassette {
  interactions: Array<{
    request: { body: string; uri: string };
    response: {
      status: { code: number };
      headers?: Record<string, Array<string | Uint8Array>>;
      parsed_body?: unknown;
      body?: { string: string | Uint8Array };
    };
  }>;
}

const text = (v: string | Uint8Array): string => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));

function loadCassette(file: string, raw: string): Recording[] {
  const doc = parse(raw, { customTags: ['binary'] }) as Cassette;
  return doc.interactions.map((it, i) => {
    const headers = lowerHeaders(Object.entries(it.response.headers ?? {}).map(([k, v]) => [k, text(v[0] ?? '')]));
    const response: RecordedResponse = { status: it.response.status.code, headers };
    const body = it.response.body?.string;
    if (it.response.parsed_body !== undefined) response.json = it.response.parsed_body;
    else if (body instanceof Uint8Array) {
      response.bytes = body;
      response.events = eventsFromBytes(body);
    } else if (typeof body === 'string' && body !== '') response.json = JSON.parse(body);
    return { id: `${file}#${i}`, file, source: sourceOf(file), ...route(it.request.uri), body: it.request.body, response };
  });
}

// ---------------------------------------------------------------- openinference (nock JSON)

interface NockRecording {
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  rawHeaders: string[];
}

function loadNock(file: string, raw: string): Recording[] {
  return (JSON.parse(raw) as NockRecording[]).map((it, i) => {
    const pairs: Array<[string, string]> = [];
    for (let k = 0; k + 1 < it.rawHeaders.length; k += 2) pairs.push([it.rawHeaders[k]!, it.rawHeaders[k + 1]!]);
    const response: RecordedResponse = { status: it.status, headers: lowerHeaders(pairs) };
    if (typeof it.response === 'string' && /^[0-9a-f]+$/.test(it.response) && it.response.length % 2 === 0) {
      response.bytes = Uint8Array.from(Buffer.from(it.response, 'hex'));
      response.events = eventsFromBytes(response.bytes);
    } else {
      response.json = it.response;
    }
    // nock stores the parsed body; serialising it again gives the same JSON the client sent.
    return { id: `${file}#${i}`, file, source: sourceOf(file), ...route(it.path), body: JSON.stringify(it.body), response };
  });
}

// ---------------------------------------------------------------- vercel/ai (fixtures)

const VAI = 'vercel/ai/packages/amazon-bedrock/src/__fixtures__/';

/**
 * The requests behind the vercel/ai fixtures, which store only responses. Each is rebuilt from
 * the vercel/ai test that serves the fixture (named in `rebuilt`), at the fixture's commit.
 */
interface RebuiltRequest {
  fixture: string;
  /** Picks one variant out of a fixture holding several (`withReasoningConfig`…). */
  variant?: string;
  modelId: string;
  operation: RecordedOperation;
  body: object;
  rebuilt: string;
}

const NOVA2_HELLO = { system: [{ text: 'System Prompt' }], messages: [{ role: 'user', content: [{ text: 'Hello' }] }] };
const HIGH = { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } };

export const REBUILT: RebuiltRequest[] = [
  {
    fixture: 'amazon-bedrock-nova-2-high-reasoning-validation-error.json',
    modelId: 'us.amazon.nova-2-lite-v1:0',
    operation: 'Converse',
    body: { ...NOVA2_HELLO, inferenceConfig: { maxTokens: 1024 }, additionalModelRequestFields: HIGH },
    rebuilt: 'vercel/ai test "does not send Nova 2 high reasoning with maxTokens": served when reasoningConfig is enabled+high and inferenceConfig.maxTokens is set (prompt "System Prompt" / "Hello", maxOutputTokens 1024)',
  },
  {
    fixture: 'amazon-bedrock-nova-2-high-reasoning-success.json',
    modelId: 'us.amazon.nova-2-lite-v1:0',
    operation: 'Converse',
    body: { ...NOVA2_HELLO, additionalModelRequestFields: HIGH },
    rebuilt: 'the same vercel/ai test: served for enabled+high without inferenceConfig.maxTokens',
  },
  {
    fixture: 'amazon-bedrock-nova-micro-portable-reasoning.json',
    variant: 'withReasoningConfig',
    modelId: 'us.amazon.nova-micro-v1:0',
    operation: 'Converse',
    // The fixture does not store which reasoningConfig value was sent; any value is refused on Nova 1.
    body: { messages: [{ role: 'user', content: [{ text: 'Hello' }] }], additionalModelRequestFields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } } },
    rebuilt: 'vercel/ai portable-reasoning test on the Nova Micro id: the request with a reasoningConfig (value not stored)',
  },
  {
    fixture: 'amazon-bedrock-nova-micro-portable-reasoning.json',
    variant: 'withoutReasoningConfig',
    modelId: 'us.amazon.nova-micro-v1:0',
    operation: 'Converse',
    body: { messages: [{ role: 'user', content: [{ text: 'Hello' }] }] },
    rebuilt: 'the same test: the request without a reasoningConfig',
  },
  {
    fixture: 'amazon-bedrock-empty-message-validation-error.json',
    modelId: 'us.amazon.nova-2-lite-v1:0',
    operation: 'Converse',
    body: {
      messages: [
        { role: 'user', content: [{ text: 'think hard then answer' }] },
        { role: 'assistant', content: [] },
        { role: 'user', content: [{ text: 'hello?' }] },
      ],
    },
    rebuilt: 'vercel/ai example that serves this fixture: an assistant turn holding only reasoning becomes an empty message (messages.1)',
  },
];

function loadVercel(name: string, raw: string): Recording[] {
  const file = `${VAI}${name}`;
  if (name.endsWith('.chunks.txt')) {
    const events = raw.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as StreamEvent);
    // issue-17523: an eu.amazon.nova-lite-v1:0 inference-profile ARN in the test; the request itself is not stored.
    return [{ id: `${file}#0`, file, source: 'vercel/ai', operation: 'ConverseStream', modelId: 'eu.amazon.nova-lite-v1:0', response: { status: 200, headers: {}, events } }];
  }
  const json = JSON.parse(raw) as Record<string, unknown>;
  const rebuilt = REBUILT.filter((r) => r.fixture === name);
  if (rebuilt.length === 0) {
    return [{ id: `${file}#0`, file, source: 'vercel/ai', operation: 'Converse', modelId: 'eu.amazon.nova-lite-v1:0', response: { status: 200, headers: {}, json } }];
  }
  return rebuilt.map((r, i) => {
    const holder = (r.variant ? json[r.variant] : json) as Record<string, unknown>;
    // Fixtures either are the body (status implied by the test) or wrap it as {status, headers?, body}.
    const wrapped = typeof holder.status === 'number' && 'body' in holder;
    const status = wrapped ? (holder.status as number) : 'message' in holder ? 400 : 200;
    const headers = wrapped && holder.headers ? lowerHeaders(Object.entries(holder.headers as Record<string, string>)) : {};
    return {
      id: `${file}#${i}`,
      file,
      source: 'vercel/ai' as const,
      operation: r.operation,
      modelId: r.modelId,
      body: JSON.stringify(r.body),
      rebuilt: r.rebuilt,
      response: { status, headers, json: wrapped ? holder.body : holder },
    };
  });
}

// ---------------------------------------------------------------- all of it

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

let cached: Recording[] | undefined;

/** Every recording, in a stable order (file path, then interaction). */
export function loadRecordings(): Recording[] {
  if (cached) return cached;
  const out: Recording[] = [];
  for (const path of walk(DATA_DIR).sort()) {
    const file = relative(DATA_DIR, path).split('\\').join('/');
    const raw = readFileSync(path, 'utf8');
    if (file.endsWith('.yaml')) out.push(...loadCassette(file, raw));
    else if (file.startsWith('Arize-ai/')) out.push(...loadNock(file, raw));
    else if (file.startsWith(VAI)) out.push(...loadVercel(file.slice(VAI.length), raw));
    else throw new Error(`unknown recording format: ${file}`);
  }
  cached = out;
  return out;
}

/** The recording with this id (`file#n`, or a unique suffix of it). */
export function recording(idSuffix: string): Recording {
  const hits = loadRecordings().filter((r) => r.id === idSuffix || r.id.endsWith(idSuffix));
  if (hits.length !== 1) throw new Error(`${hits.length} recordings match ${idSuffix}`);
  return hits[0]!;
}

/** Short display name: the file's base name and interaction. */
export function shortName(r: Recording): string {
  return r.id.slice(r.id.lastIndexOf('/') + 1);
}
