/**
 * Python inventory: client constructions (openai, LangChain, LlamaIndex), calls on
 * clients (`client.chat.completions.create`, `self.client…`), the module-level client
 * (`openai.chat.completions.create`) and the pre-1.0 API (`openai.ChatCompletion.create`).
 */
import { classifyPy, collectPyBindings, isPyKnownModule, isPyOpenAIModule, PY_LABEL, pyAzureReason, pyClassValueRefs, resolvePyCallee, type PyBindings, type PyClientKind } from '../python/rewrite.js';
import { buildPyFacts, findPyConstructions } from '../graph/py.js';
import type { FileFacts } from '../graph/model.js';
import { AZURE_MESSAGE } from '../js/libraries.js';
import { classValueMessage } from '../graph/decide.js';
import { column, line, parsePython, pyStringValue, type PyNode } from '../python/parse.js';
import { groupOf, isDistinctive, judge, v0Group, type ArgValue, type ModelRef, type Site } from './verdicts.js';

const LIB: Record<PyClientKind, string> = {
  openai: 'openai',
  'openai-azure': 'openai',
  autogen: 'autogen',
  'autogen-azure': 'autogen',
  'llamaindex-azure': 'llamaindex',
  'langchain-init': 'langchain',
  'langchain-chat': 'langchain',
  'langchain-completions': 'langchain',
  'langchain-embeddings': 'langchain',
  'langchain-azure': 'langchain',
  llamaindex: 'llamaindex',
  'llamaindex-embeddings': 'llamaindex',
};

function attrChain(node: PyNode): { root: string; path: string[] } | undefined {
  const path: string[] = [];
  let n: PyNode | null = node;
  while (n && n.kind() === 'attribute') {
    const a = n.field('attribute');
    if (!a) return undefined;
    path.unshift(a.text());
    n = n.field('object');
  }
  if (!n || n.kind() !== 'identifier') return undefined;
  const rootName = n.text();
  if (rootName === 'self' || rootName === 'cls') {
    const first = path.shift();
    if (!first) return undefined;
    return { root: `self.${first}`, path };
  }
  return { root: rootName, path };
}

/** Scans one Python source (throws PythonParseError on syntax errors). */
export function scanPython(source: string, file: string, lineOffset = 0, label = ''): Site[] {
  return analyzePython(source, file, lineOffset, label).sites;
}

/** The inventory and the file's part of the client graph, from one parse (shared by scan and rewrite). */
export function analyzePython(source: string, file: string, lineOffset = 0, label = '', path = file, parsed?: PyNode): { sites: Site[]; facts: FileFacts } {
  const root = parsed ?? parsePython(source);
  const b = collectPyBindings(root);
  const byOffset = new Map<number, Site>();
  const sites = scanSites(root, b, file, lineOffset, label, byOffset);
  const facts = buildPyFacts(root, path, file, b, byOffset, findPyConstructions(root, b), lineOffset);
  return { sites, facts };
}

function scanSites(root: PyNode, b: PyBindings, file: string, lineOffset: number, label: string, byOffset: Map<number, Site>): Site[] {
  const known = [...b.modules.values()].some(isPyKnownModule) || [...b.names.values()].some((n) => isPyKnownModule(n.module));
  if (!known) return [];
  const sites: Site[] = [];
  const short = (n: PyNode) => n.text().replace(/\s+/g, ' ').slice(0, 100);

  const moduleStrings = new Map<string, { value: string; line: number }>();
  const moduleDicts = new Map<string, PyNode>();
  const clients = new Map<string, PyClientKind>();
  const foreign = new Set<string>();
  // Same-file factories: `def make_client(): return OpenAI(...)`.
  const factories = new Map<string, PyClientKind>();
  for (const fn of root.findAll({ rule: { kind: 'function_definition' } })) {
    const name = fn.field('name')?.text();
    if (!name) continue;
    for (const ret of fn.findAll({ rule: { kind: 'return_statement' } })) {
      const value = ret.children().find((c) => c.isNamed());
      if (value?.kind() !== 'call') continue;
      const r = resolvePyCallee(value.field('function'), b);
      const k = r && classifyPy(r.module, r.name);
      if (k) {
        factories.set(name, k);
        break;
      }
    }
  }
  for (const asg of root.findAll({ rule: { kind: 'assignment' } })) {
    const left = asg.field('left');
    const right = asg.field('right');
    if (!left || !right) continue;
    const name = left.kind() === 'identifier' ? left.text() : left.kind() === 'attribute' ? (attrChain(left)?.root ?? '') : '';
    if (!name) continue;
    const s = pyStringValue(right);
    if (s !== undefined && left.kind() === 'identifier') moduleStrings.set(name, { value: s, line: line(asg) });
    if (right.kind() === 'dictionary' && left.kind() === 'identifier') moduleDicts.set(name, right);
    if (right.kind() === 'call') {
      const fn = right.field('function');
      const r = resolvePyCallee(fn, b);
      const k = (r && classifyPy(r.module, r.name)) || (fn?.kind() === 'identifier' ? factories.get(fn.text()) : undefined);
      if (k) clients.set(name, k);
      // Built by another library (`Groq()` from groq): never an OpenAI receiver.
      else if (r && !isPyOpenAIModule(r.module)) foreign.add(name);
    }
  }
  // `with OpenAI() as client:` / `async with AsyncOpenAI() as client:`
  for (const asp of root.findAll({ rule: { kind: 'as_pattern' } })) {
    const value = asp.children()[0];
    const target = asp.children().find((c) => c.kind() === 'as_pattern_target');
    if (value?.kind() !== 'call' || !target) continue;
    const r = resolvePyCallee(value.field('function'), b);
    const k = r && classifyPy(r.module, r.name);
    if (k) clients.set(target.text(), k);
  }
  // Annotated parameters / attributes: `client: OpenAI`.
  for (const typed of root.findAll({ rule: { any: [{ kind: 'typed_parameter' }, { kind: 'typed_default_parameter' }] } })) {
    const nameNode = typed.children().find((c) => c.kind() === 'identifier');
    const type = typed.field('type');
    if (!nameNode || !type) continue;
    const r = resolvePyCallee(type.children()[0] ?? type, b);
    const k = r && classifyPy(r.module, r.name);
    if (k) clients.set(nameNode.text(), k);
  }

  const modelRef = (n: PyNode | null | undefined): ModelRef | undefined => {
    if (!n) return undefined;
    const s = pyStringValue(n);
    if (s !== undefined) return { value: s, from: 'literal' };
    if (n.kind() === 'identifier') {
      const c = moduleStrings.get(n.text());
      return c ? { value: c.value, from: `${n.text()} (line ${c.line + lineOffset})` } : { from: n.text() };
    }
    const env = /os\.(?:environ\.get\(|getenv\(|environ\[)\s*['"](\w+)/.exec(n.text());
    // `self.model or "gpt-4o"` / `os.getenv("MODEL", "gpt-4o")`: the literal is the fallback.
    if (n.kind() === 'boolean_operator' && n.children().some((c) => c.kind() === 'or')) {
      const right = n.field('right');
      const v = pyStringValue(right);
      if (v !== undefined) return { value: v, from: `fallback of ${short(n.field('left') ?? n)}` };
    }
    if (env && n.kind() === 'call') {
      const args = n.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
      const v = pyStringValue(args[1]);
      if (v !== undefined) return { value: v, from: `fallback of env ${env[1]}` };
    }
    if (env) return { from: `env ${env[1]}` };
    return { from: short(n) };
  };

  const argValue = (n: PyNode): ArgValue => {
    const t = short(n);
    const s = pyStringValue(n);
    if (s !== undefined) return { kind: 'string', value: s, text: t };
    const k = n.kind();
    if (k === 'integer' || k === 'float') return { kind: 'number', value: Number(n.text()), text: t };
    if (k === 'true' || k === 'false') return { kind: 'boolean', value: k === 'true', text: t };
    if (k === 'none') return { kind: 'null', text: t };
    const full = n.text();
    if (k === 'dictionary') {
      let type: string | undefined;
      for (const pair of n.children().filter((c) => c.kind() === 'pair')) {
        if (pyStringValue(pair.field('key')) === 'type') type = pyStringValue(pair.field('value'));
      }
      return { kind: 'object', text: t, type };
    }
    if (k === 'list') {
      const items = n.children().map((c) => pyStringValue(c)).filter((x): x is string => x !== undefined);
      return { kind: 'array', text: t, items, hasImage: /image_url/.test(full), hasAudio: /input_audio/.test(full) };
    }
    if (k === 'identifier' && moduleDicts.has(n.text())) return argValue(moduleDicts.get(n.text())!);
    if (k === 'call' && /^dict$/.test(n.field('function')?.text() ?? '')) return { kind: 'object', text: t, type: /type\s*=\s*['"](\w+)/.exec(full)?.[1] };
    return { kind: 'other', text: t, hasImage: /image_url/.test(full), hasAudio: /input_audio/.test(full) };
  };

  /** Keyword arguments; undefined when `**kwargs` hides some. */
  const argsOf = (call: PyNode): Map<string, ArgValue> | undefined => {
    const args = call.field('arguments');
    const m = new Map<string, ArgValue>();
    if (!args) return m;
    for (const c of args.children()) {
      if (c.kind() === 'keyword_argument') {
        const name = c.field('name')?.text();
        const value = c.field('value');
        if (name && value) m.set(name, argValue(value));
      } else if (c.kind() === 'dictionary_splat') {
        const inner = c.children().find((x) => x.isNamed());
        const dict = inner?.kind() === 'identifier' ? moduleDicts.get(inner.text()) : inner?.kind() === 'dictionary' ? inner : undefined;
        if (!dict) return undefined;
        for (const pair of dict.children().filter((x) => x.kind() === 'pair')) {
          const key = pyStringValue(pair.field('key'));
          const value = pair.field('value');
          if (key && value) m.set(key, argValue(value));
        }
      }
    }
    return m;
  };

  const site = (node: PyNode, kind: Site['kind'], library: string, api: string, confidence: Site['confidence'] = 'certain'): Site => ({
    file,
    line: line(node) + lineOffset,
    column: column(node),
    kind,
    library,
    api: label ? `${label}${api}` : api,
    features: [],
    verdict: 'works',
    notes: [],
    confidence,
  });

  const openaiImported = [...b.modules.values()].some((m) => m === 'openai') || [...b.names.values()].some((n) => n.module === 'openai' || n.module.startsWith('openai.'));

  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    const fn = call.field('function');
    if (!fn) continue;
    const r = resolvePyCallee(fn, b);
    const k = r && classifyPy(r.module, r.name);
    if (k) {
      const s = site(call, 'client', LIB[k], PY_LABEL[k]);
      s.offset = call.range().start.index;
      const args = argsOf(call);
      const base = args?.get('base_url') ?? args?.get('api_base') ?? args?.get('openai_api_base');
      if (base) {
        s.features.push('base_url');
        s.notes.push(`base URL set to ${base.text}${base.kind === 'string' ? ' (hard-coded)' : ''}`);
        s.baseUrl = { text: base.text, hardCoded: base.kind === 'string' };
      }
      const azure = pyAzureReason(k, args ? [...args.keys()] : [], base?.text, args?.get('openai_api_type')?.text, call.field('arguments')?.text());
      if (azure) {
        s.verdict = 'unsupported';
        s.features.push('azure');
        s.notes.push(`${azure}: ${AZURE_MESSAGE}`);
      } else if (k === 'langchain-embeddings' || k === 'llamaindex-embeddings') {
        const kw = call.field('arguments')?.children().find((c) => c.kind() === 'keyword_argument' && ['model', 'model_name'].includes(c.field('name')?.text() ?? ''));
        s.model = modelRef(kw?.field('value'));
        judge(s, 'embeddings', undefined);
      } else if (k === 'langchain-init') {
        const first = call.field('arguments')?.children().find((c) => c.isNamed());
        const v = pyStringValue(first);
        s.model = v !== undefined ? { value: v.replace(/^openai:/, ''), from: 'literal' } : modelRef(first);
        judge(s, 'chat', args);
      }
      else if (k === 'langchain-completions') {
        judge(s, 'legacy-completions', undefined);
        s.notes[0] = "LangChain's OpenAI LLM uses legacy completions, which the proxy doesn't serve: use ChatOpenAI";
      }
      else if (k === 'langchain-chat' || k === 'llamaindex' || k === 'autogen') {
        const kw = call.field('arguments')?.children().find((c) => c.kind() === 'keyword_argument' && ['model', 'model_name'].includes(c.field('name')?.text() ?? ''));
        s.model = modelRef(kw?.field('value'));
        judge(s, 'chat', args);
      }
      sites.push(s);
      continue;
    }
    if (fn.kind() !== 'attribute') continue;
    const c0 = attrChain(fn);
    if (!c0 || c0.path.length === 0) continue;
    let c = c0;
    if (!b.modules.has(c0.root)) {
      for (let i = 0; i < c0.path.length; i++) {
        if (groupOf(c0.path.slice(i).join('.'))) {
          c = { root: [c0.root, ...c0.path.slice(0, i)].join('.'), path: c0.path.slice(i) };
          break;
        }
      }
    }
    const path = c.path.join('.');
    const mod = b.modules.get(c.root);
    let group;
    let api = path;
    let library = 'openai';
    let confidence: Site['confidence'] = 'certain';
    if (mod === 'openai') {
      const v0 = c.path.length === 2 && /^[A-Z]/.test(c.path[0]!) ? v0Group(c.path[0]!) : undefined;
      if (v0) {
        group = v0;
        api = `openai.${path}`;
        library = 'openai-v0';
      } else {
        group = groupOf(path);
        api = `openai.${path}`;
        library = 'openai-module';
      }
    } else {
      const kind = clients.get(c.root);
      group = groupOf(path);
      if (!group) continue;
      if (kind === 'openai' || kind === 'openai-azure') confidence = 'certain';
      else if (!kind && !foreign.has(c.root) && isDistinctive(path) && openaiImported) confidence = 'likely';
      else continue;
    }
    if (!group) continue;
    const s = site(call, 'call', library, api, confidence);
    const args = argsOf(call);
    const kw = call.field('arguments')?.children().find((x) => x.kind() === 'keyword_argument' && x.field('name')?.text() === 'model');
    s.model = modelRef(kw?.field('value'));
    if (path.endsWith('.parse') && group === 'chat') args?.set('response_format', args.get('response_format') ?? { kind: 'other', text: 'json_schema' });
    judge(s, group, args);
    if (library === 'openai-v0') s.notes.push('openai-python < 1.0 API: works through openai.api_base, but upgrading to openai>=1 is recommended');
    sites.push(s);
    byOffset.set(call.range().start.index, s);
  }
  // A client class handed on as a value builds a client rewrite can't see: the same manual item.
  for (const ref of pyClassValueRefs(root, b)) {
    const s = site(ref.node, 'client', LIB[ref.kind], PY_LABEL[ref.kind]);
    s.verdict = 'differences';
    s.notes.push(classValueMessage(ref.how, ref.node.text(), ref.base));
    sites.push(s);
  }
  return sites.sort((a, b2) => a.line - b2.line || a.column - b2.column);
}
