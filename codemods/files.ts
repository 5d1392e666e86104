/**
 * Finding the files to look at: walks the given paths honouring .gitignore files
 * (including those of enclosing directories up to the repository root), skipping
 * dependency/build/virtualenv folders, declaration files, and --include/--exclude globs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { languageOf } from './parsers.js';

export const SKIPPED_DIRS = ['node_modules', 'dist', 'build', '.venv', 'venv', '__pycache__', '.git'];
/**
 * Tool caches that are virtually always git-ignored: pruned while walking, instead of
 * walked and then filtered through .gitignore (they can hold hundreds of thousands of files).
 */
const CACHE_DIRS = ['.next', '.nuxt', '.turbo', '.cache', 'coverage', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages'];
const EXTENSIONS = ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'py', 'ipynb'];

export interface DiscoverOptions {
  cwd: string;
  include?: string[];
  exclude?: string[];
}

export interface Discovered {
  /** Absolute paths, sorted. */
  files: string[];
  /** Paths given on the command line that don't exist. */
  missing: string[];
  /** Files given on the command line that aren't JS/TS/Python/notebooks. */
  unsupported: string[];
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** The .gitignore matchers that apply under `dir`, from the repository root down. */
class GitIgnores {
  private cache = new Map<string, Ignore | null>();
  private stop: string;
  constructor(start: string) {
    // Walk up to the enclosing repository root (a directory holding .git), if any.
    let dir = start;
    let found = start;
    for (;;) {
      if (existsSync(join(dir, '.git'))) {
        found = dir;
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    this.stop = found;
  }
  private at(dir: string): Ignore | null {
    let ig = this.cache.get(dir);
    if (ig !== undefined) return ig;
    ig = null;
    const file = join(dir, '.gitignore');
    if (existsSync(file)) {
      try {
        ig = ignore().add(readFileSync(file, 'utf8'));
      } catch {
        ig = null;
      }
    }
    this.cache.set(dir, ig);
    return ig;
  }
  ignored(file: string): boolean {
    // Check from the file's directory up to the repository root.
    let dir = dirname(file);
    for (;;) {
      const ig = this.at(dir);
      if (ig) {
        const rel = toPosix(relative(dir, file));
        if (rel && !rel.startsWith('..') && ig.ignores(rel)) return true;
      }
      if (dir === this.stop || !dir.startsWith(this.stop)) break;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return false;
  }
}

function matcher(globs: string[] | undefined): ((rel: string) => boolean) | undefined {
  if (!globs?.length) return undefined;
  const byName = globs.filter((g) => !g.includes('/'));
  const byPath = globs.filter((g) => g.includes('/')).map((g) => g.replace(/^\.\//, ''));
  const name = byName.length ? picomatch(byName, { dot: true }) : () => false;
  const path = byPath.length ? picomatch(byPath, { dot: true }) : () => false;
  return (rel) => path(rel) || name(rel.slice(rel.lastIndexOf('/') + 1));
}

export async function discoverFiles(paths: string[], opts: DiscoverOptions): Promise<Discovered> {
  const out = new Set<string>();
  const missing: string[] = [];
  const unsupported: string[] = [];
  // Patterns without a slash match the file name anywhere (`*.test.ts`), like .gitignore.
  const include = matcher(opts.include);
  const exclude = matcher(opts.exclude);
  const accept = (abs: string) => {
    const rel = toPosix(relative(opts.cwd, abs));
    if (include && !include(rel)) return false;
    if (exclude && exclude(rel)) return false;
    return true;
  };
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(opts.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isFile()) {
      // Named explicitly: taken if we know the language, whatever the ignore files say.
      if (!languageOf(abs) || abs.endsWith('.d.ts')) unsupported.push(p);
      else if (accept(abs)) out.add(abs);
      continue;
    }
    const gi = new GitIgnores(abs);
    const found = await glob([`**/*.{${EXTENSIONS.join(',')}}`], {
      cwd: abs,
      absolute: true,
      dot: true,
      followSymbolicLinks: false,
      ignore: [...SKIPPED_DIRS, ...CACHE_DIRS].map((d) => `**/${d}/**`).concat(['**/*.d.ts', '**/*.d.mts', '**/*.d.cts']),
    });
    for (const f of found) {
      const file = resolve(f);
      if (gi.ignored(file)) continue;
      if (accept(file)) out.add(file);
    }
  }
  return { files: [...out].sort(), missing, unsupported };
}

export { PREFILTER, SCAN_PREFILTER } from './prefilter.js';

/** Why a file is skipped without parsing (minified/generated), or undefined. */
export function skipReason(path: string, content: string): string | undefined {
  if (/[.-]min\.[cm]?js$/.test(path) || /\.bundle\.[cm]?js$/.test(path)) return 'minified';
  const head = content.slice(0, 1000);
  if (/@generated\b|\bDO NOT EDIT\b|\bCode generated\b|\bauto-?generated\b/i.test(head) && !path.endsWith('.ipynb')) return 'generated';
  // Notebooks keep base64 outputs on one line: long lines are normal there.
  if (content.length > 2000 && !path.endsWith('.ipynb')) {
    let lines = 1;
    for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) lines++;
    if (content.length / lines > 300) return 'minified';
  }
  return undefined;
}
