/**
 * One file in, one outcome out: the unit of work shared by the main thread and the
 * worker threads. Pure apart from the parsers; no file-system access.
 */
import { languageOf } from './parsers.js';
import type { Finding, RewriteOptions } from './types.js';
import type { Site } from './scan/verdicts.js';

export type Mode = 'rewrite' | 'scan';

export interface FileJob {
  path: string;
  /** Path shown in reports (relative to the working directory). */
  display: string;
  content: string;
}

export interface FileOutcome {
  path: string;
  display: string;
  status: 'unchanged' | 'changed' | 'skipped' | 'parse-error' | 'error';
  output?: string;
  findings: Finding[];
  sites: Site[];
  error?: string;
  errorLine?: number;
}

export async function processFile(job: FileJob, mode: Mode, opts: RewriteOptions): Promise<FileOutcome> {
  const base: FileOutcome = { path: job.path, display: job.display, status: 'unchanged', findings: [], sites: [] };
  const lang = languageOf(job.path);
  try {
    if (lang === 'python') {
      if (mode === 'rewrite') {
        const { rewritePythonSource } = await import('./python/rewrite.js');
        const r = rewritePythonSource(job.content, opts);
        if (r.output !== undefined) {
          const { scanPython } = await import('./scan/scan-py.js');
          r.findings.push(...unsupportedCalls(scanPython(job.content, job.display)));
        }
        return { ...base, status: r.output === undefined ? 'unchanged' : 'changed', output: r.output, findings: r.findings };
      }
      const { scanPython } = await import('./scan/scan-py.js');
      return { ...base, sites: scanPython(job.content, job.display) };
    }
    if (lang === 'notebook') {
      if (mode === 'rewrite') {
        const { rewriteNotebook } = await import('./notebook.js');
        const r = rewriteNotebook(job.content, opts);
        return { ...base, status: r.output === undefined ? 'unchanged' : 'changed', output: r.output, findings: r.findings };
      }
      return { ...base, sites: await scanNotebook(job) };
    }
    if (lang === 'js' || lang === 'ts' || lang === 'tsx') {
      const { rewriteJsParsed, parseJs } = await import('./js/run.js');
      const { scanJs } = await import('./scan/scan-js.js');
      if (mode === 'rewrite') {
        const r = rewriteJsParsed(job.path, job.content, opts);
        if (r.output !== undefined) {
          try {
            // Same tree: the rewrite never mutates it.
            r.findings.push(...unsupportedCalls(scanJs(r.parsed.j, job.content, job.display, r.parsed.root)));
          } catch {
            /* the inventory is advisory here */
          }
        }
        return { ...base, status: r.output === undefined ? 'unchanged' : 'changed', output: r.output, findings: r.findings };
      }
      const parsed = parseJs(job.path, job.content);
      return { ...base, sites: scanJs(parsed.j, job.content, job.display, parsed.root) };
    }
    return { ...base, status: 'error', error: 'unknown file type' };
  } catch (err) {
    const e = err as Error & { line?: number; loc?: { line: number } };
    const parse = (e as { isParseError?: boolean }).isParseError === true || e instanceof SyntaxError;
    return { ...base, status: parse ? 'parse-error' : 'error', error: e.message.split('\n')[0], errorLine: e.line ?? e.loc?.line };
  }
}

/** Calls in a rewritten file that will fail once the client points at the proxy. */
function unsupportedCalls(sites: Site[]): Finding[] {
  return sites
    .filter((s) => s.kind === 'call' && s.verdict === 'unsupported' && s.confidence !== 'unverified')
    .map((s) => ({
      kind: 'manual' as const,
      line: s.line,
      column: s.column,
      what: s.api,
      message: `will fail once this file's client points at the proxy: ${s.notes.join('; ')}`,
    }));
}

async function scanNotebook(job: FileJob): Promise<Site[]> {
  const { parseNotebook, isPythonNotebook, joinCodeCells, cellAt } = await import('./notebook.js');
  const { scanPython } = await import('./scan/scan-py.js');
  const nb = parseNotebook(job.content);
  if (!isPythonNotebook(nb)) return [];
  // The code cells as one module: clients built from an import in an earlier cell count.
  const joined = joinCodeCells(nb);
  let sites: Site[];
  try {
    sites = scanPython(joined.source, job.display);
  } catch {
    return []; // cells that don't parse together are left out of the inventory
  }
  // Cell-relative lines; the api label names the cell.
  return sites.map((s) => {
    const at = cellAt(joined, s.line);
    return at ? { ...s, line: at.line, api: `[cell ${at.cell.index + 1}] ${s.api}` } : s;
  });
}
