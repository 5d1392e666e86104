/**
 * The EMF specification's rules, checked by hand (no JSON schema for it ships with any
 * installed package):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits',
  'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

export function validateEmf(doc: any): string[] {
  const errors: string[] = [];
  const aws = doc?._aws;
  if (!aws || typeof aws !== 'object') return ['missing _aws'];
  if (!Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) errors.push('_aws.Timestamp must be epoch milliseconds');
  if (!Array.isArray(aws.CloudWatchMetrics) || aws.CloudWatchMetrics.length === 0) return [...errors, '_aws.CloudWatchMetrics must be a non-empty array'];
  for (const [i, d] of aws.CloudWatchMetrics.entries()) {
    const at = `CloudWatchMetrics[${i}]`;
    if (typeof d.Namespace !== 'string' || d.Namespace.length < 1 || d.Namespace.length > 1024) errors.push(`${at}.Namespace`);
    if (!Array.isArray(d.Dimensions)) errors.push(`${at}.Dimensions must be an array`);
    else
      for (const set of d.Dimensions) {
        if (!Array.isArray(set) || set.length > 30) errors.push(`${at}: a dimension set is an array of at most 30 names`);
        else
          for (const name of set) {
            if (typeof doc[name] !== 'string' || doc[name].length === 0 || doc[name].length > 1024) errors.push(`${at}: dimension ${name} must be a non-empty string member`);
          }
      }
    if (!Array.isArray(d.Metrics) || d.Metrics.length === 0 || d.Metrics.length > 100) errors.push(`${at}.Metrics must hold 1-100 metrics`);
    else
      for (const m of d.Metrics) {
        if (typeof m.Name !== 'string' || m.Name.length < 1 || m.Name.length > 1024) errors.push(`${at}: metric name`);
        if (m.Unit !== undefined && !UNITS.has(m.Unit)) errors.push(`${at}: unit ${m.Unit}`);
        const v = doc[m.Name];
        const ok = typeof v === 'number' ? Number.isFinite(v) : Array.isArray(v) && v.length > 0 && v.length <= 100 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
        if (!ok) errors.push(`${at}: metric ${m.Name} has no numeric value`);
      }
  }
  return errors;
}
