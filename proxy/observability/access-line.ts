/**
 * The per-request access line ("request completed"), written as pino would write
 * `logger.child({ reqId }).info(fields, 'request completed')`, byte for byte, without the child
 * and without pino's generic walk over the object (string building per key): the fields are
 * known, so the JSON is built in one pass. With pino's child and walk, logging and metrics cost
 * ~58 k instructions of the proxy's ~1.2 M per request; with this and request-logger.ts, ~24 k
 * (callgrind, docs/benchmarks.md).
 *
 * Level, timestamp, base bindings (pid, hostname), message key and destination stream are
 * pino's own (`pino.symbols`), so the line follows the logger's configuration. Options that
 * reshape a line (mixin, formatters.log, hooks, nestedKey, redact, a serializer for one of its
 * keys, multistream metadata) make `lineWriter` return undefined, and the caller logs the
 * object through pino instead. test/observability/access-line.test.ts holds the two outputs
 * equal.
 */
import { symbols, type Logger } from 'pino';
import type { RequestMetrics } from '../request-metrics.js';

/** The request ID's key in log lines (Fastify's `requestIdLogLabel`; app.ts passes it to Fastify). */
export const REQUEST_ID_LOG_LABEL = 'reqId';

/** The line's fields (in the order serializeAccessFields writes them); most are the request's metrics (request-metrics.ts). */
export type AccessFields = { route: string | null; method: string; status: number } & Pick<RequestMetrics, 'model' | 'bedrockModelId' | 'stream'> & {
  latencyMs: number;
  overheadMs: number;
} & Pick<RequestMetrics, 'bedrockMs' | 'ttftMs' | 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costUsd' | 'errorType' | 'apiKeyIndex'> & { aborted?: true };

const ACCESS_KEYS: readonly string[] = [
  REQUEST_ID_LOG_LABEL,
  ...(['route', 'method', 'status', 'model', 'bedrockModelId', 'stream', 'latencyMs', 'bedrockMs', 'overheadMs', 'ttftMs', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'costUsd', 'errorType', 'apiKeyIndex', 'aborted'] satisfies (keyof AccessFields)[]),
];

// pino writes non-finite numbers as null.
const num = (v: number) => (Number.isFinite(v) ? String(v) : 'null');
const str = JSON.stringify as (s: string) => string;

/**
 * The object part of the line as pino serialises it: `,"reqId":…` as a child logger binds it,
 * then `,"route":…` and the other fields in order, leaving out what is undefined (pino's
 * short-string escaping and JSON.stringify agree on every well-formed string).
 */
function serializeAccessFields(reqId: string, f: AccessFields): string {
  let s = `,"${REQUEST_ID_LOG_LABEL}":${str(reqId)},"route":${f.route === null ? 'null' : str(f.route)},"method":${str(f.method)},"status":${num(f.status)}`;
  if (f.model !== undefined) s += `,"model":${str(f.model)}`;
  if (f.bedrockModelId !== undefined) s += `,"bedrockModelId":${str(f.bedrockModelId)}`;
  s += `,"stream":${f.stream},"latencyMs":${num(f.latencyMs)}`;
  if (f.bedrockMs !== undefined) s += `,"bedrockMs":${num(f.bedrockMs)}`;
  s += `,"overheadMs":${num(f.overheadMs)}`;
  if (f.ttftMs !== undefined) s += `,"ttftMs":${num(f.ttftMs)}`;
  if (f.inputTokens !== undefined) s += `,"inputTokens":${num(f.inputTokens)}`;
  if (f.outputTokens !== undefined) s += `,"outputTokens":${num(f.outputTokens)}`;
  if (f.cachedInputTokens !== undefined) s += `,"cachedInputTokens":${num(f.cachedInputTokens)}`;
  if (f.costUsd !== undefined) s += `,"costUsd":${num(f.costUsd)}`;
  if (f.errorType !== undefined) s += `,"errorType":${str(f.errorType)}`;
  if (f.apiKeyIndex !== undefined) s += `,"apiKeyIndex":${num(f.apiKeyIndex)}`;
  if (f.aborted) s += ',"aborted":true';
  return s;
}

type Internals = Record<symbol, unknown>;

/** Writes the access line of request `reqId` at `level` (its fields serialised only when the level is on). */
export type LineWriter = (level: 'info' | 'debug', reqId: string, fields: AccessFields, msg: string) => void;

/** A writer for `logger`, or undefined when its options reshape lines (then log the object through pino). */
export function lineWriter(logger: Logger): LineWriter | undefined {
  const p = logger as unknown as Internals;
  const formatters = p[symbols.formattersSym] as { log?: unknown };
  const hooks = p[symbols.hooksSym] as { logMethod?: unknown; streamWrite?: unknown };
  const stream = p[symbols.streamSym] as ({ write(s: string): void } & Internals) | undefined;
  // Not pino (Fastify's no-op logger when logging is off).
  if (!stream || !formatters || !hooks) return undefined;
  if (p[symbols.mixinSym] || formatters.log || hooks.logMethod || hooks.streamWrite || p[symbols.nestedKeySym]) return undefined;
  // Redaction and custom stringifiers live in the stringifiers table; multistream wants each line's metadata.
  if (Object.getOwnPropertySymbols(p[symbols.stringifiersSym] as object).length > 0 || Object.keys(p[symbols.stringifiersSym] as object).length > 0) return undefined;
  if (stream[Symbol.for('pino.metadata')] === true) return undefined;
  // A serializer for one of the line's keys would change its value.
  const serializers = p[symbols.serializersSym] as Record<string, unknown>;
  if (ACCESS_KEYS.some((k) => serializers[k])) return undefined;
  const time = p[symbols.timeSym] as () => string;
  const end = p[symbols.endSym] as string;
  const msgKey = `,${str(p[symbols.messageKeySym] as string)}:`;
  return (level, reqId, fields, msg) => {
    if (!logger.isLevelEnabled(level)) return;
    stream.write((p[symbols.lsCacheSym] as Record<number, string>)[logger.levels.values[level]!] + time() + (p[symbols.chindingsSym] as string) + serializeAccessFields(reqId, fields) + msgKey + str(msg) + end);
  };
}
