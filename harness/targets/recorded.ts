/**
 * Baseline from recordings: the fixture's `baseline` (or its Batch output line). No call,
 * no measured latency; cost from the recorded usage and model.
 */
import type { PriceTable } from '../../proxy/pricing.js';
import { costOf, usageOf } from '../cost.js';
import type { Fixture, SideResult } from '../types.js';

export function recordedBaseline(fx: Fixture, prices: PriceTable): SideResult | undefined {
  if (!fx.baseline) return undefined;
  // The recorded model (often a dated snapshot) is what was billed.
  const pricedModel = fx.baseline.model || fx.body.model;
  const costUsd = costOf(pricedModel, fx.baseline, prices);
  const usage = usageOf(fx.baseline);
  return {
    ok: true,
    response: fx.baseline,
    latencyRecorded: true,
    fromCache: false,
    streamed: !!fx.body.stream,
    attempts: 0,
    headers: {},
    pricedModel,
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(usage ? { usage } : {}),
  };
}
