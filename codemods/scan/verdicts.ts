/**
 * What the proxy supports, as verdicts per call site. Language-neutral: the JS and
 * Python scanners describe each call's arguments as an ArgView, this decides.
 */
import { novaModelFor } from '../models.js';

export type Verdict = 'works' | 'differences' | 'unsupported';

export interface ArgValue {
  kind: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' | 'other';
  value?: string | number | boolean;
  /** Source text, shortened. */
  text: string;
  /** For objects: `type` property literal (response_format). */
  type?: string;
  /** For message arrays: an `image_url` / `input_audio` part appears somewhere inside. */
  hasImage?: boolean;
  hasAudio?: boolean;
  /** For arrays of strings (modalities). */
  items?: string[];
  /** For arrays of objects: their `type` literals (Responses tools). */
  types?: string[];
}

export interface ModelRef {
  /** The literal model name, when known. */
  value?: string;
  /** Where it comes from: `literal`, `const NAME (line N)`, `env NAME`, or the expression. */
  from: string;
}

export interface Site {
  file: string;
  line: number;
  column: number;
  /** `client` for constructions, `call` for API calls. */
  kind: 'client' | 'call';
  /** openai, openai-v3, langchain, llamaindex, ai-sdk, openai-module (python module-level / v0). */
  library: string;
  /** e.g. `chat.completions.create`, `new OpenAI`, `ChatOpenAI`. */
  api: string;
  model?: ModelRef;
  features: string[];
  verdict: Verdict;
  notes: string[];
  /**
   * How sure we are that the receiver is an OpenAI client: `certain` (traced to a
   * construction, an SDK type annotation, or confirmed by the TypeScript checker),
   * `likely` (a method path only OpenAI has, receiver untraced), `unverified` (a common
   * method path on an untraced receiver: kept only if the type checker confirms it).
   */
  confidence: 'certain' | 'likely' | 'unverified';
  /** For clients: the base URL already configured (`hardCoded`: a literal in the code). */
  baseUrl?: { text: string; hardCoded: boolean };
  /** For calls: how many member accesses separate the receiver from the call (type check). */
  depth?: number;
  /** For clients: offset of the construction in the analysed text (joins the client graph's decision). */
  offset?: number;
  /** For clients: what rewrite does with it, decided over the whole tree (the same decision rewrite uses). */
  decision?: { action: 'repoint' | 'leave'; unsupported: string[]; verify: string[] };
}

export type Group =
  | 'chat'
  | 'models'
  | 'embeddings'
  | 'responses'
  | 'responses-stored'
  | 'raw'
  | 'legacy-completions'
  | 'images'
  | 'audio'
  | 'moderations'
  | 'responses-compact'
  | 'conversations'
  | 'assistants'
  | 'files'
  | 'uploads'
  | 'fine-tuning'
  | 'batches'
  | 'vector-stores'
  | 'realtime'
  | 'evals'
  | 'containers'
  | 'videos'
  | 'builtin-tools'
  | 'other';

/**
 * What the proxy does not serve, with what to do instead. The single table both `scan`
 * (verdicts) and `rewrite` (which clients may be repointed) read.
 */
export const UNSUPPORTED: Partial<Record<Group, string>> = {
  'legacy-completions': 'legacy completions are not served by the proxy: move the call to chat.completions',
  images: 'image generation is not served by the proxy: keep it on OpenAI or use Nova Canvas through Bedrock (InvokeModel)',
  audio: 'audio endpoints are not served by the proxy: keep them on OpenAI or use Amazon Transcribe / Amazon Polly / Nova Sonic',
  moderations: 'moderations are not served by the proxy: keep it on OpenAI or use Amazon Bedrock Guardrails (ApplyGuardrail)',
  'responses-compact': 'responses.compact is not served by the proxy: keep it on OpenAI',
  conversations: 'the Conversations API is not served by the proxy: keep it on OpenAI, or keep the history yourself and send it with each request',
  assistants: 'Assistants/threads are not served by the proxy: keep them on OpenAI or rebuild on Amazon Bedrock Agents',
  files: 'the Files API is not served by the proxy: keep it on OpenAI (S3 is the Bedrock equivalent for inputs)',
  uploads: 'the Uploads API is not served by the proxy: keep it on OpenAI (S3 is the Bedrock equivalent)',
  'fine-tuning': 'fine-tuning is not served by the proxy: keep it on OpenAI or use Bedrock model customization',
  batches: 'the Batch API is not served by the proxy: keep it on OpenAI or use Bedrock batch inference (CreateModelInvocationJob)',
  'vector-stores': 'vector stores are not served by the proxy: keep them on OpenAI or use Bedrock Knowledge Bases',
  realtime: 'the Realtime API is not served by the proxy: keep it on OpenAI or use Nova Sonic (bidirectional streaming)',
  evals: 'evals are not served by the proxy: keep them on OpenAI',
  containers: 'containers (code interpreter) are not served by the proxy: keep them on OpenAI',
  videos: 'video generation is not served by the proxy: keep it on OpenAI or use Nova Reel through Bedrock (StartAsyncInvoke)',
  'builtin-tools': 'built-in tools (web_search, file_search, code_interpreter, computer_use) are rejected by the proxy (400): keep this call on OpenAI or replace the tool with a function tool you implement',
};

/** Responses API tool types the proxy rejects: OpenAI runs them server-side. */
export const BUILTIN_TOOL_TYPES = /^(web_search|web_search_preview|web_search_preview_2025_03_11|file_search|code_interpreter|computer_use|computer_use_preview|computer|image_generation|mcp|local_shell|shell|apply_patch)$/;

/** Which API group a method path belongs to (path after the client, e.g. `chat.completions.create`). */
export function groupOf(path: string): Group | undefined {
  // `chat.completions.with_raw_response.create` (Python) is the same call.
  path = path.replace(/\.(with_raw_response|with_streaming_response|withRawResponse)\./, '.');
  const p = path.replace(/^beta\./, '');
  if (/^chat\.completions\.(create|stream|parse|runTools|runFunctions|run_tools)$/.test(p)) return 'chat';
  if (/^chat\.completions\./.test(p)) return 'other';
  if (/^models\.(list|retrieve)$/.test(p)) return 'models';
  if (/^completions\.create$/.test(p)) return 'legacy-completions';
  if (/^embeddings\.create$/.test(p)) return 'embeddings';
  if (/^images\./.test(p)) return 'images';
  if (/^audio\./.test(p)) return 'audio';
  if (/^moderations\./.test(p)) return 'moderations';
  if (/^responses\.(create|stream|parse)$/.test(p)) return 'responses';
  if (/^responses\.compact$/.test(p)) return 'responses-compact';
  if (/^responses\./.test(p)) return 'responses-stored';
  if (/^conversations\./.test(p)) return 'conversations';
  if (/^(assistants|threads)\./.test(p) && path.startsWith('beta.')) return 'assistants';
  if (/^(vectorStores|vector_stores)\./.test(p)) return 'vector-stores';
  if (/^files\./.test(p)) return 'files';
  if (/^uploads\./.test(p)) return 'uploads';
  if (/^(fineTuning|fine_tuning)\./.test(p)) return 'fine-tuning';
  if (/^batches\./.test(p)) return 'batches';
  if (/^realtime\./.test(p)) return 'realtime';
  if (/^evals\./.test(p)) return 'evals';
  if (/^containers\./.test(p)) return 'containers';
  if (/^videos\./.test(p)) return 'videos';
  if (/^(post|get|put|patch|delete|request|getAPIList|get_api_list)$/.test(p)) return 'raw';
  return undefined;
}

/** What a raw request (`client.post('/files', …)`) reaches, from its path. */
export function rawGroup(path: string | undefined): Group | undefined {
  if (path === undefined) return undefined;
  const clean = path.replace(/^https?:\/\/[^/]+/, '').replace(/^\/?(v1\/)?/, '').replace(/\?.*$/, '');
  if (/^chat\/completions$/.test(clean)) return 'chat';
  if (/^embeddings$/.test(clean)) return 'embeddings';
  if (/^responses$/.test(clean)) return 'responses';
  if (/^models(\/|$)/.test(clean)) return 'models';
  if (/^responses\/[^/]+\/compact/.test(clean)) return 'responses-compact';
  if (/^responses\//.test(clean)) return 'responses-stored';
  const head = clean.split('/')[0]!;
  const table: Record<string, Group> = {
    completions: 'legacy-completions',
    images: 'images',
    audio: 'audio',
    moderations: 'moderations',
    conversations: 'conversations',
    assistants: 'assistants',
    threads: 'assistants',
    files: 'files',
    uploads: 'uploads',
    fine_tuning: 'fine-tuning',
    batches: 'batches',
    vector_stores: 'vector-stores',
    realtime: 'realtime',
    evals: 'evals',
    containers: 'containers',
    videos: 'videos',
  };
  return table[head] ?? 'other';
}

/** Paths distinctive enough to be OpenAI even when the receiver can't be traced. */
export function isDistinctive(path: string): boolean {
  return /^(beta\.)?chat\.completions\.|^beta\.(assistants|threads|vectorStores|vector_stores)\.|^(vectorStores|vector_stores)\.|^(fineTuning|fine_tuning)\.jobs\.|^audio\.(transcriptions|translations|speech)\.|^moderations\.create$|^responses\.(create|stream|parse|compact)$|^conversations\.(create|retrieve|update|delete|items)/.test(path);
}

/** openai v3 (`OpenAIApi`) method → group. */
export function v3Group(method: string): Group | undefined {
  const table: Record<string, Group> = {
    createChatCompletion: 'chat',
    createCompletion: 'legacy-completions',
    createEmbedding: 'embeddings',
    createImage: 'images',
    createImageEdit: 'images',
    createImageVariation: 'images',
    createTranscription: 'audio',
    createTranslation: 'audio',
    createModeration: 'moderations',
    listModels: 'models',
    retrieveModel: 'models',
    createFile: 'files',
    listFiles: 'files',
    createFineTune: 'fine-tuning',
    listFineTunes: 'fine-tuning',
  };
  return table[method];
}

/** openai-python < 1.0 module API (`openai.ChatCompletion.create`) → group. */
export function v0Group(resource: string): Group | undefined {
  const table: Record<string, Group> = {
    ChatCompletion: 'chat',
    Completion: 'legacy-completions',
    Embedding: 'embeddings',
    Image: 'images',
    Audio: 'audio',
    Moderation: 'moderations',
    Model: 'models',
    File: 'files',
    FineTune: 'fine-tuning',
    FineTuningJob: 'fine-tuning',
  };
  return table[resource];
}

const RANK: Record<Verdict, number> = { works: 0, differences: 1, unsupported: 2 };

export function worst(a: Verdict, b: Verdict): Verdict {
  return RANK[b] > RANK[a] ? b : a;
}

export function modelNotes(model: ModelRef | undefined, notes: string[]): Verdict {
  if (!model?.value) return 'works';
  const v = model.value;
  if (v.startsWith('amazon.nova-') || /^[a-z]+\.amazon\.nova-/.test(v)) return 'works';
  const nova = novaModelFor(v);
  if (nova) {
    notes.push(`model '${v}' is served by ${nova} (proxy default mapping)`);
    return 'works';
  }
  notes.push(`model '${v}' has no default Nova mapping: add it to MODEL_MAPPINGS or pick a Nova model`);
  return 'differences';
}

/** Verdict for a chat call from its parameters (OpenAI parameter names, snake_case). */
export function chatVerdict(args: Map<string, ArgValue>, features: string[], notes: string[]): Verdict {
  let v: Verdict = 'works';
  const get = (...names: string[]) => {
    for (const n of names) {
      const a = args.get(n);
      if (a) return a;
    }
    return undefined;
  };
  const stream = get('stream', 'streaming');
  if (stream && stream.value !== false) features.push('stream');
  if (get('tools', 'functions', 'tool_choice', 'function_call')) features.push('tools');
  const rf = get('response_format', 'responseFormat');
  if (rf) {
    if (rf.type === 'json_schema' || /zodResponseFormat|json_schema/.test(rf.text)) {
      features.push('response_format:json_schema');
      notes.push('response_format json_schema is emulated with a forced tool call on Nova v1 models');
      v = worst(v, 'differences');
    } else if (rf.type === 'json_object') features.push('response_format:json_object');
    else if (rf.type !== 'text') {
      features.push('response_format');
      if (rf.kind !== 'object') notes.push(`response_format given as ${rf.text}: json_schema is emulated on Nova v1`);
    }
  }
  const messages = get('messages');
  if (messages?.hasImage) features.push('images');
  if (messages?.hasAudio) {
    features.push('audio-input');
    notes.push('audio input parts are not supported by the proxy (400)');
    v = worst(v, 'unsupported');
  }
  const n = get('n');
  if (n) {
    if (typeof n.value === 'number' && n.value <= 1) {
      /* n: 1 is the default */
    } else {
      features.push('n');
      if (typeof n.value === 'number') {
        notes.push(`n=${n.value}: more than one choice is not supported (400); make separate calls`);
        v = worst(v, 'unsupported');
      } else {
        notes.push(`n=${n.text}: values above 1 are not supported (400)`);
        v = worst(v, 'differences');
      }
    }
  }
  const logprobs = get('logprobs', 'top_logprobs', 'topLogprobs');
  if (logprobs && logprobs.value !== false) {
    features.push('logprobs');
    notes.push('logprobs are not supported (400)');
    v = worst(v, 'unsupported');
  }
  const audio = get('audio');
  const modalities = get('modalities');
  if (audio || modalities?.items?.includes('audio') || (modalities && modalities.kind !== 'array')) {
    if (audio || modalities?.items?.includes('audio')) {
      features.push('audio');
      notes.push('audio output (audio / modalities: ["audio"]) is not supported (400)');
      v = worst(v, 'unsupported');
    }
  }
  const responsesApi = get('use_responses_api', 'useResponsesApi');
  if (responsesApi && responsesApi.value !== false) {
    features.push('responses-api');
    notes.push("use_responses_api / useResponsesApi routes LangChain through the Responses API: served by the proxy, but not with built-in tools (web_search, file_search…)");
    v = worst(v, 'differences');
  }
  if (get('prediction')) {
    features.push('prediction');
    notes.push('predicted outputs (prediction) are not supported (400)');
    v = worst(v, 'unsupported');
  }
  const temperature = get('temperature');
  if (temperature && typeof temperature.value === 'number' && temperature.value > 1) {
    features.push('temperature>1');
    notes.push(`temperature ${temperature.value} is clamped to 1`);
    v = worst(v, 'differences');
  }
  for (const [name, label] of [
    ['seed', 'seed'],
    ['logit_bias', 'logit_bias'],
    ['presence_penalty', 'presence_penalty'],
    ['frequency_penalty', 'frequency_penalty'],
    ['presencePenalty', 'presence_penalty'],
    ['frequencyPenalty', 'frequency_penalty'],
    ['logitBias', 'logit_bias'],
    ['user', 'user'],
    ['metadata', 'metadata'],
  ] as const) {
    if (args.has(name)) {
      features.push(label);
      notes.push(`${label} is accepted but ignored`);
      v = worst(v, 'differences');
    }
  }
  const ptc = get('parallel_tool_calls', 'parallelToolCalls');
  if (ptc) {
    features.push('parallel_tool_calls');
    notes.push('parallel_tool_calls is not a Converse option: Nova decides whether to call tools in parallel');
    v = worst(v, 'differences');
  }
  return v;
}

/** Embedding model names and what the proxy serves them with. */
export const EMBEDDING_MODELS: Record<string, string> = {
  'text-embedding-3-small': 'Titan Text Embeddings V2 (amazon.titan-embed-text-v2:0)',
  'text-embedding-ada-002': 'Titan Text Embeddings V2 (amazon.titan-embed-text-v2:0)',
  'text-embedding-3-large': 'Nova Multimodal Embeddings (amazon.nova-2-multimodal-embeddings-v1:0)',
};

function embeddingModelNotes(model: ModelRef | undefined, notes: string[]): Verdict {
  if (!model?.value) return 'works';
  const served = EMBEDDING_MODELS[model.value];
  if (served) {
    notes.push(`model '${model.value}' is served by ${served}: vectors differ from OpenAI's, re-embed stored documents`);
    return 'differences';
  }
  if (/^amazon\./.test(model.value)) return 'works';
  notes.push(`embedding model '${model.value}' has no default mapping on the proxy`);
  return 'differences';
}

/** Responses API request parameters (`responses.create/stream/parse`). */
function responsesVerdict(args: Map<string, ArgValue>, features: string[], notes: string[]): Verdict {
  let v: Verdict = 'works';
  const tools = args.get('tools');
  const builtin = tools?.types?.filter((t) => BUILTIN_TOOL_TYPES.test(t)) ?? [];
  if (builtin.length) {
    features.push('builtin-tools');
    notes.push(`${builtin.join(', ')}: ${UNSUPPORTED['builtin-tools']}`);
    v = 'unsupported';
  } else if (tools) features.push('tools');
  for (const stored of ['previous_response_id', 'conversation', 'previousResponseId']) {
    if (args.has(stored)) {
      features.push(stored);
      notes.push(`${stored} needs the proxy's response store: verify it is enabled`);
      v = worst(v, 'differences');
    }
  }
  const stream = args.get('stream');
  if (stream && stream.value !== false) features.push('stream');
  return v;
}

/** Fills `verdict`/`notes` for a site of a given group. */
export function judge(site: Site, group: Group | undefined, args: Map<string, ArgValue> | undefined): void {
  let v: Verdict = 'works';
  if (group && UNSUPPORTED[group]) {
    site.notes.push(UNSUPPORTED[group]!);
    site.verdict = 'unsupported';
    return;
  }
  if (group === 'chat') {
    if (args) v = worst(v, chatVerdict(args, site.features, site.notes));
    else {
      site.notes.push("parameters are built elsewhere: features couldn't be checked");
      v = worst(v, 'differences');
    }
  }
  if (group === 'responses') {
    if (args) v = worst(v, responsesVerdict(args, site.features, site.notes));
    else {
      site.notes.push("parameters are built elsewhere: check that no built-in tool (web_search, file_search, code_interpreter, computer_use) is used");
      v = worst(v, 'differences');
    }
  }
  if (group === 'responses-stored') {
    site.notes.push("reads a stored response: works only when the proxy keeps a response store (verify)");
    v = worst(v, 'differences');
  }
  if (group === 'raw') {
    site.notes.push('raw request to a path not known here: verify the proxy serves it');
    v = worst(v, 'differences');
  }
  if (group === 'other') {
    site.notes.push('not a call the proxy knows');
    v = worst(v, 'differences');
  }
  if (group === 'embeddings') v = worst(v, embeddingModelNotes(site.model, site.notes));
  else v = worst(v, modelNotes(site.model, site.notes));
  site.verdict = v;
}

/** AI SDK provider methods → group (`openai.image('dall-e-3')`). */
const PROVIDER_METHODS: Record<string, Group> = {
  chat: 'chat',
  chatModel: 'chat',
  languageModel: 'responses',
  responses: 'responses',
  completion: 'legacy-completions',
  completionModel: 'legacy-completions',
  embedding: 'embeddings',
  textEmbedding: 'embeddings',
  textEmbeddingModel: 'embeddings',
  embeddingModel: 'embeddings',
  image: 'images',
  imageModel: 'images',
  transcription: 'audio',
  speech: 'audio',
};

/** The group of an AI SDK provider method, if it is one (own keys only: `toString` is not a method of a provider). */
export const providerMethodGroup = (method: string): Group | undefined => (Object.hasOwn(PROVIDER_METHODS, method) ? PROVIDER_METHODS[method] : undefined);
