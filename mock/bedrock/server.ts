/**
 * The fake Bedrock Runtime server: one TCP port speaking cleartext HTTP/2 (prior
 * knowledge, what the SDK's default NodeHttp2Handler uses against http://) and HTTP/1.1,
 * told apart by the connection preface. Routes Converse, ConverseStream, CountTokens and
 * InvokeModel (the embeddings models, invoke-embeddings.ts), validates like the service,
 * answers with scripted steps or the synthetic model.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkConverseRequest, formatIssues, validateShape } from '../spec/bedrock-validator.js';
import { getShape } from '../spec/bedrock-model.js';
import { checkModelId } from './nova-rules.js';
import { errorStatus, errorTypeHeader } from './errors.js';
import type { BedrockError, StreamExceptionType } from './errors.js';
import { encodeEvent, encodeException } from './event-stream.js';
import { countInputTokens } from './converse-adapter.js';
import type { ConverseBody } from './converse-adapter.js';
import { eventsToResponse, outputTokens, responseToEvents } from './respond.js';
import type { ConverseResponseBody, StreamEvent } from './respond.js';
import { answerEmbeddings, checkEmbeddingsBody, isEmbeddingModel } from './invoke-embeddings.js';
import type { SyntheticAnswer } from '../synthetic.js';
import { novaAnswer, toolUseId } from './model-answer.js';
import { PromptCache } from './prompt-cache.js';
import { writeRecorded, type RecordedHttpResponse } from './replay.js';

export type BedrockOperation = 'Converse' | 'ConverseStream' | 'CountTokens' | 'InvokeModel';

export interface FakeBedrockOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Fixed delay before the response headers (time to first byte). */
  latencyMs?: number;
  /** Delay between stream frames. */
  chunkDelayMs?: number;
  /** Reject bare model IDs like the service does for models without on-demand throughput. */
  requireInferenceProfile?: boolean;
}

/** A scripted behaviour, consumed by one request. */
export interface FakeStep {
  /** Converse response body (missing usage/metrics/stopReason are filled in); sent as events on converse-stream. */
  response?: Partial<ConverseResponseBody> & { output: ConverseResponseBody['output'] };
  /** ConverseStream events (`{ messageStart: {...} }`…); reassembled into a response on converse. */
  events?: StreamEvent[];
  /** In-stream exception sent after the events (converse-stream). */
  streamError?: { type: StreamExceptionType; message: string; fields?: Record<string, unknown> };
  /** HTTP error instead of a response. Scripted errors skip request validation. */
  error?: BedrockError;
  /** Use this answer instead of the synthetic model's decision. */
  answer?: SyntheticAnswer;
  /**
   * A recorded answer sent byte for byte (mock/bedrock/replay.ts). An error status is sent without
   * validating the request, like `error`; a 200 only once the request passed validation.
   */
  replay?: RecordedHttpResponse;
  /** Delay before responding (overrides `latencyMs`). */
  delayMs?: number;
  /** Delay between stream frames (overrides the option). */
  chunkDelayMs?: number;
  /** Never finish: no response at all, or (with events) stop after sending them. */
  hang?: boolean;
}

/**
 * What `enqueue` accepts: a FakeStep, or the shorthand forms — a Converse response body
 * (`{ output, ... }`), a list of stream events, or an HTTP error `{ status?, errorType, message }`.
 */
export type FakeStepInput = FakeStep | StreamEvent[] | (BedrockError & { delayMs?: number }) | (Partial<ConverseResponseBody> & { output: ConverseResponseBody['output']; delayMs?: number });

export interface RecordedRequest {
  path: string;
  operation: BedrockOperation | 'Unknown';
  /** Decoded model ID from the path. */
  modelId: string;
  /** '2.0' or '1.1'. */
  httpVersion: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (the raw text when it was not JSON). */
  body: unknown;
}

export interface FakeBedrock {
  /** `http://127.0.0.1:<port>`: pass as the SDK's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Requests and streams whose client went away before the response ended. */
  readonly aborted: number;
  enqueue(...steps: FakeStepInput[]): void;
  /** Drops queued steps and recorded requests, resets counters and the prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|count-tokens|invoke)$/;
const OPERATIONS: Record<string, BedrockOperation> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  'count-tokens': 'CountTokens',
  invoke: 'InvokeModel',
};
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[^/]+\/bedrock\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/;

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

function normalizeStep(input: FakeStepInput): FakeStep {
  if (Array.isArray(input)) return { events: input };
  const obj = input as Record<string, unknown>;
  if (typeof obj.errorType === 'string') {
    const { delayMs, ...error } = obj as unknown as BedrockError & { delayMs?: number };
    return delayMs === undefined ? { error } : { error, delayMs };
  }
  if ('output' in obj) {
    const { delayMs, ...response } = obj as FakeStep['response'] & { delayMs?: number };
    return delayMs === undefined ? { response: response! } : { response: response!, delayMs };
  }
  return input as FakeStep;
}

class FakeBedrockServer implements FakeBedrock {
  readonly requests: RecordedRequest[] = [];
  aborted = 0;
  port = 0;
  private readonly queue: FakeStep[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly cache = new PromptCache();
  private toolUseSeq = 0;
  private readonly tcp: net.Server;
  private readonly h1: http.Server;
  private readonly h2: http2.Http2Server;

  constructor(private readonly opts: FakeBedrockOptions) {
    const handler = (req: Req, res: Res): void => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !isGone(res)) {
          this.sendError(res, { errorType: 'InternalServerException', message: `fake bedrock: ${String(err)}` });
        } else {
          res.destroy();
        }
      });
    };
    this.h1 = http.createServer(handler);
    this.h1.keepAliveTimeout = 30_000;
    this.h2 = http2.createServer(handler);
    this.tcp = net.createServer((socket) => this.sniff(socket));
  }

  get url(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.tcp.address() as net.AddressInfo).port;
  }

  /** Reads until the bytes tell HTTP/2's preface from an HTTP/1 request line, then hands the socket over. */
  private sniff(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const n = Math.min(buf.length, PREFACE.length);
      const isH2 = buf.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isH2 && n < PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(buf);
      if (isH2) {
        // The HTTP/2 session drains bytes already buffered on the socket itself.
        this.h2.emit('connection', socket);
      } else {
        this.h1.emit('connection', socket);
        // The HTTP/1 parser reads the native handle; resuming replays the buffered bytes to it first.
        socket.resume();
      }
    };
    socket.on('data', onData);
  }

  enqueue(...steps: FakeStepInput[]): void {
    this.queue.push(...steps.map(normalizeStep));
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.aborted = 0;
    this.cache.clear();
    this.toolUseSeq = 0;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    this.h1.close();
    this.h2.close();
  }

  private async handle(req: Req, res: Res): Promise<void> {
    const start = Date.now();
    let ended = false;
    res.on('close', () => {
      gone.add(res);
      if (!ended) this.aborted++;
    });
    const finish = (): void => {
      ended = true;
    };
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const route = ROUTE.exec(path);
    const operation = route ? OPERATIONS[route[2]!]! : 'Unknown';
    let modelId = '';
    try {
      modelId = route ? decodeURIComponent(route[1]!) : '';
    } catch {
      modelId = route![1]!;
    }
    let body: unknown = raw;
    let parsed = true;
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      parsed = false;
    }
    this.requests.push({ path, operation, modelId, httpVersion: req.httpVersion, headers: { ...req.headers }, body });

    const refused = preflight(req, route !== null, parsed);
    if (refused) return this.fail(res, finish, refused);

    const step = this.queue.shift() ?? {};
    const delayMs = step.delayMs ?? this.opts.latencyMs ?? 0;
    if (step.hang && !step.events) return; // never answers; 'close' counts the abort
    if (step.error) {
      await sleep(delayMs);
      return this.fail(res, finish, step.error);
    }
    if (step.replay && step.replay.status >= 300) {
      await sleep(delayMs);
      finish();
      return writeRecorded(res, step.replay);
    }

    if (operation === 'CountTokens') {
      const error = this.checkCountTokens(modelId, body);
      await sleep(delayMs);
      if (error) return this.fail(res, finish, error);
      const input = (body as { input: { converse?: ConverseBody } }).input.converse ?? {};
      return this.sendJson(res, finish, { inputTokens: countInputTokens(input).total });
    }

    if (operation === 'InvokeModel') {
      const error = this.checkInvoke(modelId, req.headers, raw, body);
      await sleep(delayMs);
      if (isGone(res)) return;
      if (error) return this.fail(res, finish, error);
      const answer = answerEmbeddings(modelId, body);
      return this.sendJson(res, finish, answer.payload, {
        'x-amzn-bedrock-input-token-count': String(answer.inputTokens),
        'x-amzn-bedrock-invocation-latency': String(Math.max(1, Date.now() - start)),
      });
    }

    const invalid = checkConverseRequest(operation as 'Converse' | 'ConverseStream', modelId, body, { requireInferenceProfile: this.opts.requireInferenceProfile });
    await sleep(delayMs);
    if (isGone(res)) return;
    if (invalid) return this.fail(res, finish, invalid);
    if (step.replay) {
      finish();
      return writeRecorded(res, step.replay);
    }

    const converse = body as ConverseBody;
    let response: ConverseResponseBody | undefined;
    let events = step.events;
    let modelError: string | undefined;
    if (step.response) {
      response = completeResponse(step.response, start);
    } else if (!events) {
      const built = this.defaultResponse(modelId, converse, step.answer, start);
      if ('modelError' in built) modelError = built.modelError;
      else response = built.response;
    }

    if (operation === 'Converse') {
      if (step.hang) return;
      if (modelError) return this.fail(res, finish, { errorType: 'ModelErrorException', message: modelError, fields: { originalStatusCode: 400 } });
      return this.sendJson(res, finish, response ?? eventsToResponse(events!));
    }

    if (modelError) {
      events = [{ messageStart: { role: 'assistant' } }];
      step.streamError ??= { type: 'modelStreamErrorException', message: modelError, fields: { originalStatusCode: 400 } };
    }
    events ??= responseToEvents(response!);
    await this.stream(res, finish, events, step, step.chunkDelayMs ?? this.opts.chunkDelayMs ?? 0);
  }

  private checkCountTokens(modelId: string, body: unknown): BedrockError | undefined {
    const issues = validateShape('CountTokensRequest', { ...(body as object), modelId });
    if (issues.length > 0) return { errorType: 'ValidationException', message: formatIssues('CountTokensRequest', issues) };
    const caps = checkModelId(modelId);
    if ('errorType' in caps) return caps;
    if (!(body as { input: { converse?: unknown } }).input.converse) {
      return { errorType: 'ValidationException', message: 'The provided model doesn\'t support counting tokens for InvokeModel input. Use the converse input instead.' };
    }
    return undefined;
  }

  /** InvokeModel: the operation's own members (service model), then the model's body schema. */
  private checkInvoke(modelId: string, headers: IncomingHttpHeaders, raw: string, body: unknown): BedrockError | undefined {
    const issues = validateShape('InvokeModelRequest', {
      modelId,
      contentType: headers['content-type'],
      ...(headers.accept !== undefined ? { accept: headers.accept } : {}),
    });
    if (issues.length > 0) return { errorType: 'ValidationException', message: formatIssues('InvokeModelRequest', issues) };
    const max = getShape('Body').max ?? Infinity;
    if (Buffer.byteLength(raw) > max) return { errorType: 'ValidationException', message: `Input body exceeds the maximum size of ${max} bytes.` };
    if (!isEmbeddingModel(modelId)) {
      const caps = checkModelId(modelId);
      if ('errorType' in caps) return caps;
      return { errorType: 'ValidationException', message: `fake bedrock: InvokeModel is implemented for the embeddings models only, not ${modelId}.` };
    }
    return checkEmbeddingsBody(modelId, body);
  }

  private defaultResponse(
    modelId: string,
    body: ConverseBody,
    scripted: SyntheticAnswer | undefined,
    start: number,
  ): { response: ConverseResponseBody } | { modelError: string } {
    const caps = checkModelId(modelId, this.opts);
    if ('errorType' in caps) throw new Error(`validated model id ${modelId} has no capabilities`);
    return novaAnswer({
      caps,
      body,
      ...(scripted ? { scripted } : {}),
      nextToolUseId: () => toolUseId(++this.toolUseSeq),
      cache: this.cache,
      latencyMs: Math.max(1, Date.now() - start),
    });
  }

  private async stream(res: Res, finish: () => void, events: StreamEvent[], step: FakeStep, chunkDelayMs: number): Promise<void> {
    const requestId = randomUUID();
    // The headers of a recorded ConverseStream answer (test/recorded/data/bedrock/Arize-ai/…/
    // should-handle-amazon-nova-models-with-streaming.json), less those node sets itself.
    res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': requestId,
    });
    // HTTP/2 sends headers on writeHead; HTTP/1 needs a flush so the SDK sees the response start.
    if (res instanceof http.ServerResponse) res.flushHeaders();
    let seq = 0;
    for (const event of events) {
      const [eventType, payload] = Object.entries(event)[0] ?? [];
      if (!eventType || !payload) continue;
      if (isGone(res)) return;
      // Yield between frames even without a delay so each one leaves in its own write.
      if (seq > 0) await (chunkDelayMs > 0 ? sleep(chunkDelayMs) : new Promise<void>((r) => setImmediate(r)));
      if (isGone(res)) return;
      writeTo(res, encodeEvent(eventType, payload, seq++));
    }
    if (step.hang) return;
    if (step.streamError) {
      if (chunkDelayMs > 0) await sleep(chunkDelayMs);
      if (isGone(res)) return;
      writeTo(res, encodeException(step.streamError.type, step.streamError.message, step.streamError.fields));
    }
    finish();
    res.end();
  }

  /** `body` already serialised when it is a string. */
  private sendJson(res: Res, finish: () => void, body: unknown, headers: Record<string, string> = {}): void {
    if (isGone(res)) return;
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    finish();
    res.end(payload);
  }

  private fail(res: Res, finish: () => void, error: BedrockError): void {
    finish();
    this.sendError(res, error);
  }

  private sendError(res: Res, error: BedrockError): void {
    if (isGone(res)) return;
    const payload = JSON.stringify({ message: error.message, ...error.fields });
    res.writeHead(error.status ?? errorStatus(error.errorType), {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-errortype': errorTypeHeader(error.errorType),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(payload);
  }
}

/** Routing, authentication and body checks done by the service's front end, before any model work. */
function preflight(req: Req, routed: boolean, parsed: boolean): BedrockError | undefined {
  if (!routed || req.method !== 'POST') {
    return { errorType: 'UnknownOperationException', message: `No operation matches ${req.method} ${req.url}` };
  }
  const auth = req.headers.authorization;
  if (!auth) return { errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token', status: 403 };
  if (!SIGV4.test(auth) && !/^Bearer \S+$/.test(auth)) {
    return { errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/json')) {
    return { errorType: 'SerializationException', message: `Unsupported content type: ${contentType || '(none)'}` };
  }
  if (!parsed) return { errorType: 'SerializationException', message: 'Could not parse the request body as JSON.' };
  return undefined;
}

function completeResponse(partial: NonNullable<FakeStep['response']>, start: number): ConverseResponseBody {
  const content = partial.output.message.content;
  const out = outputTokens(content);
  return {
    ...partial,
    output: partial.output,
    stopReason: partial.stopReason ?? (content.some((b) => b.toolUse) ? 'tool_use' : 'end_turn'),
    usage: partial.usage ?? { inputTokens: 1, outputTokens: out, totalTokens: 1 + out },
    metrics: partial.metrics ?? { latencyMs: Math.max(1, Date.now() - start) },
  };
}

function readBody(req: Req): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function writeTo(res: Res, chunk: Uint8Array): void {
  (res as { write(chunk: Uint8Array): boolean }).write(chunk);
}

/** Responses whose stream or connection has closed (either HTTP version). */
const gone = new WeakSet<Res>();
const isGone = (res: Res): boolean => gone.has(res);

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

export async function startFakeBedrock(opts: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  const server = new FakeBedrockServer(opts);
  await server.listen();
  return server;
}
