/**
 * Errors from the Bedrock SDK (service exceptions, credential providers, the HTTP
 * handler) → OpenAIHttpError, so OpenAI SDKs raise the exception class their users
 * already handle (RateLimitError, BadRequestError, ...) and retry what is retryable.
 *
 * Decisions:
 * - Messages start with "Bedrock:" so users can tell upstream failures from proxy ones,
 *   and say what to do where there is something to do. Never a stack trace; for errors
 *   that are not AWS's, only the error's name.
 * - 429 always carries `retry-after` (seconds): from the error's response headers when
 *   present, else DEFAULT_RETRY_AFTER_SECONDS.
 * - The proxy's own AWS credentials being rejected (UnrecognizedClient, ExpiredToken,
 *   InvalidSignature...) is 403 permission_error, not 401: 401 stays reserved for the
 *   client's key to the proxy, so "your API key is wrong" is never suggested wrongly.
 *   Missing credentials are a server misconfiguration: 500.
 * - Bedrock's request id, when known, goes to the `x-amzn-requestid` response header.
 * - An OpenAIHttpError passes through unchanged.
 */
import { OpenAIHttpError, type OpenAIErrorBody, type OpenAIErrorType } from '../errors.js';
import { EMBEDDING_MODELS, NOVA_MODELS } from '../models.js';

export interface BedrockErrorContext {
  /** The modelId sent to Bedrock (bare or inference-profile ID). */
  modelId?: string;
  /** Names the IAM action in access-denied messages; InvokeModel is the embeddings call (its input is `input`, not `messages`). */
  operation?: 'Converse' | 'ConverseStream' | 'InvokeModel';
}

/** `retry-after` on 429s when Bedrock gives none: Bedrock's throttling is per minute, 1 s retries mostly fail again. */
export const DEFAULT_RETRY_AFTER_SECONDS = 2;

const CREDENTIALS_HINT =
  'Configure AWS credentials for the proxy process: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys), ' +
  'a profile in ~/.aws (AWS_PROFILE), IAM Identity Center (aws sso login), an instance/task/Lambda role, ' +
  'or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK.';

// Phrasings Bedrock uses for an over-long prompt (Nova and the other Converse models).
const CONTEXT_RE =
  /input is too long|input length and `?max_tokens`? exceed context limit|too many total text bytes|too many (input )?tokens|prompt is too long|context (window|length) (limit )?(was |is )?exceeded|exceeds? the (model's )?(maximum )?context (window|length)/i;
const ON_DEMAND_RE = /on-demand throughput is ?n[o\u2019']t supported|retry your request with the id or arn of an inference profile/i;
const INVALID_MODEL_RE = /model identifier is invalid|invalid model identifier/i;

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const BAD_CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const EXPIRED_NAMES = new Set(['ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired']);

interface ErrorFacts {
  name: string;
  message: string;
  status: number | undefined;
  code: string | undefined;
  requestId: string | undefined;
  headers: Record<string, string>;
}

function facts(err: unknown): ErrorFacts {
  const e = (err && typeof err === 'object' ? err : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
    $response?: { headers?: unknown };
  };
  const headers: Record<string, string> = {};
  if (e.$response?.headers && typeof e.$response.headers === 'object') {
    for (const [k, v] of Object.entries(e.$response.headers as Record<string, unknown>)) {
      if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
  }
  return {
    name: typeof e.name === 'string' ? e.name : '',
    message: typeof e.message === 'string' ? e.message.trim() : typeof err === 'string' ? err : '',
    status: typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    requestId: typeof e.$metadata?.requestId === 'string' ? e.$metadata.requestId : headers['x-amzn-requestid'],
    headers,
  };
}

const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/** Bedrock's message, quoted after our own explanation; never empty. */
function said(f: ErrorFacts): string {
  const m = f.message.replace(/^Bedrock:\s*/i, '').replace(/[.\s]+$/, '');
  return m === '' ? f.name || 'no details' : m;
}

function retryAfter(f: ErrorFacts): string {
  const raw = f.headers['retry-after'];
  const n = raw === undefined ? NaN : Number(raw);
  return String(Number.isFinite(n) && n >= 0 ? Math.max(1, Math.ceil(n)) : DEFAULT_RETRY_AFTER_SECONDS);
}

function contextWindow(modelId: string | undefined): number | undefined {
  if (!modelId) return undefined;
  const bare = modelId.replace(/^[a-z-]+\.(?=amazon\.)/, '');
  return NOVA_MODELS[bare]?.contextWindow ?? EMBEDDING_MODELS[bare]?.maxInputTokens;
}

export function mapBedrockError(err: unknown, ctx: BedrockErrorContext = {}): OpenAIHttpError {
  if (err instanceof OpenAIHttpError) return err;
  const f = facts(err);
  const model = ctx.modelId ? ` ${ctx.modelId}` : '';
  const headers: Record<string, string> = f.requestId ? { 'x-amzn-requestid': f.requestId } : {};
  const make = (status: number, message: string, opts: { type?: OpenAIErrorType; param?: string; code?: string; headers?: Record<string, string> } = {}) =>
    new OpenAIHttpError(status, message, { ...opts, headers: { ...headers, ...opts.headers }, cause: err });

  // Credentials: nothing reached Bedrock.
  if (f.name === 'CredentialsProviderError' || f.name === 'TokenProviderError' || /could not load credentials/i.test(f.message)) {
    return make(500, `Bedrock: the proxy has no usable AWS credentials (${said(f)}). ${CREDENTIALS_HINT}`, { code: 'aws_credentials_missing' });
  }
  if (EXPIRED_NAMES.has(f.name) || /security token included in the request is expired/i.test(f.message)) {
    return make(403, `Bedrock: the proxy's AWS credentials have expired (${said(f)}). Refresh them (aws sso login, new session token) or use a role that refreshes itself.`, {
      type: 'permission_error',
      code: 'aws_credentials_expired',
    });
  }
  if (BAD_CREDENTIAL_NAMES.has(f.name)) {
    const clock = f.name === 'InvalidSignatureException' || f.name === 'SignatureDoesNotMatch' ? ' Check AWS_SECRET_ACCESS_KEY and that the system clock is correct.' : '';
    return make(403, `Bedrock: AWS rejected the proxy's credentials (${said(f)}).${clock} ${CREDENTIALS_HINT}`, {
      type: 'permission_error',
      code: 'aws_credentials_invalid',
    });
  }

  switch (f.name) {
    case 'ValidationException':
      return validation(f, ctx, make);
    case 'AccessDeniedException': {
      if (/api key/i.test(f.message)) {
        return make(403, `Bedrock: the Bedrock API key was rejected (${said(f)}). Check AWS_BEARER_TOKEN_BEDROCK, or unset it to use IAM credentials.`, {
          code: 'aws_credentials_invalid',
        });
      }
      const action = ctx.operation === 'ConverseStream' ? 'bedrock:InvokeModelWithResponseStream' : 'bedrock:InvokeModel';
      return make(
        403,
        `Bedrock: access denied to model${model} (${said(f)}). The proxy's AWS identity needs the IAM action ${action} on the model ` +
          '(and on the inference profile when a profile ID is used), and access to the model must be enabled in the Amazon Bedrock console (Model access).',
        { code: 'access_denied' },
      );
    }
    case 'ResourceNotFoundException':
      return make(404, `Bedrock: model${model} not found (${said(f)}). Check the model ID and that it is offered in the proxy's AWS region.`, {
        param: 'model',
        code: 'model_not_found',
      });
    case 'ThrottlingException':
      return make(429, `Bedrock: request rate or token quota exceeded (${said(f)}). Retry after a short wait, or request a quota increase in Service Quotas.`, {
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': retryAfter(f) },
      });
    case 'ServiceQuotaExceededException':
      return make(429, `Bedrock: service quota exceeded (${said(f)}). Retry later, or request a quota increase in Service Quotas.`, {
        code: 'quota_exceeded',
        headers: { 'retry-after': retryAfter(f) },
      });
    case 'ModelTimeoutException':
      return make(504, `Bedrock: the model timed out (${said(f)}). Retry, or ask for fewer output tokens.`, { code: 'model_timeout' });
    case 'ServiceUnavailableException':
      return make(503, `Bedrock: service unavailable (${said(f)}). Retry shortly.`, { code: 'service_unavailable' });
    case 'ModelNotReadyException':
      return make(503, `Bedrock: model${model} is not ready to serve requests (${said(f)}). Retry shortly.`, { code: 'model_not_ready' });
    case 'ModelErrorException':
    case 'ModelStreamErrorException':
      return make(502, `Bedrock: the model failed while processing the request (${said(f)}). Retrying usually helps.`, { code: 'model_error' });
    case 'InternalServerException':
      return make(500, `Bedrock: internal server error (${said(f)}). Retrying usually helps.`, { code: 'bedrock_internal_error' });
    case 'ResponseTooLargeError':
      return make(502, `Bedrock: ${sentence(said(f))} Ask for fewer output tokens, stream the response, or raise bedrockMaxResponseBytes.`, {
        code: 'upstream_response_too_large',
      });
  }

  // The HTTP handler: node error codes first (smithy renames ECONNRESET/EPIPE to TimeoutError).
  if (f.code && NETWORK_CODES.has(f.code)) {
    const dns = f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN' ? ' Check the AWS region and any endpoint override.' : '';
    return make(502, `Bedrock: connection failed (${f.code}).${dns}`, { code: 'upstream_connection_error' });
  }
  if (TIMEOUT_NAMES.has(f.name) || f.code === 'ETIMEDOUT') {
    return make(504, 'Bedrock: the request timed out waiting for Bedrock.', { code: 'upstream_timeout' });
  }
  if (f.name === 'AbortError') return make(502, 'Bedrock: the request to Bedrock was aborted.', { code: 'upstream_aborted' });

  // Other service exceptions: go by the HTTP status Bedrock answered with.
  if (f.status !== undefined) {
    if (f.status === 429) return make(429, `Bedrock: ${sentence(said(f))}`, { code: 'rate_limit_exceeded', headers: { 'retry-after': retryAfter(f) } });
    if (f.status === 401 || f.status === 403) return make(403, `Bedrock: ${sentence(said(f))} ${CREDENTIALS_HINT}`, { type: 'permission_error' });
    if (f.status === 404) return make(404, `Bedrock: ${sentence(said(f))}`, { param: 'model', code: 'model_not_found' });
    if (f.status === 408) return make(504, `Bedrock: ${sentence(said(f))}`, { code: 'upstream_timeout' });
    if (f.status >= 400 && f.status < 500) return make(f.status === 413 ? 413 : 400, `Bedrock: ${sentence(said(f))}`);
    // 5xx, or a 2xx/3xx the SDK could not make sense of: Bedrock's fault, not ours.
    return make(502, `Bedrock: unexpected response (HTTP ${f.status}, ${f.name || 'unknown error'}).`, { code: 'upstream_error' });
  }

  return make(500, `Bedrock: unexpected error calling Bedrock (${f.name || 'unknown error'}).`);
}

function validation(
  f: ErrorFacts,
  ctx: BedrockErrorContext,
  make: (status: number, message: string, opts?: { type?: OpenAIErrorType; param?: string; code?: string }) => OpenAIHttpError,
): OpenAIHttpError {
  if (ON_DEMAND_RE.test(f.message)) {
    const id = ctx.modelId ?? 'the model';
    const profiles = ctx.modelId && /^amazon\./.test(ctx.modelId) ? (NOVA_MODELS[ctx.modelId]?.profiles ?? ['us']) : [];
    const example = profiles.length ? ` such as ${profiles.map((p) => `${p}.${ctx.modelId}`).join(' or ')}` : '';
    return make(
      400,
      `Bedrock: ${id} cannot be invoked on demand by its bare ID; it needs a cross-region inference profile (${said(f)}). ` +
        `Start the proxy with --inference-profile auto (or NOVA_INFERENCE_PROFILE=auto), or request an inference-profile ID${example}.`,
      { param: 'model', code: 'model_not_available' },
    );
  }
  if (CONTEXT_RE.test(f.message)) {
    const window = contextWindow(ctx.modelId);
    const field = ctx.operation === 'InvokeModel' ? 'input' : 'messages';
    const limit = window ? ` The model's ${field === 'input' ? 'input limit' : 'context window'} is ${window} tokens.` : '';
    return make(400, `Bedrock: ${sentence(said(f))}${limit} Please reduce the length of the ${field}.`, {
      param: field,
      code: 'context_length_exceeded',
    });
  }
  if (INVALID_MODEL_RE.test(f.message)) {
    return make(404, `Bedrock: ${said(f)} (model${ctx.modelId ? ` ${ctx.modelId}` : ''}).`, { param: 'model', code: 'model_not_found' });
  }
  return make(400, `Bedrock: ${sentence(said(f))}`);
}

/** The in-band SSE error event written when a stream fails after headers are sent; same shape as the HTTP error body. */
export function streamErrorEvent(err: OpenAIHttpError): OpenAIErrorBody {
  return err.toJSON();
}
