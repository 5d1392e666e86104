/**
 * The proxy's metrics, defined once for both sinks: Prometheus (`/metrics`, server mode)
 * and CloudWatch Embedded Metric Format (Lambda). Names, units and label/dimension sets
 * are identical in both, so dashboards and alerts carry over between the two modes.
 *
 * Milliseconds rather than Prometheus' customary seconds: the proxy's own overhead is
 * well under a millisecond, and CloudWatch shows units, not scaled values.
 */
export type MetricKind = 'counter' | 'histogram';

export interface MetricDef {
  name: string;
  help: string;
  kind: MetricKind;
  /** Prometheus label names = CloudWatch dimension names. */
  labels: readonly string[];
  /** CloudWatch unit. */
  unit: 'Count' | 'Milliseconds' | 'None';
  buckets?: readonly number[];
}

const LATENCY_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000];
// The proxy's own share: tenths of a millisecond matter here.
const OVERHEAD_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250];

export const METRICS = {
  requests: {
    name: 'nova_proxy_requests_total',
    help: 'Requests handled, by Bedrock model, streaming flag and HTTP status.',
    kind: 'counter',
    labels: ['model', 'stream', 'status'],
    unit: 'Count',
  },
  errors: {
    name: 'nova_proxy_errors_total',
    help: 'Failed requests (HTTP status >= 400, in-stream errors, client disconnects) by OpenAI error type.',
    kind: 'counter',
    labels: ['model', 'error_type'],
    unit: 'Count',
  },
  duration: {
    name: 'nova_proxy_request_duration_ms',
    help: 'Total time from request arrival to the end of the response (whole stream included).',
    kind: 'histogram',
    labels: ['model', 'stream'],
    unit: 'Milliseconds',
    buckets: LATENCY_BUCKETS,
  },
  bedrock: {
    name: 'nova_proxy_bedrock_duration_ms',
    help: 'Time spent waiting on Bedrock (until its response or the end of its stream).',
    kind: 'histogram',
    labels: ['model', 'stream'],
    unit: 'Milliseconds',
    buckets: LATENCY_BUCKETS,
  },
  overhead: {
    name: 'nova_proxy_overhead_ms',
    help: "The proxy's own time per request: total duration minus time waiting on Bedrock.",
    kind: 'histogram',
    labels: ['model', 'stream'],
    unit: 'Milliseconds',
    buckets: OVERHEAD_BUCKETS,
  },
  ttft: {
    name: 'nova_proxy_ttft_ms',
    help: 'Streaming: time from request arrival to the first content delta.',
    kind: 'histogram',
    labels: ['model'],
    unit: 'Milliseconds',
    buckets: LATENCY_BUCKETS,
  },
  inputTokens: {
    name: 'nova_proxy_input_tokens_total',
    help: 'Prompt tokens (cached ones included, as OpenAI counts them).',
    kind: 'counter',
    labels: ['model'],
    unit: 'Count',
  },
  outputTokens: {
    name: 'nova_proxy_output_tokens_total',
    help: 'Completion tokens.',
    kind: 'counter',
    labels: ['model'],
    unit: 'Count',
  },
  cachedInputTokens: {
    name: 'nova_proxy_cached_input_tokens_total',
    help: 'Prompt tokens read from the prompt cache.',
    kind: 'counter',
    labels: ['model'],
    unit: 'Count',
  },
  cost: {
    name: 'nova_proxy_cost_usd_total',
    help: 'Estimated cost in USD from the price table, by model and API key index.',
    kind: 'counter',
    labels: ['model', 'api_key'],
    unit: 'None',
  },
} as const satisfies Record<string, MetricDef>;

/** CloudWatch namespace for the EMF lines (overridable with NOVA_METRICS_NAMESPACE). */
export const DEFAULT_NAMESPACE = 'NovaProxy';

/**
 * One finished request, as both sinks consume it. The plugin reuses a single instance
 * (sinks record synchronously), so recording allocates nothing.
 */
export interface RequestSample {
  /** Bedrock model ID, or "none" when the request never got that far. */
  model: string;
  stream: boolean;
  status: number;
  /** API key index as a string ("0", "1"…), or "none" without auth. */
  apiKey: string;
  totalMs: number;
  bedrockMs: number | undefined;
  overheadMs: number;
  ttftMs: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  cachedInputTokens: number | undefined;
  costUsd: number | undefined;
  /** Set when the request failed. */
  errorType: string | undefined;
}

export interface MetricsSink {
  record(s: RequestSample): void;
}

export function emptySample(): RequestSample {
  return {
    model: 'none',
    stream: false,
    status: 0,
    apiKey: 'none',
    totalMs: 0,
    bedrockMs: undefined,
    overheadMs: 0,
    ttftMs: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    cachedInputTokens: undefined,
    costUsd: undefined,
    errorType: undefined,
  };
}
