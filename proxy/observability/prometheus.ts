/**
 * Prometheus sink (server mode): `GET /metrics` in the text exposition format, through a
 * prom-client Registry (which also brings the standard process metrics: RSS, CPU, event
 * loop lag, GC).
 *
 * The request metrics are prom-client-compatible metric objects of our own rather than
 * prom-client's Counter/Histogram: those hash and validate the label object on every
 * `inc`/`observe`. Here each label set is resolved once to a leaf (nested Maps keyed by
 * label value, no string building) and per-request work is a few additions; the label
 * objects are built at scrape time.
 *
 * Recording needs nothing from prom-client, so it is loaded (prometheus-registry.ts: the
 * registries, the open-streams gauge, the process metrics) after start-up: once the first
 * request has been answered, or by the first scrape, whichever comes first. Start-up and the
 * first request don't pay for it (~20 ms); the process metrics' GC and event-loop monitors
 * start then.
 */
import type { Registries } from './prometheus-registry.js';
import { METRICS, type MetricDef, type MetricsSink, type RequestSample } from './metric-defs.js';

interface CounterLeaf {
  labels: Record<string, string>;
  value: number;
}

interface HistogramLeaf {
  labels: Record<string, string>;
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

type Tree<L> = Map<string, Tree<L> | L>;

/** Nested Map per label value: lookups allocate nothing once a label set has been seen. */
abstract class CachedMetric<L extends { labels: Record<string, string> }> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  protected readonly tree: Tree<L> = new Map();
  protected readonly leaves: L[] = [];

  constructor(protected readonly def: MetricDef) {
    this.name = def.name;
    this.help = def.help;
  }

  protected abstract makeLeaf(labels: Record<string, string>): L;

  /** `values` must follow `def.labels` order. */
  leaf(...values: string[]): L {
    let node: Tree<L> = this.tree;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Tree<L> | undefined;
      if (!next) node.set(values[i]!, (next = new Map()));
      node = next;
    }
    let leaf = node.get(values[last]!) as L | undefined;
    if (!leaf) {
      const labels: Record<string, string> = {};
      this.def.labels.forEach((n, i) => (labels[n] = values[i]!));
      leaf = this.makeLeaf(labels);
      node.set(values[last]!, leaf);
      this.leaves.push(leaf);
    }
    return leaf;
  }

  reset(): void {
    this.tree.clear();
    this.leaves.length = 0;
  }
}

export class CachedCounter extends CachedMetric<CounterLeaf> {
  readonly type = 'counter';
  protected makeLeaf(labels: Record<string, string>): CounterLeaf {
    return { labels, value: 0 };
  }
  get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.leaves.map((l) => ({ labels: l.labels, value: l.value })) };
  }

  /** The same counter summed over `label` (the series a scraper sees without it). */
  without(label: string) {
    const counter = this;
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      get() {
        const sums = new Map<string, { labels: Record<string, string>; value: number }>();
        for (const l of counter.leaves) {
          const { [label]: _dropped, ...labels } = l.labels;
          const key = JSON.stringify(labels);
          const entry = sums.get(key);
          if (entry) entry.value += l.value;
          else sums.set(key, { labels, value: l.value });
        }
        return { name: counter.name, help: counter.help, type: counter.type, aggregator: counter.aggregator, values: [...sums.values()] };
      },
    };
  }
}

export class CachedHistogram extends CachedMetric<HistogramLeaf> {
  readonly type = 'histogram';
  private readonly buckets: readonly number[];
  constructor(def: MetricDef) {
    super(def);
    this.buckets = def.buckets ?? [];
  }
  protected makeLeaf(labels: Record<string, string>): HistogramLeaf {
    return { labels, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
  }
  observe(leaf: HistogramLeaf, v: number): void {
    const b = this.buckets;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    leaf.counts[i]! += 1;
    leaf.sum += v;
    leaf.count += 1;
  }
  get() {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const l of this.leaves) {
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += l.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...l.labels, le: i < this.buckets.length ? this.buckets[i]! : '+Inf' }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels: l.labels, value: l.sum });
      values.push({ metricName: `${this.name}_count`, labels: l.labels, value: l.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

// Status codes as strings, made once.
const STATUS = Array.from({ length: 600 }, (_, i) => String(i));
const bool = (b: boolean) => (b ? 'true' : 'false');

export interface PrometheusSink extends MetricsSink {
  /** Content type of the exposition text (prom-client's); known once `metrics()` or `load()` has resolved. */
  readonly contentType: string;
  /**
   * The exposition text. `perKey: false` (client keys) sums the cost over API keys: a key
   * holder must not see other keys' spend, nor how many keys exist.
   */
  metrics(opts?: { perKey?: boolean }): Promise<string>;
  /** Loads prom-client and builds the registries (once; the first record or scrape starts it). */
  load(): Promise<void>;
}

export interface PrometheusOptions {
  /** Open streams right now (gauge `nova_proxy_open_streams`). */
  openStreams?: () => number;
  /** Standard process metrics (default true). */
  defaultMetrics?: boolean;
}

export function createPrometheusSink(opts: PrometheusOptions = {}): PrometheusSink {
  const requests = new CachedCounter(METRICS.requests);
  const errors = new CachedCounter(METRICS.errors);
  const duration = new CachedHistogram(METRICS.duration);
  const bedrock = new CachedHistogram(METRICS.bedrock);
  const overhead = new CachedHistogram(METRICS.overhead);
  const ttft = new CachedHistogram(METRICS.ttft);
  const inputTokens = new CachedCounter(METRICS.inputTokens);
  const outputTokens = new CachedCounter(METRICS.outputTokens);
  const cachedInputTokens = new CachedCounter(METRICS.cachedInputTokens);
  const cost = new CachedCounter(METRICS.cost);
  let registries: Registries | undefined;
  let loading: Promise<Registries> | undefined;
  const load = () =>
    (loading ??= import('./prometheus-registry.js').then(({ buildRegistries }) =>
      (registries = buildRegistries({
        // Same metric objects in both registries but for cost, which the public one shows per model only.
        shared: [requests, errors, duration, bedrock, overhead, ttft, inputTokens, outputTokens, cachedInputTokens],
        cost,
        publicCost: cost.without('api_key'),
        ...opts,
      })),
    ));

  return {
    get contentType() {
      if (!registries) throw new Error('the Prometheus registries are not loaded yet');
      return registries.contentType;
    },
    async metrics({ perKey = true } = {}) {
      return (registries ?? (await load())).metrics(perKey);
    },
    async load() {
      await load();
    },
    record(s: RequestSample) {
      const stream = bool(s.stream);
      requests.leaf(s.model, stream, STATUS[s.status] ?? String(s.status)).value += 1;
      if (s.errorType !== undefined) errors.leaf(s.model, s.errorType).value += 1;
      duration.observe(duration.leaf(s.model, stream), s.totalMs);
      overhead.observe(overhead.leaf(s.model, stream), s.overheadMs);
      if (s.bedrockMs !== undefined) bedrock.observe(bedrock.leaf(s.model, stream), s.bedrockMs);
      if (s.ttftMs !== undefined) ttft.observe(ttft.leaf(s.model), s.ttftMs);
      if (s.inputTokens !== undefined) inputTokens.leaf(s.model).value += s.inputTokens;
      if (s.outputTokens !== undefined) outputTokens.leaf(s.model).value += s.outputTokens;
      if (s.cachedInputTokens !== undefined) cachedInputTokens.leaf(s.model).value += s.cachedInputTokens;
      if (s.costUsd !== undefined) cost.leaf(s.model, s.apiKey).value += s.costUsd;
      if (!loading) void load().catch(() => undefined);
    },
  };
}
