/**
 * What a `model` parameter may be, checked before anything else looks at it: the name is
 * echoed in logs and metrics and, resolved, in the `x-nova-model` response header, so a
 * control character, a non-ASCII character or a megabyte-long name is refused up front
 * with a 400 instead of breaking the response or flooding the logs.
 */
import { invalidParam } from './errors.js';

/** Longest model name (inference-profile and provisioned-model ARNs are ~120 characters). */
export const MAX_MODEL_NAME_LENGTH = 256;
/** Visible ASCII: every OpenAI name, Nova ID, inference-profile ID and Bedrock ARN fits. */
const MODEL_NAME = /^[\x21-\x7e]+$/;

/** Why `name` cannot be a model name, or undefined if it can. */
export function modelNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_MODEL_NAME_LENGTH) return `must be at most ${MAX_MODEL_NAME_LENGTH} characters (got ${name.length})`;
  if (!MODEL_NAME.test(name)) return 'may only contain visible ASCII characters (letters, digits and punctuation, no spaces or control characters)';
  return undefined;
}

/** The request's model name, or a 400 naming `param`. */
export function requireModelName(value: unknown, param = 'model'): string {
  if (typeof value !== 'string') throw invalidParam(param, `You must provide a ${param} parameter (a string).`);
  const problem = modelNameProblem(value);
  if (problem) throw invalidParam(param, `${param} ${problem}.`, 'invalid_model');
  return value;
}
