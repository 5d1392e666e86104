/**
 * Codemod benchmark: scan and rewrite over a generated 10,000-file monorepo (about 2%
 * of files using OpenAI), against the same jscodeshift transform (and the Python
 * rewrite) run over every file without the prefilter, in the same process. In-process
 * figures are medians of 3 runs; CLI figures are single fresh processes.
 *
 *   npm run build && node dist/bench/codemods.js [--files 10000] [--share 0.02] [--keep] [--no-baseline]
 *
 * Run from the built output: worker threads need the transpiled JavaScript.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './codemods/generate.js';
import { run, type RunReport } from '../codemods/runner.js';
import { discoverFiles } from '../codemods/files.js';
import { defaultRewriteOptions } from '../codemods/types.js';

export interface CodemodBenchResult {
  files: number;
  openaiFiles: number;
  cores: number;
  rows: { name: string; ms: number; filesPerSec: number; changed?: number; sites?: number; workers?: number }[];
  ratioPrefilterVsAll: number;
  rewriteUnder10s: boolean;
  /** The labelled corpus (bench/codemods/corpus.ts). */
  corpusSites: number;
  corpusRecall: number;
  corpusPrecision: number;
  corpusSilentBreakage: number;
  corpusScanRewriteDisagreements: number;
  corpusMs: number;
}

/** Recall, precision and silent breakage of rewrite on the labelled corpus, and its time. */
export async function benchCorpus() {
  const { writeCorpus, scoreCorpus } = await import('./codemods/corpus.js');
  const root = mkdtempSync(join(tmpdir(), 'nova-codemods-corpus-'));
  writeCorpus(root);
  const base = { paths: ['.'], cwd: root, rewrite: defaultRewriteOptions(), force: false, write: false, jobs: 1 };
  const t0 = performance.now();
  const rewrite = await run({ ...base, mode: 'rewrite' });
  const ms = performance.now() - t0;
  const scan = await run({ ...base, mode: 'scan', types: false });
  rmSync(root, { recursive: true, force: true });
  return { ...scoreCorpus(rewrite, scan), ms };
}

function git(dir: string, ...args: string[]) {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}

/** Median of `n` runs: the machine is shared, single runs are noisy. */
async function timed<T>(fn: () => Promise<T>, n = 3): Promise<[T, number]> {
  const times: number[] = [];
  let v!: T;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    v = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [v, times[Math.floor(n / 2)]!];
}

/**
 * The no-prefilter baseline: every JS/TS file through the transform's engine (what
 * `codemods/transforms/nova-proxy.ts` runs after its prefilter), every .py through the Python rewrite.
 */
async function baseline(root: string): Promise<number> {
  const t0 = performance.now();
  const { rewriteJs } = await import('../codemods/js/rewrite.js');
  const { jsFor } = await import('../codemods/js/run.js');
  const { rewritePythonSource } = await import('../codemods/python/rewrite.js');
  const opts = defaultRewriteOptions();
  const { files } = await discoverFiles(['.'], { cwd: root });
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    try {
      if (file.endsWith('.py')) rewritePythonSource(source, opts);
      else rewriteJs(jsFor(file), source, opts);
    } catch {
      /* counted like the real run: a failure is still work done */
    }
  }
  return performance.now() - t0;
}

export async function benchCodemods(total = 10_000, keep = false, withBaseline = true, share = 0.02): Promise<CodemodBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'nova-codemods-bench-'));
  const tree = generateTree(root, total, share);
  git(root, 'init', '-q');
  git(root, '-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'add', '-A');
  git(root, '-c', 'user.email=b@example.com', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'tree');
  const rows: CodemodBenchResult['rows'] = [];
  const opts = defaultRewriteOptions();
  const base = { paths: ['.'], cwd: root, rewrite: opts, force: false };
  const row = (name: string, ms: number, r?: RunReport) =>
    rows.push({ name, ms: Math.round(ms), filesPerSec: Math.round((total / ms) * 1000), changed: r?.counts.changed, sites: r?.mode === 'scan' ? r.sites.length : undefined, workers: r?.workers });

  // Warm the file-system cache and load the parsers once so the runs compare like for like.
  await run({ ...base, paths: ['packages/pkg0'], mode: 'scan', write: false, jobs: 1 });
  await run({ ...base, paths: ['packages/pkg0'], mode: 'rewrite', write: false, jobs: 1 });
  const [scan1, tScan1] = await timed(() => run({ ...base, mode: 'scan', write: false, jobs: 1 }));
  row('scan (--jobs 1: main thread only)', tScan1, scan1);
  const [scan, tScan] = await timed(() => run({ ...base, mode: 'scan', write: false }));
  row('scan (auto threads)', tScan, scan);
  const [scan2, tScan2] = await timed(() => run({ ...base, mode: 'scan', write: false, jobs: 2 }));
  row('scan (--jobs 2: one worker thread)', tScan2, scan2);
  const [check1, tCheck1] = await timed(() => run({ ...base, mode: 'rewrite', write: false, jobs: 1 }));
  row('rewrite --check (--jobs 1: main thread only)', tCheck1, check1);
  const [check, tCheck] = await timed(() => run({ ...base, mode: 'rewrite', write: false }));
  row('rewrite --check (auto threads)', tCheck, check);
  const [check2, tCheck2] = await timed(() => run({ ...base, mode: 'rewrite', write: false, jobs: 2 }));
  row('rewrite --check (--jobs 2: one worker thread)', tCheck2, check2);
  const tBase = withBaseline ? await baseline(root) : NaN;
  if (withBaseline) row('baseline: same transform on every file, no prefilter (1 thread)', tBase);
  // End to end as a user runs it: a fresh node process, module loading included.
  const bin = join(dirname(fileURLToPath(import.meta.url)), '../../bin/nova-migrate.js');
  const cli = (...args: string[]) => {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
    return { ms: performance.now() - t0, status: res.status, out: res.stdout };
  };
  const cliScan = cli('scan', '--json');
  row('CLI process: nova-migrate scan --json', cliScan.ms);
  const cliCheck = cli('rewrite', '--check');
  row(`CLI process: nova-migrate rewrite --check (exit ${cliCheck.status})`, cliCheck.ms);
  const cliWrite = cli('rewrite', '--json');
  const written = cliWrite.status === 0 ? JSON.parse(cliWrite.out).counts.changed : undefined;
  rows.push({ name: `CLI process: nova-migrate rewrite (writes files, exit ${cliWrite.status})`, ms: Math.round(cliWrite.ms), filesPerSec: Math.round((total / cliWrite.ms) * 1000), changed: written });
  const tWrite = cliWrite.ms;
  if (!keep) rmSync(root, { recursive: true, force: true });
  const corpus = await benchCorpus();
  return {
    corpusSites: corpus.sites,
    corpusRecall: corpus.recall,
    corpusPrecision: corpus.precision,
    corpusSilentBreakage: corpus.silentBreakage,
    corpusScanRewriteDisagreements: corpus.disagreements,
    corpusMs: Math.round(corpus.ms),
    files: tree.files,
    openaiFiles: tree.openaiFiles,
    cores: (await import('node:os')).availableParallelism(),
    rows,
    ratioPrefilterVsAll: Math.round((tBase / tCheck1) * 10) / 10,
    rewriteUnder10s: tWrite < 10_000,
  };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-2).join('/'));
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const result = await benchCodemods(Number(arg('--files') ?? 10_000), process.argv.includes('--keep'), !process.argv.includes('--no-baseline'), Number(arg('--share') ?? 0.02));
  const { default: Table } = await import('cli-table3');
  const t = new Table({ head: ['run', 'ms', 'files/s', 'changed', 'sites', 'workers'], style: { head: [], border: [] } });
  for (const r of result.rows) t.push([r.name, r.ms, r.filesPerSec, r.changed ?? '', r.sites ?? '', r.workers ?? '']);
  console.log(`${result.files} files, ${result.openaiFiles} using OpenAI, ${result.cores} cores`);
  console.log(t.toString());
  console.log(`labelled corpus: ${result.corpusSites} sites, recall ${result.corpusRecall}, precision ${result.corpusPrecision}, silent breakage ${result.corpusSilentBreakage}, scan/rewrite disagreements ${result.corpusScanRewriteDisagreements}, ${result.corpusMs} ms`);
  console.log(`rewrite --check (1 thread) vs the same transform on every file without the prefilter (1 thread): ${result.ratioPrefilterVsAll}x faster; full rewrite under 10 s: ${result.rewriteUnder10s}`);
  mkdirSync('bench/out', { recursive: true });
  writeFileSync(`bench/out/codemods${arg('--share') ? `-share${arg('--share')}` : ''}.json`, JSON.stringify(result, null, 2));
}
