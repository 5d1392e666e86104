/**
 * Bedrock error names and their HTTP status codes, taken from the trimmed service model
 * (`error.httpStatusCode`) so the fake answers with the status the real service uses.
 */
import { bedrockModel } from '../spec/bedrock-model.js';

export type BedrockErrorType =
  | 'ValidationException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'ThrottlingException'
  | 'ServiceQuotaExceededException'
  | 'ModelTimeoutException'
  | 'ServiceUnavailableException'
  | 'ModelNotReadyException'
  | 'ModelErrorException'
  | 'InternalServerException'
  | 'UnrecognizedClientException'
  | 'SerializationException'
  | 'UnknownOperationException';

/** A request-level error: HTTP status, `x-amzn-errortype`, JSON body `{ message }`. */
export interface BedrockError {
  errorType: BedrockErrorType | (string & {});
  message: string;
  status?: number;
  /** Extra body members (e.g. `originalStatusCode` of ModelErrorException). */
  fields?: Record<string, unknown>;
}

// Errors that are not in the Converse/ConverseStream/CountTokens error lists, so not in
// the trimmed model: ServiceQuotaExceededException (other operations) and the generic
// AWS front-end errors.
const FALLBACK_STATUS: Record<string, number> = {
  ServiceQuotaExceededException: 400,
  UnrecognizedClientException: 403,
  SerializationException: 400,
  UnknownOperationException: 404,
};

export function errorStatus(errorType: string): number {
  return bedrockModel().shapes[errorType]?.error?.httpStatusCode ?? FALLBACK_STATUS[errorType] ?? 400;
}

/** The value of `x-amzn-errortype` for an error name (the SDK keeps the part before `:`). */
export function errorTypeHeader(errorType: string): string {
  return `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`;
}

/** In-stream exception names (`:exception-type`), members of ConverseStreamOutput. */
export type StreamExceptionType =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'serviceUnavailableException';
