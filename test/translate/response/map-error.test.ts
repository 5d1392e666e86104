import { describe, expect, it } from 'vitest';
import {
  AccessDeniedException,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_RETRY_AFTER_SECONDS, mapBedrockError, streamErrorEvent } from '../../../proxy/translate/map-error.js';
import { OpenAIHttpError } from '../../../proxy/errors.js';
import { validateOpenAI } from '../../../mock/spec/openai-validator.js';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-42', attempts: 1, totalRetryDelay: 0 });
const ctx = { modelId: 'amazon.nova-pro-v1:0', operation: 'Converse' as const };

function expectShape(e: OpenAIHttpError) {
  expect(e).toBeInstanceOf(OpenAIHttpError);
  expect(e.message).toMatch(/^Bedrock: /);
  expect(e.message).not.toMatch(/\n\s+at /);
  expect(validateOpenAI('ErrorResponse', e.toJSON())).toEqual([]);
}

describe('mapBedrockError: service exceptions', () => {
  it('ValidationException → 400 invalid_request_error with Bedrock message', () => {
    const e = mapBedrockError(new ValidationException({ message: 'A conversation must start with a user message.', $metadata: meta(400) }), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', code: null, param: null });
    expect(e.message).toContain('A conversation must start with a user message.');
    expect(e.headers['x-amzn-requestid']).toBe('req-42');
  });

  it.each([
    'Input is too long for requested model.',
    'Too many input tokens. Max input tokens: 300000, request input token count: 300125',
    'The model returned the following errors: Input exceeds the context window.',
    'The model returned the following errors: prompt is too long: 903884 tokens > 300000 maximum',
    'input length and `max_tokens` exceed context limit',
  ])('context overflow (%s) → context_length_exceeded on messages', (message) => {
    const e = mapBedrockError(new ValidationException({ message, $metadata: meta(400) }), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' });
    expect(e.message).toContain('300000 tokens');
  });

  it('on-demand throughput not supported → 400 with the inference-profile fix', () => {
    const e = mapBedrockError(
      new ValidationException({
        message:
          "Invocation of model ID amazon.nova-2-lite-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
        $metadata: meta(400),
      }),
      { modelId: 'amazon.nova-2-lite-v1:0', operation: 'Converse' },
    );
    expectShape(e);
    expect(e).toMatchObject({ status: 400, code: 'model_not_available', param: 'model' });
    expect(e.message).toContain('--inference-profile auto');
    expect(e.message).toContain('NOVA_INFERENCE_PROFILE=auto');
    expect(e.message).toContain('us.amazon.nova-2-lite-v1:0');
  });

  it('a max_tokens complaint is not a context overflow', () => {
    const e = mapBedrockError(new ValidationException({ message: 'The maximum tokens you requested exceeds the model limit of 10000.', $metadata: meta(400) }), ctx);
    expect(e.code).toBeNull();
    expect(e.status).toBe(400);
  });

  it('invalid model identifier → 404 model_not_found', () => {
    const e = mapBedrockError(new ValidationException({ message: 'The provided model identifier is invalid.', $metadata: meta(400) }), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 404, type: 'not_found_error', code: 'model_not_found', param: 'model' });
  });

  it('AccessDeniedException → 403 naming the IAM action of the operation', () => {
    const ex = new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", $metadata: meta(403) });
    const unary = mapBedrockError(ex, ctx);
    expectShape(unary);
    expect(unary).toMatchObject({ status: 403, type: 'permission_error' });
    expect(unary.message).toContain('bedrock:InvokeModel ');
    expect(unary.message).toContain('amazon.nova-pro-v1:0');
    expect(unary.message).toMatch(/Bedrock console/);
    const streaming = mapBedrockError(ex, { ...ctx, operation: 'ConverseStream' });
    expect(streaming.message).toContain('bedrock:InvokeModelWithResponseStream');
  });

  it('AccessDeniedException about the API key points at AWS_BEARER_TOKEN_BEDROCK', () => {
    const e = mapBedrockError(new AccessDeniedException({ message: 'Authentication failed: Please make sure your API Key is valid.', $metadata: meta(403) }), ctx);
    expect(e.status).toBe(403);
    expect(e.message).toContain('AWS_BEARER_TOKEN_BEDROCK');
  });

  it('ResourceNotFoundException → 404 model_not_found', () => {
    const e = mapBedrockError(new ResourceNotFoundException({ message: 'Model not found.', $metadata: meta(404) }), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 404, type: 'not_found_error', code: 'model_not_found', param: 'model' });
  });

  it('ThrottlingException → 429 with default retry-after', () => {
    const e = mapBedrockError(new ThrottlingException({ message: 'Too many requests, please wait before trying again.', $metadata: meta(429) }), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(e.headers['retry-after']).toBe(String(DEFAULT_RETRY_AFTER_SECONDS));
  });

  it('retry-after comes from the response headers when present', () => {
    const ex = new ThrottlingException({ message: 'slow down', $metadata: meta(429) });
    ex.$response = { statusCode: 429, headers: { 'Retry-After': '7' }, body: undefined } as never;
    expect(mapBedrockError(ex, ctx).headers['retry-after']).toBe('7');
  });

  it('ServiceQuotaExceededException → 429 rate_limit_error', () => {
    const e = mapBedrockError(new ServiceQuotaExceededException({ message: 'Your request exceeds the service quota for your account.', $metadata: meta(400) }), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 429, type: 'rate_limit_error' });
    expect(e.headers['retry-after']).toBeDefined();
  });

  it.each([
    [() => new ModelTimeoutException({ message: 'Model timed out', $metadata: meta(408) }), 504, 'timeout_error'],
    [() => new ServiceUnavailableException({ message: 'Service unavailable', $metadata: meta(503) }), 503, 'server_error'],
    [() => new ModelNotReadyException({ message: 'Model not ready', $metadata: meta(429) }), 503, 'server_error'],
    [() => new ModelErrorException({ message: 'Model error', $metadata: meta(424) }), 502, 'server_error'],
    [() => new ModelStreamErrorException({ message: 'Stream broke', $metadata: {} }), 502, 'server_error'],
    [() => new InternalServerException({ message: 'Internal', $metadata: meta(500) }), 500, 'server_error'],
  ] as const)('%#: server-side exceptions', (make, status, type) => {
    const e = mapBedrockError(make(), ctx);
    expectShape(e);
    expect(e.status).toBe(status);
    expect(e.type).toBe(type);
  });

  it('unknown service exceptions go by HTTP status', () => {
    const conflict = Object.assign(new Error('Conflict'), { name: 'ConflictException', $metadata: meta(409) });
    expect(mapBedrockError(conflict, ctx).status).toBe(400);
    const gateway = Object.assign(new Error('bad gateway'), { name: 'UnknownError', $metadata: meta(502) });
    expect(mapBedrockError(gateway, ctx)).toMatchObject({ status: 502, type: 'server_error' });
    const throttled = Object.assign(new Error('slow'), { name: 'TooManyRequests', $metadata: meta(429) });
    expect(mapBedrockError(throttled, ctx).headers['retry-after']).toBe(String(DEFAULT_RETRY_AFTER_SECONDS));
  });
});

describe('mapBedrockError: credentials', () => {
  it('no credentials → 500 with how to configure them', () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError', tryNextLink: false });
    const e = mapBedrockError(err, ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 500, code: 'aws_credentials_missing' });
    for (const hint of ['AWS_ACCESS_KEY_ID', '~/.aws', 'aws sso login', 'role', 'AWS_BEARER_TOKEN_BEDROCK']) expect(e.message).toContain(hint);
  });

  it.each(['UnrecognizedClientException', 'InvalidSignatureException'])('%s → 403 with a hint', (name) => {
    const err = Object.assign(new Error('The security token included in the request is invalid.'), { name, $metadata: meta(403) });
    const e = mapBedrockError(err, ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 403, type: 'permission_error', code: 'aws_credentials_invalid' });
    expect(e.message).toContain('AWS_ACCESS_KEY_ID');
  });

  it('ExpiredTokenException → 403 aws_credentials_expired', () => {
    const err = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: meta(403) });
    const e = mapBedrockError(err, ctx);
    expect(e).toMatchObject({ status: 403, code: 'aws_credentials_expired' });
    expect(e.message).toMatch(/refresh/i);
  });
});

describe('mapBedrockError: transport', () => {
  it('handler timeouts → 504', () => {
    const socket = Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 300000 ms of inactivity'), { name: 'TimeoutError' });
    expect(mapBedrockError(socket, ctx)).toMatchObject({ status: 504, type: 'timeout_error' });
    const req = Object.assign(new Error('requestTimeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(mapBedrockError(req, ctx).status).toBe(504);
  });

  it('connection failures → 502 (ECONNRESET even though smithy renames it TimeoutError)', () => {
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    expect(mapBedrockError(reset, ctx)).toMatchObject({ status: 502, type: 'server_error' });
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND bedrock-runtime.xx-1.amazonaws.com'), { code: 'ENOTFOUND' });
    const e = mapBedrockError(dns, ctx);
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/region/);
  });

  it('aborts → 502', () => {
    expect(mapBedrockError(Object.assign(new Error('Request aborted'), { name: 'AbortError' }), ctx).status).toBe(502);
  });
});

describe('mapBedrockError: everything else', () => {
  it('unknown errors → 500 without leaking the message or stack', () => {
    const e = mapBedrockError(new TypeError("Cannot read properties of undefined (reading 'secret')"), ctx);
    expectShape(e);
    expect(e).toMatchObject({ status: 500, type: 'server_error' });
    expect(e.message).not.toContain('secret');
    expect(e.message).toContain('TypeError');
    expect(mapBedrockError('a string', ctx).status).toBe(500);
    expect(mapBedrockError(undefined).status).toBe(500);
  });

  it('OpenAIHttpError passes through unchanged', () => {
    const original = new OpenAIHttpError(502, 'Bedrock: malformed');
    expect(mapBedrockError(original, ctx)).toBe(original);
  });

  it('keeps the original error as cause for logging', () => {
    const ex = new ThrottlingException({ message: 'x', $metadata: meta(429) });
    expect(mapBedrockError(ex, ctx).cause).toBe(ex);
  });
});

describe('streamErrorEvent', () => {
  it('is the HTTP error body', () => {
    const e = mapBedrockError(new ModelStreamErrorException({ message: 'Stream broke', $metadata: {} }), ctx);
    const body = streamErrorEvent(e);
    expect(body).toEqual({ error: { message: e.message, type: 'server_error', param: null, code: 'model_error' } });
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(JSON.parse(JSON.stringify(body))).toEqual(e.toJSON());
  });
});
