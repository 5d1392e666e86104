/**
 * Joins the files' graphs: resolves import specifiers to files of the scanned tree (JS/TS
 * relative imports; Python relative and dotted module paths), wires imported values and
 * arguments into the other file's nodes, and turns hand-offs into code outside the tree into
 * escapes ("verify: client passed to X"). Also finds which unparsed files to read next: the
 * modules a client is handed to, and the importers of modules holding clients.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { Escape, FileFacts, NodeId } from './model.js';

const JS_EXT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ModuleResolver {
  private byBase = new Map<string, string[]>();
  constructor(private readonly files: Set<string>) {
    for (const f of files) {
      if (!f.endsWith('.py')) continue;
      const b = basename(f);
      const list = this.byBase.get(b) ?? [];
      list.push(f);
      this.byBase.set(b, list);
    }
  }

  resolve(from: string, spec: string, lang: 'js' | 'py'): string | undefined {
    return lang === 'js' ? this.js(from, spec) : this.py(from, spec);
  }

  private js(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const p = resolve(dirname(from), spec);
    const tries = [p, ...JS_EXT.map((e) => p + e), ...JS_EXT.map((e) => join(p, `index${e}`))];
    const m = /\.(m|c)?js$/.exec(p);
    if (m) {
      const stem = p.slice(0, -m[0].length);
      tries.push(...(m[1] ? [`${stem}.${m[1]}ts`] : [`${stem}.ts`, `${stem}.tsx`]));
    }
    return tries.find((t) => this.files.has(t));
  }

  private py(from: string, spec: string): string | undefined {
    if (spec.startsWith('.')) {
      const level = /^\.+/.exec(spec)![0].length;
      let dir = dirname(from);
      for (let i = 1; i < level; i++) dir = dirname(dir);
      const rest = spec.slice(level);
      const p = rest ? join(dir, ...rest.split('.')) : dir;
      return [`${p}.py`, join(p, '__init__.py')].find((t) => this.files.has(t));
    }
    const parts = spec.split('.');
    const tail = parts.join('/');
    const candidates = [...(this.byBase.get(`${parts[parts.length - 1]}.py`) ?? []).filter((f) => f.endsWith(`/${tail}.py`)), ...(this.byBase.get('__init__.py') ?? []).filter((f) => f.endsWith(`/${tail}/__init__.py`))];
    if (candidates.length <= 1) return candidates[0];
    // Several packages of that name (a monorepo): the one nearest the importer.
    const common = (a: string) => {
      let i = 0;
      while (i < a.length && i < from.length && a[i] === from[i]) i++;
      return i;
    };
    return candidates.sort((a, b) => common(b) - common(a))[0];
  }
}

const JS_SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"](\.[^'"]*)['"]/g;
const PY_FROM = /^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]+\(?([^\n#)]+)/gm;
const PY_IMPORT = /^[ \t]*import[ \t]+([\w.]+)/gm;

/** Import specifiers in a file, by a text scan (no parse): enough to know whom it imports. */
export function importSpecs(path: string, content: string): string[] {
  const out: string[] = [];
  if (path.endsWith('.py')) {
    for (const m of content.matchAll(PY_FROM)) {
      out.push(m[1]!);
      for (const name of m[2]!.split(',')) {
        const n = name.trim().split(/\s+/)[0];
        if (n && /^\w+$/.test(n)) out.push(m[1]!.endsWith('.') ? `${m[1]}${n}` : `${m[1]}.${n}`);
      }
    }
    for (const m of content.matchAll(PY_IMPORT)) out.push(m[1]!);
  } else for (const m of content.matchAll(JS_SPEC)) out.push(m[1]!);
  return out;
}

export interface LinkResult {
  edges: [NodeId, NodeId][];
  escapes: Escape[];
  /** Files the links need that have not been analysed yet. */
  wanted: Set<string>;
}

/** One linking pass over every analysed file. */
export function link(all: Map<string, FileFacts>, resolver: ModuleResolver): LinkResult {
  const edges: [NodeId, NodeId][] = [];
  const escapes: Escape[] = [];
  const wanted = new Set<string>();
  for (const f of all.values()) {
    for (const ext of f.externals) {
      let target = resolver.resolve(f.path, ext.module, f.lang);
      let name = ext.name;
      // `from app import utils` then `utils.f(…)`: the name may be a module itself.
      if (!target && f.lang === 'py' && ext.kind === 'import') target = undefined;
      const t = target ? all.get(target) : undefined;
      if (target && !t) {
        wanted.add(target);
        continue;
      }
      if (ext.kind === 'import') {
        if (!t) continue;
        if (t.lang === 'py') {
          if (t.functions[name]) continue;
          edges.push([`v:${t.display}#0:${name}`, ext.node!]);
        } else {
          if (t.exportedFunctions[name]) continue;
          const node = t.exports[name];
          if (node) edges.push([node, ext.node!]);
        }
        continue;
      }
      const key = t ? (t.lang === 'py' ? (t.functions[name] ? name : undefined) : t.exportedFunctions[name]) : undefined;
      const info = key !== undefined ? t!.functions[key] : undefined;
      for (const arg of ext.args ?? []) {
        let param: string | undefined;
        if (info) {
          if (typeof arg.at === 'number') param = info.params[arg.at];
          else if (/^\d+\./.test(arg.at)) param = info.params[Number(arg.at.split('.')[0])] === '{}' ? arg.at : undefined;
          else param = info.params.includes(arg.at) ? arg.at : undefined;
        }
        if (param && param !== '{}' && param !== '?') edges.push([arg.node, `p:${t!.display}#${key}:${param}`]);
        else escapes.push({ node: arg.node, file: ext.file, line: ext.line, column: ext.column, to: `${ext.label ?? name} (${ext.module})` });
      }
      if (info && ext.result) edges.push([`r:${t!.display}#${key}`, ext.result]);
      name = '';
    }
  }
  return { edges, escapes, wanted };
}
