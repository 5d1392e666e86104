/**
 * JS/TS inventory: client constructions and API call sites, with models and features.
 * A call counts when its receiver traces back to an OpenAI client (a variable, class
 * field or `this.x` assigned from a construction, or a parameter/field typed with the
 * SDK's class), or, for method paths no other library uses (`chat.completions.create`,
 * `beta.threads…`), when the file imports an OpenAI library.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import { collectBindings, propName, refersToImport, resolveCallee, startOf, stringValue, type Binding } from '../js/bindings.js';
import { AZURE_MESSAGE, azureReason, baseOptionOf, classify, isKnownSource, KIND_LABEL, type ClientKind } from '../js/libraries.js';
import { groupOf, isDistinctive, judge, providerMethodGroup, rawGroup, v3Group, type ArgValue, type ModelRef, type Site } from './verdicts.js';
import { buildJsFacts, findClassValueRefs, findConstructions } from '../graph/js.js';
import { classValueMessage } from '../graph/decide.js';
import type { FileFacts } from '../graph/model.js';

const LIB: Record<ClientKind, string> = {
  openai: 'openai',
  'openai-azure': 'openai',
  'openai-bedrock': 'openai',
  'openai-v3-config': 'openai-v3',
  'openai-v3-api': 'openai-v3',
  'langchain-chat': 'langchain',
  'langchain-completions': 'langchain',
  'langchain-embeddings': 'langchain',
  'langchain-azure': 'langchain',
  'ai-sdk-create': 'ai-sdk',
  'ai-sdk-default': 'ai-sdk',
  'ai-sdk-compatible': 'ai-sdk',
  'ai-sdk-azure': 'ai-sdk',
  'azure-sdk': 'azure',
  'langchain-init': 'langchain',
  llamaindex: 'llamaindex',
  'llamaindex-embeddings': 'llamaindex',
};

const SCAN_HINT = /\.(chat\.completions|embeddings|images|audio|moderations|responses|files|fineTuning|fine_tuning|batches|beta|models)\./;

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function unwrap(n: any): any {
  while (n && (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression' || n.type === 'AwaitExpression' || n.type === 'TypeCastExpression')) n = n.expression ?? n.argument;
  return n;
}

/** `a.b.c` member chain → ['a','b','c'] with a textual root (`this.client`, `client`). */
function chain(node: any): { root: string; rootNode: any; path: string[] } | undefined {
  const path: string[] = [];
  let n = unwrap(node);
  while (n && (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression')) {
    const name = propName(n.property, n.computed);
    if (!name) return undefined;
    path.unshift(name);
    const obj = unwrap(n.object);
    if (obj.type === 'ThisExpression') {
      // `this.client.chat...`: the root is `this.<first>`
      const first = path.shift()!;
      return { root: `this.${first}`, rootNode: n, path };
    }
    n = obj;
  }
  if (n?.type === 'Identifier') return { root: n.name, rootNode: n, path };
  // `getClient().chat.completions.create()`: an untraceable receiver, left to the type checker.
  if (n && path.length > 0) return { root: '<expression>', rootNode: n, path };
  return undefined;
}

export function scanJs(j: JSCodeshift, original: string, file: string, parsed?: Collection): Site[] {
  return analyzeJs(j, original, file, parsed).sites;
}

/**
 * The inventory (sites with verdicts) and the file's part of the client graph, from one
 * parse: scan and rewrite both start here, so they agree on every client's uses.
 */
export function analyzeJs(j: JSCodeshift, original: string, file: string, parsed?: Collection, path = file): { sites: Site[]; facts: FileFacts } {
  const root = parsed ?? j(original);
  // Node offsets refer to the text recast parsed: no BOM, LF line endings.
  const source = original.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const bindings = collectBindings(j, root);
  const byNode = new Map<any, Site>();
  const sites = scanSites(j, root, source, file, bindings, byNode);
  const facts = buildJsFacts(j, root, source, path, file, bindings, byNode, findConstructions(j, root, bindings));
  return { sites, facts };
}

function scanSites(j: JSCodeshift, root: Collection, source: string, file: string, bindings: Map<string, Binding>, byNode: Map<any, Site>): Site[] {
  // Without an OpenAI import there is nothing to rewrite, but calls on a client made
  // elsewhere (a factory in another file) are still worth asking the type checker about.
  const known = [...bindings.values()].some((b) => isKnownSource(b.source));
  const classRefs = findClassValueRefs(j, root, bindings);
  if (!known && !SCAN_HINT.test(source) && classRefs.length === 0) return [];
  const sites: Site[] = [];
  const text = (n: any) => source.slice(n.start, n.end).replace(/\s+/g, ' ').slice(0, 100);

  const constStrings = new Map<string, { value: string; line: number }>();
  const constObjects = new Map<string, any>();
  root.find(j.VariableDeclarator).forEach((p) => {
    const id: any = p.node.id;
    const init = unwrap(p.node.init);
    if (id.type !== 'Identifier' || !init) return;
    const s = stringValue(init);
    if (s !== undefined) constStrings.set(id.name, { value: s, line: p.node.loc?.start.line ?? 0 });
    if (init.type === 'ObjectExpression') constObjects.set(id.name, init);
  });

  const modelRef = (n: any): ModelRef | undefined => {
    n = unwrap(n);
    if (!n) return undefined;
    const s = stringValue(n);
    if (s !== undefined) return { value: s, from: 'literal' };
    if (n.type === 'Identifier') {
      const c = constStrings.get(n.name);
      return c ? { value: c.value, from: `const ${n.name} (line ${c.line})` } : { from: n.name };
    }
    const t = text(n);
    const env = /process\.env(?:\.|\[['"])(\w+)/.exec(t);
    // `process.env.MODEL ?? 'gpt-4o'`, `opts.model || 'gpt-4o'`: the literal is the fallback.
    const fallback = n.type === 'LogicalExpression' && (n.operator === '??' || n.operator === '||') ? stringValue(unwrap(n.right)) : undefined;
    if (fallback !== undefined) return { value: fallback, from: `fallback of ${env ? `env ${env[1]}` : text(n.left)}` };
    if (env) return { from: `env ${env[1]}` };
    return { from: t };
  };

  const argValue = (n: any): ArgValue => {
    n = unwrap(n);
    const t = text(n);
    const s = stringValue(n);
    if (s !== undefined) return { kind: 'string', value: s, text: t };
    if (n.type === 'NumericLiteral' || (n.type === 'Literal' && typeof n.value === 'number')) return { kind: 'number', value: n.value, text: t };
    if (n.type === 'BooleanLiteral' || (n.type === 'Literal' && typeof n.value === 'boolean')) return { kind: 'boolean', value: n.value, text: t };
    if (n.type === 'NullLiteral') return { kind: 'null', text: t };
    const full = source.slice(n.start, n.end);
    if (n.type === 'ObjectExpression') {
      const typeProp = n.properties.find((p: any) => propName(p.key, p.computed) === 'type');
      return { kind: 'object', text: t, type: typeProp ? stringValue(typeProp.value) : undefined };
    }
    if (n.type === 'ArrayExpression') {
      const items = n.elements.map((e: any) => (e ? stringValue(e) : undefined)).filter((x: any): x is string => x !== undefined);
      const types = n.elements.map((e: any) => (e?.type === 'ObjectExpression' ? stringValue(e.properties.find((p: any) => propName(p.key, p.computed) === 'type')?.value) : undefined)).filter((x: any): x is string => x !== undefined);
      return { kind: 'array', text: t, items, types, hasImage: /image_url|['"]image['"]/.test(full), hasAudio: /input_audio/.test(full) };
    }
    if (n.type === 'Identifier' && constObjects.has(n.name)) return argValue(constObjects.get(n.name));
    return { kind: 'other', text: t, hasImage: /image_url/.test(full), hasAudio: /input_audio/.test(full) };
  };

  /** Object literal (or const) → parameter map with snake_case names; undefined if not visible. */
  const argsOf = (n: any): Map<string, ArgValue> | undefined => {
    n = unwrap(n);
    if (n?.type === 'Identifier' && constObjects.has(n.name)) n = constObjects.get(n.name);
    if (n?.type !== 'ObjectExpression') return undefined;
    const m = new Map<string, ArgValue>();
    for (const p of n.properties) {
      if (p.type === 'SpreadElement' || p.type === 'SpreadProperty') {
        const inner = argsOf(p.argument);
        if (!inner) return undefined;
        for (const [k, v] of inner) m.set(k, v);
        continue;
      }
      const k = propName(p.key, p.computed);
      if (!k) continue;
      const value = p.type === 'ObjectMethod' ? { kind: 'other' as const, text: k } : argValue(p.value);
      m.set(k, value);
      if (/[A-Z]/.test(k)) m.set(camelToSnake(k), value);
    }
    return m;
  };

  const push = (s: Site, node: any) => {
    sites.push(s);
    byNode.set(node, s);
  };
  const site = (node: any, kind: Site['kind'], library: string, api: string, confidence: Site['confidence'] = 'certain'): Site => ({
    file,
    line: startOf(node, source).line,
    column: startOf(node, source).column + 1,
    kind,
    library,
    api,
    features: [],
    verdict: 'works',
    notes: [],
    confidence,
  });

  // Receivers known to be clients: variable / this.field → kind.
  const clients = new Map<string, ClientKind>();
  const providers = new Set<string>(); // AI SDK provider instances
  for (const [name, b] of bindings) if (b.source === '@ai-sdk/openai' && b.imported === 'openai') providers.add(name);
  // Receivers built by another library's constructor (`new Groq()`): never OpenAI sites.
  const foreign = new Set<string>();
  // Same-file factories: `function makeClient() { return new OpenAI(...) }`, `const make = () => new OpenAI()`.
  const factories = new Map<string, ClientKind>();
  const constructionKind = (n: any, name?: string): ClientKind | undefined => {
    n = unwrap(n);
    if (n?.type !== 'NewExpression' && n?.type !== 'CallExpression') return undefined;
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && factories.has(n.callee.name)) return factories.get(n.callee.name);
    const r = resolveCallee(n.callee, bindings);
    const k = r ? classify(r.source, r.name) : undefined;
    if (r && !k && name && n.type === 'NewExpression') foreign.add(name);
    return k;
  };
  const returnedKind = (fn: any): ClientKind | undefined => {
    if (!fn) return undefined;
    if (fn.body?.type !== 'BlockStatement') return constructionKind(fn.body);
    let found: ClientKind | undefined;
    j(fn.body)
      .find(j.ReturnStatement)
      .forEach((r) => {
        found ??= constructionKind(r.node.argument);
      });
    return found;
  };
  root.find(j.FunctionDeclaration).forEach((p) => {
    const name = (p.node.id as any)?.name;
    const k = name && returnedKind(p.node);
    if (k && k !== 'ai-sdk-create') factories.set(name, k);
  });
  root.find(j.VariableDeclarator).forEach((p) => {
    const id: any = p.node.id;
    const init: any = unwrap(p.node.init);
    if (id.type === 'Identifier' && (init?.type === 'ArrowFunctionExpression' || init?.type === 'FunctionExpression')) {
      const k = returnedKind(init);
      if (k && k !== 'ai-sdk-create') factories.set(id.name, k);
    }
  });
  root.find(j.VariableDeclarator).forEach((p) => {
    const id: any = p.node.id;
    if (id.type !== 'Identifier') return;
    const k = constructionKind(p.node.init, id.name);
    if (k === 'ai-sdk-create' || k === 'ai-sdk-compatible') providers.add(id.name);
    else if (k) clients.set(id.name, k);
    const ann = id.typeAnnotation?.typeAnnotation;
    if (ann) typed(id.name, ann);
  });
  function typed(name: string, ann: any) {
    if (ann.type !== 'TSTypeReference') return;
    const tn = ann.typeName;
    const callee = tn.type === 'Identifier' ? tn : tn.type === 'TSQualifiedName' ? { type: 'MemberExpression', object: tn.left, property: tn.right } : undefined;
    const r = callee && resolveCallee(callee, bindings);
    const k = r && classify(r.source, r.name);
    if (k) clients.set(name, k);
  }
  root.find(j.AssignmentExpression).forEach((p) => {
    const left: any = p.node.left;
    const target = left.type === 'MemberExpression' && left.object.type === 'ThisExpression' ? `this.${propName(left.property, left.computed)}` : left.type === 'Identifier' ? left.name : undefined;
    const k = constructionKind(p.node.right, target);
    if (!k) return;
    if (left.type === 'MemberExpression' && left.object.type === 'ThisExpression') {
      const n = propName(left.property, left.computed);
      if (n) clients.set(`this.${n}`, k);
    } else if (left.type === 'Identifier') clients.set(left.name, k);
  });
  root.find(j.Node).forEach((p) => {
    const node: any = p.node;
    if (node.type === 'ClassProperty' || node.type === 'PropertyDefinition' || node.type === 'ClassPrivateProperty') {
      const n = propName(node.key, node.computed);
      if (!n) return;
      const k = constructionKind(node.value, `this.${n}`);
      if (k) clients.set(`this.${n}`, k);
      const ann = node.typeAnnotation?.typeAnnotation;
      if (ann) {
        const before = clients.size;
        typed(`this.${n}`, ann);
        if (clients.size === before) return;
      }
    } else if (node.type === 'Identifier' && node.typeAnnotation?.typeAnnotation && (p.parent?.node.type?.includes('Function') || p.parent?.node.type === 'ClassMethod' || p.parent?.node.type === 'ArrowFunctionExpression')) {
      typed(node.name, node.typeAnnotation.typeAnnotation);
    } else if (node.type === 'TSParameterProperty' && node.parameter?.type === 'Identifier' && node.parameter.typeAnnotation) {
      typed(node.parameter.name, node.parameter.typeAnnotation.typeAnnotation);
      const k = clients.get(node.parameter.name);
      if (k) clients.set(`this.${node.parameter.name}`, k);
    }
  });

  // Constructions.
  const constructions = (type: any) =>
    root.find(type).forEach((p: any) => {
      const node = p.node;
      const r = refersToImport(p, node.callee, bindings) ? resolveCallee(node.callee, bindings) : undefined;
      const k = r && classify(r.source, r.name);
      if (!k || k === 'ai-sdk-default') return;
      const callKinds = ['ai-sdk-create', 'ai-sdk-compatible', 'ai-sdk-azure', 'langchain-init'];
      if (node.type === 'CallExpression' && !callKinds.includes(k)) return;
      if (node.type === 'NewExpression' && callKinds.includes(k)) return;
      const s = site(node, 'client', LIB[k], KIND_LABEL[k]);
      s.offset = node.start;
      const opts = node.arguments[0] ? argsOf(node.arguments[0]) : new Map<string, ArgValue>();
      const base = opts?.get('baseURL') ?? opts?.get('basePath') ?? opts?.get('baseUrl');
      if (base) {
        s.features.push('baseURL');
        s.notes.push(`base URL set to ${base.text}${base.kind === 'string' ? ' (hard-coded)' : ''}`);
        s.baseUrl = { text: base.text, hardCoded: base.kind === 'string' };
      }
      const optionNames = opts ? [...opts.keys()] : [];
      let written = unwrap(node.arguments[0]);
      if (written?.type === 'Identifier' && constObjects.has(written.name)) written = constObjects.get(written.name);
      const azure = azureReason(k, optionNames, base?.text, written?.type === 'ObjectExpression' ? source.slice(written.start, written.end) : undefined);
      if (azure) {
        s.verdict = 'unsupported';
        s.features.push('azure');
        s.notes.push(`${azure}: ${AZURE_MESSAGE}`);
      } else if (k === 'langchain-init') {
        const first = stringValue(unwrap(node.arguments[0]));
        s.model = first !== undefined ? { value: first.replace(/^openai:/, ''), from: 'literal' } : modelRef(node.arguments[0]);
        judge(s, 'chat', node.arguments[1] ? argsOf(node.arguments[1]) : new Map());
      } else if (k === 'langchain-embeddings' || k === 'llamaindex-embeddings') {
        s.model = modelRef(findProp(node.arguments[0], 'model') ?? findProp(node.arguments[0], 'modelName'));
        judge(s, 'embeddings', undefined);
      } else if (k === 'langchain-completions') {
        s.model = modelRef(findProp(node.arguments[0], 'model') ?? findProp(node.arguments[0], 'modelName'));
        judge(s, 'legacy-completions', undefined);
        s.notes[0] = "LangChain's OpenAI LLM uses legacy completions, which the proxy doesn't serve: use ChatOpenAI";
      } else if (k === 'langchain-chat' || k === 'llamaindex') {
        s.model = modelRef(findProp(node.arguments[0], 'model') ?? findProp(node.arguments[0], 'modelName'));
        judge(s, 'chat', opts);
      } else if (k === 'openai-bedrock') s.notes.push('BedrockOpenAI already calls Bedrock');
      sites.push(s);
    });
  function findProp(obj: any, name: string): any {
    obj = unwrap(obj);
    if (obj?.type === 'Identifier' && constObjects.has(obj.name)) obj = constObjects.get(obj.name);
    if (obj?.type !== 'ObjectExpression') return undefined;
    const p = obj.properties.find((x: any) => propName(x.key, x.computed) === name);
    return p?.value;
  }
  constructions(j.NewExpression);
  constructions(j.CallExpression);

  // Calls.
  root.find(j.CallExpression).forEach((p) => {
    const node: any = p.node;
    const callee = unwrap(node.callee);
    // AI SDK provider: openai('m'), openai.chat('m'), openai.embedding('m')…
    if (callee.type === 'Identifier' && providers.has(callee.name)) {
      const s = site(node, 'call', 'ai-sdk', `${callee.name}(model)`);
      s.model = modelRef(node.arguments[0]);
      judge(s, 'chat', new Map());
      s.notes.push(`AI SDK 5+ sends ${callee.name}(model) to the Responses API, AI SDK 4 to chat completions: the proxy serves both`);
      push(s, node);
      return;
    }
    // Provider tools: `openai.tools.webSearch({})` runs on OpenAI's side.
    if (callee.type === 'MemberExpression' && callee.object.type === 'MemberExpression' && callee.object.object.type === 'Identifier' && providers.has(callee.object.object.name) && propName(callee.object.property, callee.object.computed) === 'tools') {
      const tool = propName(callee.property, callee.computed) ?? '?';
      const s = site(node, 'call', 'ai-sdk', `${callee.object.object.name}.tools.${tool}`);
      s.features.push('builtin-tools');
      judge(s, 'builtin-tools', undefined);
      push(s, node);
      return;
    }
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && providers.has(callee.object.name)) {
      const method = propName(callee.property, callee.computed) ?? '';
      const s = site(node, 'call', 'ai-sdk', `${callee.object.name}.${method}`);
      s.model = modelRef(node.arguments[0]);
      const group = providerMethodGroup(method);
      if (group === undefined) return;
      judge(s, group, group === 'chat' || group === 'responses' ? new Map() : undefined);
      push(s, node);
      return;
    }
    const c0 = chain(callee);
    if (!c0 || c0.path.length === 0) return;
    // `deps.ai.chat.completions.create`: the receiver is `deps.ai`, the method path the rest.
    let c = c0;
    for (let i = 0; i < c0.path.length; i++) {
      const rest = c0.path.slice(i);
      if (groupOf(rest.join('.')) || (i === 0 && v3Group(rest[0]!))) {
        c = { root: [c0.root, ...c0.path.slice(0, i)].join('.'), rootNode: c0.rootNode, path: rest };
        break;
      }
    }
    const kind = clients.get(c.root);
    const path = c.path.join('.');
    if (kind === 'openai-v3-api') {
      const method = c.path[0]!;
      const group = v3Group(method);
      if (!group || c.path.length !== 1) return;
      const s = site(node, 'call', 'openai-v3', method);
      const args = argsOf(node.arguments[0]);
      s.model = modelRef(findProp(node.arguments[0], 'model'));
      judge(s, group, args);
      s.notes.push('openai v3 SDK: upgrading to openai v4+ is recommended');
      push(s, node);
      return;
    }
    const group = groupOf(path);
    if (!group) return;
    // `app.get(…)`, `axios.post(…)`: raw requests count only on a traced client.
    if (group === 'raw' && kind !== 'openai' && kind !== 'openai-azure') return;
    let confidence: Site['confidence'];
    const importsOpenAI = [...bindings.values()].some((b: Binding) => classify(b.source, b.imported === 'module' ? 'default' : b.imported) === 'openai' || (b.imported === '*' && classify(b.source, 'OpenAI') === 'openai'));
    if (kind === 'openai' || kind === 'openai-azure') confidence = 'certain';
    else if (kind || foreign.has(c.root)) return;
    else if (isDistinctive(path) && importsOpenAI) confidence = 'likely';
    else confidence = 'unverified';
    const s = site(node, 'call', 'openai', path, confidence);
    s.depth = c.path.length;
    const args = node.arguments[0] ? argsOf(node.arguments[0]) : undefined;
    s.model = modelRef(findProp(node.arguments[0], 'model'));
    if (path.endsWith('.parse') && group === 'chat') {
      args?.set('response_format', args.get('response_format') ?? { kind: 'other', text: 'json_schema' });
    }
    judge(s, group === 'raw' ? (rawGroup(stringValue(unwrap(node.arguments[0]))) ?? 'raw') : group, args);
    if (kind === 'openai-azure') s.notes.push('called on an Azure OpenAI client');
    push(s, node);
  });
  for (const ref of classRefs) {
    const s = site(ref.node, 'client', LIB[ref.kind], KIND_LABEL[ref.kind]);
    s.verdict = 'differences';
    s.notes.push(classValueMessage(ref.how, source.slice(ref.node.start, ref.node.end), baseOptionOf(ref.kind)));
    sites.push(s);
  }
  return sites.sort((a, b) => a.line - b.line || a.column - b.column);
}
