/**
 * One file in, one outcome out: the unit of work shared by the main thread and the
 * worker threads. Pure apart from the parsers; no file-system access.
 */
import { languageOf } from './parsers.js';
import type { DecisionLite, FileContext, Finding, RewriteOptions } from './types.js';
import type { Site } from './scan/verdicts.js';
import type { FileFacts } from './graph/model.js';
import { localDecisions } from './graph/decide.js';

/** `facts`: only the file's part of the client graph (a module a client is handed to). */
export type Mode = 'rewrite' | 'scan' | 'facts';

export interface FileJob {
  path: string;
  /** Path shown in reports (relative to the working directory). */
  display: string;
  content: string;
  /** Runtime, pinned versions and (on a second pass) the tree-wide decisions. */
  context?: FileContext;
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
  /** The file's part of the client graph. */
  facts?: FileFacts;
  /** rewrite: the decisions the edits were made under (from this file alone, or given). */
  assumed?: Record<string, DecisionLite>;
}

export async function processFile(job: FileJob, mode: Mode, opts: RewriteOptions): Promise<FileOutcome> {
  const base: FileOutcome = { path: job.path, display: job.display, status: 'unchanged', findings: [], sites: [] };
  const lang = languageOf(job.path);
  // Decisions come from the run (second pass) or from this file's own graph (first pass).
  const withDecisions = (facts: FileFacts): RewriteOptions => {
    const decisions = job.context?.decisions ?? localDecisions(facts, opts.forcePartial);
    return { ...opts, context: { ...job.context, decisions } };
  };
  try {
    if (lang === 'python') {
      const { analyzePython } = await import('./scan/scan-py.js');
      const { parsePython } = await import('./python/parse.js');
      const text = job.content.replace(/^\uFEFF/, '');
      const { sites, facts } = analyzePython(text, job.display, 0, '', job.path, parsePython(text));
      if (mode === 'rewrite') {
        const { rewritePythonSource } = await import('./python/rewrite.js');
        const o = withDecisions(facts);
        const r = rewritePythonSource(job.content, o);
        return { ...base, status: r.output === undefined ? 'unchanged' : 'changed', output: r.output, findings: r.findings, facts, assumed: o.context!.decisions };
      }
      return { ...base, sites: mode === 'scan' ? sites : [], facts };
    }
    if (lang === 'notebook') {
      const { analyzeNotebook, rewriteNotebook } = await import('./notebook.js');
      const a = analyzeNotebook(job.content, job.display, job.path);
      if (mode === 'rewrite') {
        const o = a.facts ? withDecisions(a.facts) : opts;
        const r = rewriteNotebook(job.content, o);
        return { ...base, status: r.output === undefined ? 'unchanged' : 'changed', output: r.output, findings: r.findings, facts: a.facts, assumed: o.context?.decisions };
      }
      return { ...base, sites: mode === 'scan' ? a.sites : [], facts: a.facts };
    }
    if (lang === 'js' || lang === 'ts' || lang === 'tsx') {
      const { rewriteJsParsed, parseJs } = await import('./js/run.js');
      const { analyzeJs } = await import('./scan/scan-js.js');
      const parsed = parseJs(job.path, job.content);
      const { sites, facts } = analyzeJs(parsed.j, job.content, job.display, parsed.root, job.path);
      if (mode === 'rewrite') {
        const o = withDecisions(facts);
        const r = rewriteJsParsed(job.path, job.content, o, parsed);
        return { ...base, status: r.output === undefined ? 'unchanged' : 'changed', output: r.output, findings: r.findings, facts, assumed: o.context!.decisions };
      }
      return { ...base, sites: mode === 'scan' ? sites : [], facts };
    }
    return { ...base, status: 'error', error: 'unknown file type' };
  } catch (err) {
    const e = err as Error & { line?: number; loc?: { line: number } };
    const parse = (e as { isParseError?: boolean }).isParseError === true || e instanceof SyntaxError;
    return { ...base, status: parse ? 'parse-error' : 'error', error: e.message.split('\n')[0], errorLine: e.line ?? e.loc?.line };
  }
}

