/** Shared shapes for the codemods: options, per-file findings and the run report. */

export interface RewriteOptions {
  /** Fallback base URL when the environment variable is unset. */
  baseUrl: string;
  /** Environment variable holding the proxy URL. */
  baseUrlEnv: string;
  /** Environment variable holding the proxy API key. */
  apiKeyEnv: string;
  /** Replace existing base URLs that point elsewhere. */
  force: boolean;
  /** `nova`: rewrite literal OpenAI model names to Nova IDs. */
  models: 'keep' | 'nova';
  /** Repoint clients even when some of their calls are not served (the calls are listed). */
  forcePartial: boolean;
  /** What the run knows about the file beyond its text (decisions from the client graph, runtime, versions). */
  context?: FileContext;
}

/** A client's fate as decided over the whole tree (graph/model.ts `solve`), keyed by construction offset. */
export interface DecisionLite {
  action: 'repoint' | 'leave';
  /** Why it is left alone, or what to verify / what will fail once repointed. */
  leave?: string;
  verify?: string;
  partial?: string;
}

export type Runtime = 'node' | 'next-client' | 'vite' | 'deno' | 'workers';

export interface FileContext {
  /** Construction offset (`-1`: the Python module-level client) → decision. Absent: decided from this file alone. */
  decisions?: Record<string, DecisionLite>;
  /** Where the code runs, when not plain Node: decides how the proxy URL is read. */
  runtime?: Runtime;
  /** Pinned versions of the libraries whose option names changed (`@langchain/openai`: `0.0.14`). */
  versions?: Record<string, string>;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080/v1';
export const DEFAULT_BASE_URL_ENV = 'NOVA_PROXY_URL';
export const DEFAULT_API_KEY_ENV = 'NOVA_PROXY_API_KEY';

export function defaultRewriteOptions(overrides: Partial<RewriteOptions> = {}): RewriteOptions {
  const out: RewriteOptions = {
    baseUrl: DEFAULT_BASE_URL,
    baseUrlEnv: DEFAULT_BASE_URL_ENV,
    apiKeyEnv: DEFAULT_API_KEY_ENV,
    force: false,
    models: 'keep',
    forcePartial: false,
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * What a transform noticed at one place in a file.
 * - `changed`: an edit was made here.
 * - `manual`: needs a human (options not visible, Azure auth, module-level client...).
 * - `skipped`: deliberately left alone (existing base URL, `provider` option, embeddings...).
 * - `note`: worth knowing, nothing to do (hard-coded base URL to OpenAI replaced, etc.).
 * - `verify`: repointed, but something the tool can't see may break (the client is handed to
 *   code it can't follow, or code reads the base URL it set).
 */
export type FindingKind = 'changed' | 'manual' | 'skipped' | 'note' | 'verify';

export interface Finding {
  kind: FindingKind;
  line: number;
  column: number;
  /** Library and construct, e.g. `openai.OpenAI`, `langchain.ChatOpenAI`. */
  what: string;
  message: string;
}

export interface TransformResult {
  /** New source, or undefined when nothing changed. */
  output?: string;
  findings: Finding[];
}

export type Language = 'js' | 'ts' | 'tsx' | 'python' | 'notebook';
