/**
 * Sends a recorded request body, byte for byte, to a Bedrock endpoint through the real AWS SDK:
 * the SDK builds, signs (SigV4 over the recorded bytes) and sends the request and parses the
 * answer, exactly as for a real call; only the body it serialised is swapped for the recorded
 * one before signing. What comes back is what a caller sees: status, error name (from
 * `x-amzn-errortype`), message, raw headers, and the parsed output or stream events.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { Recording } from './load.js';

export interface WireResult {
  status: number;
  headers: Record<string, string>;
  /** Error name as the SDK reports it (the part of `x-amzn-errortype` before `:`). */
  errorType?: string;
  message?: string;
  /** Parsed Converse / CountTokens output. */
  output?: unknown;
  /** ConverseStream events as the SDK yields them. */
  events?: ConverseStreamOutput[];
}

type Swappable = { middlewareStack: { add: (mw: unknown, opts: { step: string; name: string; priority?: string }) => void } };

function swapBody(command: Swappable, body: string, seen: { status?: number; headers?: Record<string, string> }): void {
  command.middlewareStack.add(
    (next: (a: { request: { body: unknown; headers: Record<string, string> } }) => Promise<unknown>) =>
      async (args: { request: { body: unknown; headers: Record<string, string> } }) => {
        args.request.body = body;
        args.request.headers['content-length'] = String(Buffer.byteLength(body));
        return next(args);
      },
    { step: 'build', name: 'recordedBody', priority: 'low' },
  );
  command.middlewareStack.add(
    (next: (a: unknown) => Promise<{ response: { statusCode: number; headers: Record<string, string> } }>) => async (args: unknown) => {
      const out = await next(args);
      seen.status = out.response.statusCode;
      seen.headers = out.response.headers;
      return out;
    },
    { step: 'deserialize', name: 'recordedResponseHeaders', priority: 'low' },
  );
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

export async function sendRecorded(client: BedrockRuntimeClient, rec: Recording): Promise<WireResult> {
  if (rec.body === undefined) throw new Error(`${rec.id}: no request body recorded`);
  const seen: { status?: number; headers?: Record<string, string> } = {};
  let command;
  if (rec.operation === 'Converse') command = new ConverseCommand({ modelId: rec.modelId, messages: [] });
  else if (rec.operation === 'ConverseStream') command = new ConverseStreamCommand({ modelId: rec.modelId, messages: [] });
  else if (rec.operation === 'CountTokens') command = new CountTokensCommand({ modelId: rec.modelId, input: { converse: { messages: [] } } });
  else throw new Error(`${rec.id}: ${rec.operation} is not sent by this suite`);
  swapBody(command as unknown as Swappable, rec.body, seen);
  try {
    const output = (await client.send(command as ConverseCommand)) as unknown;
    const result: WireResult = { status: seen.status ?? 200, headers: lower(seen.headers) };
    if (rec.operation === 'ConverseStream') {
      const events: ConverseStreamOutput[] = [];
      for await (const ev of (output as { stream: AsyncIterable<ConverseStreamOutput> }).stream) events.push(ev);
      result.events = events;
    } else {
      result.output = output;
    }
    return result;
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
    return {
      status: e.$metadata?.httpStatusCode ?? 0,
      headers: lower(e.$response?.headers),
      errorType: e.name,
      message: e.message,
    };
  }
}
