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
 * they own, and under a name that carries a hash of the bundle's source (V8 itself checks
 * only the source's length, its own version and its flags). It is written to a temporary
 * file and renamed, so a reader never sees half a cache. Any failure (no directory, a full
 * disk, a cache V8 rejects) only means a slower start: loading never fails because of it.
 *
 * `NOVA_COMPILE_CACHE`: the directory (default: `nova-migrate-compile-cache-<uid>` in the
 * system temporary directory), or `off`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

/** What became of the cache when the bundle was loaded. */
export type CacheState = 'used' | 'absent' | 'rejected' | 'off';

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
function ownedAndPrivate(path: string, kind: 'dir' | 'file'): boolean {
  const st = lstatSync(path);
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
  if (process.getuid && st.uid !== process.getuid()) return false;
  return process.platform === 'win32' || (st.mode & 0o022) === 0;
}

export function loadBundle<T>(file: string, env: Record<string, string | undefined> = process.env): LoadedBundle<T> {
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const dir = compileCacheDir(env);
  // The Node version and architecture in the name let installs of several Node versions keep
  // a cache each. (The bytes are hashed rather than the string, which would be encoded again.)
  const cacheFile = dir && join(dir, `${basename(file)}-${createHash('sha1').update(bytes).digest('hex').slice(0, 32)}-${process.version}-${process.arch}.v8cache`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      if (ownedAndPrivate(dir, 'dir') && ownedAndPrivate(cacheFile, 'file')) cachedData = readFileSync(cacheFile);
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
  if (!ownedAndPrivate(dir, 'dir')) return;
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
