/**
 * Python parsing through tree-sitter (@ast-grep/napi + @ast-grep/lang-python).
 * Tree-sitter never throws: a tree with ERROR or MISSING (zero-width) nodes is a parse failure.
 */
import { createRequire } from 'node:module';
import { parse, registerDynamicLanguage, type SgNode } from '@ast-grep/napi';

let registered = false;

function ensureRegistered() {
  if (registered) return;
  const require = createRequire(import.meta.url);
  registerDynamicLanguage({ python: require('@ast-grep/lang-python') });
  registered = true;
}

export type PyNode = SgNode;

export class PythonParseError extends Error {
  readonly isParseError = true;
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** The first ERROR/MISSING node, if any. */
export function firstError(root: PyNode): PyNode | undefined {
  const stack: PyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const kind = n.kind() as string;
    const r = n.range();
    if (kind === 'ERROR' || (r.start.index === r.end.index && kind !== 'module')) return n;
    const children = n.children();
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

/** Parses and throws PythonParseError when the tree has errors. */
export function parsePython(source: string): PyNode {
  ensureRegistered();
  const root = parse('python' as never, source).root();
  const bad = firstError(root);
  if (bad) {
    const line = bad.range().start.line + 1;
    throw new PythonParseError(`syntax error near line ${line}${bad.kind() === 'ERROR' ? '' : ` (missing ${JSON.stringify(bad.kind())})`}`, line);
  }
  return root;
}

/** The value of a plain string literal (no f-string interpolation, no concatenation). */
export function pyStringValue(node: PyNode | null | undefined): string | undefined {
  if (!node || node.kind() !== 'string') return undefined;
  if (node.children().some((c) => c.kind() === 'interpolation')) return undefined;
  const m = /^([rRuUbB]*)("""|'''|"|')([\s\S]*)\2$/.exec(node.text());
  if (!m || /[bB]/.test(m[1]!)) return undefined;
  return m[3];
}

export function line(node: PyNode): number {
  return node.range().start.line + 1;
}

export function column(node: PyNode): number {
  return node.range().start.column + 1;
}
