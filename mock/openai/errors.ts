// OpenAI's error envelope and the specific errors the real API returns,
// worded like the real ones so clients that match on them behave the same.

export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: OpenAIErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
  toJSON(): { error: OpenAIErrorBody } {
    return { error: this.body };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null, status = 400): FakeHttpError {
  return new FakeHttpError(status, { message, type: 'invalid_request_error', param, code });
}

export function missingApiKey(): FakeHttpError {
  return new FakeHttpError(401, {
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  });
}

export function wrongApiKey(given: string): FakeHttpError {
  const masked = given.length > 8 ? `${given.slice(0, 3)}${'*'.repeat(Math.min(given.length - 7, 20))}${given.slice(-4)}` : '***';
  return new FakeHttpError(401, {
    message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  });
}

export function modelNotFound(model: string): FakeHttpError {
  return invalidRequest(`The model \`${model}\` does not exist or you do not have access to it.`, null, 'model_not_found', 404);
}

export function notAChatModel(): FakeHttpError {
  return invalidRequest(
    'This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?',
    'model',
    null,
    404,
  );
}

export function invalidUrl(method: string, path: string): FakeHttpError {
  return invalidRequest(`Invalid URL (${method} ${path})`, null, null, 404);
}

export function unparsableJson(): FakeHttpError {
  return invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
  );
}
