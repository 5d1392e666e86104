/**
 * Joins the files' graphs: resolves import specifiers to files of the scanned tree (JS/TS
 * relative imports; Python relative and dotted module paths), wires imported values and
 * arguments into the other file's nodes, and turns hand-offs into code outside the tree into
 * escapes ("verify: client passed to X"). Also finds which unparsed files to read next: the
 * modules a client is handed to, and the importers of modules holding clients.
 */
import { existsSync, readFileSync } from 'node:fs';
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
    if (!spec.startsWith('.')) return this.jsBare(from, spec);
    return this.jsFile(resolve(dirname(from), spec));
  }

  /**
   * A bare specifier that names code of the scanned tree: a TypeScript `paths` alias of the
   * importer's nearest tsconfig.json (`@/lib/openai`), or a workspace package by its
   * package.json name (`@acme/llm`, `@acme/llm/sub`). npm packages resolve to nothing.
   */
  private jsBare(from: string, spec: string): string | undefined {
    const ts = this.tsconfigOf(dirname(from));
    if (ts) {
      for (const [pattern, targets] of Object.entries(ts.paths)) {
        const star = pattern.indexOf('*');
        let rest: string | undefined;
        if (star < 0) rest = pattern === spec ? '' : undefined;
        else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) && spec.length >= pattern.length - 1) rest = spec.slice(star, spec.length - (pattern.length - star - 1));
        if (rest === undefined) continue;
        for (const t of targets) {
          const hit = this.jsFile(resolve(ts.base, star < 0 ? t : t.replace('*', rest)));
          if (hit) return hit;
        }
      }
    }
    const m = /^((?:@[^/]+\/)?[^/]+)(?:\/(.+))?$/.exec(spec);
    const pkg = m ? this.workspacePackages().get(m[1]!) : undefined;
    if (!pkg) return undefined;
    if (m![2]) return this.jsFile(join(pkg.dir, m![2]));
    for (const entry of pkg.entries) {
      const hit = this.jsFile(resolve(pkg.dir, entry));
      if (hit) return hit;
    }
    return this.jsFile(join(pkg.dir, 'src')) ?? this.jsFile(pkg.dir);
  }

  private tsconfigs = new Map<string, { base: string; paths: Record<string, string[]> } | null>();
  private tsconfigOf(dir: string): { base: string; paths: Record<string, string[]> } | undefined {
    const chain: string[] = [];
    let found: { base: string; paths: Record<string, string[]> } | null = null;
    for (let d = dir; ; d = dirname(d)) {
      if (this.tsconfigs.has(d)) {
        found = this.tsconfigs.get(d)!;
        break;
      }
      chain.push(d);
      const file = join(d, 'tsconfig.json');
      if (existsSync(file)) {
        const opts = readJsonc(file)?.compilerOptions;
        found = opts?.paths && typeof opts.paths === 'object' ? { base: resolve(d, typeof opts.baseUrl === 'string' ? opts.baseUrl : '.'), paths: opts.paths } : null;
        break;
      }
      if (dirname(d) === d || existsSync(join(d, '.git'))) break;
    }
    for (const d of chain) this.tsconfigs.set(d, found);
    return found ?? undefined;
  }

  private packages?: Map<string, { dir: string; entries: string[] }>;
  /** Packages of the scanned tree by name: the nearest package.json above each JS file. */
  private workspacePackages(): Map<string, { dir: string; entries: string[] }> {
    if (this.packages) return this.packages;
    this.packages = new Map();
    const dirs = new Set<string>();
    for (const f of this.files) if (JS_EXT.some((e) => f.endsWith(e))) dirs.add(dirname(f));
    const seen = new Set<string>();
    for (const start of dirs) {
      for (let d = start; !seen.has(d); d = dirname(d)) {
        seen.add(d);
        const file = join(d, 'package.json');
        if (existsSync(file)) {
          const pkg = readJsonc(file);
          if (typeof pkg?.name === 'string' && !this.packages.has(pkg.name)) {
            const dot = typeof pkg.exports === 'string' ? pkg.exports : pkg.exports?.['.'];
            const entries = [typeof dot === 'string' ? dot : dot?.import ?? dot?.default, pkg.source, pkg.types, pkg.module, pkg.main].filter((e): e is string => typeof e === 'string');
            this.packages.set(pkg.name, { dir: d, entries });
          }
          break;
        }
        if (dirname(d) === d) break;
      }
    }
    return this.packages;
  }

  private jsFile(p: string): string | undefined {
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

const JS_SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"\s]+)['"]/g;

/** package.json / tsconfig.json (comments and trailing commas allowed); undefined when unreadable. */
function readJsonc(file: string): any {
  try {
    const text = readFileSync(file, 'utf8').replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str) => str ?? '').replace(/,(\s*[}\]])/g, '$1');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
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
