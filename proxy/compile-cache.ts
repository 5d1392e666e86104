/**
 * Loads a CommonJS bundle through V8's code cache, so that a start after the first skips
 * parsing and compiling it. `serve`'s bundle goes through here (scripts/build.mjs writes
 * the ESM stub that calls `loadBundle`).
 *
 * Why not Node's own compile cache: Node 20 has none (`module.enableCompileCache` is Node
 * 22.1+), and Node 22's caches each module as compiled before it ran, so every function a
 * start calls is still compiled on its first call. The cache written here is taken after the
 * server has answered its first request: it holds the bytecode of everything start-up and
 * the request path ran, which is most of what a cold start spends in V8.
 *
 * The cache is code this process will run, so it is read only from a directory that only
 * this user can write (owned by them, no group or other write bit), from a regular file
 * they own (opened without following links, checked through its descriptor), and under a
 * name that carries a hash of the bundle's source (V8 itself checks only the source's
 * length, its own version and its flags). It is written to a temporary
 * file and renamed, so a reader never sees half a cache. Any failure (no directory, a full
 * disk, a cache V8 rejects) only means a slower start: loading never fails because of it.
 *
 * `NOVA_COMPILE_CACHE`: the directory (default: `nova-migrate-compile-cache-<uid>` in the
 * system temporary directory), or `off`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import vm from 'node:vm';

/**
 * What became of the cache when the bundle was loaded. `source-maps`: Node applies source
 * maps (`--enable-source-maps`) only to code its own loaders compile, so the bundle is then
 * required as usual, for readable stack traces, and no cache is used.
 */
export type CacheState = 'used' | 'absent' | 'rejected' | 'off' | 'source-maps';

export interface LoadedBundle<T> {
  exports: T;
  cache: CacheState;
  /** The cache file this process reads and writes, when the cache is on. */
  cacheFile?: string;
  /**
   * Writes the cache (once; nothing if one was used or the cache is off). Call it once the
   * process has run what later starts should find compiled: after the first request.
   */
  saveCache(): void;
}

export function compileCacheDir(env: Record<string, string | undefined> = process.env): string | undefined {
  const set = env.NOVA_COMPILE_CACHE;
  if (set === 'off') return undefined;
  return set || join(tmpdir(), `nova-migrate-compile-cache${process.getuid ? `-${process.getuid()}` : ''}`);
}

/** Only this user can have written it (POSIX; on Windows the temporary directory is per user). */
function ownedAndPrivate(st: Stats, kind: 'dir' | 'file'): boolean {
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
  if (process.getuid && st.uid !== process.getuid()) return false;
  return process.platform === 'win32' || (st.mode & 0o022) === 0;
}

/** The cache's bytes, read through a descriptor that is checked (not a link, owned, private) before reading. */
function readPrivate(dir: string, file: string): Buffer | undefined {
  if (!ownedAndPrivate(lstatSync(dir), 'dir')) return undefined;
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    return ownedAndPrivate(fstatSync(fd), 'file') ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

export function loadBundle<T>(file: string, env: Record<string, string | undefined> = process.env): LoadedBundle<T> {
  if (process.sourceMapsEnabled) return { exports: createRequire(file)(file) as T, cache: 'source-maps', saveCache() {} };
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const dir = compileCacheDir(env);
  // V8 refuses a cache made under other flags or for another CPU (its version tag), so each
  // set keeps a file of its own instead of overwriting another's on every start. The bytes
  // are hashed rather than the string, which would be encoded again.
  const key = `${createHash('sha1').update(bytes).digest('hex').slice(0, 32)}-${process.version}-${process.arch}-${cachedDataVersionTag().toString(16)}`;
  const cacheFile = dir && join(dir, `${basename(file)}-${key}.v8cache`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readPrivate(dir, cacheFile);
    } catch {
      // Absent or unreadable: compiled from source, and written later.
    }
  }
  // No import() in the bundle (scripts/build.mjs turns it into require()): on Node 20 a
  // script compiled from a code cache loses its dynamic-import callback, so import() would
  // work on the first start and fail on the next ones.
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const cache: CacheState = !cacheFile ? 'off' : !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let done = cache === 'used' || cache === 'off';
  return {
    exports: module.exports,
    cache,
    ...(cacheFile ? { cacheFile } : {}),
    saveCache() {
      if (done) return;
      done = true;
      try {
        writeCache(dir!, cacheFile!, script.createCachedData());
      } catch {
        // A start without the cache is only slower.
      }
    },
  };
}

function writeCache(dir: string, file: string, data: Buffer): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A directory someone else could write to is never read from, so never written to either.
  if (!ownedAndPrivate(lstatSync(dir), 'dir')) return;
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
