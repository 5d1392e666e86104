/** Parser choice by extension: the `tsx` parser rejects `<T>expr` casts, so .ts files use `ts`. */
import { extname } from 'node:path';
import type { Language } from './types.js';

export const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];
export const PY_EXTENSIONS = ['.py'];
export const NOTEBOOK_EXTENSIONS = ['.ipynb'];

export function languageOf(path: string): Language | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  if (ext === '.tsx') return 'tsx';
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') return 'js';
  if (ext === '.py') return 'python';
  if (ext === '.ipynb') return 'notebook';
  return undefined;
}

/** jscodeshift parser name for a JS/TS file. */
export function jsParserFor(path: string): 'ts' | 'tsx' | 'babylon' {
  const lang = languageOf(path);
  if (lang === 'ts') return 'ts';
  if (lang === 'tsx') return 'tsx';
  return 'babylon';
}

/**
 * Options for every recast parse. recast hands the parser a copy of the source with each
 * line's leading whitespace re-rendered at `tabWidth` columns per tab (default 4), so node
 * offsets are offsets in that copy: with tabs, every edit would land in the wrong place. At
 * width 1 a tab becomes one space and the offsets are the file's own. (A fresh object each
 * time: jscodeshift writes the parser into it.)
 */
export function recastOptions(): { tabWidth: number } {
  return { tabWidth: 1 };
}

/**
 * The text recast is given. recast splits lines on U+2028/U+2029 too and joins them with
 * `\n`, which turns a valid string literal holding one into an unterminated string: they are
 * masked with a space (same length, so offsets hold; edits still apply to the real text).
 */
export function recastInput(source: string): string {
  return /[\u2028\u2029]/.test(source) ? source.replace(/[\u2028\u2029]/g, ' ') : source;
}
