/**
 * Calls an OpenAI-compatible endpoint with the real `openai` SDK, exactly as an app does:
 * OpenAI itself (baseline) or the proxy (candidate). Streamed fixtures are streamed, so the
 * time to first token is measured. SDK retries are off: the runner retries with jitter.
 */
import OpenAI, { APIError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParams, ChatCompletion } from 'openai/resources/chat/completions';
import { ChunkAssembler } from '../run/assemble.js';
import { TargetCallError, type LiveCall } from './types.js';

const KEEP_HEADERS = /^(x-nova-|x-request-id$|openai-processing-ms$|x-ratelimit-)/;

function pickHeaders(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => {
    if (KEEP_HEADERS.test(k.toLowerCase())) out[k.toLowerCase()] = v;
  });
  return out;
}

export function createClient(opts: { apiKey: string; baseURL: string; timeoutMs?: number }): OpenAI {
  return new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, timeout: opts.timeoutMs ?? 120_000 });
}

export async function callChat(
  client: OpenAI,
  body: ChatCompletionCreateParams,
  opts: { signal: AbortSignal; timeoutMs: number },
): Promise<LiveCall> {
  const started = performance.now();
  const reqOpts = { signal: opts.signal, timeout: opts.timeoutMs, maxRetries: 0 };
  try {
    if (body.stream) {
      // Usage is needed for cost; asking for it does not change the answer.
      const streamBody = { ...body, stream: true as const, stream_options: { ...(body.stream_options ?? {}), include_usage: true } };
      const { data, response } = await client.chat.completions.create(streamBody, reqOpts).withResponse();
      const acc = new ChunkAssembler();
      let ttftMs: number | undefined;
      for await (const chunk of data) {
        if (acc.add(chunk)) ttftMs = performance.now() - started;
      }
      return { response: acc.result(), ttftMs, totalMs: performance.now() - started, streamed: true, headers: pickHeaders(response.headers) };
    }
    const { data, response } = await client.chat.completions.create({ ...body, stream: false }, reqOpts).withResponse();
    return { response: data as ChatCompletion, totalMs: performance.now() - started, streamed: false, headers: pickHeaders(response.headers) };
  } catch (err) {
    throw toCallError(err);
  }
}

export function toCallError(err: unknown): TargetCallError {
  if (err instanceof TargetCallError) return err;
  if (err instanceof APIUserAbortError) return new TargetCallError('aborted', undefined, undefined, 'aborted');
  if (err instanceof APIConnectionTimeoutError) return new TargetCallError('request timed out', undefined, undefined, 'timeout');
  if (err instanceof APIError) {
    const retryAfter = err.headers?.get?.('retry-after');
    const ra = retryAfter !== null && retryAfter !== undefined && retryAfter !== '' ? Number(retryAfter) * 1000 : undefined;
    const body = err.error as { message?: string; code?: string } | undefined;
    const msg = body?.message ?? err.message;
    return new TargetCallError(msg, err.status, Number.isFinite(ra) ? ra : undefined, body?.code ?? (err.status === undefined ? 'connection' : undefined));
  }
  return new TargetCallError(err instanceof Error ? err.message : String(err), undefined, undefined, 'connection');
}
