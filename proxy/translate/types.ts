/**
 * The contract between request translation (OpenAI → Converse), response translation
 * (Converse → OpenAI) and the HTTP layer. Pure data: the route builds a
 * `TranslateContext`, calls `prepareConverse`, sends `input` to Bedrock and hands the
 * output plus `state` to the response side.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
} from 'openai/resources/chat/completions';
import type { ConverseCommandInput, ImageFormat } from '@aws-sdk/client-bedrock-runtime';
import type { NovaModel } from '../models.js';
import type { AbortSignalLike } from '../abort-signal.js';

export type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams };

/** `T` with its readonly fields writable: for the object that keeps its own state fields up to date. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface LoadedImage {
  format: ImageFormat;
  bytes: Uint8Array;
}

/**
 * Fetches an http(s) image; `param` names the request field for error messages; `signal`
 * cancels it (client gone, a sibling fetch failed). Throws OpenAIHttpError.
 */
export type ImageLoader = (url: string, param: string, signal?: AbortSignalLike) => Promise<LoadedImage>;

export interface TranslateContext {
  /** What is sent as `modelId` (bare or inference-profile ID). */
  bedrockModelId: string;
  /** Capabilities of the target model (images, reasoning, structured output, limits). */
  model: NovaModel;
  loadImage: ImageLoader;
  /** Largest decoded image accepted (data URLs and fetched images alike). */
  maxImageBytes: number;
  /** Aborted when the client goes away or the request times out: stops image fetches. */
  signal?: AbortSignalLike;
  /** Leave Nova 1's `<thinking>` preambles in the content (config `keepThinking`); default: moved to reasoning. */
  keepThinking?: boolean;
}

/** Everything the response side must know about how the request was translated. */
export interface TranslationState {
  /** Nova-safe tool name → the name the client used. Only names that changed are listed. */
  toolNames: ReadonlyMap<string, string>;
  /**
   * Set when `response_format` json_object / json_schema is emulated with a forced tool:
   * the tool's name. Its input is returned as `message.content` (a JSON string), not as a tool call.
   */
  jsonTool?: string;
  /** Stop sequences sent to Nova; Nova leaves the matched one in the text, OpenAI does not. */
  stopSequences: string[];
  /** `parallel_tool_calls: false`: only the first tool call is returned. */
  parallelToolCalls: boolean;
  /** `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Parameters accepted but not honoured (e.g. `seed`); the route reports them in `x-nova-ignored-params`. */
  ignoredParams: string[];
  /** Parameters changed to fit Nova (e.g. `temperature` clamped); reported in `x-nova-adjusted-params`. */
  adjustedParams: string[];
  /**
   * Leave a `<thinking>…</thinking>` preamble in the content as Nova wrote it. By default
   * (undefined/false) it is moved to `reasoning_content` (thinking.ts).
   */
  keepThinking?: boolean;
}

export interface PreparedConverse {
  /** Body for ConverseCommand / ConverseStreamCommand (the two inputs share one shape). */
  input: ConverseCommandInput;
  state: TranslationState;
}

export interface ResponseMeta {
  /** `chatcmpl-…` */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model name the client asked for (echoed back). */
  model: string;
}
