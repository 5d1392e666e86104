/** `--json`: the whole report, stable field names (version 1). */
import type { RunReport } from '../summary.js';

export function renderJson(r: RunReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
