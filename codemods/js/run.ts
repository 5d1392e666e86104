/** Parse-checked entry for the runner: picks the parser, rewrites, re-parses the result. */
import jscodeshift from 'jscodeshift';
import { jsParserFor } from '../parsers.js';
import type { RewriteOptions, TransformResult } from '../types.js';
import { rewriteJs } from './rewrite.js';

export class ParseError extends Error {
  readonly isParseError = true;
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const lineOf = (err: unknown) => (err as { loc?: { line?: number } }).loc?.line;

export function jsFor(path: string) {
  return jscodeshift.withParser(jsParserFor(path));
}

/** Throws ParseError when the input does not parse, Error when the output does not. */
export function rewriteJsFile(path: string, source: string, opts: RewriteOptions): TransformResult {
  let j = jsFor(path);
  try {
    j(source.replace(/^\uFEFF/, ''));
  } catch (err) {
    // Plain JS that babel's flow/jsx mix rejects: try the TSX parser before giving up.
    if (jsParserFor(path) !== 'babylon') throw new ParseError((err as Error).message, lineOf(err));
    j = jscodeshift.withParser('tsx');
    try {
      j(source);
    } catch {
      throw new ParseError((err as Error).message, lineOf(err));
    }
  }
  const result = rewriteJs(j, source, opts);
  if (result.output !== undefined) {
    try {
      j(result.output.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new Error(`rewritten source does not re-parse (${(err as Error).message}); file left untouched`);
    }
  }
  return result;
}
