/** Latency statistics. Percentiles use linear interpolation between closest ranks. */

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

export interface Distribution {
  n: number;
  p50?: number;
  p95?: number;
  mean?: number;
  min?: number;
  max?: number;
}

export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { n: 0 };
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** candidate / baseline, or undefined when either is missing or the baseline is zero. */
export function ratio(candidate: number | undefined, baseline: number | undefined): number | undefined {
  if (candidate === undefined || baseline === undefined || baseline <= 0) return undefined;
  return candidate / baseline;
}
