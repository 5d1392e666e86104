/** Parse-checked entry for the runner: picks the parser, rewrites, re-parses the result. */
import jscodeshift, { type Collection, type JSCodeshift } from 'jscodeshift';
import { jsParserFor, recastInput, recastOptions } from '../parsers.js';
import type { RewriteOptions, TransformResult } from '../types.js';
import { rewriteJs } from './rewrite.js';
import { babelParser } from './babel.js';

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
  return jscodeshift.withParser(babelParser(jsParserFor(path)));
}

export interface ParsedJs {
  j: JSCodeshift;
  root: Collection;
  parser: 'ts' | 'tsx' | 'babylon';
}

/** Parses once with the parser for the extension (plain JS falls back to TSX); throws ParseError. */
export function parseJs(path: string, source: string): ParsedJs {
  let parser = jsParserFor(path);
  let j = jscodeshift.withParser(babelParser(parser));
  try {
    return { j, root: j(recastInput(source), recastOptions()), parser };
  } catch (err) {
    // Plain JS that babel's flow/jsx mix rejects: try the TSX parser before giving up.
    if (parser !== 'babylon') throw new ParseError((err as Error).message, lineOf(err));
    parser = 'tsx';
    j = jscodeshift.withParser(babelParser(parser));
    try {
      return { j, root: j(recastInput(source), recastOptions()), parser };
    } catch {
      throw new ParseError((err as Error).message, lineOf(err));
    }
  }
}

/** The same babel parse, without recast's bookkeeping: enough to verify output. */
function verify(parser: ParsedJs['parser'], code: string): void {
  babelParser(parser).parse(code);
}

/**
 * Throws ParseError when the input does not parse, Error when the output does not.
 * Returns the parse too, so callers can inspect the same tree (it is never mutated).
 */
export function rewriteJsParsed(path: string, source: string, opts: RewriteOptions, given?: ParsedJs): TransformResult & { parsed: ParsedJs } {
  const parsed = given ?? parseJs(path, source);
  const result = rewriteJs(parsed.j, source, opts, parsed.root);
  if (result.output !== undefined) {
    try {
      verify(parsed.parser, result.output.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new Error(`rewritten source does not re-parse (${(err as Error).message}); file left untouched`);
    }
  }
  return { ...result, parsed };
}

export function rewriteJsFile(path: string, source: string, opts: RewriteOptions): TransformResult {
  const { parsed: _parsed, ...result } = rewriteJsParsed(path, source, opts);
  return result;
}
