/**
 * OpenAI endpoints nova-migrate does not serve, each with what to use instead, so a client
 * that calls one gets an answer it can act on rather than "check the URL for typos".
 * Pure: the app's not-found handler asks here first.
 */
import { OpenAIHttpError } from './errors.js';

/** The client settings that make Responses-first libraries use Chat Completions instead. */
export const CHAT_COMPLETIONS_SWITCHES =
  "Clients that default to the Responses API can use Chat Completions instead: Vercel AI SDK `openai.chat(model)` instead of `openai(model)`, " +
  "LangChain `new ChatOpenAI({ useResponsesApi: false })`, OpenAI Agents SDK `setOpenAIAPI('chat_completions')` (Python: `set_default_openai_api(\"chat_completions\")`).";

interface Unserved {
  /** Path without the `/v1` prefix, as a pattern over the whole path. */
  path: RegExp;
  /** Limits the entry to these methods (default: any). */
  methods?: readonly string[];
  name: string;
  instead: string;
}

const UNSERVED: readonly Unserved[] = [
  { path: /^\/completions$/, name: 'The legacy Completions API', instead: 'Send the prompt as a user message to POST /v1/chat/completions.' },
  {
    path: /^\/chat\/completions(\/.*)?$/,
    methods: ['GET', 'DELETE', 'PUT', 'PATCH'],
    name: 'Stored chat completions',
    instead: 'The proxy does not store completions (`store` is accepted but not persisted); keep what you need on your side. POST /v1/chat/completions is served.',
  },
  {
    path: /^\/responses(\/.*)?$/,
    name: 'This part of the Responses API',
    instead: `${CHAT_COMPLETIONS_SWITCHES}`,
  },
  {
    path: /^\/conversations(\/.*)?$/,
    name: 'The Conversations API',
    instead: `The proxy keeps no conversation state: send the whole conversation with each request (Agents SDK: a local session such as MemorySession or SQLiteSession instead of OpenAIConversationsSession). ${CHAT_COMPLETIONS_SWITCHES}`,
  },
  { path: /^\/images(\/.*)?$/, name: 'The Images API', instead: 'Generate images with Amazon Nova Canvas through Bedrock InvokeModel directly; image input to chat is served (image_url and file parts).' },
  { path: /^\/audio(\/.*)?$/, name: 'The Audio API (speech, transcriptions, translations)', instead: 'Use Amazon Nova Sonic, Amazon Transcribe or Amazon Polly directly.' },
  { path: /^\/realtime(\/.*)?$/, name: 'The Realtime API', instead: 'Use Amazon Nova Sonic (bidirectional streaming) through Bedrock directly.' },
  { path: /^\/moderations$/, name: 'The Moderations API', instead: 'Use Amazon Bedrock Guardrails (the ApplyGuardrail API) to screen text.' },
  { path: /^\/(assistants|threads)(\/.*)?$/, name: 'The Assistants API', instead: 'Keep the thread in your application and call POST /v1/chat/completions with the whole conversation; tools work there.' },
  { path: /^\/batches(\/.*)?$/, name: 'The Batch API', instead: 'Send the requests individually, or use Bedrock batch inference (CreateModelInvocationJob) directly.' },
  { path: /^\/(files|uploads)(\/.*)?$/, name: 'The Files API', instead: 'Send files inline: a `file` content part with `file_data` as a base64 data URL (PDF, Office, CSV, HTML, text, Markdown, images).' },
  { path: /^\/vector_stores(\/.*)?$/, name: 'Vector stores', instead: 'Keep embeddings in your own vector database (POST /v1/embeddings is served), or use Amazon Bedrock Knowledge Bases.' },
  { path: /^\/(fine_tuning|fine-tunes)(\/.*)?$/, name: 'Fine-tuning', instead: 'Use Amazon Bedrock model customization, then map a model name to the custom model with MODEL_MAPPINGS.' },
  { path: /^\/(evals|containers|videos|chatkit|organization)(\/.*)?$/, name: 'This OpenAI platform API', instead: 'It has no Bedrock counterpart behind this proxy.' },
];

/** A 404 naming the endpoint as not served, and what to use instead; undefined for URLs OpenAI does not have either. */
export function unservedEndpoint(method: string, url: string): OpenAIHttpError | undefined {
  const path = (url.split('?')[0] ?? url).replace(/^\/v1(?=\/)/, '');
  const entry = UNSERVED.find((u) => u.path.test(path) && (!u.methods || u.methods.includes(method)));
  if (!entry) return undefined;
  return new OpenAIHttpError(404, `${entry.name} (${method} ${url.split('?')[0]}) is not served by nova-migrate. ${entry.instead}`, {
    code: 'endpoint_not_served',
    type: 'invalid_request_error',
  });
}
