/**
 * JSON Schemas (tool parameters, response_format) → schemas Nova accepts.
 *
 * - Local `$ref`s (`#/$defs/X`, `#/definitions/X`, any `#/...` pointer) are inlined;
 *   sibling keywords next to a `$ref` win over the referenced schema's. Recursive refs
 *   cannot be inlined and are a 400; remote refs too.
 * - Keywords Nova is not known to accept are dropped everywhere: `$defs`, `definitions`
 *   (inlined above), `$schema`, `$id`, `$comment`, `examples`. Only keywords are dropped: the
 *   walk knows which objects are property maps, so a *property* called `$id` survives.
 *   `title`, `format` and `additionalProperties` are kept: the live service accepted them at the
 *   top level and inside properties (recorded: test/recorded/data/bedrock/pydantic/pydantic-ai/
 *   tests/models/cassettes/test_bedrock/test_bedrock_model_structured_output.yaml,
 *   test_bedrock_model_iter_stream.yaml, test_bedrock_model_with_code_execution_tool.yaml).
 * - Tool input schemas: Nova's top level takes `type` (must be `object`), `properties`,
 *   `required` (Amazon Nova User Guide, tool use) and, recorded as accepted, `title` and
 *   `additionalProperties`; other top-level keywords (`description`, `anyOf`, ...) are removed,
 *   `properties` defaults to `{}`. The top-level `description` is handed back so it can serve
 *   as the tool description.
 */
import { invalidParam } from '../errors.js';
import { isObj, jsonDepthExceeds, MAX_JSON_DEPTH, type Obj } from './validate.js';

/** Upper bound on schema nodes after $ref inlining (real tool schemas have a few hundred). */
export const MAX_EXPANDED_NODES = 20_000;
const DROPPED = new Set(['$defs', 'definitions', '$schema', '$id', '$comment', 'examples']);
/** Top-level keywords kept in tool input schemas beside type/properties/required (recorded as accepted). */
const TOOL_TOP_LEVEL = ['title', 'additionalProperties'] as const;
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
/** Keywords whose value is one schema. */
const SCHEMA_ONE = new Set(['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems']);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

export interface SanitizedSchema {
  schema: Obj;
  /** The top-level `description` (tool mode removes it from the schema). */
  description?: string;
}

/**
 * `mode: 'tool'` applies Nova's top-level restrictions for tool input schemas;
 * `'output'` (native structured output) keeps the top level as is, `type: object` ensured.
 */
export function sanitizeSchema(input: unknown, param: string, mode: 'tool' | 'output'): SanitizedSchema {
  if (input == null || input === true) input = { type: 'object' };
  if (!isObj(input)) throw invalidParam(param, `${param} must be a JSON Schema object`);
  const root = input;
  const done = new Map<string, unknown>();
  const expanding = new Set<string>();
  // Inlining shares one object per $ref, but the wire format repeats it in full: count the
  // nodes the expanded schema will really have, so a small request cannot explode.
  const sizes = new Map<string, number>();
  // Depth of the schema as sent (JSON levels, refs inlined): Bedrock's serialisers recurse.
  const heights = new Map<string, number>();
  let deepest = 0;
  const tooDeep = (at: string) =>
    invalidParam(param, `${param}: the schema at ${at} is nested more than ${MAX_JSON_DEPTH} levels deep (the limit is ${MAX_JSON_DEPTH}, $refs inlined)`);
  let nodes = 0;
  const grow = (n: number, at: string) => {
    nodes += n;
    if (nodes > MAX_EXPANDED_NODES) {
      throw invalidParam(param, `${param}: inlining $refs at ${at} makes the schema larger than ${MAX_EXPANDED_NODES} nodes; simplify the schema`);
    }
  };

  function resolve(ref: string, at: string, depth: number): unknown {
    const cached = done.get(ref);
    if (cached !== undefined) {
      grow(sizes.get(ref)!, at);
      if (depth + heights.get(ref)! > MAX_JSON_DEPTH) throw tooDeep(at);
      return cached;
    }
    if (!ref.startsWith('#')) {
      throw invalidParam(param, `${param}: $ref "${ref}" at ${at} is not a local reference; only #/$defs/... and #/definitions/... can be inlined`);
    }
    if (expanding.has(ref)) {
      throw invalidParam(param, `${param}: $ref "${ref}" at ${at} is recursive; Nova needs self-contained schemas and a recursive schema cannot be inlined — unroll it to a fixed depth`);
    }
    expanding.add(ref);
    const before = nodes;
    const outer = deepest;
    deepest = depth;
    const out = walk(pointer(root, ref, param, at), at, depth);
    heights.set(ref, deepest - depth);
    deepest = Math.max(outer, deepest);
    expanding.delete(ref);
    done.set(ref, out);
    sizes.set(ref, nodes - before);
    return out;
  }

  /** `depth`: JSON nesting level of `node` in the schema as sent (the root object is 1). */
  function walk(node: unknown, at: string, depth: number): unknown {
    grow(1, at);
    if (depth > MAX_JSON_DEPTH) throw tooDeep(at);
    if (depth > deepest) deepest = depth;
    if (typeof node === 'boolean') return node;
    if (!isObj(node)) throw invalidParam(param, `${param}: ${at} must be a JSON Schema (object or boolean)`);
    let out: Obj = {};
    if (typeof node.$ref === 'string') {
      const target = resolve(node.$ref, at, depth);
      if (!isObj(target)) return target;
      out = { ...target };
    }
    for (const key in node) {
      if (key === '$ref' || DROPPED.has(key)) continue;
      const v = node[key];
      if (SCHEMA_MAPS.has(key) && isObj(v)) {
        const m: Obj = {};
        for (const name in v) put(m, name, walk(v[name], `${at}.${key}.${name}`, depth + 2));
        out[key] = m;
      } else if (SCHEMA_LISTS.has(key) && Array.isArray(v)) {
        out[key] = v.map((s, i) => walk(s, `${at}.${key}[${i}]`, depth + 2));
      } else if (key === 'items' && Array.isArray(v)) {
        out[key] = v.map((s, i) => walk(s, `${at}.items[${i}]`, depth + 2));
      } else if (SCHEMA_ONE.has(key) && (isObj(v) || typeof v === 'boolean')) {
        out[key] = walk(v, `${at}.${key}`, depth + 1);
      } else {
        // Keyword values (enum, const, default…) are sent as they are: bound them too.
        if (jsonDepthExceeds(v, MAX_JSON_DEPTH - depth)) throw tooDeep(`${at}.${key}`);
        put(out, key, v);
      }
    }
    return out;
  }

  expanding.add('#');
  const top = walk(root, '#', 1) as Obj;
  const type = top.type;
  if (type !== undefined && type !== 'object' && !(Array.isArray(type) && type.includes('object'))) {
    throw invalidParam(param, `${param} must be a schema of type "object" at the top level, got type ${JSON.stringify(type)}`);
  }
  const description = typeof top.description === 'string' && top.description.trim() ? top.description : undefined;
  if (mode === 'output') return { schema: { ...top, type: 'object' }, description };
  const schema: Obj = { type: 'object', properties: isObj(top.properties) ? top.properties : {} };
  if (Array.isArray(top.required) && top.required.length > 0) schema.required = top.required;
  for (const key of TOOL_TOP_LEVEL) if (top[key] !== undefined) schema[key] = top[key];
  return { schema, description };
}

/** Assignment that stores a key named `__proto__` as data instead of changing the prototype. */
function put(o: Obj, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** Resolves a local JSON pointer (`#/a/b~1c`). */
function pointer(root: Obj, ref: string, param: string, at: string): unknown {
  let node: unknown = root;
  const path = ref.slice(1);
  if (path === '') return root;
  if (!path.startsWith('/')) throw invalidParam(param, `${param}: $ref "${ref}" at ${at} is not a JSON pointer`);
  for (const raw of path.slice(1).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      throw invalidParam(param, `${param}: $ref "${ref}" at ${at} is not a valid JSON pointer`);
    }
    node = isObj(node) ? node[seg] : Array.isArray(node) ? node[Number(seg)] : undefined;
    if (node === undefined) throw invalidParam(param, `${param}: $ref "${ref}" at ${at} points to nothing`);
  }
  return node;
}
