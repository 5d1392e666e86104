/**
 * jscodeshift transform: rewrite literal OpenAI model names (`model: "gpt-4o"`,
 * `openai("gpt-4o")`) to Nova model IDs, for teams calling Bedrock directly.
 * It is nova-proxy with `--models=nova` forced on (base-URL edits included), the same
 * as `nova-migrate rewrite --models nova`.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import transformProxy from './nova-proxy.js';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return transformProxy(file, api, { ...options, models: 'nova' });
}
