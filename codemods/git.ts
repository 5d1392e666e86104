/** Git work-tree checks: which files have uncommitted changes (so rewrite refuses to touch them). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** The top of the git work tree holding `cwd`, or undefined outside one (or without git). */
export function workTreeRoot(cwd: string): string | undefined {
  const out = git(cwd, ['rev-parse', '--show-toplevel']);
  return out?.trim() ? resolve(out.trim()) : undefined;
}

/**
 * For each file, whether it has uncommitted changes (modified, staged, untracked).
 * Files outside any git work tree are never dirty.
 */
export class DirtyTracker {
  private byTop = new Map<string, Set<string> | null>();
  private topOfDir = new Map<string, string | null>();

  /** The work tree holding `dir`: the nearest ancestor with a `.git` entry, confirmed by git once. */
  private top(dir: string): string | null {
    let t = this.topOfDir.get(dir);
    if (t !== undefined) return t;
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git'))) {
      const out = git(dir, ['rev-parse', '--show-toplevel']);
      t = out ? resolve(out.trim()) : null;
    } else t = parent === dir ? null : this.top(parent);
    this.topOfDir.set(dir, t);
    return t;
  }

  private dirtySet(top: string): Set<string> | null {
    let set = this.byTop.get(top);
    if (set !== undefined) return set;
    const out = git(top, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    if (out === undefined) {
      this.byTop.set(top, null);
      return null;
    }
    set = new Set<string>();
    const parts = out.split('\0');
    for (let i = 0; i < parts.length; i++) {
      const entry = parts[i]!;
      if (entry.length < 4) continue;
      const xy = entry.slice(0, 2);
      set.add(resolve(top, entry.slice(3)));
      // Renames/copies carry the original path as the next field.
      if (xy[0] === 'R' || xy[0] === 'C') i++;
    }
    this.byTop.set(top, set);
    return set;
  }

  isDirty(file: string): boolean {
    const top = this.top(dirname(file));
    if (!top) return false;
    const set = this.dirtySet(top);
    return set ? set.has(resolve(file)) : false;
  }
}
