import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { rewriteJsFile } from '../../codemods/js/run.js';
import { rewritePythonSource } from '../../codemods/python/rewrite.js';
import { defaultRewriteOptions, type RewriteOptions, type TransformResult } from '../../codemods/types.js';

/** A finding as stored in `<case>.findings.json`: one readable line each. */
export const findingLine = (f: { line: number; column: number; kind: string; what: string; message: string }) => `${f.line}:${f.column} ${f.kind} ${f.what}: ${f.message}`;

export function fixtureOptions(dir: string, name: string): RewriteOptions {
  const optFile = join(dir, `${name}.options.json`);
  return defaultRewriteOptions(existsSync(optFile) ? JSON.parse(readFileSync(optFile, 'utf8')) : {});
}

/** Runs the transform a fixture directory belongs to on one input file. */
export function transformFixture(transform: string, dir: string, file: string, source?: string): TransformResult {
  const name = file.split('.input.')[0]!.split('.output.')[0]!;
  const opts = fixtureOptions(dir, name);
  if (transform === 'nova-models') opts.models = 'nova';
  const src = source ?? readFileSync(join(dir, file), 'utf8');
  if (transform === 'python') return rewritePythonSource(src, opts);
  return rewriteJsFile(file.replace('.output.', '.input.'), src, opts);
}
