/**
 * jscodeshift transform: repoint OpenAI clients (openai-node v3/v4+, LangChain JS,
 * Vercel AI SDK, LlamaIndex TS) at the nova-migrate proxy.
 *
 *   npx jscodeshift -t node_modules/nova-migrate/dist/codemods/transforms/nova-proxy.js src/
 *
 * Options (jscodeshift passes unknown flags through): --baseUrl, --baseUrlEnv,
 * --apiKeyEnv, --force, --models=nova, --forcePartial (--embeddings is accepted and ignored:
 * embeddings clients are repointed by default now that the proxy serves embeddings). The parser is chosen from each
 * file's extension, whatever --parser says (`ts` for .ts/.mts/.cts, `tsx` for .tsx).
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { jsParserFor } from '../parsers.js';
import { PREFILTER } from '../prefilter.js';
import { rewriteJs } from '../js/rewrite.js';
import { babelParser } from '../js/babel.js';
import { defaultRewriteOptions, type RewriteOptions } from '../types.js';

export function optionsFromJscodeshift(options: Options): RewriteOptions {
  const bool = (v: unknown) => v === true || v === 'true' || v === '1';
  return defaultRewriteOptions({
    baseUrl: typeof options.baseUrl === 'string' ? options.baseUrl : undefined,
    baseUrlEnv: typeof options.baseUrlEnv === 'string' ? options.baseUrlEnv : undefined,
    apiKeyEnv: typeof options.apiKeyEnv === 'string' ? options.apiKeyEnv : undefined,
    force: options.force === undefined ? undefined : bool(options.force),
    models: options.models === 'nova' ? 'nova' : undefined,
    forcePartial: options.forcePartial === undefined ? undefined : bool(options.forcePartial),
  });
}

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  // Same prefilter as the CLI: a file that never mentions OpenAI holds nothing to rewrite,
  // and skipping the parse is what makes a whole-repository run fast.
  if (!PREFILTER.test(file.source)) return undefined;
  const j = api.jscodeshift.withParser(babelParser(jsParserFor(file.path)));
  const result = rewriteJs(j, file.source, optionsFromJscodeshift(options));
  for (const f of result.findings) {
    if (f.kind !== 'changed') api.report(`${file.path}:${f.line}:${f.column} ${f.kind}: ${f.what}: ${f.message}`);
  }
  return result.output;
}
