/**
 * Request validation of the fake Bedrock Runtime: the service model's constraints
 * (shape-validator.ts) followed by the rules the service enforces for Nova models
 * (../bedrock/nova-rules.ts).
 */
import { checkModelId, checkNovaRules } from '../bedrock/nova-rules.js';
import type { NovaRuleOptions } from '../bedrock/nova-rules.js';
import type { BedrockError } from '../bedrock/errors.js';
import { formatIssues, validateShape } from './shape-validator.js';

export { formatIssues, servicePath, validateShape } from './shape-validator.js';
export type { ValidationIssue } from './shape-validator.js';
export type { NovaRuleOptions } from '../bedrock/nova-rules.js';

export type ConverseOperation = 'Converse' | 'ConverseStream';

const INPUT_SHAPE: Record<ConverseOperation, string> = {
  Converse: 'ConverseRequest',
  ConverseStream: 'ConverseStreamRequest',
};

/**
 * Full check of a Converse/ConverseStream request as the service would do it: the error
 * to return (type + message), or undefined when the request is accepted.
 */
export function checkConverseRequest(
  operation: ConverseOperation,
  modelId: string,
  body: unknown,
  opts: NovaRuleOptions = {},
): BedrockError | undefined {
  const shapeName = INPUT_SHAPE[operation];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { errorType: 'SerializationException', message: 'Request body must be a JSON object' };
  }
  const issues = validateShape(shapeName, { ...body, modelId });
  if (issues.length > 0) return { errorType: 'ValidationException', message: formatIssues(shapeName, issues) };
  const caps = checkModelId(modelId, opts);
  if ('errorType' in caps) return caps;
  return checkNovaRules(body as Record<string, unknown>, caps);
}

/** The error message the service would return for this request, or undefined if it is accepted. */
export function validateConverseRequest(
  operation: ConverseOperation,
  modelId: string,
  body: unknown,
  opts: NovaRuleOptions = {},
): string | undefined {
  return checkConverseRequest(operation, modelId, body, opts)?.message;
}
