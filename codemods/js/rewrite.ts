/**
 * The JS/TS rewrite engine behind the jscodeshift transforms: repoints every OpenAI
 * client construction at the proxy by adding (or, when asked, replacing) the library's
 * base-URL option. jscodeshift parses and finds; the edits are text splices at node
 * offsets (not a recast reprint), so nothing but the inserted options changes: layout,
 * comments and trailing commas stay as the author wrote them.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Finding, RewriteOptions, TransformResult } from '../types.js';
import { applyEdits, type Edit } from '../edits.js';
import { recastInput, recastOptions } from '../parsers.js';
import { collectBindings, propName, refersToImport, resolveCallee, stringValue, startOf, stripTypeWrappers, stripValueWrappers, type Binding } from './bindings.js';
import { AZURE_MESSAGE, azureReason, baseOptionOf, CONFLICTING_OPTIONS, isKnownSource, KIND_LABEL, type ClientKind } from './libraries.js';
import { findClassValueRefs, findConstructions } from '../graph/js.js';
import { classValueMessage } from '../graph/decide.js';
import { localDecisions } from '../graph/decide.js';
import { analyzeJs } from '../scan/scan-js.js';
import { novaModelFor } from '../models.js';

interface Profile {
  /** Path of the base-URL option, e.g. ['baseURL'] or ['configuration', 'baseURL']. */
  base: string[];
  /** Other names that also set the base URL (count as existing). */
  altBase: string[];
  apiKey: string[];
  /** Option name to insert for the key; undefined: don't insert one. */
  insertKey?: string;
}

const PROFILES: Partial<Record<ClientKind, Profile>> = {
  openai: { base: ['baseURL'], altBase: [], apiKey: ['apiKey'], insertKey: 'apiKey' },
  'openai-v3-config': { base: ['basePath'], altBase: [], apiKey: ['apiKey'], insertKey: 'apiKey' },
  'langchain-chat': {
    base: ['configuration', 'baseURL'],
    altBase: ['configuration.basePath', 'openAIBasePath', 'baseURL'],
    apiKey: ['apiKey', 'openAIApiKey', 'configuration.apiKey'],
    insertKey: 'apiKey',
  },
  'langchain-embeddings': {
    base: ['configuration', 'baseURL'],
    altBase: ['configuration.basePath', 'openAIBasePath', 'baseURL'],
    apiKey: ['apiKey', 'openAIApiKey', 'configuration.apiKey'],
    insertKey: 'apiKey',
  },
  'ai-sdk-create': { base: ['baseURL'], altBase: ['baseUrl'], apiKey: ['apiKey'], insertKey: 'apiKey' },
  'ai-sdk-compatible': { base: ['baseURL'], altBase: [], apiKey: ['apiKey'], insertKey: 'apiKey' },
  llamaindex: { base: ['baseURL'], altBase: ['additionalSessionOptions.baseURL'], apiKey: ['apiKey'], insertKey: 'apiKey' },
  'llamaindex-embeddings': { base: ['baseURL'], altBase: ['additionalSessionOptions.baseURL'], apiKey: ['apiKey'], insertKey: 'apiKey' },
};

const OPENAI_HOST = /(^|\/\/)api\.openai\.com(\/|$|:)/;
/** `// nova-migrate-ignore`, `/* nova-migrate: ignore *\/`, `# nova-migrate: ignore`. */
export const IGNORE_COMMENT = /(\/\/|\/\*|#)\s*nova-migrate(-ignore\b|:\s*ignore\b)(?!-file)/;

/**
 * LangChain JS renamed `openAIApiKey` to `apiKey` in spring 2024 (an excess-property error
 * with older typings) and moved to openai v4 (`configuration.baseURL`, was `basePath`) in
 * late 2023. Unknown version: the spelling every version accepts.
 */
function langchainProfile(ctx: Ctx, base: Profile): Profile {
  const v = ctx.opts.context?.versions ?? {};
  const scoped = v['@langchain/openai'];
  const legacy = v['langchain'];
  const newKey = scoped !== undefined ? atLeast(scoped, '0.1.0') : legacy !== undefined ? atLeast(legacy, '0.2.0') : false;
  const v3 = scoped === undefined && legacy !== undefined && !atLeast(legacy, '0.0.170');
  return { ...base, base: v3 ? ['configuration', 'basePath'] : base.base, insertKey: newKey ? 'apiKey' : 'openAIApiKey' };
}

/** Whether a pinned version (or the lowest version a range allows) is at least `min`. */
export function atLeast(pinned: string, min: string): boolean {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(pinned);
  if (!m) return false;
  const a = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

class Ctx {
  findings: Finding[] = [];
  edits: Edit[] = [];
  /** Constructions that point at the proxy once the edits are applied. */
  ours = new Set<any>();
  /** Local names of AI SDK providers that point at the proxy (the default one, rewritten). */
  proxyProviders = new Set<string>();
  readonly q: string;
  constructor(
    readonly j: JSCodeshift,
    readonly root: Collection,
    readonly source: string,
    readonly opts: RewriteOptions,
    readonly bindings: Map<string, Binding>,
  ) {
    this.q = detectQuote(source);
  }
  add(kind: Finding['kind'], node: any, what: string, message: string) {
    const loc = startOf(node, this.source);
    this.findings.push({ kind, line: loc.line, column: loc.column + 1, what, message });
  }
  edit(start: number, end: number, text: string) {
    this.edits.push({ start, end, text });
  }
  str(value: string): string {
    const q = this.q;
    return q + value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
  }
  /** How the proxy URL is read where this file runs (`env` is the Workers binding in scope, if any). */
  baseExpr(env = 'env'): string {
    const name = this.opts.baseUrlEnv;
    const fallback = this.str(this.opts.baseUrl);
    switch (this.opts.context?.runtime) {
      case 'next-client':
        return `process.env.NEXT_PUBLIC_${name} ?? ${fallback}`;
      case 'vite':
        return `import.meta.env.VITE_${name} ?? ${fallback}`;
      case 'deno':
        return `Deno.env.get(${this.str(name)}) ?? ${fallback}`;
      case 'workers':
        return `${env}.${name} ?? ${fallback}`;
      default:
        return `process.env.${name} ?? ${fallback}`;
    }
  }
  /** The key expression, or undefined where a key can't be kept secret (browser bundles). */
  keyExpr(env = 'env'): string | undefined {
    switch (this.opts.context?.runtime) {
      case 'next-client':
      case 'vite':
        return undefined;
      case 'deno':
        return `Deno.env.get(${this.str(this.opts.apiKeyEnv)})`;
      case 'workers':
        return `${env}.${this.opts.apiKeyEnv}`;
      default:
        return `process.env.${this.opts.apiKeyEnv}`;
    }
  }
  decision(node: any) {
    return this.opts.context?.decisions?.[String(node.start)];
  }
  /** Left alone by the client graph (some use isn't served): reports why and returns true. */
  blocked(node: any, what: string): boolean {
    const d = this.decision(node);
    if (d?.action !== 'leave') return false;
    this.add('manual', node, what, d.leave ?? 'left alone: some of its calls are not served by the proxy');
    return true;
  }
  /** After an edit: what to verify, and what will fail (--force-partial). */
  repointed(node: any, what: string) {
    const d = this.decision(node);
    if (d?.partial) this.add('manual', node, what, d.partial);
    if (d?.verify) this.add('verify', node, what, d.verify);
  }
  /** A `nova-migrate-ignore` comment on the construction's line or the line above. */
  ignored(node: any): boolean {
    const lineStart = this.source.lastIndexOf('\n', node.start - 1) + 1;
    const prevStart = this.source.lastIndexOf('\n', lineStart - 2) + 1;
    const lineEnd = this.source.indexOf('\n', node.start);
    return IGNORE_COMMENT.test(this.source.slice(prevStart, lineEnd < 0 ? undefined : lineEnd));
  }
  /** Source text of a node, for messages. */
  text(node: any): string {
    return this.source.slice(node.start, node.end).replace(/\s+/g, ' ').slice(0, 120);
  }
  isOurs(node: any): boolean {
    return this.source.slice(node.start, node.end).includes(this.opts.baseUrlEnv) || stringValue(node) === this.opts.baseUrl;
  }
}

/** Whether `text` holds a comma outside comments; returns its offset or -1. */
function commaOffset(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const endc = text.indexOf('*/', i + 2);
      if (endc < 0) return -1;
      i = endc + 1;
    } else if (c === ',') return i;
  }
  return -1;
}

/** Adds `key: value` entries to an object literal as a minimal text edit in the object's own style. */
function insertIntoObject(ctx: Ctx, obj: any, entries: string[]) {
  const src = ctx.source;
  const open: number = obj.start;
  const close: number = obj.end - 1;
  const list = obj.properties as any[];
  if (list.length === 0) {
    const inner = src.slice(open + 1, close);
    const closeLine = src.lastIndexOf('\n', close - 1) + 1;
    if (inner.trim() === '') ctx.edit(open + 1, close, ` ${entries.join(', ')} `);
    else if (closeLine > open && /^[ \t]*$/.test(src.slice(closeLine, close))) {
      // Only comments inside (`{\n  // note\n}`): a line of its own, indented like them.
      const closeIndent = src.slice(closeLine, close);
      const inside = src.slice(src.indexOf('\n', open) + 1, closeLine).split('\n').find((l) => l.trim() !== '');
      const indent = inside ? /^[ \t]*/.exec(inside)![0] : `${closeIndent}  `;
      ctx.edit(closeLine, close, `${indent}${entries.join(', ')},\n${closeIndent}`);
    } else ctx.edit(close, close, ` ${entries.join(', ')} `);
    return;
  }
  const last = list[list.length - 1];
  const between = src.slice(last.end, close);
  const comma = commaOffset(between);
  let nl = between.lastIndexOf('\n');
  if (nl >= 0) {
    if (between[nl - 1] === '\r') nl--;
    const eol = src.includes('\r\n') ? '\r\n' : '\n';
    const lineStart = src.lastIndexOf('\n', last.start - 1) + 1;
    const indent = /^[ \t]*/.exec(src.slice(lineStart))![0];
    if (comma < 0) ctx.edit(last.end, last.end, ',');
    const lines = entries.map((e, i) => `${eol}${indent}${e}${i < entries.length - 1 || comma >= 0 ? ',' : ''}`).join('');
    ctx.edit(last.end + nl, last.end + nl, lines);
    return;
  }
  if (comma >= 0) ctx.edit(last.end + comma + 1, last.end + comma + 1, ` ${entries.join(', ')},`);
  else ctx.edit(last.end, last.end, `, ${entries.join(', ')}`);
}

function props(obj: any): any[] {
  return obj.properties;
}

function isProp(p: any): boolean {
  return p.type === 'ObjectProperty' || p.type === 'Property';
}

/** Finds a (possibly nested, dotted) key in an object literal. */
function getProp(obj: any, dotted: string): any | undefined {
  const [head, ...rest] = dotted.split('.');
  for (const p of props(obj)) {
    if (!isProp(p) && p.type !== 'ObjectMethod') continue;
    if (propName(p.key, p.computed) !== head) continue;
    if (rest.length === 0) return p;
    if (p.value?.type === 'ObjectExpression') return getProp(p.value, rest.join('.'));
    return undefined;
  }
  return undefined;
}

/** The object literal of the file's one `const name = { … }` (whatever else uses it), or undefined. */
function constObjectInit(ctx: Ctx, name: string): any | undefined {
  const decls = ctx.root.find(ctx.j.VariableDeclarator, { id: { type: 'Identifier', name } });
  if (decls.length !== 1) return undefined;
  const decl = decls.paths()[0]!;
  const declaration: any = decl.parent?.node;
  if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') return undefined;
  const init: any = stripValueWrappers(decl.node.init);
  return init?.type === 'ObjectExpression' ? init : undefined;
}

/** A `const x = { … }` in this file whose every other use is as client options. */
function resolveConstObject(ctx: Ctx, name: string, allowedUses: Set<any>): any | undefined {
  const { j, root } = ctx;
  const init = constObjectInit(ctx, name);
  if (!init) return undefined;
  const decl = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } }).paths()[0]!;
  let safe = true;
  root.find(j.Identifier, { name }).forEach((p) => {
    if (p.node === decl.node.id) return;
    const parent: any = p.parent?.node;
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === p.node && !parent.computed) return;
    if (isProp(parent) && parent.key === p.node && !parent.shorthand) return;
    if (parent.type === 'TSPropertySignature' || parent.type === 'TSTypeReference' || parent.type === 'TSQualifiedName') return;
    if (!allowedUses.has(p.node)) safe = false;
  });
  return safe ? init : undefined;
}

/**
 * The object literals a spread can contribute, or undefined when one of them can't be seen:
 * a `const` literal of this file, an inline literal, and the branches of the conditional forms
 * apps use for optional settings — `...(cond && { … })`, `...(cond ? { … } : {})`,
 * `...(x ?? { … })` with both sides visible. Falsy primitives spread to nothing.
 */
function spreadObjects(ctx: Ctx, node: any, uses: Set<any>): any[] | undefined {
  const n = stripValueWrappers(node);
  if (!n) return undefined;
  if (n.type === 'ObjectExpression') return [n];
  if (n.type === 'Identifier') {
    if (n.name === 'undefined') return [];
    const inner = resolveConstObject(ctx, n.name, uses);
    return inner ? [inner] : undefined;
  }
  if (n.type === 'NullLiteral' || (n.type === 'BooleanLiteral' && !n.value) || (n.type === 'Literal' && (n.value === null || n.value === false))) return [];
  const both = (a: any, b: any) => {
    const l = spreadObjects(ctx, a, uses);
    const r = l && spreadObjects(ctx, b, uses);
    return l && r ? [...l, ...r] : undefined;
  };
  if (n.type === 'ConditionalExpression') return both(n.consequent, n.alternate);
  if (n.type === 'LogicalExpression') {
    // `cond && { … }`: when cond is falsy it is a primitive (objects are truthy) and spreads to nothing.
    if (n.operator === '&&') return spreadObjects(ctx, n.right, uses);
    return both(n.left, n.right);
  }
  return undefined;
}

interface Inspect {
  obj: any;
  /** Spread whose contents can't be seen, or computed keys. */
  opaque?: any;
  conflicting?: string;
  base?: { prop: any; where: string };
  hasKey: boolean;
}

function inspectObject(ctx: Ctx, obj: any, profile: Profile, uses: Set<any>, depth = 0): Inspect {
  const out: Inspect = { obj, hasKey: false };
  const baseNames = [profile.base.join('.'), ...profile.altBase];
  for (const p of props(obj)) {
    if (p.type === 'SpreadElement' || p.type === 'SpreadProperty') {
      const inners = depth < 3 ? spreadObjects(ctx, p.argument, uses) : undefined;
      if (!inners) {
        out.opaque ??= p;
        continue;
      }
      for (const inner of inners) {
        const sub = inspectObject(ctx, inner, profile, uses, depth + 1);
        out.opaque ??= sub.opaque;
        out.conflicting ??= sub.conflicting;
        if (sub.base) out.opaque ??= p; // a base URL inside a spread: not ours to edit in place
        out.hasKey ||= sub.hasKey;
      }
      continue;
    }
    if ((isProp(p) || p.type === 'ObjectMethod') && propName(p.key, p.computed) === undefined) out.opaque ??= p;
  }
  for (const name of CONFLICTING_OPTIONS) if (getProp(obj, name)) out.conflicting ??= name;
  for (const name of baseNames) {
    const p = getProp(obj, name);
    if (p) {
      out.base = { prop: p, where: name };
      break;
    }
  }
  for (const name of profile.apiKey) if (getProp(obj, name)) out.hasKey = true;
  // `configuration: someVar` hides where the base URL is.
  if (profile.base.length > 1) {
    const container = getProp(obj, profile.base[0]!);
    if (container && container.value?.type !== 'ObjectExpression') out.opaque ??= container;
    // `configuration: { ...base }`: the base URL added after the spread would override one it holds.
    else if (container) {
      const leaf = profile.base.slice(1).join('.');
      for (const p of props(container.value)) {
        if (p.type === 'SpreadElement' || p.type === 'SpreadProperty') {
          const inner = p.argument?.type === 'Identifier' ? resolveConstObject(ctx, p.argument.name, uses) : undefined;
          if (!inner || getProp(inner, leaf) || props(inner).some((q) => q.type === 'SpreadElement' || q.type === 'SpreadProperty')) out.opaque ??= p;
        } else if ((isProp(p) || p.type === 'ObjectMethod') && propName(p.key, p.computed) === undefined) out.opaque ??= p;
      }
    }
  }
  return out;
}

/** Entries to add for a (possibly nested) option path, reusing an existing container object. */
function addOption(ctx: Ctx, obj: any, path: string[], value: string, pending: Map<any, string[]>) {
  const push = (o: any, e: string) => {
    const list = pending.get(o) ?? [];
    list.push(e);
    pending.set(o, list);
  };
  if (path.length === 1) return push(obj, `${path[0]}: ${value}`);
  const existing = getProp(obj, path[0]!);
  if (existing && existing.value?.type === 'ObjectExpression') return addOption(ctx, existing.value, path.slice(1), value, pending);
  let inner = `${path[path.length - 1]}: ${value}`;
  for (let i = path.length - 2; i >= 0; i--) inner = `${path[i]}: { ${inner} }`;
  push(obj, inner);
}

function flush(ctx: Ctx, pending: Map<any, string[]>) {
  for (const [obj, entries] of pending) insertIntoObject(ctx, obj, entries);
}

/** Edits one client construction. `node` is the NewExpression/CallExpression. */
function rewriteConstruction(ctx: Ctx, node: any, kind: ClientKind, uses: Set<any>) {
  const what = KIND_LABEL[kind];
  if (ctx.ignored(node)) {
    ctx.add('skipped', node, what, 'ignored (nova-migrate-ignore comment)');
    return;
  }
  // The options as written, or the `const` object literal they name: Azure is recognised in either.
  let first = stripValueWrappers(node.arguments[0]);
  if (first?.type === 'Identifier') first = constObjectInit(ctx, first.name);
  const seen = first?.type === 'ObjectExpression' ? first : undefined;
  const options = seen ? seen.properties.map((p: any) => propName(p.key, p.computed)).filter(Boolean) : [];
  const baseProp = seen ? (getProp(seen, 'baseURL') ?? getProp(seen, 'basePath') ?? getProp(seen, 'configuration.baseURL')) : undefined;
  const optionsText = seen ? ctx.source.slice(seen.start, seen.end) : undefined;
  const azure = azureReason(kind, options, baseProp?.value ? ctx.text(baseProp.value) : undefined, optionsText);
  if (azure) {
    ctx.add('manual', node, what, `${azure}: ${AZURE_MESSAGE}`);
    return;
  }
  if (kind === 'openai-bedrock') {
    ctx.add('skipped', node, what, 'BedrockOpenAI already calls Bedrock; left alone');
    return;
  }
  if (kind === 'openai-v3-api') {
    if (node.arguments.length >= 2) ctx.add('skipped', node, what, `OpenAIApi is given a base path as its second argument (${ctx.text(node.arguments[1])}); left alone`);
    else if (node.arguments.length === 0) ctx.add('manual', node, what, 'OpenAIApi built without a Configuration: pass one with basePath set to the proxy');
    return;
  }
  if (kind === 'langchain-completions') {
    ctx.add('skipped', node, what, "LangChain's OpenAI LLM calls the legacy completions API, which the proxy doesn't serve: switch to ChatOpenAI, then run again");
    return;
  }
  if (kind === 'langchain-init') return rewriteInitChatModel(ctx, node);
  if (ctx.opts.context?.runtime === 'workers' && !workersEnvInScope(ctx, node)) {
    ctx.add('manual', node, what, "Cloudflare Workers: no 'env' binding where this client is built (and no process.env without nodejs_compat): build it inside fetch(request, env) with baseURL: env." + ctx.opts.baseUrlEnv);
    return;
  }
  let profile = PROFILES[kind];
  if (!profile) return;
  if (kind === 'langchain-chat' || kind === 'langchain-embeddings') profile = langchainProfile(ctx, profile);
  const args = node.arguments;
  if (args.length > 1) {
    ctx.add('manual', node, what, 'extra constructor arguments (legacy LangChain configuration argument?): set the base URL by hand');
    return;
  }
  let obj: any;
  if (args.length === 0) {
    let entry = `${profile.base[profile.base.length - 1]}: ${ctx.baseExpr()}`;
    for (let i = profile.base.length - 2; i >= 0; i--) entry = `${profile.base[i]}: { ${entry} }`;
    const entries = [entry];
    const key = profile.insertKey ? ctx.keyExpr() : undefined;
    if (key) entries.push(`${profile.insertKey}: ${key}`);
    // `new X()` → `new X({ … })`: the argument goes between the call's parentheses.
    const close = node.end - 1;
    const openParen = ctx.source.lastIndexOf('(', close);
    if (ctx.source[close] !== ')' || openParen < node.callee.end) {
      ctx.add('manual', node, what, 'constructed without parentheses: add the base URL by hand');
      return;
    }
    if (ctx.blocked(node, what)) return;
    ctx.edit(openParen + 1, close, `{ ${entries.join(', ')} }`);
    ctx.ours.add(node);
    ctx.add('changed', node, what, `added ${profile.base.join('.')}${key ? ` and ${profile.insertKey}` : ''}`);
    ctx.repointed(node, what);
    return;
  }
  const arg = stripValueWrappers(args[0]);
  if (arg.type === 'Identifier') {
    obj = resolveConstObject(ctx, arg.name, uses);
    if (!obj) {
      ctx.add(
        'manual',
        node,
        what,
        `options passed as '${arg.name}', which can't be edited safely here (not a const object literal used only by clients being repointed): add ${profile.base.join('.')} where they are built`,
      );
      return;
    }
  } else if (arg.type === 'ObjectExpression') {
    obj = arg;
  } else if ((arg.type === 'Identifier' && arg.name === 'undefined') || arg.type === 'NullLiteral') {
    ctx.add('manual', node, what, 'options are undefined/null: pass an object with the base URL');
    return;
  } else {
    ctx.add('manual', node, what, `options built by an expression (${ctx.text(arg)}): add ${profile.base.join('.')} by hand`);
    return;
  }
  const info = inspectObject(ctx, obj, profile, uses);
  if (info.conflicting) {
    ctx.add('skipped', node, what, `configured with '${info.conflicting}': newer openai SDKs throw if baseURL is added beside it`);
    return;
  }
  if (info.base) {
    const prop = info.base.prop;
    const value = prop.value;
    if (prop.type === 'ObjectMethod' || !value) {
      ctx.add('manual', node, what, `${info.base.where} is computed by a method: set it by hand`);
      return;
    }
    if (ctx.isOurs(value)) {
      ctx.ours.add(node); // already migrated
      return;
    }
    const literal = stringValue(value);
    // `undefined`/`null` mean "the default", i.e. OpenAI.
    const empty = (value.type === 'Identifier' && value.name === 'undefined') || value.type === 'NullLiteral' || (value.type === 'Literal' && value.value === null);
    const pointsAtOpenAI = empty || (literal !== undefined && OPENAI_HOST.test(literal));
    if (pointsAtOpenAI || ctx.opts.force) {
      if (info.opaque) {
        ctx.add('manual', info.opaque, what, `options include a spread or computed key whose contents can't be seen; replace ${info.base.where} by hand`);
        return;
      }
      if (ctx.blocked(node, what)) return;
      if (prop.shorthand) ctx.edit(prop.start, prop.end, `${ctx.source.slice(prop.key.start, prop.key.end)}: ${ctx.baseExpr()}`);
      else ctx.edit(value.start, value.end, ctx.baseExpr());
      ctx.ours.add(node);
      ctx.add('changed', value, what, pointsAtOpenAI ? `replaced ${empty ? 'empty' : 'hard-coded OpenAI'} ${info.base.where} ${ctx.text(value)}` : `replaced existing ${info.base.where} ${ctx.text(value)} (--force)`);
      ctx.repointed(node, what);
      return;
    }
    const env = /process\.env(?:\.|\[['"])(\w+)/.exec(ctx.text(value))?.[1];
    ctx.add(
      'skipped',
      value,
      what,
      `existing ${info.base.where} ${ctx.text(value)} left alone (${env ? `point ${env} at the proxy, or ` : ''}--force replaces it)`,
    );
    return;
  }
  if (info.opaque) {
    ctx.add('manual', info.opaque, what, `options include a spread or computed key whose contents can't be seen: add ${profile.base.join('.')} by hand if it doesn't set one`);
    return;
  }
  if (ctx.blocked(node, what)) return;
  const pending = new Map<any, string[]>();
  addOption(ctx, obj, profile.base, ctx.baseExpr(), pending);
  let msg = `added ${profile.base.join('.')}`;
  const key = profile.insertKey ? ctx.keyExpr() : undefined;
  if (!info.hasKey && key) {
    addOption(ctx, obj, [profile.insertKey!], key, pending);
    msg += ` and ${profile.insertKey}`;
  }
  flush(ctx, pending);
  ctx.ours.add(node);
  ctx.add('changed', node, what, msg);
  ctx.repointed(node, what);
}

/** Cloudflare Workers read configuration from the `env` binding passed to fetch(request, env). */
function workersEnvInScope(ctx: Ctx, node: any): boolean {
  let found = false;
  ctx.root.find(ctx.j.Function).forEach((p) => {
    const fn: any = p.node;
    if (fn.start <= node.start && fn.end >= node.end && fn.params.some((x: any) => x.type === 'Identifier' && x.name === 'env')) found = true;
  });
  return found;
}

/**
 * LangChain `initChatModel('gpt-4o', { modelProvider: 'openai' })` / `initChatModel('openai:gpt-4o')`:
 * the options are passed on to ChatOpenAI, so the base URL goes there.
 */
function rewriteInitChatModel(ctx: Ctx, node: any) {
  const what = KIND_LABEL['langchain-init'];
  const [first, second] = node.arguments;
  const model = stringValue(first);
  const provider = second?.type === 'ObjectExpression' ? stringValue(getProp(second, 'modelProvider')?.value) : undefined;
  const isOpenAI = provider === 'openai' || (provider === undefined && model !== undefined && (/^openai:/.test(model) || /^(gpt-|o\d|chatgpt-)/.test(model)));
  if (!isOpenAI) return;
  if (ctx.ignored(node)) return ctx.add('skipped', node, what, 'ignored (nova-migrate-ignore comment)');
  const profile = langchainProfile(ctx, PROFILES['langchain-chat']!);
  if (second && second.type !== 'ObjectExpression') {
    ctx.add('manual', node, what, `options built by an expression (${ctx.text(second)}): add configuration.baseURL by hand`);
    return;
  }
  if (second && (getProp(second, 'configuration') || getProp(second, 'baseURL'))) {
    const c = getProp(second, 'configuration.baseURL') ?? getProp(second, 'baseURL');
    if (c?.value && ctx.isOurs(c.value)) ctx.ours.add(node);
    else ctx.add('skipped', node, what, 'configuration already given: left alone');
    return;
  }
  if (ctx.blocked(node, what)) return;
  const key = ctx.keyExpr();
  const entries = [`configuration: { baseURL: ${ctx.baseExpr()} }`];
  if (key && !(second && getProp(second, 'apiKey')) && !(second && getProp(second, 'openAIApiKey'))) entries.push(`${profile.insertKey}: ${key}`);
  if (second) insertIntoObject(ctx, second, entries);
  else if (first) ctx.edit(first.end, first.end, `, { ${entries.join(', ')} }`);
  else return ctx.add('manual', node, what, 'no model given: add configuration.baseURL by hand');
  ctx.ours.add(node);
  ctx.add('changed', node, what, 'added configuration.baseURL' + (entries.length > 1 ? ` and ${profile.insertKey}` : ''));
  ctx.repointed(node, what);
}

/** `createAgent({ model: 'openai:gpt-4o' })`: LangChain builds the ChatOpenAI itself, from the environment. */
function reportModelStrings(ctx: Ctx) {
  const { j, root } = ctx;
  root.find(j.CallExpression).forEach((p) => {
    const r = resolveCallee(p.node.callee, ctx.bindings);
    if (!r || !/^(langchain|langchain\/agents)$/.test(r.source) || r.name !== 'createAgent') return;
    const arg: any = p.node.arguments[0];
    const model = arg?.type === 'ObjectExpression' ? stringValue(getProp(arg, 'model')?.value) : undefined;
    if (!model || !(/^openai:/.test(model) || /^(gpt-|o\d)/.test(model))) return;
    ctx.add('manual', p.node, 'langchain createAgent', `model string '${model}' makes LangChain build a ChatOpenAI from the environment: set OPENAI_BASE_URL to the proxy, or pass initChatModel('${model.replace(/^openai:/, '')}', { modelProvider: 'openai', configuration: { baseURL } })`);
  });
}

/** `import { openai } from '@ai-sdk/openai'` → `createOpenAI` + a local instance. */
function rewriteAiSdkDefault(ctx: Ctx) {
  const { j, root } = ctx;
  const decls = root.find(j.ImportDeclaration, { source: { value: '@ai-sdk/openai' } });
  decls.forEach((p) => {
    const decl: any = p.node;
    if (decl.importKind === 'type') return;
    const spec = (decl.specifiers ?? []).find(
      (s: any) => s.type === 'ImportSpecifier' && propName(s.imported) === 'openai' && s.importKind !== 'type',
    );
    if (!spec) return;
    const local = spec.local.name as string;
    const what = KIND_LABEL['ai-sdk-default'];
    if (ctx.ignored(spec)) return ctx.add('skipped', spec, what, 'ignored (nova-migrate-ignore comment)');
    if (ctx.opts.context?.runtime === 'workers') {
      ctx.add('manual', spec, what, "Cloudflare Workers: the default provider reads process.env, which Workers lack: create one with createOpenAI({ baseURL: env." + ctx.opts.baseUrlEnv + " }) inside fetch(request, env)");
      return;
    }
    if (ctx.blocked(spec, what)) return;
    // Already imports createOpenAI? reuse its local name.
    let createName: string | undefined;
    for (const [name, b] of ctx.bindings) if (b.source === '@ai-sdk/openai' && b.imported === 'createOpenAI') createName = name;
    const body: any[] = (root.get().node.program ?? root.get().node).body;
    let lastImport: any;
    for (const s of body) if (s.type === 'ImportDeclaration') lastImport = s;
    const semi = /;\s*$/m.test(ctx.source.slice(decl.start, decl.end)) ? ';' : '';
    const at = lastImport.end;
    // The instance is declared after the last import: a use above that line would hit the TDZ.
    let usedEarlier = false;
    root.find(j.Identifier, { name: local }).forEach((ip) => {
      const n: any = ip.node;
      if (n !== spec.local && n.start < at && !(ip.parent?.node.type === 'ImportSpecifier')) usedEarlier = true;
    });
    if (usedEarlier) {
      ctx.add('manual', spec, KIND_LABEL['ai-sdk-default'], `the default '${local}' provider is used before the last import: create it with createOpenAI({ baseURL }) by hand`);
      return;
    }
    if (createName) {
      // Drop the `openai` specifier (and its comma).
      const specs = decl.specifiers as any[];
      const i = specs.indexOf(spec);
      const next = specs[i + 1];
      const prev = specs[i - 1];
      if (next) ctx.edit(spec.start, next.start, '');
      else if (prev) ctx.edit(prev.end, spec.end, '');
      else ctx.edit(spec.start, spec.end, createName);
    } else {
      createName = 'createOpenAI';
      if (ctx.bindings.has(createName) || root.find(j.Identifier, { name: createName }).length > 0) {
        ctx.add('manual', spec, KIND_LABEL['ai-sdk-default'], "the default 'openai' provider: 'createOpenAI' is already used as another name here; create the provider by hand");
        return;
      }
      ctx.edit(spec.start, spec.end, createName);
    }

    const eol = ctx.source.includes('\r\n') ? '\r\n' : '\n';
    const key = ctx.keyExpr();
    ctx.edit(at, at, `${eol}${eol}const ${local} = ${createName}({ baseURL: ${ctx.baseExpr()}${key ? `, apiKey: ${key}` : ''} })${semi}`);
    ctx.proxyProviders.add(local);
    ctx.add('changed', spec, KIND_LABEL['ai-sdk-default'], `replaced the default 'openai' provider with createOpenAI({ baseURL }) as '${local}'`);
    ctx.repointed(spec, KIND_LABEL['ai-sdk-default']);
  });
}

const MODEL_KEYS = ['model', 'modelName'];
const COMPLETION_METHODS = new Set(['create', 'stream', 'parse']);

/** The `model`/`modelName` properties at the top level of an object literal. */
function modelProps(obj: any): any[] {
  if (obj?.type !== 'ObjectExpression') return [];
  return obj.properties.filter((p: any) => isProp(p) && !p.computed && MODEL_KEYS.includes(propName(p.key) ?? ''));
}

/** `x.chat.completions.create` / `x.beta.chat.completions.parse` → `x`, else undefined. */
function completionsReceiver(callee: any): any | undefined {
  if (callee?.type !== 'MemberExpression' || callee.computed || !COMPLETION_METHODS.has(propName(callee.property) ?? '')) return undefined;
  const comps = callee.object;
  if (comps?.type !== 'MemberExpression' || comps.computed || propName(comps.property) !== 'completions') return undefined;
  const chat = comps.object;
  if (chat?.type !== 'MemberExpression' || chat.computed || propName(chat.property) !== 'chat') return undefined;
  let recv = chat.object;
  if (recv?.type === 'MemberExpression' && !recv.computed && propName(recv.property) === 'beta') recv = recv.object;
  return recv;
}

/**
 * `--models nova`: only model literals that reach the proxy change: the options of a
 * construction that points at it, `.chat.completions.create/stream/parse({ model })` on a
 * `const` bound to such a client in this file, and model ids given to such an AI SDK provider.
 * Everything else (other providers, other clients, nested options) keeps its model.
 */
function rewriteModels(ctx: Ctx, sites: { node: any; kind: ClientKind }[]) {
  const { j, root } = ctx;
  const replace = (lit: any) => {
    const value = stringValue(lit);
    if (value === undefined) return;
    const nova = novaModelFor(value);
    if (!nova) return;
    ctx.add('changed', lit, 'model', `model '${value}' → '${nova}'`);
    const q = ctx.source[lit.start] === '`' ? '`' : ctx.source[lit.start];
    ctx.edit(lit.start, lit.end, `${q}${nova}${q}`);
  };
  const clients = new Set<string>();
  const providers = new Set(ctx.proxyProviders);
  const ours = new Map(sites.filter((s) => ctx.ours.has(s.node)).map((s) => [s.node, s.kind]));
  // A name counts only when every variable of that name in the file holds such a client
  // (the same name may be a client in several functions, but never another client).
  const holds = new Map<string, Set<'client' | 'provider' | 'other'>>();
  root.find(j.VariableDeclarator).forEach((p) => {
    const id: any = p.node.id;
    if (id.type !== 'Identifier') return;
    const kind = ours.get(p.node.init);
    const set = holds.get(id.name) ?? new Set();
    set.add(!kind ? 'other' : kind === 'ai-sdk-create' ? 'provider' : 'client');
    holds.set(id.name, set);
  });
  for (const [name, set] of holds) {
    if (set.size !== 1) continue;
    if (set.has('client')) clients.add(name);
    else if (set.has('provider')) providers.add(name);
  }
  for (const [node, kind] of ours) {
    if (kind === 'ai-sdk-create') continue;
    for (const p of modelProps(node.arguments[0])) replace(p.value);
  }
  root.find(j.CallExpression).forEach((p) => {
    const node: any = p.node;
    const c = node.callee;
    const recv = completionsReceiver(c);
    if (recv) {
      if (recv.type === 'Identifier' && clients.has(recv.name)) for (const mp of modelProps(node.arguments[0])) replace(mp.value);
      return;
    }
    const isProvider =
      (c.type === 'Identifier' && providers.has(c.name)) || (c.type === 'MemberExpression' && c.object.type === 'Identifier' && providers.has(c.object.name));
    if (isProvider && node.arguments.length >= 1) replace(node.arguments[0]);
  });
}

/** Rewrites one JS/TS source already parsed by `j`. */
export function rewriteJs(j: JSCodeshift, source: string, opts: RewriteOptions, parsed?: Collection): TransformResult {
  // Parsers drop a byte-order mark, which would shift every offset by one: edit without it.
  if (source.charCodeAt(0) === 0xfeff) {
    const r = rewriteJs(j, source.slice(1), opts, parsed);
    return r.output === undefined ? r : { ...r, output: '\uFEFF' + r.output };
  }
  // recast normalises CRLF to LF before parsing, so offsets are LF offsets: edit the
  // normalised text and restore the file's line endings.
  if (source.includes('\r\n')) {
    const lf = source.replace(/\r\n/g, '\n');
    const r = rewriteJs(j, lf, opts, parsed);
    if (r.output === undefined) return r;
    if (/(^|[^\r])\n/.test(source)) {
      return { findings: r.findings.map((f) => (f.kind === 'changed' ? { ...f, kind: 'manual', message: `${f.message} — not applied: the file mixes CRLF and LF line endings` } : f)) };
    }
    return { ...r, output: r.output.replace(/\n/g, '\r\n') };
  }
  // A tree parsed from the original text is the same tree (recast drops the BOM and CRLF).
  const root = parsed ?? j(recastInput(source), recastOptions());
  const bindings = collectBindings(j, root);
  const known = [...bindings.values()].some((b) => isKnownSource(b.source));
  const classRefs = findClassValueRefs(j, root, bindings);
  if (!known && classRefs.length === 0) return { findings: [] };
  if (!opts.context?.decisions) {
    // Alone (the jscodeshift transform, a fixture): decide from this file's own graph.
    const facts = analyzeJs(j, source, '', root).facts;
    opts = { ...opts, context: { ...opts.context, decisions: localDecisions(facts, opts.forcePartial) } };
  }
  const ctx = new Ctx(j, root, source, opts, bindings);

  // Client constructions: the same list the graph was built from.
  const sites: { node: any; kind: ClientKind }[] = findConstructions(j, root, bindings).filter((c) => c.kind !== 'ai-sdk-default');
  // Where a shared options object may be used: only clients that get the same edit (an
  // options object also given to, say, an AzureOpenAI client must not gain a baseURL).
  const editable = (k: ClientKind) => PROFILES[k] !== undefined;
  const uses = new Set<any>();
  for (const s of sites) {
    if (!editable(s.kind)) continue;
    for (const a of s.node.arguments) uses.add(stripValueWrappers(a));
  }
  // Spread arguments inside the options object count as uses too, with the branches of
  // `...(cond ? extras : {})` / `...(cond && extras)`.
  const addSpread = (n: any): void => {
    n = stripValueWrappers(n);
    if (!n) return;
    uses.add(n);
    if (n.type === 'ConditionalExpression') [n.consequent, n.alternate].forEach(addSpread);
    else if (n.type === 'LogicalExpression') [n.left, n.right].forEach(addSpread);
  };
  for (const s of sites) {
    if (!editable(s.kind)) continue;
    const a = stripValueWrappers(s.node.arguments[0]);
    if (a?.type !== 'ObjectExpression') continue;
    for (const p of a.properties) {
      if (p.type === 'SpreadElement' || p.type === 'SpreadProperty') addSpread(p.argument);
      // and one level down (`configuration: { ...base }`)
      else if (p.value?.type === 'ObjectExpression') for (const q of p.value.properties) if (q.type === 'SpreadElement' || q.type === 'SpreadProperty') addSpread(q.argument);
    }
  }
  // Shared option objects: edit once.
  const seen = new Set<any>();
  for (const s of sites) {
    const a = stripValueWrappers(s.node.arguments[0]);
    if (a?.type === 'Identifier') {
      const obj = resolveConstObject(ctx, a.name, uses);
      if (obj && seen.has(obj)) continue;
      if (obj) seen.add(obj);
    }
    rewriteConstruction(ctx, s.node, s.kind, uses);
  }
  for (const ref of classRefs) {
    if (!ctx.ignored(ref.node)) ctx.add('manual', ref.node, KIND_LABEL[ref.kind], classValueMessage(ref.how, ctx.source.slice(ref.node.start, ref.node.end), baseOptionOf(ref.kind)));
  }
  rewriteAiSdkDefault(ctx);
  reportModelStrings(ctx);

  if (opts.models === 'nova') rewriteModels(ctx, sites);

  if (ctx.edits.length === 0) return { findings: ctx.findings };
  return { output: applyEdits(source, ctx.edits), findings: ctx.findings };
}


function detectQuote(source: string): string {
  const sample = source.slice(0, 20_000);
  const single = (sample.match(/'/g) ?? []).length;
  const double = (sample.match(/"/g) ?? []).length;
  return single > double ? "'" : '"';
}
