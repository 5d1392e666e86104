/**
 * What a file's text doesn't say but its project does: where it runs (Next.js client
 * component, Vite bundle, Deno, Cloudflare Workers — none has `process.env` as Node does)
 * and which library versions are pinned (option names changed between versions).
 * Read from the files around it: package.json and lockfiles, requirements*.txt,
 * pyproject.toml, deno.json, wrangler.toml. Cached per directory.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileContext, Runtime } from './types.js';

/** Libraries whose pinned version changes what the rewrite writes. */
const JS_PACKAGES = ['@langchain/openai', 'langchain', 'openai'];
const PY_PACKAGES = ['openai', 'langchain', 'langchain-openai', 'langchain-community'];

export class ProjectContext {
  private manifests = new Map<string, Record<string, string>>();
  private markers = new Map<string, Set<string>>();
  constructor(private readonly stop: string) {}

  /** File names present in `dir` (cached). */
  private names(dir: string): Set<string> {
    let set = this.markers.get(dir);
    if (!set) {
      try {
        set = new Set(readdirSync(dir));
      } catch {
        set = new Set();
      }
      this.markers.set(dir, set);
    }
    return set;
  }

  /** Directories from `file`'s up to the filesystem root (stopping above the scan root's repository). */
  private *up(file: string): Generator<string> {
    let dir = dirname(file);
    for (let i = 0; i < 40; i++) {
      yield dir;
      const parent = dirname(dir);
      if (parent === dir || (!dir.startsWith(this.stop) && existsSync(join(dir, '.git')))) return;
      dir = parent;
    }
  }

  runtime(file: string, content: string): Runtime | undefined {
    if (file.endsWith('.py') || file.endsWith('.ipynb')) return undefined;
    const head = content.replace(/^\uFEFF/, '').replace(/^(\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
    if (/^['"]use client['"]/.test(head)) return 'next-client';
    if (/\bimport\.meta\.env\b/.test(content)) return 'vite';
    if (/\bDeno\.(env|serve|readTextFile)\b|from\s+['"](npm:|jsr:|https:\/\/deno\.land\/)/.test(content)) return 'deno';
    if (/from\s+['"]cloudflare:workers['"]/.test(content)) return 'workers';
    for (const dir of this.up(file)) {
      const names = this.names(dir);
      if (names.has('wrangler.toml') || names.has('wrangler.json') || names.has('wrangler.jsonc')) return 'workers';
      if (names.has('deno.json') || names.has('deno.jsonc')) return 'deno';
      if (names.has('package.json')) break; // the package decides; Node unless marked otherwise
    }
    return undefined;
  }

  /** Pinned versions (or ranges) of the libraries that matter, from the nearest manifests. */
  versions(file: string): Record<string, string> {
    const py = file.endsWith('.py') || file.endsWith('.ipynb');
    const out: Record<string, string> = {};
    for (const dir of this.up(file)) {
      const found = this.manifest(dir, py);
      for (const [k, v] of Object.entries(found)) out[k] ??= v;
      if (Object.keys(out).length && (this.names(dir).has('package.json') || this.names(dir).has('pyproject.toml'))) break;
    }
    return out;
  }

  context(file: string, content: string): FileContext | undefined {
    const runtime = this.runtime(file, content);
    const versions = this.versions(file);
    if (!runtime && Object.keys(versions).length === 0) return undefined;
    return { runtime, versions };
  }

  private manifest(dir: string, py: boolean): Record<string, string> {
    const key = `${py ? 'py' : 'js'}:${dir}`;
    let m = this.manifests.get(key);
    if (m) return m;
    m = {};
    const names = this.names(dir);
    const read = (n: string) => {
      try {
        return readFileSync(join(dir, n), 'utf8');
      } catch {
        return '';
      }
    };
    if (!py) {
      // A lockfile says what is installed; package.json only the range.
      if (names.has('package-lock.json')) {
        try {
          const lock = JSON.parse(read('package-lock.json'));
          for (const p of JS_PACKAGES) {
            const v = lock.packages?.[`node_modules/${p}`]?.version ?? lock.dependencies?.[p]?.version;
            if (typeof v === 'string') m[p] ??= v;
          }
        } catch {
          /* unreadable lockfile: fall back to package.json */
        }
      }
      if (names.has('pnpm-lock.yaml') || names.has('yarn.lock')) {
        const text = read(names.has('pnpm-lock.yaml') ? 'pnpm-lock.yaml' : 'yarn.lock');
        for (const p of JS_PACKAGES) {
          const esc = p.replace(/[/@.]/g, (c) => `\\${c}`);
          const hit = new RegExp(`(?:^|\\n)\\s*['"]?/?${esc}[@/:]\\s*['"]?(\\d+\\.\\d+\\.\\d+)`).exec(text) ?? new RegExp(`(?:^|\\n)['"]?${esc}@[^\\n]*\\n\\s+version:?\\s+['"]?(\\d+\\.\\d+\\.\\d+)`).exec(text);
          if (hit) m[p] ??= hit[1]!;
        }
      }
      if (names.has('package.json')) {
        try {
          const pkg = JSON.parse(read('package.json'));
          for (const p of JS_PACKAGES) {
            const v = pkg.dependencies?.[p] ?? pkg.devDependencies?.[p] ?? pkg.peerDependencies?.[p];
            if (typeof v === 'string' && /\d/.test(v)) m[p] ??= v;
          }
        } catch {
          /* not JSON: nothing known */
        }
      }
    } else {
      const texts: string[] = [];
      for (const n of names) if (/^requirements.*\.(txt|in)$/.test(n) || n === 'pyproject.toml' || n === 'Pipfile' || n === 'setup.py' || n === 'setup.cfg') texts.push(read(n));
      const all = texts.join('\n');
      for (const p of PY_PACKAGES) {
        const esc = p.replace(/[-_]/g, '[-_]');
        // `openai==0.28.1`, `openai<1`, `"openai>=1.30"`, poetry `openai = "^0.28"`
        const hit = new RegExp(`(?:^|["'\\s,\\[])${esc}\\s*(?:\\[[^\\]]*\\])?\\s*(?:=\\s*["'])?\\s*((?:==|~=|>=|<=|<|>|\\^|~)?\\s*\\d[\\w.*]*(?:\\s*,\\s*(?:<|<=|!=)\\s*\\d[\\w.]*)?)`, 'im').exec(all);
        if (hit) m[p] = hit[1]!.replace(/\s+/g, '');
      }
      for (const lock of ['poetry.lock', 'uv.lock']) {
        if (!names.has(lock)) continue;
        const text = read(lock);
        for (const p of PY_PACKAGES) {
          const hit = new RegExp(`name\\s*=\\s*"${p}"\\s*\\nversion\\s*=\\s*"([^"]+)"`).exec(text);
          if (hit) m[p] = hit[1]!;
        }
      }
    }
    this.manifests.set(key, m);
    return m;
  }
}
