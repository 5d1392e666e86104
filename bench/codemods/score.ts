/**
 * Prints the labelled corpus's figures, overall and per round (first-run figures of a new
 * round are taken with this before any fix). Run: `npx tsx bench/codemods/score.ts [--misses]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../codemods/runner.js';
import { defaultRewriteOptions } from '../../codemods/types.js';
import { scoreCorpus, writeCorpus } from './corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'nova-corpus-score-'));
try {
  writeCorpus(dir);
  const opts = { paths: ['.'], cwd: dir, rewrite: defaultRewriteOptions(), force: false, jobs: 1 };
  const rewrite = await run({ ...opts, mode: 'rewrite', write: false });
  const scan = await run({ ...opts, mode: 'scan', write: false, types: false });
  for (const [name, round] of [['all', undefined], ['rounds 1-2', 1], ['round 3', 3], ['round 4', 4]] as const) {
    const { misses, ...s } = scoreCorpus(rewrite, scan, round);
    console.log(`${name}: ${JSON.stringify({ ...s, recall: +s.recall.toFixed(3), precision: +s.precision.toFixed(3) })}`);
    if (process.argv.includes('--misses')) for (const m of misses) console.log(`  ${m}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
