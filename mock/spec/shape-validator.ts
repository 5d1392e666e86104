/**
 * Generic part of the Bedrock validator (see bedrock-validator.ts for the public API).
 * Validates JSON values against shapes of the trimmed Bedrock Runtime model, the way the
 * service's request validation does: unknown members, required members, unions with
 * exactly one member, list/map/string lengths, enums, patterns (full match), numeric
 * ranges and wire types. Messages follow the service's wording
 * ("1 validation error detected: Value 'x' at 'messages.1.member.role' failed to satisfy
 * constraint: Member must satisfy enum value set: [user, assistant]").
 */
import { bedrockModel, getShape } from './bedrock-model.js';
import type { MemberRef, Shape } from './bedrock-model.js';

export interface ValidationIssue {
  /** Dotted path with 0-based list indexes: `messages.0.content.1.image.format`. */
  path: string;
  /** The constraint that failed, in the service's wording: `Member must not be null`. */
  constraint: string;
  /** The offending value (undefined when missing). */
  value: unknown;
}

const MAX_ISSUES = 10;
const patternCache = new Map<string, RegExp | null>();

/** Smithy patterns are ECMA-262 and the service matches them against the whole value. */
function compilePattern(pattern: string): RegExp | null {
  if (!patternCache.has(pattern)) {
    let re: RegExp | null = null;
    for (const flags of ['u', '']) {
      try {
        re = new RegExp(`^(?:${pattern})$`, flags);
        break;
      } catch {
        // try without the unicode flag (character-class ranges like `,-.` need it off)
      }
    }
    patternCache.set(pattern, re);
  }
  return patternCache.get(pattern) ?? null;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

function base64Length(s: string): number {
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - padding;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

class Walker {
  readonly issues: ValidationIssue[] = [];

  add(path: string, constraint: string, value: unknown): void {
    this.issues.push({ path, constraint, value });
  }

  visit(shapeName: string, value: unknown, path: string): void {
    if (this.issues.length >= MAX_ISSUES) return;
    const shape = getShape(shapeName);
    if (value === null) {
      // JSON null for a member is treated like an absent member by the service.
      return;
    }
    if (shape.document) return; // any JSON value
    switch (shape.type) {
      case 'structure':
        return this.structure(shapeName, shape, value, path);
      case 'list':
        if (!Array.isArray(value)) return this.add(path, 'Member must be a list', value);
        this.length(shape, value.length, value, path);
        value.forEach((item, i) => {
          if (item === null) this.add(join(path, i), 'Member must not be null', item);
          else this.visit(shape.member!.shape, item, join(path, i));
        });
        return;
      case 'map':
        if (!isObject(value)) return this.add(path, 'Member must be a map', value);
        this.length(shape, Object.keys(value).length, value, path);
        for (const [k, v] of Object.entries(value)) {
          this.visit(shape.key!.shape, k, join(path, k));
          this.visit(shape.value!.shape, v, join(path, k));
        }
        return;
      case 'string':
        return this.string(shape, value, path);
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          return this.add(path, 'Member must be an integer', value);
        }
        return this.range(shape, value, path);
      case 'float':
      case 'double':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          return this.add(path, 'Member must be a number', value);
        }
        return this.range(shape, value, path);
      case 'boolean':
        if (typeof value !== 'boolean') this.add(path, 'Member must be a boolean', value);
        return;
      case 'blob':
        if (typeof value !== 'string' || !BASE64_RE.test(value)) {
          return this.add(path, 'Member must be a base64-encoded blob', value);
        }
        return this.length(shape, base64Length(value), value, path);
      case 'timestamp':
        if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
          this.add(path, 'Member must be a timestamp', value);
        }
        return;
    }
  }

  private structure(name: string, shape: Shape, value: unknown, path: string): void {
    if (!isObject(value)) return this.add(path, 'Member must be a structure', value);
    const members = shape.members ?? {};
    const set: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      const ref = members[key];
      if (!ref) {
        this.add(join(path, key), `Member is not a known member of ${name}`, v);
        continue;
      }
      if (v === null || v === undefined) continue;
      set.push(key);
      this.visit(ref.shape, v, join(path, key));
    }
    if (shape.union) {
      if (set.length !== 1) {
        this.add(path, `Member must have exactly one of its union members set (${Object.keys(members).join(', ')}); found ${set.length === 0 ? 'none' : set.join(', ')}`, value);
      }
      return;
    }
    for (const req of shape.required ?? []) {
      // Members bound to the URI or headers never appear in the JSON body.
      if (members[req]?.location) continue;
      if (value[req] === undefined || value[req] === null) {
        this.add(join(path, req), 'Member must not be null', undefined);
      }
    }
  }

  private string(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'string') return this.add(path, 'Member must be a string', value);
    if (shape.enum && !shape.enum.includes(value)) {
      return this.add(path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, value);
    }
    // Smithy lengths count Unicode code points.
    this.length(shape, [...value].length, value, path);
    if (shape.pattern) {
      const re = compilePattern(shape.pattern);
      if (re && !re.test(value)) {
        this.add(path, `Member must satisfy regular expression pattern: ${shape.pattern}`, value);
      }
    }
  }

  private length(shape: Shape, length: number, value: unknown, path: string): void {
    if (shape.min !== undefined && length < shape.min) {
      this.add(path, `Member must have length greater than or equal to ${shape.min}`, value);
    } else if (shape.max !== undefined && length > shape.max) {
      this.add(path, `Member must have length less than or equal to ${shape.max}`, value);
    }
  }

  private range(shape: Shape, value: number, path: string): void {
    if (shape.min !== undefined && value < shape.min) {
      this.add(path, `Member must have value greater than or equal to ${shape.min}`, value);
    } else if (shape.max !== undefined && value > shape.max) {
      this.add(path, `Member must have value less than or equal to ${shape.max}`, value);
    }
  }
}

/** Validates `value` against the named shape; an empty array means valid. */
export function validateShape(shapeName: string, value: unknown): ValidationIssue[] {
  const walker = new Walker();
  if (value === undefined || value === null) {
    walker.add('', 'Member must not be null', value);
  } else {
    walker.visit(shapeName, value, '');
  }
  return walker.issues;
}

/** `messages.0.content.1.text` → `messages.1.member.content.2.member.text` (the service's 1-based list paths). */
export function servicePath(path: string, shapeName: string): string {
  const out: string[] = [];
  let shape: Shape | undefined = getShape(shapeName);
  for (const seg of path === '' ? [] : path.split('.')) {
    if (shape?.type === 'list') {
      out.push(`${Number(seg) + 1}.member`);
      shape = shape.member ? getShape(shape.member.shape) : undefined;
    } else if (shape?.type === 'map') {
      out.push(seg);
      shape = shape.value ? getShape(shape.value.shape) : undefined;
    } else {
      out.push(seg);
      const ref = shape?.members?.[seg];
      shape = ref ? getShape(ref.shape) : undefined;
    }
  }
  return out.join('.');
}

function renderValue(value: unknown, sensitive: boolean): string {
  if (value === undefined || value === null) return 'null';
  if (sensitive) return "'*** Sensitive Data Redacted ***'";
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > 200 ? `${text.slice(0, 200)}...` : text}'`;
}

/** True when the path crosses a shape marked `sensitive` (its value is redacted in messages). */
function isSensitive(path: string, shapeName: string): boolean {
  let shape: Shape | undefined = getShape(shapeName);
  if (shape.sensitive) return true;
  for (const seg of path === '' ? [] : path.split('.')) {
    const ref: MemberRef | undefined = shape?.type === 'list' ? shape.member : shape?.type === 'map' ? shape.value : shape?.members?.[seg];
    shape = ref ? bedrockModel().shapes[ref.shape] : undefined;
    if (shape?.sensitive) return true;
  }
  return false;
}

/** The ValidationException message for a list of issues. */
export function formatIssues(shapeName: string, issues: ValidationIssue[]): string {
  const parts = issues.map((i) => {
    const where = i.path === '' ? '' : ` at '${servicePath(i.path, shapeName)}'`;
    return `Value ${renderValue(i.value, isSensitive(i.path, shapeName))}${where} failed to satisfy constraint: ${i.constraint}`;
  });
  const n = issues.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}
