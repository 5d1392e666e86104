/**
 * CloudWatch Embedded Metric Format sink (Lambda): one JSON line per request on stdout,
 * which CloudWatch Logs turns into metrics without any API call from the function.
 * Spec: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * Same metric names and dimension sets as the Prometheus sink (see metric-defs.ts). The
 * directive arrays depend only on which optional values a request has, so they are built
 * once per combination and reused.
 */
import { DEFAULT_NAMESPACE, METRICS, type MetricDef, type MetricsSink, type RequestSample } from './metric-defs.js';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}

const metric = (d: MetricDef) => ({ Name: d.name, Unit: d.unit });

const HAS_BEDROCK = 1;
const HAS_TTFT = 2;
const HAS_TOKENS = 4;
const HAS_CACHED = 8;
const HAS_COST = 16;
const HAS_ERROR = 32;

function buildDirectives(namespace: string, mask: number): Directive[] {
  const out: Directive[] = [
    { Namespace: namespace, Dimensions: [[...METRICS.requests.labels]], Metrics: [metric(METRICS.requests)] },
    {
      Namespace: namespace,
      Dimensions: [[...METRICS.duration.labels]],
      Metrics: [metric(METRICS.duration), metric(METRICS.overhead), ...(mask & HAS_BEDROCK ? [metric(METRICS.bedrock)] : [])],
    },
  ];
  const perModel = [
    ...(mask & HAS_TTFT ? [metric(METRICS.ttft)] : []),
    ...(mask & HAS_TOKENS ? [metric(METRICS.inputTokens), metric(METRICS.outputTokens)] : []),
    ...(mask & HAS_CACHED ? [metric(METRICS.cachedInputTokens)] : []),
  ];
  if (perModel.length) out.push({ Namespace: namespace, Dimensions: [['model']], Metrics: perModel });
  if (mask & HAS_COST) out.push({ Namespace: namespace, Dimensions: [[...METRICS.cost.labels]], Metrics: [metric(METRICS.cost)] });
  if (mask & HAS_ERROR) out.push({ Namespace: namespace, Dimensions: [[...METRICS.errors.labels]], Metrics: [metric(METRICS.errors)] });
  return out;
}

export interface EmfOptions {
  namespace?: string;
  /** Where lines go; stdout by default (synchronous on Linux pipes, so nothing is lost when Lambda freezes). */
  write?: (line: string) => void;
  /** Clock for Timestamp (tests). */
  now?: () => number;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

export function createEmfSink(opts: EmfOptions = {}): MetricsSink {
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const write = opts.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = opts.now ?? Date.now;
  const cache = new Map<number, Directive[]>();
  return {
    record(s: RequestSample) {
      const mask =
        (s.bedrockMs !== undefined ? HAS_BEDROCK : 0) |
        (s.ttftMs !== undefined ? HAS_TTFT : 0) |
        (s.inputTokens !== undefined ? HAS_TOKENS : 0) |
        (s.cachedInputTokens !== undefined ? HAS_CACHED : 0) |
        (s.costUsd !== undefined ? HAS_COST : 0) |
        (s.errorType !== undefined ? HAS_ERROR : 0);
      let directives = cache.get(mask);
      if (!directives) cache.set(mask, (directives = buildDirectives(namespace, mask)));
      const line: Record<string, unknown> = {
        _aws: { Timestamp: now(), CloudWatchMetrics: directives },
        model: s.model,
        stream: s.stream ? 'true' : 'false',
        status: String(s.status),
        [METRICS.requests.name]: 1,
        [METRICS.duration.name]: round(s.totalMs),
        [METRICS.overhead.name]: round(s.overheadMs),
      };
      if (mask & HAS_BEDROCK) line[METRICS.bedrock.name] = round(s.bedrockMs!);
      if (mask & HAS_TTFT) line[METRICS.ttft.name] = round(s.ttftMs!);
      if (mask & HAS_TOKENS) {
        line[METRICS.inputTokens.name] = s.inputTokens;
        line[METRICS.outputTokens.name] = s.outputTokens ?? 0;
      }
      if (mask & HAS_CACHED) line[METRICS.cachedInputTokens.name] = s.cachedInputTokens;
      if (mask & HAS_COST) {
        line.api_key = s.apiKey;
        line[METRICS.cost.name] = s.costUsd;
      }
      if (mask & HAS_ERROR) {
        line.error_type = s.errorType;
        line[METRICS.errors.name] = 1;
      }
      write(JSON.stringify(line));
    },
  };
}
