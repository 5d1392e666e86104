// A wire-level fake of the OpenAI REST API (chat completions, models,
// embeddings) on 127.0.0.1, driven by the real `openai` SDK in tests and by
// `--mock` flags. It rejects what the real API rejects (auth, schema, unknown
// models, cross-field rules) and answers from the deterministic synthetic model.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { createCompletion } from './openai/complete.js';
import { createEmbeddings } from './openai/embeddings.js';
import { FakeHttpError, invalidRequest, invalidUrl, missingApiKey, unparsableJson, wrongApiKey } from './openai/errors.js';
import type { OpenAIErrorBody } from './openai/errors.js';
import { findModel, listModels } from './openai/models.js';
import { checkChatRequest, checkEmbeddingRequest } from './openai/request-checks.js';
import { startSse, writeFrames } from './openai/sse.js';
import { chunksFromCompletion } from './openai/stream.js';

export interface FakeOpenAIOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default `sk-fake-openai-key`. */
  apiKey?: string;
  /** Added before every response. */
  latencyMs?: number;
  /** Pause between streamed SSE frames. */
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text if it was not JSON; undefined if empty. */
  body: unknown;
}

/**
 * Scripted behaviour for the next request (FIFO, one step per authenticated request,
 * whatever the endpoint). Requests with a bad key get their 401 without using a step.
 */
export type FakeStep =
  /** Reply with this error (e.g. 429 with `retry-after`, 500). */
  | { status: number; error: { message: string; type: string; code?: string | null; param?: string | null }; headers?: Record<string, string> }
  /**
   * Reply with this body as-is, without validating the request. On chat completions
   * with `stream: true` the completion is streamed as chunks instead.
   */
  | { response: ChatCompletion | Record<string, unknown>; status?: number; headers?: Record<string, string> }
  /** Wait, then handle the request normally. */
  | { delayMs: number }
  /** Never answer (until the client gives up or the fake closes). */
  | { hang: true };

export interface FakeOpenAI {
  /** Base URL ending in `/v1`, for `new OpenAI({ baseURL })`. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  enqueue(step: FakeStep): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false; raw: string } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, raw: text };
  }
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = opts.apiKey ?? 'sk-fake-openai-key';
  const latencyMs = opts.latencyMs ?? 0;
  const chunkDelayMs = opts.chunkDelayMs ?? 0;
  const requests: RecordedRequest[] = [];
  const steps: FakeStep[] = [];
  let counter = 0;

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++counter;
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const text = await readBody(req);
    const parsed = parseBody(text);
    requests.push({ method, path, headers: { ...req.headers }, body: parsed.ok ? parsed.value : parsed.raw });

    const baseHeaders = (): Record<string, string> => ({
      'x-request-id': `req_${n.toString(16).padStart(32, '0')}`,
      'openai-version': '2020-10-01',
      'openai-processing-ms': String(Date.now() - started),
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
    });
    const fail = (e: FakeHttpError) => sendJson(res, e.status, e.toJSON(), { ...baseHeaders(), ...e.headers });

    if (latencyMs > 0) await sleep(latencyMs);

    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1] : undefined;
    if (!bearer) return fail(missingApiKey());
    if (bearer !== apiKey) return fail(wrongApiKey(bearer));

    const step = steps.shift();
    if (step && 'hang' in step) return; // the socket stays open; close() destroys it
    if (step && 'delayMs' in step) await sleep(step.delayMs);
    if (step && 'error' in step) {
      const body: OpenAIErrorBody = { message: step.error.message, type: step.error.type, param: step.error.param ?? null, code: step.error.code ?? null };
      return fail(new FakeHttpError(step.status, body, step.headers));
    }

    try {
      if (step && 'response' in step && path !== '/v1/chat/completions') {
        return sendJson(res, step.status ?? 200, step.response, { ...baseHeaders(), ...(step.headers ?? {}) });
      }
      if (method === 'POST' && path === '/v1/chat/completions') {
        if (!parsed.ok) throw unparsableJson();
        const scripted = step && 'response' in step ? step : undefined;
        // A scripted reply skips validation: tests use it to send what the fake would not produce itself.
        const params = scripted ? (parsed.value as ChatCompletionCreateParams) : checkChatRequest(parsed.value);
        const completion = scripted ? (scripted.response as ChatCompletion) : createCompletion(params, `${n}:${text}`);
        const headers = { ...baseHeaders(), ...(scripted?.headers ?? {}) };
        if (params?.stream) {
          startSse(res, headers);
          const chunks = chunksFromCompletion(completion, { includeUsage: !!params.stream_options?.include_usage });
          await writeFrames(res, chunks, chunkDelayMs, () => res.destroyed);
          return;
        }
        return sendJson(res, scripted?.status ?? 200, completion, headers);
      }
      if (method === 'POST' && path === '/v1/embeddings') {
        if (!parsed.ok) throw unparsableJson();
        return sendJson(res, 200, createEmbeddings(checkEmbeddingRequest(parsed.value)), baseHeaders());
      }
      if (method === 'GET' && path === '/v1/models') {
        return sendJson(res, 200, { object: 'list', data: listModels() }, baseHeaders());
      }
      const m = /^\/v1\/models\/([^/]+)$/.exec(path);
      if (method === 'GET' && m) {
        const id = decodeURIComponent(m[1]!);
        const model = findModel(id);
        if (!model) throw invalidRequest(`The model '${id}' does not exist`, 'model', 'model_not_found', 404);
        return sendJson(res, 200, model, baseHeaders());
      }
      throw invalidUrl(method, path);
    } catch (e) {
      if (e instanceof FakeHttpError) return fail(e);
      throw e;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      sendJson(res, 500, {
        error: { message: `fake-openai internal error: ${e instanceof Error ? e.message : String(e)}`, type: 'server_error', param: null, code: null },
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue: (step) => void steps.push(step),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Re-exported for tests and callers that compare with what the fake serves.
export { CHAT_MODELS, EMBEDDING_MODELS, listModels } from './openai/models.js';
export { embedText } from './openai/embeddings.js';
