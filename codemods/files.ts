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
/**
 * Component files (Vue, Svelte, Astro) are found too: their `<script>` blocks are not parsed,
 * so one that mentions OpenAI is listed as skipped instead of passed over in silence.
 */
export const COMPONENT_EXTENSIONS = ['vue', 'svelte', 'astro'];
const EXTENSIONS = ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'py', 'ipynb', ...COMPONENT_EXTENSIONS];

export interface DiscoverOptions {
  cwd: string;
  include?: string[];
  exclude?: string[];
}

/** Directory names that hold project templates (cookiecutter, Jinja): their "Python" rarely parses. */
const TEMPLATE_DIR = /(^|\/)(templates?|_templates|project_template|app_template|\{\{[^/]*\}\}|\{%[^/]*%\})(\/|$)/;

export class ConfigError extends Error {}

/**
 * `nova-migrate.config.json` → `codemods.exclude`: globs relative to the config file's
 * directory, so the CI gate can skip what it must never touch. Looked up in the working
 * directory and at the root of each scanned tree.
 */
export function configExcludes(dirs: string[]): { base: string; globs: string[] }[] {
  const out: { base: string; globs: string[] }[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const file = join(dir, 'nova-migrate.config.json');
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    const codemods = (parsed as { codemods?: unknown })?.codemods;
    if (codemods === undefined) continue;
    const exclude = (codemods as { exclude?: unknown })?.exclude;
    if (typeof codemods !== 'object' || codemods === null || (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((g) => typeof g !== 'string' || g.trim() === '')))) {
      throw new ConfigError(`${file}: "codemods" must be an object whose "exclude" is an array of glob strings`);
    }
    if (Array.isArray(exclude) && exclude.length) out.push({ base: dir, globs: exclude as string[] });
  }
  return out;
}

export interface Discovered {
  /** Absolute paths, sorted. */
  files: string[];
  /** Paths given on the command line that don't exist. */
  missing: string[];
  /** Files given on the command line that aren't JS/TS/Python/notebooks. */
  unsupported: string[];
  /** Files under template directories (cookiecutter `{{…}}`, `templates/`): skipped. */
  templates: string[];
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
  const templates: string[] = [];
  // Patterns without a slash match the file name anywhere (`*.test.ts`), like .gitignore.
  const include = matcher(opts.include);
  const exclude = matcher(opts.exclude);
  const roots = (paths.length ? paths : ['.']).map((p) => resolve(opts.cwd, p));
  const fromConfig = configExcludes([opts.cwd, ...roots.map((r) => (existsSync(r) && statSync(r).isDirectory() ? r : dirname(r)))]).map((c) => ({ base: c.base, match: matcher(c.globs)! }));
  let root = opts.cwd;
  // Globs match paths relative to the working directory or to the tree being scanned
  // (`rewrite ../other/repo --exclude '**/x.ts'`), whichever the user had in mind.
  const relTo = (base: string, abs: string) => toPosix(relative(base, abs));
  const accept = (abs: string) => {
    const rels = [relTo(opts.cwd, abs), relTo(root, abs)].filter((r, i, a) => r && !r.startsWith('../') && a.indexOf(r) === i);
    if (rels.length === 0) rels.push(relTo(opts.cwd, abs));
    if (include && !rels.some(include)) return false;
    if (exclude && rels.some(exclude)) return false;
    for (const c of fromConfig) {
      const rel = relTo(c.base, abs);
      if (!rel.startsWith('../') && c.match(rel)) return false;
    }
    return true;
  };
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(opts.cwd, p);
    root = abs;
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
      if (TEMPLATE_DIR.test(toPosix(relative(abs, file)))) {
        templates.push(file);
        continue;
      }
      if (accept(file)) out.add(file);
    }
  }
  return { files: [...out].sort(), missing, unsupported, templates };
}

export { PREFILTER, SCAN_PREFILTER } from './prefilter.js';

/** Jinja/cookiecutter markers: a file holding them that does not parse is a template, not broken code. */
export const TEMPLATE_MARKERS = /\{\{[^}\n]*\}\}|\{%-?\s*(if|for|block|include|raw|set|macro)\b[^%\n]*%\}/;

/** `nova-migrate-ignore-file` (any comment style) near the top of a file. */
const IGNORE_FILE = /nova-migrate(-ignore-file\b|:\s*ignore-file\b)/;

/** Why a file is skipped without parsing (minified/generated/ignored), or undefined. */
export function skipReason(path: string, content: string): string | undefined {
  if (IGNORE_FILE.test(content.slice(0, 2000))) return 'ignored: nova-migrate-ignore-file comment';
  if (/[.-]min\.[cm]?js$/.test(path) || /\.bundle\.[cm]?js$/.test(path)) return 'minified';
  const head = content.slice(0, 1000);
  if (/@generated\b|\bDO NOT EDIT\b|\bCode generated\b|\bauto-?generated\b/i.test(head) && !path.endsWith('.ipynb')) return 'generated';
  // Notebooks keep base64 outputs on one line: long lines are normal there.
  if (content.length > 2000 && !path.endsWith('.ipynb') && isMinified(content)) return 'minified';
  return undefined;
}

/**
 * Minified code: long lines on average — counting code, not data. A base64 image or an
 * embedding inlined as a string (common in vision examples and tests) is one long run without
 * spaces or punctuation; minified code is never that, so such runs are left out of the length.
 */
function isMinified(content: string): boolean {
  let length = content.length;
  if (length / lineCount(content) <= 300) return false;
  for (const m of content.matchAll(DATA_RUN)) length -= m[0].length;
  return length / lineCount(content) > 300;
}

const DATA_RUN = /[A-Za-z0-9+/=_-]{200,}/g;

function lineCount(content: string): number {
  let lines = 1;
  for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) lines++;
  return lines;
}
