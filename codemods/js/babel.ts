/**
 * The babel parsers every JS/TS parse and re-parse goes through: jscodeshift's option sets
 * (`ts`, `tsx`, `babylon`) widened with syntax real repositories already ship and those sets
 * reject — `import x from './a.json' assert { type: 'json' }` (the older spelling of import
 * attributes, still common in Node 18-era code), `import source` phase imports, and, for plain
 * JS, `accessor` fields and decorators on either side of `export`. A file the parser rejects
 * is reported as a parse error, so a narrower parser only costs recall, never safety.
 */
import type { Parser } from 'jscodeshift';
// jscodeshift's own parser factory (@babel/parser with the options given) and TS option set.
// Plain imports, not createRequire(import.meta.url): jscodeshift may load this transform as CommonJS.
import babylon from 'jscodeshift/parser/babylon.js';
import tsOptions from 'jscodeshift/parser/tsOptions.js';

type JsParserName = 'ts' | 'tsx' | 'babylon';
export type BabelParser = Parser;
type ParseOptions = typeof tsOptions;

const EXTRA = ['deprecatedImportAssert', 'sourcePhaseImports'];

function optionsFor(name: JsParserName): ParseOptions {
  const ts = tsOptions.plugins;
  if (name === 'ts') return { ...tsOptions, plugins: [...ts, ...EXTRA] };
  if (name === 'tsx') return { ...tsOptions, plugins: [...ts, 'jsx', ...EXTRA] };
  // Plain JS: jscodeshift's babylon set is flow + JSX with the TS set's proposals; decorators
  // in their standard form (placed before or after `export`) instead of TypeScript's legacy one.
  const proposals = ts.filter((p) => p !== 'typescript' && p !== 'decorators-legacy');
  return { ...tsOptions, plugins: [['flow', { all: true }], 'flowComments', 'jsx', ['decorators', {}], ...proposals, ...EXTRA] };
}

const cache = new Map<JsParserName, BabelParser>();

/** The parser object for jscodeshift's `withParser` and for re-parsing output. */
export function babelParser(name: JsParserName): BabelParser {
  let p = cache.get(name);
  if (!p) {
    p = babylon(optionsFor(name)) as BabelParser;
    cache.set(name, p);
  }
  return p;
}
