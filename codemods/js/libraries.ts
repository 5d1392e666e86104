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
  | 'llamaindex' // LlamaIndex TS `OpenAI`
  | 'llamaindex-embeddings';

const OPENAI_WRAPPERS = new Set(['openpipe/openai', '@openpipe/openai', 'openai-edge-compat']);

export function isOpenAISource(source: string): boolean {
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
  if (isOpenAISource(source)) {
    if (name === 'default' || name === 'OpenAI') return 'openai';
    if (name === 'AzureOpenAI') return 'openai-azure';
    if (name === 'BedrockOpenAI') return 'openai-bedrock';
    if (name === 'Configuration') return 'openai-v3-config';
    if (name === 'OpenAIApi') return 'openai-v3-api';
    return undefined;
  }
  if (LANGCHAIN_SOURCES.has(source)) {
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
  if (LLAMAINDEX_SOURCES.has(source)) {
    if (name === 'OpenAI') return 'llamaindex';
    if (name === 'OpenAIEmbedding') return 'llamaindex-embeddings';
  }
  return undefined;
}

/** Sources that make a file worth looking at for model rewriting and scanning. */
export function isKnownSource(source: string): boolean {
  return isOpenAISource(source) || LANGCHAIN_SOURCES.has(source) || source === '@ai-sdk/openai' || LLAMAINDEX_SOURCES.has(source);
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
  llamaindex: 'llamaindex OpenAI',
  'llamaindex-embeddings': 'llamaindex OpenAIEmbedding',
};

/** Options that make newer openai SDKs throw when `baseURL` is added beside them. */
export const CONFLICTING_OPTIONS = ['provider', 'dataResidency', 'workloadIdentity'];
