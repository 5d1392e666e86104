/**
 * Python rewrite: repoints openai-python, LangChain and LlamaIndex clients at the proxy
 * with minimal text edits at parsed node positions (no regex over source).
 */
import type { Finding, RewriteOptions, TransformResult } from '../types.js';
import { applyEdits, type Edit } from '../edits.js';
import { novaModelFor } from '../models.js';
import { column, line, parsePython, pyStringValue, type PyNode } from './parse.js';
import { AZURE_HOST, AZURE_MESSAGE, azureInOptions } from '../js/libraries.js';
import { classValueMessage, localDecisions } from '../graph/decide.js';
import { analyzePython } from '../scan/scan-py.js';

export type PyClientKind =
  | 'openai'
  | 'openai-azure'
  | 'autogen'
  | 'autogen-azure'
  | 'llamaindex-azure'
  | 'langchain-init'
  | 'langchain-chat'
  | 'langchain-completions'
  | 'langchain-embeddings'
  | 'langchain-azure'
  | 'llamaindex'
  | 'llamaindex-embeddings';

const LANGCHAIN_MODULES = new Set([
  'langchain_openai',
  'langchain_openai.chat_models',
  'langchain_openai.embeddings',
  'langchain.chat_models',
  'langchain.chat_models.openai',
  'langchain.llms',
  'langchain.llms.openai',
  'langchain.embeddings',
  'langchain.embeddings.openai',
  'langchain_community.chat_models',
  'langchain_community.chat_models.openai',
  'langchain_community.llms',
  'langchain_community.llms.openai',
  'langchain_community.embeddings',
  'langchain_community.embeddings.openai',
]);

const LLAMA_MODULES = new Set(['llama_index.llms.openai', 'llama_index.llms', 'llama_index.embeddings.openai', 'llama_index.embeddings', 'llama_index.llms.azure_openai', 'llama_index.embeddings.azure_openai', 'llama_index.core.llms', 'llama_index.legacy.llms']);
const AUTOGEN_MODULES = new Set(['autogen_ext.models.openai', 'autogen_ext.models']);

/** Modules whose classes construct OpenAI clients, including LangChain's legacy spellings. */
function isLangchainModule(mod: string): boolean {
  return LANGCHAIN_MODULES.has(mod) || mod === 'langchain' || mod.startsWith('langchain_community.') || mod === 'langchain_community' || mod.startsWith('langchain_openai.');
}

export function isPyOpenAIModule(mod: string): boolean {
  return mod === 'openai' || mod.startsWith('openai.');
}

export function classifyPy(mod: string, name: string): PyClientKind | undefined {
  if (isPyOpenAIModule(mod)) {
    if (name === 'OpenAI' || name === 'AsyncOpenAI' || name === 'Client' || name === 'AsyncClient') return 'openai';
    if (name === 'AzureOpenAI' || name === 'AsyncAzureOpenAI') return 'openai-azure';
    return undefined;
  }
  if (AUTOGEN_MODULES.has(mod)) {
    if (name === 'OpenAIChatCompletionClient') return 'autogen';
    if (name === 'AzureOpenAIChatCompletionClient') return 'autogen-azure';
    return undefined;
  }
  if ((mod === 'langchain.chat_models' || mod === 'langchain.chat_models.base') && name === 'init_chat_model') return 'langchain-init';
  if (isLangchainModule(mod)) {
    if (name === 'ChatOpenAI') return 'langchain-chat';
    if (name === 'OpenAI') return 'langchain-completions';
    if (name === 'OpenAIEmbeddings') return 'langchain-embeddings';
    if (name.startsWith('Azure')) return 'langchain-azure';
    return undefined;
  }
  if (LLAMA_MODULES.has(mod)) {
    if (name === 'AzureOpenAI' || name === 'AzureOpenAIEmbedding') return 'llamaindex-azure';
    if (mod.includes('azure_openai')) return undefined;
    if (name === 'OpenAI') return 'llamaindex';
    if (name === 'OpenAIEmbedding') return 'llamaindex-embeddings';
  }
  return undefined;
}

export function isPyKnownModule(mod: string): boolean {
  return isPyOpenAIModule(mod) || isLangchainModule(mod) || LLAMA_MODULES.has(mod) || AUTOGEN_MODULES.has(mod) || mod === 'instructor';
}

export const PY_LABEL: Record<PyClientKind, string> = {
  openai: 'openai.OpenAI',
  'openai-azure': 'openai.AzureOpenAI',
  autogen: 'autogen OpenAIChatCompletionClient',
  'autogen-azure': 'autogen AzureOpenAIChatCompletionClient',
  'llamaindex-azure': 'llama_index Azure',
  'langchain-init': 'langchain init_chat_model',
  'langchain-chat': 'langchain ChatOpenAI',
  'langchain-completions': 'langchain OpenAI (completions)',
  'langchain-embeddings': 'langchain OpenAIEmbeddings',
  'langchain-azure': 'langchain Azure',
  llamaindex: 'llama_index OpenAI',
  'llamaindex-embeddings': 'llama_index OpenAIEmbedding',
};

interface PyProfile {
  base: string;
  altBase: string[];
  apiKey: string[];
}

const PROFILES: Partial<Record<PyClientKind, PyProfile>> = {
  openai: { base: 'base_url', altBase: [], apiKey: ['api_key'] },
  'langchain-chat': { base: 'base_url', altBase: ['openai_api_base'], apiKey: ['api_key', 'openai_api_key'] },
  'langchain-embeddings': { base: 'base_url', altBase: ['openai_api_base'], apiKey: ['api_key', 'openai_api_key'] },
  llamaindex: { base: 'api_base', altBase: ['base_url'], apiKey: ['api_key'] },
  autogen: { base: 'base_url', altBase: [], apiKey: ['api_key'] },
  'langchain-init': { base: 'base_url', altBase: ['openai_api_base'], apiKey: ['api_key', 'openai_api_key'] },
  'llamaindex-embeddings': { base: 'api_base', altBase: ['base_url'], apiKey: ['api_key'] },
};

const WILDCARD_NAMES = ['OpenAI', 'AsyncOpenAI', 'AzureOpenAI', 'AsyncAzureOpenAI', 'ChatOpenAI', 'OpenAIEmbeddings', 'AzureChatOpenAI', 'OpenAIEmbedding', 'OpenAIChatCompletionClient', 'AzureOpenAIChatCompletionClient'];

export interface PyBindings {
  /** Local name → { module, name } for `from m import name [as local]` (the last one in the file). */
  names: Map<string, { module: string; name: string }>;
  /** Every binding of a name, in source order: `from langchain.llms import OpenAI` then `from openai import OpenAI`. */
  all: Map<string, { module: string; name: string; at: number }[]>;
  /** Local name → module for `import m [as local]`. */
  modules: Map<string, string>;
}

export function collectPyBindings(root: PyNode): PyBindings {
  const names = new Map<string, { module: string; name: string }>();
  const all = new Map<string, { module: string; name: string; at: number }[]>();
  const modules = new Map<string, string>();
  const bind = (local: string, v: { module: string; name: string }, at: number) => {
    names.set(local, v);
    const list = all.get(local) ?? [];
    list.push({ ...v, at });
    all.set(local, list);
  };
  for (const stmt of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
    if (stmt.kind() === 'import_statement') {
      for (const c of stmt.children()) {
        if (c.kind() === 'dotted_name') {
          // `import a.b` binds `a` to the package; only the top-level name is reachable.
          const full = c.text();
          const top = full.split('.')[0]!;
          modules.set(top, full.includes('.') ? top : full);
        } else if (c.kind() === 'aliased_import') {
          const name = c.field('name')?.text();
          const alias = c.field('alias')?.text();
          if (name && alias) modules.set(alias, name);
        }
      }
    } else {
      const modNode = stmt.field('module_name');
      if (!modNode || modNode.kind() !== 'dotted_name') continue;
      const mod = modNode.text();
      // `from openai import *`: the client classes are in scope under their own names.
      if (stmt.children().some((c) => c.kind() === 'wildcard_import')) {
        for (const name of WILDCARD_NAMES) if (classifyPy(mod, name)) bind(name, { module: mod, name }, stmt.range().start.index);
        continue;
      }
      let afterImport = false;
      for (const c of stmt.children()) {
        if (c.kind() === 'import') afterImport = true;
        if (!afterImport) continue;
        if (c.kind() === 'dotted_name') bind(c.text(), { module: mod, name: c.text() }, stmt.range().start.index);
        else if (c.kind() === 'aliased_import') {
          const name = c.field('name')?.text();
          const alias = c.field('alias')?.text();
          if (name && alias) bind(alias, { module: mod, name }, stmt.range().start.index);
        }
      }
    }
  }
  // A local class/def of the same name wins.
  for (const d of root.findAll({ rule: { any: [{ kind: 'class_definition' }, { kind: 'function_definition' }] } })) {
    const n = d.field('name')?.text();
    if (n && d.parent()?.kind() === 'module') {
      names.delete(n);
      all.delete(n);
    }
  }
  return { names, all, modules };
}

/**
 * The import a name refers to at `offset`: the last one before it (a name imported from two
 * modules means the second from there on; inside a function, whichever import ran last).
 */
export function nameAt(b: PyBindings, name: string, offset: number): { module: string; name: string } | undefined {
  const list = b.all.get(name);
  if (!list || list.length <= 1) return b.names.get(name);
  let found = list[0];
  for (const x of list) if (x.at <= offset) found = x;
  return found && { module: found.module, name: found.name };
}

/** What a call's function refers to, e.g. `{ module: 'openai', name: 'OpenAI' }`. */
export function resolvePyCallee(fn: PyNode | null, b: PyBindings): { module: string; name: string } | undefined {
  if (!fn) return undefined;
  if (fn.kind() === 'identifier') return nameAt(b, fn.text(), fn.range().start.index);
  if (fn.kind() === 'attribute') {
    const obj = fn.field('object');
    const attr = fn.field('attribute')?.text();
    if (!obj || !attr) return undefined;
    // `openai.OpenAI`, `lc.chat_models.ChatOpenAI`
    const dotted = obj.text();
    if (!/^[A-Za-z_][\w.]*$/.test(dotted)) return undefined;
    const [head, ...rest] = dotted.split('.');
    const mod = b.modules.get(head!);
    if (mod) return { module: [mod, ...rest].join('.'), name: attr };
    const fromName = nameAt(b, head!, fn.range().start.index);
    if (fromName) return { module: [fromName.module, fromName.name, ...rest].join('.'), name: attr };
  }
  return undefined;
}

/** Calls that take a class only to test, mock or name a type (tests included): a class given to them builds no client. */
const TYPE_ONLY_CALLS = /(^|\.)(isinstance|issubclass|cast|TypeVar|NewType|Annotated|type|id|repr|str|print)$|instance|mock|patch|spec|spy|assert/i;

/**
 * Client classes handed on as values instead of called: `field(default_factory=OpenAI)`,
 * `functools.partial(AsyncOpenAI, timeout=5)`, `cls = AsyncOpenAI if a else OpenAI`,
 * `{"openai": ChatOpenAI}`. Whoever calls them builds a client this file never shows, so it
 * gets no base URL: such a reference is reported as manual work (rewrite) and as a client
 * site (scan). Annotations, imports, `isinstance` and attribute access on the class are not values.
 */
/** Where a name is handed on as a value (the class itself travels somewhere). */
const PY_VALUE_PARENTS = new Set(['keyword_argument', 'argument_list', 'assignment', 'return_statement', 'list', 'tuple', 'set', 'pair', 'conditional_expression', 'lambda', 'yield', 'parenthesized_expression', 'expression_list']);

export function pyClassValueRefs(root: PyNode, b: PyBindings): { node: PyNode; kind: PyClientKind; how: 'extends' | 'value'; base: string }[] {
  const out: { node: PyNode; kind: PyClientKind; how: 'extends' | 'value'; base: string }[] = [];
  const candidates = root.findAll({ rule: { any: [{ kind: 'identifier' }, { kind: 'attribute' }] } });
  for (const n of candidates) {
    const parent = n.parent();
    if (!parent) continue;
    // The callee of a call is a construction, handled elsewhere; `OpenAI.x` / `openai.OpenAI` (inner part) is not the class itself.
    if (parent.kind() === 'call' && parent.field('function')?.range().start.index === n.range().start.index) continue;
    if (parent.kind() === 'attribute') continue;
    if (parent.kind() === 'keyword_argument' && parent.field('name')?.range().start.index === n.range().start.index) continue;
    if (parent.kind() === 'assignment' && parent.field('left')?.range().start.index === n.range().start.index) continue;
    // Only where a value goes somewhere: not a test (`if OpenAI`, `OpenAI is None`, `x if OpenAI else y`) or a bare expression.
    if (!PY_VALUE_PARENTS.has(String(parent.kind()))) continue;
    if (parent.kind() === 'conditional_expression' && parent.children().filter((c) => c.isNamed())[1]?.range().start.index === n.range().start.index) continue;
    let skip = false;
    for (let a: PyNode | null = n.parent(); a && !skip; a = a.parent()) {
      const k = String(a.kind());
      if (k === 'type' || k.includes('import')) skip = true;
      else if (k === 'argument_list') {
        const call = a.parent();
        skip = call?.kind() === 'call' && TYPE_ONLY_CALLS.test(call.field('function')?.text() ?? '');
        break;
      } else if (k.endsWith('_statement') || k === 'block' || k === 'module' || k.endsWith('_definition')) break;
    }
    if (skip) continue;
    const r = n.kind() === 'identifier' ? nameAt(b, n.text(), n.range().start.index) : resolvePyCallee(n, b);
    const kind = r && classifyPy(r.module, r.name);
    const how = parent.kind() === 'argument_list' && parent.parent()?.kind() === 'class_definition' ? 'extends' : 'value';
    if (kind && PROFILES[kind]) out.push({ node: n, kind, how, base: PROFILES[kind]!.base });
  }
  return out;
}

const OPENAI_HOST = /(^|\/\/)api\.openai\.com(\/|$|:)/;

/** Why a Python construction is an Azure OpenAI client (never edited, always reported), or undefined. */
export function pyAzureReason(kind: PyClientKind, kwargs: string[], baseText: string | undefined, apiType: string | undefined, argsText?: string): string | undefined {
  if (kind === 'openai-azure' || kind === 'langchain-azure' || kind === 'autogen-azure' || kind === 'llamaindex-azure') return 'Azure OpenAI client';
  if (baseText && AZURE_HOST.test(baseText)) return `base URL ${baseText.slice(0, 80)} is an Azure OpenAI endpoint`;
  if (apiType && /azure/i.test(apiType)) return `openai_api_type ${apiType} configures Azure OpenAI`;
  const option = kwargs.find((k) => /^azure_/.test(k) || k === 'api_version' || k === 'openai_api_version' || k === 'deployment_name' || k === 'engine');
  if (option) return `'${option}' configures Azure OpenAI`;
  return azureInOptions(argsText);
}

class PyCtx {
  findings: Finding[] = [];
  edits: Edit[] = [];
  usesOs = false;
  /** The name the inserted code reads the environment through: `os`, or an alias when `os` means something else here. */
  osName = 'os';
  /** Start offsets of the client calls that point at the proxy once the edits are applied. */
  ours = new Set<number>();
  constructor(
    readonly source: string,
    readonly opts: RewriteOptions,
  ) {}
  add(kind: Finding['kind'], node: PyNode, what: string, message: string) {
    this.findings.push({ kind, line: line(node), column: column(node), what, message });
  }
  edit(start: number, end: number, text: string) {
    this.edits.push({ start, end, text });
  }
  baseExpr() {
    this.usesOs = true;
    return `${this.osName}.environ.get(${JSON.stringify(this.opts.baseUrlEnv)}, ${JSON.stringify(this.opts.baseUrl)})`;
  }
  keyExpr() {
    this.usesOs = true;
    return `${this.osName}.environ.get(${JSON.stringify(this.opts.apiKeyEnv)})`;
  }
  isOurs(node: PyNode) {
    return node.text().includes(this.opts.baseUrlEnv) || pyStringValue(node) === this.opts.baseUrl;
  }
  /** `# nova-migrate: ignore` / `# nova-migrate-ignore` on the construction's line or the line above. */
  ignored(node: PyNode) {
    const at = node.range().start.index;
    const lineStart = this.source.lastIndexOf('\n', at - 1) + 1;
    const prevStart = this.source.lastIndexOf('\n', lineStart - 2) + 1;
    const lineEnd = this.source.indexOf('\n', at);
    return /#\s*nova-migrate(-ignore\b|:\s*ignore\b)(?!-file)/.test(this.source.slice(prevStart, lineEnd < 0 ? undefined : lineEnd));
  }
  decision(offset: number) {
    return this.opts.context?.decisions?.[String(offset)];
  }
  blocked(offset: number, node: PyNode, what: string): boolean {
    const d = this.decision(offset);
    if (d?.action !== 'leave') return false;
    this.add('manual', node, what, d.leave ?? 'left alone: some of its calls are not served by the proxy');
    return true;
  }
  repointed(offset: number, node: PyNode, what: string) {
    const d = this.decision(offset);
    if (d?.partial) this.add('manual', node, what, d.partial);
    if (d?.verify) this.add('verify', node, what, d.verify);
  }
  short(node: PyNode) {
    return node.text().replace(/\s+/g, ' ').slice(0, 120);
  }
}

function argChildren(args: PyNode): PyNode[] {
  return args.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
}

function keywordArg(args: PyNode, names: string[]): PyNode | undefined {
  for (const c of argChildren(args)) {
    if (c.kind() === 'keyword_argument' && names.includes(c.field('name')?.text() ?? '')) return c;
  }
  return undefined;
}

/** Appends keyword arguments to a call's argument list, in its own layout. */
function appendArgs(ctx: PyCtx, args: PyNode, entries: string[]) {
  const src = ctx.source;
  const children = args.children();
  const named = argChildren(args);
  const open = args.range().start.index;
  const close = args.range().end.index - 1;
  if (named.length === 0) {
    const inner = src.slice(open + 1, close);
    const closeLine = src.lastIndexOf('\n', close - 1) + 1;
    if (inner.trim() === '') ctx.edit(open + 1, close, entries.join(', '));
    else if (closeLine > open && /^[ \t]*$/.test(src.slice(closeLine, close))) {
      // Only comments inside (`OpenAI(\n    # note\n)`): a line of its own, indented like them.
      const closeIndent = src.slice(closeLine, close);
      const inside = src.slice(src.indexOf('\n', open) + 1, closeLine).split('\n').find((l) => l.trim() !== '');
      const indent = inside ? /^[ \t]*/.exec(inside)![0] : `${closeIndent}    `;
      const eol = src.includes('\r\n') ? '\r\n' : '\n';
      ctx.edit(closeLine, close, `${indent}${entries.join(', ')},${eol}${closeIndent}`);
    } else ctx.edit(close, close, entries.join(', '));
    return;
  }
  const last = named[named.length - 1]!;
  const lastEnd = last.range().end.index;
  const idx = children.findIndex((c) => c.range().start.index >= lastEnd && c.kind() === ',');
  const trailingComma = idx >= 0 ? children[idx]! : undefined;
  const between = src.slice(lastEnd, close);
  let nl = between.lastIndexOf('\n');
  if (nl >= 0) {
    if (between[nl - 1] === '\r') nl--;
    const eol = src.includes('\r\n') ? '\r\n' : '\n';
    const lineStart = src.lastIndexOf('\n', last.range().start.index - 1) + 1;
    const indent = /^[ \t]*/.exec(src.slice(lineStart))![0];
    if (!trailingComma) ctx.edit(lastEnd, lastEnd, ',');
    const text = entries.map((e, i) => `${eol}${indent}${e}${i < entries.length - 1 || trailingComma ? ',' : ''}`).join('');
    ctx.edit(lastEnd + nl, lastEnd + nl, text);
    return;
  }
  if (trailingComma) {
    const at = trailingComma.range().end.index;
    ctx.edit(at, at, ` ${entries.join(', ')},`);
  } else ctx.edit(lastEnd, lastEnd, `, ${entries.join(', ')}`);
}

/** LangChain's legacy classes (`langchain.chat_models`, `langchain_community.*`) know `openai_api_base` in every version; `base_url` is an alias added later. */
const LEGACY_LANGCHAIN: PyProfile = { base: 'openai_api_base', altBase: ['base_url'], apiKey: ['openai_api_key', 'api_key'] };

function rewriteCall(ctx: PyCtx, call: PyNode, kind: PyClientKind, module: string) {
  const what = PY_LABEL[kind];
  if (ctx.ignored(call)) {
    ctx.add('skipped', call, what, 'ignored (nova-migrate: ignore comment)');
    return;
  }
  const argsNode = call.field('arguments');
  const kw = new Map<string, PyNode>();
  for (const c of argsNode ? argChildren(argsNode) : []) if (c.kind() === 'keyword_argument') kw.set(c.field('name')?.text() ?? '', c.field('value')!);
  const baseNode = kw.get('base_url') ?? kw.get('api_base') ?? kw.get('openai_api_base') ?? kw.get('azure_endpoint');
  const azure = pyAzureReason(kind, [...kw.keys()], baseNode?.text(), kw.get('openai_api_type')?.text(), argsNode?.text());
  if (azure) {
    ctx.add('manual', call, what, `${azure}: ${AZURE_MESSAGE}`);
    return;
  }
  if (kind === 'langchain-completions') {
    ctx.add('skipped', call, what, "LangChain's OpenAI LLM calls the legacy completions API, which the proxy doesn't serve: switch to ChatOpenAI, then run again");
    return;
  }
  if (kind === 'langchain-init') {
    const first = argsNode ? argChildren(argsNode)[0] : undefined;
    const model = pyStringValue(first?.kind() === 'keyword_argument' ? first.field('value') : first);
    const provider = pyStringValue(kw.get('model_provider'));
    const isOpenAI = provider === 'openai' || (provider === undefined && model !== undefined && (/^openai:/.test(model) || /^(gpt-|o\d|chatgpt-)/.test(model)));
    if (!isOpenAI) return;
  }
  let profile = PROFILES[kind]!;
  if ((kind === 'langchain-chat' || kind === 'langchain-embeddings') && !module.startsWith('langchain_openai')) profile = LEGACY_LANGCHAIN;
  const args = call.field('arguments');
  if (!args || args.kind() !== 'argument_list') {
    ctx.add('manual', call, what, 'unusual call form (generator argument?): set the base URL by hand');
    return;
  }
  const named = argChildren(args);
  const existing = keywordArg(args, [profile.base, ...profile.altBase]);
  const splat = named.find((c) => c.kind() === 'dictionary_splat' || c.kind() === 'list_splat');
  const positional = named.find((c) => c.kind() !== 'keyword_argument' && c.kind() !== 'dictionary_splat' && c.kind() !== 'list_splat');
  if (existing) {
    const value = existing.field('value')!;
    const name = existing.field('name')!.text();
    if (ctx.isOurs(value)) {
      ctx.ours.add(call.range().start.index); // already migrated
      return;
    }
    const literal = pyStringValue(value);
    // `None` means "the default", i.e. OpenAI.
    const pointsAtOpenAI = value.kind() === 'none' || (literal !== undefined && OPENAI_HOST.test(literal));
    if (pointsAtOpenAI || ctx.opts.force) {
      if (ctx.blocked(call.range().start.index, call, what)) return;
      ctx.edit(value.range().start.index, value.range().end.index, ctx.baseExpr());
      ctx.ours.add(call.range().start.index);
      ctx.add('changed', value, what, pointsAtOpenAI ? `replaced ${value.kind() === 'none' ? 'empty' : 'hard-coded OpenAI'} ${name} ${ctx.short(value)}` : `replaced existing ${name} ${ctx.short(value)} (--force)`);
      ctx.repointed(call.range().start.index, call, what);
      return;
    }
    ctx.add('skipped', value, what, `existing ${name} ${ctx.short(value)} left alone (${envHint(value)}--force replaces it)`);
    return;
  }
  if (splat) {
    ctx.add('manual', splat, what, `options passed through '${ctx.short(splat)}', whose contents can't be seen here: add ${profile.base}= where they are built`);
    return;
  }
  if (positional) {
    ctx.add('manual', positional, what, `positional arguments: add ${profile.base}= by hand`);
    return;
  }
  const usesOs = ctx.usesOs;
  const entries = [`${profile.base}=${ctx.baseExpr()}`];
  let msg = `added ${profile.base}`;
  if (!keywordArg(args, profile.apiKey)) {
    entries.push(`${profile.apiKey[0]}=${ctx.keyExpr()}`);
    msg += ` and ${profile.apiKey[0]}`;
  }
  if (ctx.blocked(call.range().start.index, call, what)) {
    ctx.usesOs = usesOs;
    return;
  }
  appendArgs(ctx, args, entries);
  ctx.ours.add(call.range().start.index);
  ctx.add('changed', call, what, msg);
  ctx.repointed(call.range().start.index, call, what);
}

function envHint(value: PyNode): string {
  const env = /os\.(?:environ\.get\(|getenv\(|environ\[)\s*['"](\w+)/.exec(value.text())?.[1];
  return env ? `point ${env} at the proxy, or ` : '';
}

/** `openai.api_base = …` / `openai.base_url = …` at module level. */
function rewriteModuleAssignments(ctx: PyCtx, root: PyNode, b: PyBindings): boolean {
  let found = false;
  // Pre-1.0 Azure configuration (`openai.api_type = "azure"`): a different auth scheme.
  const azure = root.findAll({ rule: { kind: 'assignment' } }).find((asg) => {
    const left = asg.field('left');
    return left?.kind() === 'attribute' && left.field('attribute')?.text() === 'api_type' && /azure/i.test(asg.field('right')?.text() ?? '');
  });
  if (azure) {
    ctx.add('manual', azure, 'openai.api_type', 'pre-1.0 Azure configuration (api_type azure): different auth; migrate the module-level client to an OpenAI client pointed at the proxy by hand');
    return true;
  }
  for (const asg of root.findAll({ rule: { kind: 'assignment' } })) {
    const left = asg.field('left');
    if (left?.kind() !== 'attribute') continue;
    const obj = left.field('object');
    const attr = left.field('attribute')?.text();
    if (obj?.kind() !== 'identifier' || b.modules.get(obj.text()) !== 'openai') continue;
    if (attr !== 'api_base' && attr !== 'base_url') continue;
    found = true;
    const value = asg.field('right');
    if (!value) continue;
    if (ctx.isOurs(value)) continue;
    const literal = pyStringValue(value);
    const pointsAtOpenAI = literal !== undefined && OPENAI_HOST.test(literal);
    if (pointsAtOpenAI || ctx.opts.force) {
      ctx.edit(value.range().start.index, value.range().end.index, ctx.baseExpr());
      ctx.add('changed', value, `openai.${attr}`, pointsAtOpenAI ? `replaced hard-coded OpenAI base URL ${ctx.short(value)}` : `replaced existing openai.${attr} ${ctx.short(value)} (--force)`);
    } else {
      ctx.add('skipped', value, `openai.${attr}`, `existing openai.${attr} ${ctx.short(value)} left alone (${envHint(value)}--force replaces it)`);
    }
  }
  return found;
}

/**
 * Module-level client use (`openai.chat.completions.create`, v0 `openai.ChatCompletion.create`)
 * with no base URL assigned: where the module is configured at the top level (after
 * `openai.api_key = …`, else after `import openai`), the base URL is assigned right after;
 * otherwise it is reported with the line to add.
 */
function rewriteModuleClient(ctx: PyCtx, root: PyNode, b: PyBindings) {
  const alias = [...b.modules].find(([, m]) => m === 'openai')?.[0];
  if (!alias) return;
  let use: PyNode | undefined;
  let v0 = false;
  for (const attr of root.findAll({ rule: { kind: 'attribute' } })) {
    const obj = attr.field('object');
    if (obj?.kind() !== 'identifier' || obj.text() !== alias) continue;
    const name = attr.field('attribute')?.text() ?? '';
    if (!/^(chat|completions|embeddings|ChatCompletion|Completion|Embedding|images|audio|responses|Image|Audio|Moderation|moderations|files|File|FineTune|fine_tuning|batches|models|Model)$/.test(name)) continue;
    if (attr.parent()?.kind() === 'assignment' && attr.parent()?.field('left')?.range().start.index === attr.range().start.index) continue;
    use ??= attr;
    if (/^[A-Z]/.test(name)) v0 = true;
  }
  if (!use) return;
  const pinned = ctx.opts.context?.versions?.['openai'];
  if (pinned !== undefined && (/^\s*<\s*1(\.0)*\s*$/.test(pinned) || /(\d+)/.exec(pinned)?.[1] === '0')) v0 = true;
  const attrName = v0 ? 'api_base' : 'base_url';
  const what = 'openai module client';
  if (ctx.blocked(-1, use, what)) return;
  const top = root.children();
  const isTop = (n: PyNode) => n.parent()?.kind() === 'module';
  const keyAssign = top.find((s) => s.kind() === 'expression_statement' && new RegExp(`^${alias}\\.api_key\\s*=`).test(s.text()));
  const importStmt = top.find((s) => s.kind() === 'import_statement' && s.children().some((c) => (c.kind() === 'dotted_name' && c.text() === 'openai') || (c.kind() === 'aliased_import' && c.field('name')?.text() === 'openai' && c.field('alias')?.text() === alias)));
  const anchor = keyAssign ?? importStmt;
  if (!anchor || !isTop(anchor) || anchor.text().includes(';')) {
    const usesOs = ctx.usesOs;
    ctx.add('manual', use, what, v0
      ? `uses the pre-1.0 module-level client (openai.${use.field('attribute')?.text()}): set OPENAI_API_BASE, or assign openai.api_base = ${ctx.baseExpr()}`
      : `uses the module-level client (openai.${use.field('attribute')?.text()}): set OPENAI_BASE_URL, or assign openai.base_url = ${ctx.baseExpr()} after the import`);
    ctx.usesOs = usesOs; // only a suggestion: no import needed
    return;
  }
  const eol = ctx.source.includes('\r\n') ? '\r\n' : '\n';
  const end = anchor.range().end.index;
  ctx.edit(end, end, `${eol}${alias}.${attrName} = ${ctx.baseExpr()}`);
  ctx.add('changed', use, what, `assigned ${alias}.${attrName} after ${keyAssign ? `${alias}.api_key` : 'the import'} (line ${line(anchor)})`);
  ctx.repointed(-1, use, what);
}

const COMPLETION_METHODS = new Set(['create', 'stream', 'parse']);

/** `x.chat.completions.create` / `x.beta.chat.completions.parse` → `x`, else undefined. */
function completionsReceiver(fn: PyNode | null): PyNode | undefined {
  if (fn?.kind() !== 'attribute' || !COMPLETION_METHODS.has(fn.field('attribute')?.text() ?? '')) return undefined;
  const comps = fn.field('object');
  if (comps?.kind() !== 'attribute' || comps.field('attribute')?.text() !== 'completions') return undefined;
  const chat = comps.field('object');
  if (chat?.kind() !== 'attribute' || chat.field('attribute')?.text() !== 'chat') return undefined;
  let recv = chat.field('object');
  if (recv?.kind() === 'attribute' && recv.field('attribute')?.text() === 'beta') recv = recv.field('object');
  return recv ?? undefined;
}

/**
 * `--models nova`: only model literals that reach the proxy change: the keyword arguments of
 * a client construction that points at it, and `.chat.completions.create/stream/parse(model=…)`
 * on a name bound (once, in this file) to such a client. Other clients keep their models.
 */
function rewriteModels(ctx: PyCtx, root: PyNode) {
  const replaceIn = (args: PyNode | null) => {
    if (args?.kind() !== 'argument_list') return;
    for (const kw of argChildren(args)) {
      if (kw.kind() !== 'keyword_argument') continue;
      const name = kw.field('name')?.text();
      if (name !== 'model' && name !== 'model_name') continue;
      const value = kw.field('value');
      const literal = pyStringValue(value);
      if (!value || literal === undefined) continue;
      const nova = novaModelFor(literal);
      if (!nova) continue;
      ctx.edit(value.range().start.index, value.range().end.index, JSON.stringify(nova));
      ctx.add('changed', value, 'model', `model '${literal}' → '${nova}'`);
    }
  };
  // A name counts only when every assignment to it in the file is such a client.
  const clients = new Set<string>();
  const other = new Set<string>();
  for (const asg of root.findAll({ rule: { kind: 'assignment' } })) {
    const left = asg.field('left');
    if (left?.kind() !== 'identifier') continue;
    const right = asg.field('right');
    if (right?.kind() === 'call' && ctx.ours.has(right.range().start.index)) clients.add(left.text());
    else other.add(left.text());
  }
  for (const name of other) clients.delete(name);
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    if (ctx.ours.has(call.range().start.index)) {
      replaceIn(call.field('arguments'));
      continue;
    }
    const recv = completionsReceiver(call.field('function'));
    if (recv?.kind() === 'identifier' && clients.has(recv.text())) replaceIn(call.field('arguments'));
  }
}

/**
 * Whether `name` is used for anything but the os module (`from os import environ as os`,
 * a parameter `def f(os)`, an assignment...). Any use other than `import os[.x]`,
 * `from os import …` and `os.attr` counts: the inserted code then goes through an alias.
 */
function nameTaken(root: PyNode, name: string): boolean {
  for (const id of root.findAll({ rule: { kind: 'identifier', regex: `^${name}$` } })) {
    const parent = id.parent();
    if (!parent) continue;
    const at = id.range().start.index;
    const isField = (n: PyNode | null, f: string) => n?.field(f)?.range().start.index === at;
    if (parent.kind() === 'attribute' && (isField(parent, 'object') || isField(parent, 'attribute'))) continue;
    if (parent.kind() === 'keyword_argument' && isField(parent, 'name')) continue;
    if (parent.kind() === 'dotted_name') {
      const stmt = parent.parent();
      if (stmt?.kind() === 'import_statement') continue;
      if (stmt?.kind() === 'import_from_statement' && stmt.field('module_name')?.range().start.index === parent.range().start.index) continue;
      if (stmt?.kind() === 'aliased_import' && stmt.parent()?.kind() === 'import_statement' && isField(stmt, 'name')) continue;
    }
    return true;
  }
  return false;
}

/** `os`, or the first free alias for it when `os` is bound to something else in this file. */
function osNameFor(root: PyNode): string {
  if (!nameTaken(root, 'os')) return 'os';
  // An alias is free when its only binding is `import os as <alias>` (a previous run's).
  const free = (alias: string) =>
    root.findAll({ rule: { kind: 'identifier', regex: `^${alias}$` } }).every((id) => {
      const parent = id.parent();
      const at = id.range().start.index;
      if (parent?.kind() === 'attribute' && parent.field('object')?.range().start.index === at) return true;
      return parent?.kind() === 'aliased_import' && parent.parent()?.kind() === 'import_statement' && parent.field('name')?.text() === 'os' && parent.field('alias')?.range().start.index === at;
    });
  return ['_os', '_nova_os'].find(free) ?? '_nova_migrate_os';
}

/** Where `import os` (or `import os as <alias>`) goes: before the first top-level import that isn't `from __future__`. */
function importOsEdit(root: PyNode, source: string, osName = 'os', notebook?: PyBindings): Edit | undefined {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const top = root.children();
  const stmt = osName === 'os' ? 'import os' : `import os as ${osName}`;
  for (const s of top) {
    if (s.kind() !== 'import_statement') continue;
    // `import os` and `import os.path` both bind `os`.
    if (osName === 'os' && s.children().some((c) => c.kind() === 'dotted_name' && /^os(\.|$)/.test(c.text()))) return undefined;
    if (s.children().some((c) => c.kind() === 'aliased_import' && c.field('name')?.text() === 'os' && c.field('alias')?.text() === osName)) return undefined;
  }
  if (notebook) {
    // A notebook's cells are joined: `import os` goes beside the first import of OpenAI (or of
    // anything), in that cell, not before whatever the first cell happens to hold.
    const imports = top.filter((s) => s.kind() === 'import_statement' || s.kind() === 'import_from_statement');
    const target = imports.find((s) => isPyKnownModule(s.field('module_name')?.text() ?? s.children().find((c) => c.kind() === 'dotted_name' || c.kind() === 'aliased_import')?.text().split(' ')[0] ?? '')) ?? imports[0];
    if (target) {
      const lineStart = source.lastIndexOf('\n', target.range().start.index - 1) + 1;
      return { start: lineStart, end: lineStart, text: `${stmt}${eol}` };
    }
  }
  let afterFuture: number | undefined;
  let afterDoc: number | undefined;
  // The docstring is the first statement; comments (shebang, encoding) are nodes too and may precede it.
  let seenStatement = false;
  for (const s of top) {
    if (s.kind() === 'comment') continue;
    const first = !seenStatement;
    seenStatement = true;
    if (s.kind() === 'future_import_statement') {
      afterFuture = s.range().end.index;
      continue;
    }
    if (first && s.kind() === 'expression_statement' && s.children()[0]?.kind() === 'string') {
      afterDoc = s.range().end.index;
      continue;
    }
    if (s.kind() === 'import_statement' || s.kind() === 'import_from_statement') {
      const lineStart = source.lastIndexOf('\n', s.range().start.index - 1) + 1;
      return { start: lineStart, end: lineStart, text: `${stmt}${eol}` };
    }
    break;
  }
  const after = afterFuture ?? afterDoc;
  if (after !== undefined) return { start: after, end: after, text: `${eol}${stmt}` };
  // No imports at all: after a leading shebang/encoding comment block.
  let pos = 0;
  for (const s of top) {
    if (s.kind() === 'comment' && s.range().start.index === pos) {
      const nl = source.indexOf('\n', s.range().end.index);
      pos = nl < 0 ? source.length : nl + 1;
    } else break;
  }
  return { start: pos, end: pos, text: `${stmt}${eol}${eol}` };
}


/**
 * The edits (not yet applied) and findings for one Python source without a BOM. Throws
 * PythonParseError when the source does not parse. Notebooks use it on their code cells
 * joined into one module, then map each edit back to its cell.
 */
export function planPythonRewrite(source: string, opts: RewriteOptions, layout: { notebook?: boolean } = {}): { edits: Edit[]; findings: Finding[] } {
  const root = parsePython(source);
  const b = collectPyBindings(root);
  const known = [...b.modules.values()].some(isPyKnownModule) || [...b.names.values()].some((n) => isPyKnownModule(n.module));
  if (!known) return { edits: [], findings: [] };
  if (!opts.context?.decisions) {
    // Alone (a fixture, a single file): decide from this file's own graph.
    const facts = analyzePython(source, '', 0, '', '', root).facts;
    opts = { ...opts, context: { ...opts.context, decisions: localDecisions(facts, opts.forcePartial) } };
  }
  const ctx = new PyCtx(source, opts);
  ctx.osName = osNameFor(root);
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    const r = resolvePyCallee(call.field('function'), b);
    const kind = r && classifyPy(r.module, r.name);
    if (kind) rewriteCall(ctx, call, kind, r.module);
  }
  for (const ref of pyClassValueRefs(root, b)) {
    if (ctx.ignored(ref.node)) continue;
    ctx.add('manual', ref.node, PY_LABEL[ref.kind], classValueMessage(ref.how, ref.node.text(), ref.base));
  }
  // The module client's own suggestion-only branch restores usesOs; an assignment it inserts needs `import os`.
  if (!rewriteModuleAssignments(ctx, root, b)) rewriteModuleClient(ctx, root, b);
  if (opts.models === 'nova') rewriteModels(ctx, root);
  if (ctx.edits.length === 0) return { edits: [], findings: ctx.findings };
  if (ctx.usesOs) {
    const e = importOsEdit(root, source, ctx.osName, layout.notebook ? b : undefined);
    if (e) ctx.edits.push(e);
  }
  return { edits: ctx.edits, findings: ctx.findings };
}

/** Rewrites one Python source. Throws PythonParseError when the source does not parse. */
export function rewritePythonSource(source: string, opts: RewriteOptions): TransformResult {
  if (source.charCodeAt(0) === 0xfeff) {
    const r = rewritePythonSource(source.slice(1), opts);
    return r.output === undefined ? r : { ...r, output: '\uFEFF' + r.output };
  }
  const { edits, findings } = planPythonRewrite(source, opts);
  if (edits.length === 0) return { findings };
  const output = applyEdits(source, edits);
  try {
    parsePython(output);
  } catch (err) {
    throw new Error(`rewritten source does not re-parse (${(err as Error).message}); file left untouched`);
  }
  return { output, findings };
}
