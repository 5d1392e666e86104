/**
 * Tool names Nova accepts: `[A-Za-z][A-Za-z0-9_]*`, at most 64 characters. Bedrock's own
 * pattern allows hyphens, but Nova fails on them, so anything else is rewritten. Names
 * already valid are kept as they are and reserved first, so a rewritten name can never
 * take a name the client uses; the response side maps safe names back through
 * `TranslationState.toolNames`.
 */
const VALID = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX = 64;

export interface ToolNameMapper {
  /** The Nova-safe name for a client name; the same input always gives the same output. */
  safe(original: string): string;
  /** A fresh name of our own (e.g. the json_response tool), unique against all others. */
  reserve(wanted: string): string;
  /** Safe → original, for names that changed (undefined while none has). */
  readonly renames: ReadonlyMap<string, string> | undefined;
}

/** `reserved`: names known to be in use (the request's own tool names), claimed up front. */
export function createToolNameMapper(reserved: Iterable<string> = []): ToolNameMapper {
  return new Mapper(reserved);
}

// Most requests have no tools: the tables are made on first use, not per request.
class Mapper implements ToolNameMapper {
  private toSafe: Map<string, string> | undefined = undefined;
  private taken: Set<string> | undefined = undefined;
  renames: Map<string, string> | undefined = undefined;

  constructor(reserved: Iterable<string>) {
    for (const name of reserved) {
      if (VALID.test(name)) {
        (this.toSafe ??= new Map()).set(name, name);
        (this.taken ??= new Set()).add(name);
      }
    }
  }

  safe(original: string): string {
    const known = this.toSafe?.get(original);
    if (known !== undefined) return known;
    let name: string;
    if (VALID.test(original) && !this.taken?.has(original)) {
      name = original;
    } else {
      let base = original.replace(/[^A-Za-z0-9_]/g, '_');
      if (!/^[A-Za-z]/.test(base)) base = `fn_${base}`;
      name = this.unique(base.slice(0, MAX));
      (this.renames ??= new Map()).set(name, original);
    }
    (this.taken ??= new Set()).add(name);
    (this.toSafe ??= new Map()).set(original, name);
    return name;
  }

  reserve(wanted: string): string {
    const name = this.unique(wanted);
    (this.taken ??= new Set()).add(name);
    return name;
  }

  private unique(base: string): string {
    const taken = this.taken;
    if (!taken?.has(base)) return base;
    for (let n = 2; ; n++) {
      const suffix = `_${n}`;
      const candidate = base.slice(0, MAX - suffix.length) + suffix;
      if (!taken.has(candidate)) return candidate;
    }
  }
}
