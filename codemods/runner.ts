/**
 * The scan/rewrite pipeline: discover → read → prefilter (main thread, no parsing) →
 * process (spread over worker threads when the list is big enough to pay for them) →
 * dirty-tree check → atomic writes.
 */
import { chmodSync, existsSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { discoverFiles, PREFILTER, SCAN_PREFILTER, skipReason, TEMPLATE_MARKERS } from './files.js';
import { ProjectContext } from './context.js';
import { emptyFacts, solve, type ClientDecision, type FileFacts } from './graph/model.js';
import { importSpecs, link, ModuleResolver } from './graph/link.js';
import { decisionsFor } from './graph/decide.js';
import { DirtyTracker } from './git.js';
import { processFile, type FileJob, type FileOutcome, type Mode } from './process.js';
import { languageOf } from './parsers.js';
import type { RewriteOptions } from './types.js';
import type { Site } from './scan/verdicts.js';
import type { TypeCheckStats } from './scan/types-ts.js';

export interface RunOptions {
  paths: string[];
  cwd: string;
  include?: string[];
  exclude?: string[];
  mode: Mode;
  rewrite: RewriteOptions;
  /** Write changed files (rewrite without --dry-run/--check). */
  write: boolean;
  /** Touch files with uncommitted changes. */
  force: boolean;
  /** Worker threads: 0 = auto, 1 = main thread only. */
  jobs?: number;
  /** scan: confirm untraced receivers with TypeScript type information (default true). */
  types?: boolean;
}

export interface SkippedFile {
  display: string;
  reason: string;
}

export interface RunReport {
  mode: Mode;
  counts: {
    scanned: number;
    /** Never mention OpenAI: not parsed. */
    prefilteredOut: number;
    parsed: number;
    changed: number;
    unchanged: number;
    skipped: number;
    /** Clients deliberately not rewritten (findings of kind `skipped`). */
    leftAlone: number;
    manual: number;
    /** Findings of kind `verify`: repointed, but something the tool can't follow may break. */
    verify: number;
    errors: number;
    /** Files read only to follow clients across modules (they never mention OpenAI). */
    linked: number;
  };
  /** Every client construction and what is done with it, decided once over the whole tree. */
  clients: ClientDecision[];
  /** Files that were parsed (changed, unchanged or failed), with their findings. */
  files: FileOutcome[];
  skipped: SkippedFile[];
  sites: Site[];
  missing: string[];
  workers: number;
  /** scan: what the type checker did, when it ran. */
  types?: TypeCheckStats;
  durationMs: number;
}

/** Below this many files to parse, threads cost more than they save (measured: bench/codemods.ts). */
export const WORKER_THRESHOLD = 300;
/** Trees this big get their workers started while files are still being read. */
export const WORKER_PRESTART_FILES = 5000;

function workerScript(): string | undefined {
  // Only the built JavaScript can run in a worker; from sources (tests) we stay in-process.
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return undefined;
  const file = join(dirname(here), 'worker.js');
  return existsSync(file) ? file : undefined;
}

function partition(jobs: FileJob[], bins: number): FileJob[][] {
  const out: FileJob[][] = Array.from({ length: bins }, () => []);
  const load = new Array<number>(bins).fill(0);
  for (const job of [...jobs].sort((a, b) => b.content.length - a.content.length)) {
    let min = 0;
    for (let i = 1; i < bins; i++) if (load[i]! < load[min]!) min = i;
    out[min]!.push(job);
    load[min]! += job.content.length + 2000;
  }
  return out;
}

/**
 * Worker threads started before they are known to be needed, so that loading the parsers
 * (the bulk of a worker's start-up) overlaps with reading and filtering on the main thread.
 */
class WorkerPool {
  private workers: Worker[] = [];
  constructor(script: string | undefined, count: number) {
    if (!script) return;
    for (let i = 0; i < count; i++) {
      const w = new Worker(script);
      w.unref();
      w.postMessage({ warm: true });
      this.workers.push(w);
    }
  }
  get size() {
    return this.workers.length;
  }
  take(n: number): Worker[] {
    const used = this.workers.splice(0, n);
    for (const w of used) w.ref(); // the run now waits on them
    this.close();
    return used;
  }
  close() {
    for (const w of this.workers.splice(0)) void w.terminate();
  }
}

function threadsFor(jobs: number, requested: number, cores: number): number {
  if (requested > 0) return Math.min(requested - 1, Math.max(0, Math.floor(jobs / 20)));
  return jobs >= WORKER_THRESHOLD ? Math.min(cores - 1, Math.floor(jobs / 150)) : 0;
}

async function processAll(jobs: FileJob[], mode: Mode, opts: RewriteOptions, requested: number, pool: WorkerPool): Promise<{ outcomes: FileOutcome[]; workers: number }> {
  const cores = Math.max(1, availableParallelism());
  const extra = Math.min(pool.size, threadsFor(jobs.length, requested, cores));
  const workers = pool.take(extra);
  if (workers.length === 0) {
    const outcomes: FileOutcome[] = [];
    for (const job of jobs) outcomes.push(await processFile(job, mode, opts));
    return { outcomes, workers: 0 };
  }
  const bins = partition(jobs, workers.length + 1);
  const workerRuns = workers.map(
    (w, i) =>
      new Promise<FileOutcome[] | undefined>((resolveRun) => {
        w.once('message', (out: FileOutcome[]) => {
          resolveRun(out);
          void w.terminate();
        });
        // A worker that dies hands its share back to the main thread.
        w.once('error', () => resolveRun(undefined));
        w.once('exit', () => resolveRun(undefined));
        w.postMessage({ jobs: bins[i + 1], mode, opts });
      }),
  );
  const mine: FileOutcome[] = [];
  for (const job of bins[0]!) mine.push(await processFile(job, mode, opts));
  const rest: FileOutcome[][] = [];
  const settled = await Promise.all(workerRuns);
  for (let i = 0; i < settled.length; i++) {
    const out = settled[i];
    if (out) rest.push(out);
    else {
      const redo: FileOutcome[] = [];
      for (const job of bins[i + 1]!) redo.push(await processFile(job, mode, opts));
      rest.push(redo);
    }
  }
  return { outcomes: [mine, ...rest].flat(), workers: workers.length };
}

// ignoreBOM keeps a leading BOM in the text, so it is written back.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Writes via a temporary file in the same directory and a rename, keeping the mode. */
export function writeAtomic(target: string, content: string): void {
  // Through a symlink: replace the file it points at, not the link.
  const path = realpathSync(target);
  const tmp = join(dirname(path), `.${basename(path)}.nova-migrate-${process.pid}.tmp`);
  const mode = statSync(path).mode & 0o7777;
  try {
    writeFileSync(tmp, content, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw err;
  }
}

export async function run(opts: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const { files, missing, unsupported, templates } = await discoverFiles(opts.paths, { cwd: opts.cwd, include: opts.include, exclude: opts.exclude });
  if (missing.length > 0) {
    // A mistyped path is a usage error: do nothing rather than half the job.
    const zero = { scanned: 0, prefilteredOut: 0, parsed: 0, changed: 0, unchanged: 0, skipped: 0, leftAlone: 0, manual: 0, verify: 0, errors: 0, linked: 0 };
    return { mode: opts.mode, counts: zero, clients: [], files: [], skipped: [], sites: [], missing, workers: 0, durationMs: performance.now() - started };
  }
  // Big trees usually leave enough files to parse to pay for workers: start them now.
  const cores = Math.max(1, availableParallelism());
  const requested = opts.jobs ?? 0;
  const speculative = requested > 0 ? requested - 1 : files.length >= WORKER_PRESTART_FILES ? cores - 1 : 0;
  const pool = new WorkerPool(workerScript(), speculative);
  const skipped: SkippedFile[] = unsupported.map((p) => ({ display: p, reason: 'not a JS/TS/Python file' }));
  for (const t of templates) skipped.push({ display: relative(opts.cwd, t) || basename(t), reason: 'template: under a template directory' });
  const project = new ProjectContext(opts.cwd);
  /** Files that never mention OpenAI: kept to follow clients handed to them or imported by them. */
  const others = new Map<string, { display: string; content: string }>();
  const jobs: FileJob[] = [];
  const encodingErrors: FileOutcome[] = [];
  let prefilteredOut = 0;
  // rewrite needs an import to act on; scan also wants OpenAI-shaped calls on clients made elsewhere (TS/JS).
  const wanted = (path: string, content: string) =>
    PREFILTER.test(content) || (opts.mode === 'scan' && !path.endsWith('.py') && !path.endsWith('.ipynb') && SCAN_PREFILTER.test(content));
  for (const path of files) {
    const display = relative(opts.cwd, path) || basename(path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      skipped.push({ display, reason: `unreadable: ${(err as Error).message}` });
      continue;
    }
    let content: string;
    try {
      // Decoding invalid UTF-8 leniently would write U+FFFD back over the original bytes.
      content = UTF8.decode(bytes);
    } catch {
      if (wanted(path, bytes.toString('latin1'))) {
        encodingErrors.push({ path, display, status: 'error', error: 'not valid UTF-8 (Latin-1, Windows-1252...?): convert the file to UTF-8 first; left untouched', findings: [], sites: [] });
      } else prefilteredOut++;
      continue;
    }
    const component = !languageOf(path);
    if (!wanted(path, content)) {
      prefilteredOut++;
      if (!path.endsWith('.ipynb') && !component && content.length < 1_000_000) others.set(path, { display, content });
      continue;
    }
    if (component) {
      skipped.push({ display, reason: `component file (${extname(path)}): its <script> is not parsed; move the OpenAI client into a .js/.ts module, or repoint it by hand` });
      continue;
    }
    const reason = skipReason(path, content);
    if (reason) {
      skipped.push({ display, reason });
      continue;
    }
    jobs.push({ path, display, content, context: opts.mode === 'rewrite' ? project.context(path, content) : undefined });
  }
  let processed;
  try {
    processed = await processAll(jobs, opts.mode, opts.rewrite, requested, pool);
  } finally {
    pool.close();
  }
  const { workers } = processed;
  let outcomes = [...processed.outcomes, ...encodingErrors];
  // A template (Jinja, cookiecutter) that doesn't parse is not broken code: skip it, don't fail the gate.
  const byPath = new Map(jobs.map((j) => [j.path, j]));
  outcomes = outcomes.filter((o) => {
    if (o.status !== 'parse-error' || !TEMPLATE_MARKERS.test(byPath.get(o.path)?.content ?? '')) return true;
    skipped.push({ display: o.display, reason: 'template: Jinja/cookiecutter markers and does not parse' });
    return false;
  });

  // The client graph over the whole tree: follow clients into files that never mention OpenAI.
  const graph = await solveTree(outcomes, others, files, opts);
  if (opts.mode === 'rewrite') {
    for (let i = 0; i < outcomes.length; i++) {
      const o = outcomes[i]!;
      if (!o.facts || !o.assumed) continue;
      const global = decisionsFor(o.path, graph.decisions, opts.rewrite.forcePartial);
      if (sameDecisions(global, o.assumed)) continue;
      // What other files do with this file's clients changes the decision: redo it with the tree's.
      const job = byPath.get(o.path)!;
      outcomes[i] = await processFile({ ...job, context: { ...job.context, decisions: global } }, 'rewrite', opts.rewrite);
    }
  } else {
    annotateSites(outcomes, graph.decisions);
  }
  outcomes.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));

  if (opts.mode === 'rewrite' && opts.write) {
    const dirty = new DirtyTracker();
    for (const o of outcomes) {
      if (o.status !== 'changed' || o.output === undefined) continue;
      if (!opts.force && dirty.isDirty(o.path)) {
        o.status = 'skipped';
        o.output = undefined;
        o.findings = o.findings.filter((f) => f.kind !== 'changed');
        skipped.push({ display: o.display, reason: 'uncommitted changes: commit or stash first, or pass --force' });
        continue;
      }
      try {
        writeAtomic(o.path, o.output);
      } catch (err) {
        o.status = 'error';
        o.error = `write failed: ${(err as Error).message}`;
      }
    }
  }
  for (const o of outcomes) o.findings.sort((a, b) => a.line - b.line || a.column - b.column);

  let types: TypeCheckStats | undefined;
  if (opts.mode === 'scan') {
    const byFile = new Map<string, Site[]>();
    for (const o of outcomes) {
      if (o.path.endsWith('.py') || o.path.endsWith('.ipynb')) continue;
      const pending = o.sites.filter((s) => (s.kind === 'call' && s.confidence !== 'certain') || (s.model && s.model.value === undefined));
      if (pending.length) byFile.set(o.path, pending);
    }
    if (opts.types !== false && byFile.size > 0) {
      try {
        const { refineWithTypes } = await import('./scan/types-ts.js');
        types = await refineWithTypes(byFile);
      } catch {
        types = undefined; // the syntactic verdicts stand
      }
    }
    for (const o of outcomes) o.sites = o.sites.filter((s) => s.confidence !== 'unverified');
  }

  const counts = {
    scanned: files.length,
    prefilteredOut,
    parsed: outcomes.filter((o) => o.status !== 'parse-error').length,
    changed: outcomes.filter((o) => o.status === 'changed').length,
    unchanged: outcomes.filter((o) => o.status === 'unchanged').length,
    skipped: skipped.length,
    leftAlone: outcomes.reduce((n, o) => n + o.findings.filter((f) => f.kind === 'skipped').length, 0),
    manual: outcomes.reduce((n, o) => n + o.findings.filter((f) => f.kind === 'manual').length, 0),
    verify: outcomes.reduce((n, o) => n + o.findings.filter((f) => f.kind === 'verify').length, 0),
    errors: outcomes.filter((o) => o.status === 'parse-error' || o.status === 'error').length,
    linked: graph.linked,
  };
  for (const o of outcomes) {
    o.facts = undefined;
    o.assumed = undefined;
  }
  return {
    mode: opts.mode,
    counts,
    clients: [...graph.decisions.values()],
    files: outcomes,
    skipped,
    sites: outcomes.flatMap((o) => o.sites),
    missing,
    workers,
    types,
    durationMs: performance.now() - started,
  };
}

function sameDecisions(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

/**
 * Links every analysed file, reads the files that the links need (modules a client is
 * handed to, importers of modules holding clients — up to three hops), then solves.
 */
async function solveTree(outcomes: FileOutcome[], others: Map<string, { display: string; content: string }>, files: string[], opts: RunOptions): Promise<{ decisions: Map<string, ClientDecision>; linked: number }> {
  const all = new Map<string, FileFacts>();
  for (const o of outcomes) if (o.facts) all.set(o.path, o.facts);
  if (![...all.values()].some((f) => f.clients.length)) return { decisions: solve([...all.values()], opts.rewrite.forcePartial), linked: 0 };
  const resolver = new ModuleResolver(new Set(files));
  let importsOf: Map<string, string[]> | undefined;
  let frontier = new Set(all.keys());
  let linked = 0;
  for (let round = 0; round < 3; round++) {
    const want = new Set<string>();
    for (const w of link(all, resolver).wanted) if (others.has(w)) want.add(w);
    if (!importsOf) {
      importsOf = new Map();
      for (const [p, { content }] of others) {
        const lang = p.endsWith('.py') ? 'py' : 'js';
        const targets = importSpecs(p, content)
          .map((spec) => resolver.resolve(p, spec, lang))
          .filter((t): t is string => t !== undefined);
        if (targets.length) importsOf.set(p, targets);
      }
    }
    for (const [p, targets] of importsOf) if (!all.has(p) && targets.some((t) => frontier.has(t))) want.add(p);
    if (want.size === 0) break;
    frontier = new Set();
    for (const w of want) {
      const other = others.get(w)!;
      const o = await processFile({ path: w, display: other.display, content: other.content }, 'facts', opts.rewrite);
      if (!o.facts) continue;
      all.set(w, o.facts);
      frontier.add(w);
      linked++;
    }
  }
  // Who imports whom: a call the graph can't trace in an importer may be a client's.
  for (const [p, f] of all) {
    let content = others.get(p)?.content;
    if (content === undefined && !p.endsWith('.ipynb')) {
      try {
        content = readFileSync(p, 'utf8');
      } catch {
        content = undefined;
      }
    }
    f.imports = content === undefined ? [] : importSpecs(p, content).map((spec) => resolver.resolve(p, spec, f.lang)).filter((t): t is string => t !== undefined && t !== p);
  }
  const final = link(all, resolver);
  const joins = emptyFacts('<links>', '<links>', 'js');
  joins.edges = final.edges;
  joins.escapes = final.escapes;
  return { decisions: solve([...all.values(), joins], opts.rewrite.forcePartial), linked };
}

/** scan: each client gets the decision rewrite will act on; calls the graph reached are certain. */
function annotateSites(outcomes: FileOutcome[], decisions: Map<string, ClientDecision>) {
  const reached = new Set<string>();
  // Orphan calls (node '') were not traced to the client: they stay as uncertain as they were.
  for (const d of decisions.values()) for (const u of d.uses) if (u.node) reached.add(`${u.file}:${u.line}:${u.column}`);
  for (const o of outcomes) {
    for (const s of o.sites) {
      if (s.kind === 'call' && s.confidence !== 'certain' && reached.has(`${s.file}:${s.line}:${s.column}`)) s.confidence = 'certain';
      if (s.kind !== 'client' || s.offset === undefined) continue;
      const d = decisions.get(`c:${o.display}#${s.offset}`);
      if (!d) continue;
      const line = (u: { file: string; line: number; api?: string; to?: string; note?: string }) => `${u.api ?? `passed to ${u.to}`} (${u.file}:${u.line})${u.note ? `: ${u.note}` : ''}`;
      s.decision = { action: d.action, unsupported: d.unsupported.map(line), verify: d.verify.map(line) };
      if (d.action === 'leave') s.notes.push(`left alone by rewrite: ${d.unsupported.map((u) => `${u.api} (${u.file}:${u.line})`).join(', ')} not served (--force-partial repoints it anyway)`);
      if (d.verify.length) s.notes.push(`verify: ${d.verify.map((u) => ('api' in u ? `${u.api} (${u.file}:${u.line})` : `passed to ${u.to} (${u.file}:${u.line})`)).join(', ')}`);
    }
  }
}
