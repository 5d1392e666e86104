/**
 * Jupyter notebooks: the Python code cells are joined, in order, into one module (a
 * client made in a later cell from an import in an earlier one is still a client), which
 * is handled like a .py file; each edit and finding is mapped back to its cell. IPython magics
 * (`%pip`, `!ls`, `?obj`) are blanked out for parsing so they never trip the parser;
 * edits land only on parsed nodes, so the magics survive untouched. A notebook is
 * rewritten only when its JSON re-serialises byte-for-byte the way Jupyter writes it
 * (indent 1); otherwise the edits are reported as manual work.
 */
import type { Finding, RewriteOptions, TransformResult } from './types.js';
import { planPythonRewrite } from './python/rewrite.js';
import { parsePython, PythonParseError } from './python/parse.js';
import { applyEdits, type Edit } from './edits.js';
import { analyzePython } from './scan/scan-py.js';
import type { Site } from './scan/verdicts.js';
import type { FileFacts, Loc } from './graph/model.js';

/**
 * Inventory and client graph of a notebook's code cells (joined as one module); lines are
 * cell-relative, and locations name the cell.
 */
export function analyzeNotebook(content: string, display: string, path: string): { sites: Site[]; facts?: FileFacts } {
  const nb = parseNotebook(content);
  if (!isPythonNotebook(nb)) return { sites: [] };
  const joined = joinCodeCells(nb);
  let r: { sites: Site[]; facts: FileFacts };
  try {
    r = analyzePython(joined.source, display, 0, '', path);
  } catch {
    return { sites: [] }; // cells that don't parse together are left out of the inventory
  }
  const sites = r.sites.map((s) => {
    const at = cellAt(joined, s.line);
    return at ? { ...s, line: at.line, api: `[cell ${at.cell.index + 1}] ${s.api}` } : s;
  });
  const remap = <T extends Loc>(l: T): T => {
    const at = cellAt(joined, l.line);
    return at ? { ...l, file: `${display} [cell ${at.cell.index + 1}]`, line: at.line } : l;
  };
  const f = r.facts;
  return { sites, facts: { ...f, clients: f.clients.map(remap), uses: f.uses.map(remap), escapes: f.escapes.map(remap), externals: f.externals.map(remap) } };
}

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

export interface JoinedCell {
  /** Position in the notebook's cells array. */
  index: number;
  /** Where the (masked) cell sits in the joined source, and its first line there (1-based). */
  start: number;
  end: number;
  firstLine: number;
  text: string;
  masked: string;
}

export interface JoinedCells {
  /** Code cells in execution order, magics masked, one newline after each. */
  source: string;
  cells: JoinedCell[];
  /** Cells mentioning OpenAI that don't parse on their own: left out, reported. */
  broken: Finding[];
}

export function joinCodeCells(nb: Notebook): JoinedCells {
  let source = '';
  let line = 1;
  const cells: JoinedCell[] = [];
  const broken: Finding[] = [];
  for (const { index, cell } of codeCells(nb)) {
    const text = cellText(cell);
    const masked = maskMagics(text);
    try {
      parsePython(masked);
    } catch (err) {
      if (/openai/i.test(text)) {
        const at = err instanceof PythonParseError ? err.line : 0;
        broken.push({ kind: 'manual', line: at, column: 1, what: `cell ${index + 1}`, message: `code cell does not parse (${(err as Error).message}); left alone` });
      }
      continue;
    }
    cells.push({ index, start: source.length, end: source.length + masked.length, firstLine: line, text, masked });
    source += masked + '\n';
    line += masked.split('\n').length;
  }
  return { source, cells, broken };
}

/** The cell a line of the joined source belongs to, and the line within that cell. */
export function cellAt(joined: JoinedCells, line: number): { cell: JoinedCell; line: number } | undefined {
  let found: JoinedCell | undefined;
  for (const c of joined.cells) if (c.firstLine <= line) found = c;
  return found && { cell: found, line: line - found.firstLine + 1 };
}

export function rewriteNotebook(content: string, opts: RewriteOptions): TransformResult {
  const nb = parseNotebook(content);
  if (!isPythonNotebook(nb)) return { findings: [] };
  const joined = joinCodeCells(nb);
  const findings: Finding[] = [...joined.broken];
  if (joined.cells.length === 0) return { findings };
  let plan: { edits: Edit[]; findings: Finding[] };
  try {
    plan = planPythonRewrite(joined.source, opts, { notebook: true });
  } catch (err) {
    findings.push({ kind: 'manual', line: 0, column: 1, what: 'notebook', message: `the code cells do not parse as one module (${(err as Error).message}); left alone` });
    return { findings };
  }
  for (const f of plan.findings) {
    const at = cellAt(joined, f.line);
    findings.push(at ? { ...f, line: at.line, what: `cell ${at.cell.index + 1}: ${f.what}` } : f);
  }
  if (plan.edits.length === 0) return { findings };
  // Every edit lies within one cell (they sit at parsed nodes; an insertion may be at a cell's end).
  const perCell = new Map<JoinedCell, Edit[]>();
  for (const e of plan.edits) {
    const cell = joined.cells.find((c) => e.start >= c.start && e.end <= c.end);
    if (!cell) throw new Error('an edit spans two notebook cells; notebook left untouched');
    const list = perCell.get(cell) ?? [];
    list.push({ start: e.start - cell.start, end: e.end - cell.start, text: e.text });
    perCell.set(cell, list);
  }
  try {
    parsePython(applyEdits(joined.source, plan.edits));
  } catch (err) {
    throw new Error(`rewritten cells do not re-parse (${(err as Error).message}); notebook left untouched`);
  }
  for (const [jc, edits] of perCell) {
    const cell = nb.cells![jc.index]!;
    // Put the magics back: the output differs from the masked text only at our edits.
    const restored = restoreMagics(jc.text, jc.masked, applyEdits(jc.masked, edits));
    cell.source = Array.isArray(cell.source) ? splitLines(restored) : restored;
  }
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
