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
  /** Safe → original, for names that changed. */
  readonly changed: Map<string, string>;
}

/** `reserved`: names known to be in use (the request's own tool names), claimed up front. */
export function createToolNameMapper(reserved: Iterable<string> = []): ToolNameMapper {
  const toSafe = new Map<string, string>();
  const taken = new Set<string>();
  const changed = new Map<string, string>();
  for (const name of reserved) {
    if (VALID.test(name)) {
      toSafe.set(name, name);
      taken.add(name);
    }
  }

  function unique(base: string): string {
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) {
      const suffix = `_${n}`;
      const candidate = base.slice(0, MAX - suffix.length) + suffix;
      if (!taken.has(candidate)) return candidate;
    }
  }

  function safe(original: string): string {
    const known = toSafe.get(original);
    if (known !== undefined) return known;
    let name: string;
    if (VALID.test(original) && !taken.has(original)) {
      name = original;
    } else {
      let base = original.replace(/[^A-Za-z0-9_]/g, '_');
      if (!/^[A-Za-z]/.test(base)) base = `fn_${base}`;
      name = unique(base.slice(0, MAX));
      changed.set(name, original);
    }
    taken.add(name);
    toSafe.set(original, name);
    return name;
  }

  function reserve(wanted: string): string {
    const name = unique(wanted);
    taken.add(name);
    return name;
  }

  return { safe, reserve, changed };
}
