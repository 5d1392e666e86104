/**
 * What one use of a client value means for the proxy, for both languages: an SDK method
 * path (`files.create`), an AI SDK provider call (`openai.image(…)`, `openai.tools.webSearch`),
 * a LangChain model method, or a read of the option the rewrite sets.
 */
import { groupOf, providerMethodGroup, rawGroup, UNSUPPORTED, type Group, type Site } from '../scan/verdicts.js';
import type { Served } from './model.js';

/** Options whose value changes once the client points at the proxy: code reading them may decide differently. */
export const BASE_OPTION_READS = new Set(['baseURL', 'baseUrl', 'base_url', 'api_base', 'openai_api_base', 'basePath', 'openAIBasePath', 'apiBase', 'openai_api_type', 'api_type']);


/** Methods of LangChain / LlamaIndex / autogen model objects: the class decides the endpoint. */
const MODEL_METHODS = /^(invoke|ainvoke|stream|astream|batch|abatch|call|predict|apredict|generate|agenerate|pipe|bind|bindTools|bind_tools|withStructuredOutput|with_structured_output|withConfig|with_config|withRetry|with_retry|complete|acomplete|chat|achat|stream_chat|astream_chat|stream_complete|embedQuery|embedDocuments|embed_query|embed_documents|aembed_query|aembed_documents|get_text_embedding|get_query_embedding|create|create_stream)$/;

/**
 * Methods returning a copy of the client with the same base URL (`client.with_options(timeout=…)`,
 * `client.withOptions({…})`, `client.copy()`): the copy's uses are the client's own.
 */
export const CLIENT_COPY_METHODS = new Set(['with_options', 'withOptions', 'copy']);

/** Members that only change how the response is returned (`client.with_raw_response.files.create`): not part of the API path. */
const RESPONSE_WRAPPERS = new Set(['with_raw_response', 'with_streaming_response']);

export interface UseMeaning {
  served: Served;
  note: string;
}

const fromGroup = (g: Group | undefined, what: string): UseMeaning | undefined => {
  if (!g) return undefined;
  if (UNSUPPORTED[g]) return { served: 'unsupported', note: UNSUPPORTED[g]! };
  if (g === 'responses-stored') return { served: 'verify', note: `${what} reads a stored response: works only with the proxy's response store` };
  if (g === 'raw' || g === 'other') return { served: 'verify', note: `${what}: not a call the proxy knows, verify` };
  return { served: 'served', note: `${what} is served by the proxy` };
};

/**
 * Classifies a call made on a client value. `path` is the member chain after the value
 * (`['files','create']`; empty for a direct call `provider('gpt-4o')`), `site` the scan's
 * verdict for the same call when it has one, `firstArg` a literal first argument (raw requests),
 * `argText` the arguments' source (built-in tool types in `bindTools([...])`).
 */
export function meaningOfCall(path: string[], site: Site | undefined, firstArg: string | undefined, argText: string): UseMeaning | undefined {
  if (path.some((m) => RESPONSE_WRAPPERS.has(m))) path = path.filter((m) => !RESPONSE_WRAPPERS.has(m));
  const api = path.join('.');
  if (site) {
    if (site.verdict === 'unsupported') return { served: 'unsupported', note: site.notes[0] ?? 'not served by the proxy' };
    const g = groupOf(api);
    if (g === 'responses-stored' || g === 'raw' || g === 'other') return fromGroup(g, api);
    return { served: 'served', note: `${api} is served by the proxy` };
  }
  if (path.length === 0) return { served: 'served', note: 'provider(model) is served by the proxy (chat completions or Responses)' };
  if (path[0] === 'tools' && path.length >= 2) return { served: 'unsupported', note: `provider tool ${api}: ${UNSUPPORTED['builtin-tools']}` };
  const providerGroup = path.length === 1 ? providerMethodGroup(path[0]!) : undefined;
  if (providerGroup) return fromGroup(providerGroup, api);
  const g = groupOf(api);
  if (g === 'raw') return fromGroup(rawGroup(firstArg) ?? 'raw', api);
  if (g) return fromGroup(g, api);
  if (path.length === 1 && MODEL_METHODS.test(path[0]!)) {
    if (/(bindTools|bind_tools|bind)$/.test(path[0]!) && /['"]type['"]?\s*[:=]\s*['"](web_search|web_search_preview|file_search|code_interpreter|computer_use|computer_use_preview)['"]/.test(argText)) {
      return { served: 'unsupported', note: `${api} binds a built-in tool: ${UNSUPPORTED['builtin-tools']}` };
    }
    return { served: 'served', note: `${api} is served by the proxy` };
  }
  // A resource method this table doesn't know (an API newer than it, `client.webhooks.unwrap`):
  // never assumed served in silence.
  if (path.length >= 2) return { served: 'verify', note: `${api}: not an API the proxy is known to serve, verify` };
  return undefined;
}

/** SDK resources whose handle can be kept and called later (`const files = client.files`). */
export const RESOURCES = /^(chat|completions|embeddings|images|audio|moderations|responses|conversations|beta|vectorStores|vector_stores|files|uploads|fineTuning|fine_tuning|batches|realtime|evals|containers|videos|models|webhooks)$/;

/**
 * A resource handle read off a client and kept (`const { files } = client`, `batches =
 * client.batches`): the calls made on it later aren't followed, so it counts as the calls its
 * resource can make — unsupported resources keep the client on OpenAI, others are to verify.
 */
export function meaningOfHandle(path: string[]): UseMeaning | undefined {
  if (!path.length || !RESOURCES.test(path[0]!)) return undefined;
  const api = path.join('.');
  const g = groupOf(`${api}.create`);
  if (g && UNSUPPORTED[g]) return { served: 'unsupported', note: `${api} is kept as a handle: ${UNSUPPORTED[g]}` };
  if (g === 'chat' || g === 'embeddings') return { served: 'served', note: `${api} is served by the proxy` };
  return { served: 'verify', note: `${api} is kept as a handle: the calls made on it aren't followed, verify` };
}

/** A property read (not a call) on a client value. */
export function meaningOfRead(path: string[]): UseMeaning | undefined {
  const last = path[path.length - 1];
  if (path.length === 1 && last && BASE_OPTION_READS.has(last)) {
    return { served: 'verify', note: `reads ${last}, which points at the proxy after the rewrite: check what this code decides with it` };
  }
  return undefined;
}

/** Assistants API resources, written without `beta.` when a `client.beta` handle is kept. */
const BETA_ONLY = /^(threads|assistants)$/;

/**
 * A call on a receiver the graph can't trace (`CLIENTS["main"].batches.create(…)`): the
 * member chain from its first SDK resource name on, when that is a call the proxy doesn't
 * serve. `names` is the chain after the receiver's root, `null` where a member is computed.
 */
export function orphanCall(names: (string | null)[], firstArg: string | undefined, argText: string): { api: string; meaning: UseMeaning } | undefined {
  const chain = names.filter((m) => m === null || !RESPONSE_WRAPPERS.has(m));
  // A `beta` handle kept aside (`this.api = client.beta`) is called as `this.api.threads.create`.
  const i = chain.findIndex((m) => m !== null && (RESOURCES.test(m) || BETA_ONLY.test(m)));
  if (i < 0 || chain.slice(i).includes(null)) return undefined;
  const path = chain.slice(i) as string[];
  if (BETA_ONLY.test(path[0]!)) path.unshift('beta');
  if (path.length < 2) return undefined;
  const meaning = meaningOfCall(path, undefined, firstArg, argText);
  if (meaning?.served !== 'unsupported') return undefined;
  const api = path.join('.');
  return { api, meaning: { served: 'unsupported', note: `${api} on a value the tool can't trace to a client: ${meaning.note}` } };
}

/**
 * SDKs whose resources look like OpenAI's (`drive.files.create`, `stripe.files.create`,
 * `anthropic.messages.batches.create`, `groq.audio.transcriptions.create`): a call on a value
 * made by one of them is that SDK's call, not an untraceable OpenAI one. JS package names and
 * Python top-level modules.
 */
const LOOKALIKE_JS = /^(?:googleapis|@googleapis\/[\w-]+|stripe|@slack\/web-api|@anthropic-ai\/sdk|groq-sdk|@mistralai\/mistralai|together-ai|@google\/genai|@google\/generative-ai|cohere-ai|replicate|dropbox|box-node-sdk|@aws-sdk\/[\w-]+|firebase-admin|@supabase\/supabase-js)(?:\/.*)?$/;
const LOOKALIKE_PY = new Set(['googleapiclient', 'stripe', 'slack_sdk', 'anthropic', 'groq', 'mistralai', 'together', 'google', 'cohere', 'replicate', 'dropbox', 'boxsdk', 'boto3', 'firebase_admin', 'supabase']);

export function isLookalikeSdkSource(source: string, lang: 'js' | 'py'): boolean {
  return lang === 'js' ? LOOKALIKE_JS.test(source) : LOOKALIKE_PY.has(source.split('.')[0]!);
}

/**
 * Names in a file that hold a look-alike SDK or a value made from one: the imported names,
 * then (to a fixed point) variables assigned from an expression rooted in one
 * (`const drive = google.drive(…)`, `client = anthropic.Anthropic()`).
 */
export function lookalikeNames(imported: Iterable<string>, assignments: Iterable<[name: string, root: string]>): Set<string> {
  const names = new Set(imported);
  const pairs = [...assignments];
  for (let changed = names.size > 0; changed; ) {
    changed = false;
    for (const [name, root] of pairs) {
      if (!names.has(name) && names.has(root)) {
        names.add(name);
        changed = true;
      }
    }
  }
  return names;
}

/** A member chosen at run time on a client (`client[resource]`, `getattr(client, name)`): it may be any API. */
export const RUNTIME_MEMBER: UseMeaning = {
  served: 'unsupported',
  note: "a resource chosen at run time: it may be one the proxy doesn't serve (files, batches…); keep it on OpenAI or repoint by hand",
};
