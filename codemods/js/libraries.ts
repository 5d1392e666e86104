/**
 * Which import sources and export names are OpenAI clients, decided by where a name
 * comes from, never by the bare identifier: LangChain and LlamaIndex export their own
 * `OpenAI`, and look-alikes (`openai-api`, `@azure/openai`, a local class) are not ours.
 */

export type ClientKind =
  | 'openai' // openai-node v4+ `OpenAI` (and the default export)
  | 'openai-azure' // `AzureOpenAI`: different auth, manual work
  | 'openai-bedrock' // `BedrockOpenAI`: already talks to Bedrock, skipped
  | 'openai-v3-config' // openai v3 `Configuration`
  | 'openai-v3-api' // openai v3 `OpenAIApi`
  | 'langchain-chat' // LangChain JS ChatOpenAI
  | 'langchain-completions' // LangChain JS `OpenAI` LLM: the legacy completions endpoint
  | 'langchain-embeddings'
  | 'langchain-azure'
  | 'ai-sdk-create' // AI SDK `createOpenAI`
  | 'ai-sdk-default' // AI SDK default `openai` provider instance
  | 'ai-sdk-compatible' // `createOpenAICompatible` from @ai-sdk/openai-compatible
  | 'ai-sdk-azure' // `createAzure` / `azure` from @ai-sdk/azure: manual
  | 'azure-sdk' // `OpenAIClient` from @azure/openai: manual
  | 'langchain-init' // LangChain `initChatModel('gpt-4o')` / `initChatModel('openai:gpt-4o')`
  | 'llamaindex' // LlamaIndex TS `OpenAI`
  | 'llamaindex-embeddings';

const OPENAI_WRAPPERS = new Set(['openpipe/openai', '@openpipe/openai', 'openai-edge-compat']);

/**
 * Deno and CDN spellings of the same package: `npm:openai@4`, `jsr:@openai/openai`,
 * `https://esm.sh/openai@4`, `https://deno.land/x/openai@v4.20.0/mod.ts`.
 */
export function normaliseSource(source: string): string {
  let s = source;
  if (s.startsWith('npm:')) s = s.slice(4);
  else if (s === 'jsr:@openai/openai' || s.startsWith('jsr:@openai/openai@') || s.startsWith('jsr:@openai/openai/')) return 'openai';
  else {
    const cdn = /^https:\/\/(?:esm\.sh|cdn\.skypack\.dev|cdn\.jsdelivr\.net\/npm|unpkg\.com|deno\.land\/x)\/(@?[^@/]+(?:\/[^@/]+)?)/.exec(s);
    if (cdn) return cdn[1]!.startsWith('@') ? cdn[1]! : cdn[1]!.split('/')[0]!;
  }
  // Drop a version: `openai@4.20.0`, `@langchain/openai@0.3/…`.
  const m = /^(@[^/@]+\/[^/@]+|[^/@]+)(?:@[^/]+)?(\/.*)?$/.exec(s);
  return m ? m[1]! + (m[2] ?? '') : s;
}

export function isOpenAISource(source: string): boolean {
  source = normaliseSource(source);
  return source === 'openai' || source.startsWith('openai/') || OPENAI_WRAPPERS.has(source);
}

const LANGCHAIN_SOURCES = new Set([
  '@langchain/openai',
  'langchain/chat_models/openai',
  'langchain/llms/openai',
  'langchain/embeddings/openai',
  'langchain/openai',
]);

const LLAMAINDEX_SOURCES = new Set(['llamaindex', '@llamaindex/openai', 'llamaindex/llm/openai']);

/** `name` is the export name (`default` for default imports). */
export function classify(source: string, name: string): ClientKind | undefined {
  source = normaliseSource(source);
  if (isOpenAISource(source)) {
    if (name === 'default' || name === 'OpenAI') return 'openai';
    if (name === 'AzureOpenAI') return 'openai-azure';
    if (name === 'BedrockOpenAI') return 'openai-bedrock';
    if (name === 'Configuration') return 'openai-v3-config';
    if (name === 'OpenAIApi') return 'openai-v3-api';
    return undefined;
  }
  if (LANGCHAIN_SOURCES.has(source) || (source.startsWith('@langchain/openai/') && LANGCHAIN_SOURCES.has('@langchain/openai'))) {
    if (name === 'ChatOpenAI') return 'langchain-chat';
    if (name === 'OpenAI') return 'langchain-completions';
    if (name === 'OpenAIEmbeddings') return 'langchain-embeddings';
    if (name === 'AzureChatOpenAI' || name === 'AzureOpenAI' || name === 'AzureOpenAIEmbeddings') return 'langchain-azure';
    return undefined;
  }
  if (source === '@ai-sdk/openai') {
    if (name === 'createOpenAI') return 'ai-sdk-create';
    if (name === 'openai') return 'ai-sdk-default';
    return undefined;
  }
  if (source === '@ai-sdk/openai-compatible' && name === 'createOpenAICompatible') return 'ai-sdk-compatible';
  if (source === '@ai-sdk/azure' && (name === 'createAzure' || name === 'azure')) return 'ai-sdk-azure';
  if (source === '@azure/openai' && (name === 'OpenAIClient' || name === 'AzureOpenAI')) return 'azure-sdk';
  if ((source === 'langchain/chat_models/universal' || source === 'langchain') && name === 'initChatModel') return 'langchain-init';
  if (LLAMAINDEX_SOURCES.has(source)) {
    if (name === 'OpenAI') return 'llamaindex';
    if (name === 'OpenAIEmbedding') return 'llamaindex-embeddings';
  }
  return undefined;
}

/** Sources that make a file worth looking at for model rewriting and scanning. */
const OTHER_KNOWN = new Set(['@ai-sdk/openai', '@ai-sdk/openai-compatible', '@ai-sdk/azure', '@azure/openai', 'langchain/chat_models/universal', 'langchain']);

export function isKnownSource(source: string): boolean {
  source = normaliseSource(source);
  return isOpenAISource(source) || LANGCHAIN_SOURCES.has(source) || OTHER_KNOWN.has(source) || LLAMAINDEX_SOURCES.has(source);
}

export const KIND_LABEL: Record<ClientKind, string> = {
  openai: 'openai.OpenAI',
  'openai-azure': 'openai.AzureOpenAI',
  'openai-bedrock': 'openai.BedrockOpenAI',
  'openai-v3-config': 'openai v3 Configuration',
  'openai-v3-api': 'openai v3 OpenAIApi',
  'langchain-chat': 'langchain ChatOpenAI',
  'langchain-completions': 'langchain OpenAI (completions)',
  'langchain-embeddings': 'langchain OpenAIEmbeddings',
  'langchain-azure': 'langchain Azure',
  'ai-sdk-create': 'ai-sdk createOpenAI',
  'ai-sdk-default': 'ai-sdk openai',
  'ai-sdk-compatible': 'ai-sdk createOpenAICompatible',
  'ai-sdk-azure': 'ai-sdk azure',
  'azure-sdk': '@azure/openai client',
  'langchain-init': 'langchain initChatModel',
  llamaindex: 'llamaindex OpenAI',
  'llamaindex-embeddings': 'llamaindex OpenAIEmbedding',
};

/** Options that make newer openai SDKs throw when `baseURL` is added beside them. */
export const CONFLICTING_OPTIONS = ['provider', 'dataResidency', 'workloadIdentity'];

export const AZURE_HOST = /\.openai\.azure\.com|\.cognitiveservices\.azure\.com|\.services\.ai\.azure\.com|azure-api\.net/i;

/**
 * Why a construction is an Azure OpenAI client, or undefined. Azure in any form is never
 * edited (a different auth scheme: api-version, deployments, Entra ID) and always reported.
 * `options` are the top-level option names, `baseText` the base URL option's source text.
 */
export function azureReason(kind: ClientKind, options: string[], baseText: string | undefined, optionsText?: string): string | undefined {
  if (kind === 'openai-azure' || kind === 'langchain-azure' || kind === 'ai-sdk-azure' || kind === 'azure-sdk') return 'Azure OpenAI client';
  if (baseText && AZURE_HOST.test(baseText)) return `base URL ${baseText.slice(0, 80)} is an Azure OpenAI endpoint`;
  const inOptions = azureInOptions(optionsText);
  if (inOptions) return inOptions;
  const azureOption = options.find((o) => /^azure/i.test(o) || o === 'deployment' || o === 'apiVersion' || o === 'deploymentName');
  if (azureOption) return `'${azureOption}' configures Azure OpenAI`;
  return undefined;
}

/**
 * Azure OpenAI driven through a plain OpenAI client: an `api-version` query parameter
 * (`defaultQuery: { 'api-version': … }`, Python `default_query={"api-version": …}`) or an
 * `api-key` header. Repointing such a client would keep Azure's auth and query on a request
 * to the proxy; the base URL, when there is one, is often a variable that hides the host.
 */
export function azureInOptions(optionsText: string | undefined): string | undefined {
  if (!optionsText) return undefined;
  if (/["'`]api-version["'`]/.test(optionsText)) return "an 'api-version' query parameter configures Azure OpenAI";
  if (/["'`]api-key["'`]/i.test(optionsText)) return "an 'api-key' header configures Azure OpenAI";
  return undefined;
}

/** The base-URL option of a client kind as its options spell it, for report lines. */
export function baseOptionOf(kind: ClientKind): string {
  if (kind.startsWith('langchain')) return 'configuration.baseURL';
  if (kind.startsWith('openai-v3')) return 'basePath';
  return 'baseURL';
}

export const AZURE_MESSAGE = 'different auth (api-version, deployments, Entra ID): never edited; move it to an OpenAI client pointed at the proxy by hand';
