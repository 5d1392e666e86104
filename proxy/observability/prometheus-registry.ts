/**
 * The prom-client side of the Prometheus sink (prometheus.ts): the registries that render
 * the request metrics at scrape time, the open-streams gauge and the standard process
 * metrics. Loaded after start-up, not before the first request (see prometheus.ts).
 */
import { Registry, collectDefaultMetrics, Gauge, type Metric } from 'prom-client';
import type { PrometheusOptions } from './prometheus.js';

/** A metric object of our own that prom-client's registry renders (name, help, type, get()). */
type RenderedMetric = object;

export interface Registries {
  contentType: string;
  /** The exposition text: every metric (`perKey`), or with cost summed over API keys. */
  metrics(perKey: boolean): Promise<string>;
}

// Process metrics (RSS, CPU, event loop lag, GC) start monitors that can't be stopped:
// one registry per process, shared by every app built in it (tests, the parity harness).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function buildRegistries(opts: PrometheusOptions & { shared: RenderedMetric[]; cost: RenderedMetric; publicCost: RenderedMetric }): Registries {
  const registry = new Registry();
  const publicRegistry = new Registry();
  const shared = opts.defaultMetrics !== false ? processMetrics() : undefined;
  for (const m of opts.shared) {
    registry.registerMetric(m as Metric);
    publicRegistry.registerMetric(m as Metric);
  }
  registry.registerMetric(opts.cost as Metric);
  publicRegistry.registerMetric(opts.publicCost as Metric);
  if (opts.openStreams) {
    const openStreams = opts.openStreams;
    new Gauge({
      name: 'nova_proxy_open_streams',
      help: 'Streaming responses in flight.',
      registers: [registry, publicRegistry],
      collect() {
        this.set(openStreams());
      },
    });
  }
  return {
    contentType: registry.contentType,
    async metrics(perKey) {
      const own = await (perKey ? registry : publicRegistry).metrics();
      return shared ? `${own}\n${await shared.metrics()}` : own;
    },
  };
}
