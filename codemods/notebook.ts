/**
 * Jupyter notebooks: Python code cells are handled like .py files. IPython magics
 * (`%pip`, `!ls`, `?obj`) are blanked out for parsing so they never trip the parser;
 * edits land only on parsed nodes, so the magics survive untouched. A notebook is
 * rewritten only when its JSON re-serialises byte-for-byte the way Jupyter writes it
 * (indent 1); otherwise the edits are reported as manual work.
 */
import type { Finding, RewriteOptions, TransformResult } from './types.js';
import { rewritePythonSource } from './python/rewrite.js';
import { PythonParseError } from './python/parse.js';

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { language?: string };
}

interface Notebook {
  cells?: Cell[];
  metadata?: { kernelspec?: { language?: string }; language_info?: { name?: string } };
}

export class NotebookError extends Error {
  readonly isParseError = true;
}

export function parseNotebook(content: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(content);
  } catch (err) {
    throw new NotebookError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new NotebookError('no cells array');
  return nb;
}

export function isPythonNotebook(nb: Notebook): boolean {
  const lang = nb.metadata?.kernelspec?.language ?? nb.metadata?.language_info?.name ?? 'python';
  return lang.toLowerCase() === 'python';
}

export function cellText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Same length, same line breaks, magics replaced by spaces: positions map 1:1. */
export function maskMagics(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\s*[%!?]/.test(l) ? ' '.repeat(l.length) : l))
    .join('\n');
}

function splitLines(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  return out.length === 1 && out[0] === '' ? [] : out;
}

/** Serialisation Jupyter uses (nbformat: indent 1, non-ASCII kept, trailing newline). */
export function serialiseNotebook(nb: unknown): string {
  return JSON.stringify(nb, null, 1) + '\n';
}

export function codeCells(nb: Notebook): { index: number; cell: Cell }[] {
  return (nb.cells ?? []).map((cell, index) => ({ index, cell })).filter(({ cell }) => cell.cell_type === 'code');
}

export function rewriteNotebook(content: string, opts: RewriteOptions): TransformResult {
  const nb = parseNotebook(content);
  if (!isPythonNotebook(nb)) return { findings: [] };
  const findings: Finding[] = [];
  let changed = false;
  for (const { index, cell } of codeCells(nb)) {
    const text = cellText(cell);
    if (!/openai/i.test(text)) continue;
    const masked = maskMagics(text);
    let result: TransformResult;
    try {
      result = rewritePythonSource(masked, opts);
    } catch (err) {
      const line = err instanceof PythonParseError ? err.line : 0;
      findings.push({ kind: 'manual', line, column: 1, what: `cell ${index + 1}`, message: `code cell does not parse (${(err as Error).message}); left alone` });
      continue;
    }
    for (const f of result.findings) findings.push({ ...f, what: `cell ${index + 1}: ${f.what}` });
    if (result.output === undefined) continue;
    // Put the magics back: the output differs from the masked text only at our edits.
    const restored = restoreMagics(text, masked, result.output);
    const lines = splitLines(restored);
    cell.source = Array.isArray(cell.source) ? lines : restored;
    changed = true;
  }
  if (!changed) return { findings };
  if (serialiseNotebook(parseNotebook(content)) !== content && serialiseNotebook(parseNotebook(content)).trimEnd() !== content.trimEnd()) {
    return {
      findings: findings.map((f) =>
        f.kind === 'changed' ? { ...f, kind: 'manual', message: `${f.message} — not applied: the notebook's JSON layout isn't Jupyter's, so it can't be rewritten without reformatting it` } : f,
      ),
    };
  }
  let output = serialiseNotebook(nb);
  if (!content.endsWith('\n')) output = output.trimEnd();
  return { output, findings };
}

/** Re-inserts the original magic lines into the rewritten masked text. */
function restoreMagics(original: string, masked: string, output: string): string {
  if (original === masked) return output;
  const origLines = original.split('\n');
  const maskedLines = masked.split('\n');
  const magic = new Map<string, string[]>();
  origLines.forEach((l, i) => {
    if (l !== maskedLines[i]) {
      const list = magic.get(maskedLines[i]!) ?? [];
      list.push(l);
      magic.set(maskedLines[i]!, list);
    }
  });
  return output
    .split('\n')
    .map((l) => {
      const list = magic.get(l);
      if (list && list.length && l.trim() === '' && l.length > 0) return list.shift()!;
      return l;
    })
    .join('\n');
}
