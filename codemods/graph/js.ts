/**
 * JS/TS half of the client graph: constructions, where their values flow (variables,
 * parameters, `this.x` fields, return values, exports, imports) and what is done with
 * them (calls, option reads, hand-offs to code that can't be followed).
 * Scoping comes from ast-types (`path.scope.lookup`), so a parameter that shadows a
 * module-level client is a different value.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import { propName, refersToImport, resolveCallee, startOf, stringValue, type Binding } from '../js/bindings.js';
import { classify, isKnownSource, KIND_LABEL, type ClientKind } from '../js/libraries.js';
import type { Site } from '../scan/verdicts.js';
import { emptyFacts, type FileFacts, type NodeId } from './model.js';
import { CLIENT_COPY_METHODS, isLookalikeSdkSource, lookalikeNames, meaningOfCall, meaningOfHandle, meaningOfRead, orphanCall, RUNTIME_MEMBER } from './uses.js';

/** Calls that hand back the client they are given (tracing/structured-output wrappers). */
const WRAPPERS: Record<string, Set<string>> = {
  'langsmith/wrappers': new Set(['wrapOpenAI', 'wrapSDK']),
  'langsmith/wrappers/openai': new Set(['wrapOpenAI']),
  langfuse: new Set(['observeOpenAI']),
  'langfuse-langchain': new Set(['observeOpenAI']),
  '@instructor-ai/instructor': new Set(['default', 'Instructor']),
  'helicone': new Set(['wrap']),
  '@braintrust/core': new Set(['wrapOpenAI']),
  braintrust: new Set(['wrapOpenAI']),
  'openai-edge-compat': new Set(['default']),
};
const HARMLESS = /^(console\.\w+|JSON\.stringify|String|Boolean|expect|assert(\.\w+)?|log|logger\.\w+|debug)$/;

/** Client kinds whose values are followed (any endpoint is reachable through them). */
const TRACKED = new Set<ClientKind>(['openai', 'openai-azure', 'openai-v3-api', 'openai-v3-config', 'ai-sdk-create', 'ai-sdk-default', 'ai-sdk-compatible']);

export interface JsConstruction {
  node: any;
  kind: ClientKind;
  /** The AI SDK default provider import specifier, for `ai-sdk-default`. */
  spec?: any;
  path?: any;
}

const unwrapTypes = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'TSNonNullExpression', 'ParenthesizedExpression', 'AwaitExpression', 'TypeCastExpression', 'ChainExpression']);

/** Client constructions, the same list the rewrite edits (so their offsets agree). */
export function findConstructions(j: JSCodeshift, root: Collection, bindings: Map<string, Binding>): JsConstruction[] {
  const out: JsConstruction[] = [];
  root.find(j.NewExpression).forEach((p) => {
    const r = refersToImport(p, p.node.callee, bindings) ? resolveCallee(p.node.callee, bindings) : undefined;
    const kind = r && classify(r.source, r.name);
    if (kind && kind !== 'ai-sdk-create' && kind !== 'ai-sdk-default' && kind !== 'ai-sdk-compatible' && kind !== 'langchain-init') out.push({ node: p.node, kind, path: p });
  });
  root.find(j.CallExpression).forEach((p) => {
    const r = refersToImport(p, p.node.callee, bindings) ? resolveCallee(p.node.callee, bindings) : undefined;
    const kind = r && classify(r.source, r.name);
    if (kind === 'ai-sdk-create' || kind === 'ai-sdk-compatible' || kind === 'langchain-init' || kind === 'ai-sdk-azure') out.push({ node: p.node, kind, path: p });
  });
  root.find(j.ImportDeclaration, { source: { value: '@ai-sdk/openai' } }).forEach((p) => {
    const decl: any = p.node;
    if (decl.importKind === 'type') return;
    for (const s of decl.specifiers ?? []) {
      if (s.type === 'ImportSpecifier' && propName(s.imported) === 'openai' && s.importKind !== 'type') out.push({ node: s, kind: 'ai-sdk-default', spec: s });
    }
  });
  return out.sort((a, b) => a.node.start - b.node.start);
}

/** Kinds built with a call rather than `new`, and the AI SDK default provider (an instance already). */
const NOT_CLASSES = new Set<ClientKind>(['ai-sdk-create', 'ai-sdk-default', 'ai-sdk-compatible', 'langchain-init', 'ai-sdk-azure']);
/** Calls that take a class only to test, mock or name it (`toBeInstanceOf(OpenAI)`, `vi.mocked(OpenAI)`, a DI token in `@Inject(OpenAI)`). */
const TYPE_ONLY_CALLEE = /instance|mock|spy|type|assert|^inject$/i;

export interface ClassValueRef {
  node: any;
  kind: ClientKind;
  /** `extends`: a subclass; `reexport`: exported for other modules to build; otherwise handed on as a value. */
  how: 'extends' | 'value' | 'reexport';
}

/**
 * Client classes used as values instead of with `new` here: `class Traced extends OpenAI`,
 * `const Ctor = OpenAI`, `{ useClass: OpenAI }`, `register(OpenAI)`. The client such code
 * builds is out of sight (and `super(…)` runs with options of the subclass's callers), so it
 * would stay pointed at OpenAI without a word: scan and rewrite report each one as manual work.
 */
export function findClassValueRefs(j: JSCodeshift, root: Collection, bindings: Map<string, Binding>): ClassValueRef[] {
  const out: ClassValueRef[] = [];
  const consider = (p: any) => {
    const node = p.node;
    const parent = p.parent?.node;
    if (!parent) return;
    let how: ClassValueRef['how'] | undefined;
    switch (parent.type) {
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (parent.superClass === node) how = 'extends';
        break;
      case 'VariableDeclarator':
        if (parent.init === node) how = 'value';
        break;
      case 'ObjectProperty':
      case 'Property':
        if (parent.value === node && p.parent.parent?.node.type === 'ObjectExpression') how = 'value';
        break;
      case 'ArrayExpression':
      case 'ReturnStatement':
      case 'ConditionalExpression':
      case 'ExportDefaultDeclaration':
        if (parent.test !== node) how = 'value';
        break;
      case 'LogicalExpression':
        // `OpenAI && …` tests it; `x ?? OpenAI` hands it on.
        if (parent.right === node) how = 'value';
        break;
      case 'AssignmentExpression':
        if (parent.right === node) how = 'value';
        break;
      case 'ArrowFunctionExpression':
        if (parent.body === node) how = 'value';
        break;
      case 'CallExpression':
      case 'NewExpression': {
        if (parent.callee === node || !parent.arguments.includes(node)) break;
        const callee = parent.callee;
        const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? (propName(callee.property, callee.computed) ?? '') : '';
        if (!TYPE_ONLY_CALLEE.test(name)) how = 'value';
        break;
      }
    }
    if (!how) return;
    const r = resolveCallee(node, bindings);
    const kind = r && classify(r.source, r.name);
    // The scope lookup last: it is the costly part, and most names are not imports.
    if (kind && !NOT_CLASSES.has(kind) && refersToImport(p, node, bindings)) out.push({ node, kind, how });
  };
  root.find(j.Identifier).forEach(consider);
  root.find(j.MemberExpression).forEach(consider);
  // Re-exports (`export { default as OpenAI } from 'openai'`, `export * from 'openai'`,
  // `export { OpenAI }`): the modules importing them are not followed to the SDK.
  const reexport = (node: any, source: string, name: string) => {
    const kind = classify(source, name);
    if (kind && !NOT_CLASSES.has(kind)) out.push({ node, kind, how: 'reexport' });
  };
  root.find(j.ExportNamedDeclaration).forEach((p) => {
    const decl: any = p.node;
    if (decl.exportKind === 'type') return;
    const source = stringValue(decl.source);
    for (const spec of decl.specifiers ?? []) {
      if (spec.type !== 'ExportSpecifier' || spec.exportKind === 'type') continue;
      const local = propName(spec.local) ?? '';
      if (source !== undefined) reexport(spec, source, local);
      else {
        const r = resolveCallee(spec.local, bindings);
        if (r) reexport(spec, r.source, r.name);
      }
    }
  });
  root.find(j.ExportAllDeclaration).forEach((p) => {
    const source = stringValue((p.node as any).source);
    if (source === undefined || (p.node as any).exportKind === 'type') return;
    const kind = classify(source, 'OpenAI') ?? classify(source, 'ChatOpenAI');
    if (kind && !NOT_CLASSES.has(kind)) out.push({ node: p.node, kind, how: 'reexport' });
  });
  return out.sort((a, b) => a.node.start - b.node.start);
}

export function buildJsFacts(
  j: JSCodeshift,
  root: Collection,
  source: string,
  path: string,
  display: string,
  bindings: Map<string, Binding>,
  sitesByNode: Map<any, Site>,
  constructions: JsConstruction[],
): FileFacts {
  const facts = emptyFacts(path, display, 'js');
  const F = display;
  const text = (n: any) => source.slice(n.start, n.end).replace(/\s+/g, ' ').slice(0, 60);
  const loc = (n: any) => ({ file: F, line: startOf(n, source).line, column: startOf(n, source).column + 1 });
  const edge = (a: NodeId, b: NodeId): void => {
    facts.edges.push([a, b]);
  };

  // Functions and classes: keys, parameter names, and the scope node of each function.
  const fnKey = new Map<any, string>();
  const classOf = (p: any): string | undefined => {
    for (let q = p.parent; q; q = q.parent) {
      const t = q.node.type;
      if (t === 'ClassDeclaration' || t === 'ClassExpression') return q.node.id?.name ?? `class@${q.node.start}`;
      if (t === 'FunctionDeclaration' || t === 'FunctionExpression') return undefined; // `this` rebinds
    }
    return undefined;
  };
  const paramNames = (fn: any): string[] =>
    fn.params.map((p: any) => {
      let q = p;
      if (q.type === 'TSParameterProperty') q = q.parameter;
      if (q.type === 'AssignmentPattern') q = q.left;
      return q.type === 'Identifier' ? q.name : q.type === 'ObjectPattern' ? '{}' : '?';
    });
  const declareFn = (fn: any, key: string) => {
    fnKey.set(fn, key);
    facts.functions[key] = { key, params: paramNames(fn) };
  };
  root.find(j.Function).forEach((p) => {
    const n: any = p.node;
    const parent: any = p.parent?.node;
    let key: string | undefined;
    if (n.type === 'FunctionDeclaration' && n.id) key = n.id.name;
    else if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') key = parent.id.name;
    else if (n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod' || (n.type === 'FunctionExpression' && parent?.type === 'MethodDefinition')) {
      const cls = classOf(p) ?? `class@${n.start}`;
      const m = n.type === 'FunctionExpression' ? parent : n;
      const name = propName(m.key, m.computed) ?? `@${n.start}`;
      key = name === 'constructor' ? cls : `${cls}.${name}`;
    }
    declareFn(n, key ?? `@${n.start}`);
  });
  const classNames = new Set<string>();
  // A class without an explicit constructor still takes `new C()`.
  root.find(j.ClassDeclaration).forEach((p) => {
    if ((p.node.id as any)?.name) classNames.add((p.node.id as any).name);
    const name = (p.node.id as any)?.name;
    if (name && !facts.functions[name]) facts.functions[name] = { key: name, params: [] };
  });
  const enclosingFn = (p: any): any => {
    for (let q = p.parent; q; q = q.parent) if (fnKey.has(q.node)) return q.node;
    return undefined;
  };

  const scopeOf = (p: any, name: string): string => {
    let s: any;
    try {
      s = p.scope?.lookup(name);
    } catch {
      s = undefined;
    }
    if (!s || s.isGlobal) return '0';
    return String(s.node.start);
  };
  const varNode = (p: any, name: string) => `v:${F}#${scopeOf(p, name)}:${name}`;
  const attrNode = (cls: string, name: string) => `a:${F}#${cls}:${name}`;
  const retNode = (key: string) => `r:${F}#${key}`;
  const paramNode = (key: string, name: string) => `p:${F}#${key}:${name}`;

  // Parameters flow into the function's own variables.
  for (const [fn, key] of fnKey) {
    const names = facts.functions[key]!.params;
    fn.params.forEach((param: any, i: number) => {
      const name = names[i]!;
      if (name === '{}') {
        let obj = param.type === 'AssignmentPattern' ? param.left : param;
        for (const prop of obj.properties ?? []) {
          const k = propName(prop.key, prop.computed);
          let v = prop.value;
          if (v?.type === 'AssignmentPattern') v = v.left;
          if (k && v?.type === 'Identifier') edge(paramNode(key, `${i}.${k}`), `v:${F}#${fn.start}:${v.name}`);
        }
        return;
      }
      if (name === '?') return;
      edge(paramNode(key, name), `v:${F}#${fn.start}:${name}`);
      if (param.type === 'TSParameterProperty') {
        const cls = key.split('.')[0]!;
        edge(paramNode(key, name), attrNode(cls, name));
      }
    });
  }

  // Local functions/classes by name (module level), for calls inside this file.
  const localFns = new Map<string, string>();
  for (const key of Object.keys(facts.functions)) if (!key.includes('.') && !key.startsWith('@')) localFns.set(key, key);

  const escape = (node: NodeId, at: any, to: string): void => {
    facts.escapes.push({ node, ...loc(at), to });
  };

  /** The value of `args[i]` (or of property `key` of an object literal there) flows into a call. */
  const callFlow = (callPath: any, i: number, key: string | undefined, id: NodeId) => {
    const call = callPath.node;
    let callee = call.callee;
    while (unwrapTypes.has(callee?.type)) callee = callee.expression;
    const label = `${call.type === 'NewExpression' ? 'new ' : ''}${text(callee)}`;
    const r = resolveCallee(callee, bindings);
    // Same client, wrapped (tracing, structured output), or an openai v3 Configuration made into a client.
    if (r && (WRAPPERS[r.source]?.has(r.name) || classify(r.source, r.name) === 'openai-v3-api')) return flowFrom(callPath, id);
    if (HARMLESS.test(text(callee))) return;
    const toParam = (fnk: string) => {
      const info = facts.functions[fnk];
      const name = info?.params[i];
      if (!info || !name || name === '?') return escape(id, call, label);
      if (key !== undefined) {
        if (name === '{}') return edge(id, paramNode(fnk, `${i}.${key}`));
        return escape(id, call, `${label} (inside an object)`);
      }
      if (name === '{}') return escape(id, call, label);
      edge(id, paramNode(fnk, name));
    };
    if (callee?.type === 'Identifier') {
      const b = bindings.get(callee.name);
      if (b && scopeOf(callPath, callee.name) === '0') {
        if (isKnownSource(b.source)) return escape(id, call, label);
        facts.externals.push({ ...loc(call), kind: call.type === 'NewExpression' ? 'new' : 'call', module: b.source, name: b.imported === 'module' ? 'default' : b.imported, args: [{ at: key === undefined ? i : `${i}.${key}`, node: id }], label });
        return;
      }
      if (localFns.has(callee.name) && scopeOf(callPath, callee.name) === '0') return toParam(localFns.get(callee.name)!);
      return escape(id, call, label);
    }
    if (callee?.type === 'MemberExpression' && !callee.computed) {
      const m = propName(callee.property);
      if (callee.object.type === 'ThisExpression') {
        const cls = classOf(callPath);
        if (cls && m && facts.functions[`${cls}.${m}`]) return toParam(`${cls}.${m}`);
      }
      if (callee.object.type === 'Identifier' && m) {
        const b = bindings.get(callee.object.name);
        if (b && (b.imported === '*' || b.imported === 'module') && !isKnownSource(b.source)) {
          facts.externals.push({ ...loc(call), kind: 'call', module: b.source, name: m, args: [{ at: key === undefined ? i : `${i}.${key}`, node: id }], label });
          return;
        }
      }
    }
    escape(id, call, label);
  };

  const assignTo = (left: any, at: any, id: NodeId, p: any) => {
    if (left.type === 'Identifier') return edge(id, varNode(p, left.name));
    if (left.type === 'MemberExpression') {
      const name = propName(left.property, left.computed);
      if (left.object.type === 'ThisExpression' && name) {
        const cls = classOf(p);
        if (cls) return edge(id, attrNode(cls, name));
      }
      // `Store.client = new OpenAI()`: a static field of a class of this file.
      if (left.object.type === 'Identifier' && classNames.has(left.object.name) && name && scopeOf(p, left.object.name) === '0') return edge(id, attrNode(left.object.name, name));
      const lt = text(left);
      if (lt === 'module.exports') return edge(id, `x:${F}#default`);
      const m = /^(?:module\.)?exports\.(\w+)$/.exec(lt);
      if (m) return edge(id, `x:${F}#${m[1]}`);
      return escape(id, at, `${lt} (stored in another object)`);
    }
  };

  /** Follows a value expression up its parents: where it is stored, passed, returned or used. */
  function flowFrom(p: any, id: NodeId): void {
    let cur = p;
    const members: string[] = [];
    for (let guard = 0; guard < 64; guard++) {
      const parent = cur.parent;
      const pn = parent?.node;
      const n = cur.node;
      if (!pn) return;
      if (unwrapTypes.has(pn.type) || pn.type === 'LogicalExpression' || (pn.type === 'ConditionalExpression' && pn.test !== n) || (pn.type === 'SequenceExpression' && pn.expressions[pn.expressions.length - 1] === n)) {
        cur = parent;
        continue;
      }
      if ((pn.type === 'MemberExpression' || pn.type === 'OptionalMemberExpression') && pn.object === n) {
        const name = propName(pn.property, pn.computed);
        if (!name) {
          // `client[resource].create(…)`: which API is called is decided at run time.
          if (pn.computed) facts.uses.push({ node: id, ...loc(pn), api: `${text(pn)} (a member chosen at run time)`, ...RUNTIME_MEMBER });
          return;
        }
        members.push(name);
        cur = parent;
        continue;
      }
      if ((pn.type === 'CallExpression' || pn.type === 'OptionalCallExpression') && pn.callee === n) {
        if (members.length === 1 && CLIENT_COPY_METHODS.has(members[0]!)) {
          members.length = 0;
          cur = parent;
          continue;
        }
        const site = sitesByNode.get(pn);
        const first = pn.arguments[0] ? stringValue(pn.arguments[0]) : undefined;
        const argText = pn.arguments.map((a: any) => source.slice(a.start, a.end)).join(',');
        const meaning = meaningOfCall(members, site, first, argText);
        if (meaning) facts.uses.push({ node: id, ...loc(pn), api: members.length ? members.join('.') : `${text(p.node)}(…)`, ...meaning });
        return;
      }
      if (members.length) {
        const tested = pn.type === 'IfStatement' || pn.type === 'UnaryExpression' || pn.type === 'BinaryExpression' || (pn.type === 'ConditionalExpression' && pn.test === n);
        const read = meaningOfRead(members);
        const handle = read || tested ? undefined : meaningOfHandle(members);
        if (read) facts.uses.push({ node: id, ...loc(n), api: `reads ${members.join('.')}`, ...read });
        else if (handle) facts.uses.push({ node: id, ...loc(n), api: `${members.join('.')} (kept as a handle)`, ...handle });
        return;
      }
      switch (pn.type) {
        case 'VariableDeclarator':
          if (pn.init === n && pn.id.type === 'Identifier') edge(id, varNode(parent, pn.id.name));
          // `const { files, chat } = client`: each key is a resource handle; a rest element holds the others.
          else if (pn.init === n && pn.id.type === 'ObjectPattern') {
            for (const prop of pn.id.properties) {
              if (prop.type === 'RestElement') {
                escape(id, pn, `${text(prop)} (a rest element)`);
                continue;
              }
              const key = propName(prop.key, prop.computed);
              const meaning = key ? meaningOfHandle([key]) : undefined;
              if (meaning) facts.uses.push({ node: id, ...loc(prop), api: `${key} (kept as a handle)`, ...meaning });
            }
          }
          return;
        case 'AssignmentExpression':
          if (pn.right === n) assignTo(pn.left, pn, id, parent);
          return;
        case 'AssignmentPattern': {
          // `function f(c = client)`: the default flows into the parameter.
          const fn = parent.parent?.node;
          if (pn.right !== n) return;
          if (pn.left.type === 'Identifier' && fn && fnKey.has(fn) && fn.params.includes(pn)) return edge(id, paramNode(fnKey.get(fn)!, pn.left.name));
          return escape(id, pn, 'a default value');
        }
        case 'ReturnStatement': {
          const fn = enclosingFn(parent);
          if (fn) edge(id, retNode(fnKey.get(fn)!));
          return;
        }
        case 'ArrowFunctionExpression':
          if (pn.body === n) edge(id, retNode(fnKey.get(pn)!));
          return;
        case 'CallExpression':
        case 'NewExpression':
        case 'OptionalCallExpression':
          return callFlow(parent, pn.arguments.indexOf(n), undefined, id);
        case 'ObjectProperty':
        case 'Property': {
          if (pn.value !== n) return;
          const key = propName(pn.key, pn.computed) ?? '?';
          const obj = parent.parent;
          const holder = obj?.parent;
          const hn = holder?.node;
          if ((hn?.type === 'CallExpression' || hn?.type === 'NewExpression') && hn.arguments.includes(obj.node)) {
            const r = resolveCallee(hn.callee, bindings);
            if (r && WRAPPERS[r.source]?.has(r.name)) return flowFrom(holder, id); // Instructor({ client })
            return callFlow(holder, hn.arguments.indexOf(obj.node), key, id);
          }
          if (hn?.type === 'AssignmentExpression' && text(hn.left) === 'module.exports') return edge(id, `x:${F}#${key}`);
          if (hn?.type === 'ExportDefaultDeclaration') return edge(id, `x:${F}#default.${key}`);
          return escape(id, pn, `an object property '${key}'`);
        }
        case 'ClassProperty':
        case 'PropertyDefinition':
        case 'ClassPrivateProperty': {
          if (pn.value !== n) return;
          const cls = classOf(parent) ?? classOf(cur);
          const name = propName(pn.key, pn.computed);
          if (cls && name) edge(id, attrNode(cls, name));
          return;
        }
        case 'ExportDefaultDeclaration':
          edge(id, `x:${F}#default`);
          return;
        case 'ArrayExpression':
          return escape(id, pn, 'an array');
        case 'SpreadElement':
          return escape(id, pn, 'a spread');
        default:
          return;
      }
    }
  }

  // Constructions.
  for (const c of constructions) {
    const id = `c:${F}#${c.node.start}`;
    const kind = c.kind;
    facts.clients.push({ id, offset: c.node.start, what: KIND_LABEL[kind], tracked: TRACKED.has(kind), ...loc(c.node) });
    if (kind === 'ai-sdk-default') {
      edge(id, `v:${F}#0:${c.node.local.name}`);
      continue;
    }
    if (c.path) flowFrom(c.path, id);
  }

  // References to names and `this.x` fields, and calls whose results carry a value.
  root.find(j.Identifier).forEach((p) => {
    const n: any = p.node;
    if (n.name === 'undefined' || !isReference(p)) return;
    // `Store.client.files.create(…)`: a static field of a class of this file.
    const pn: any = p.parent?.node;
    if (classNames.has(n.name) && pn?.type === 'MemberExpression' && pn.object === n && scopeOf(p, n.name) === '0') {
      const name = propName(pn.property, pn.computed);
      const asg: any = p.parent.parent?.node;
      if (name && !(asg?.type === 'AssignmentExpression' && asg.left === pn)) flowFrom(p.parent, attrNode(n.name, name));
      return;
    }
    flowFrom(p, varNode(p, n.name));
  });
  root.find(j.ThisExpression).forEach((p) => {
    const pn: any = p.parent?.node;
    if (pn?.type !== 'MemberExpression' || pn.object !== p.node) return;
    const name = propName(pn.property, pn.computed);
    const cls = classOf(p);
    if (!name || !cls) return;
    if (p.parent.parent?.node.type === 'AssignmentExpression' && p.parent.parent.node.left === pn) return;
    flowFrom(p.parent, attrNode(cls, name));
  });
  root.find(j.CallExpression).forEach((p) => {
    let callee: any = p.node.callee;
    while (unwrapTypes.has(callee?.type)) callee = callee.expression;
    if (callee?.type === 'Identifier') {
      const local = localFns.get(callee.name);
      if (local && scopeOf(p, callee.name) === '0') return flowFrom(p, retNode(local));
      const b = bindings.get(callee.name);
      if (b && !isKnownSource(b.source) && scopeOf(p, callee.name) === '0') {
        const result = `t:${F}#${(p.node as any).start}`;
        facts.externals.push({ ...loc(p.node), kind: 'call', module: b.source, name: b.imported === 'module' ? 'default' : b.imported, args: [], result, label: text(callee) });
        flowFrom(p, result);
      }
    } else if (callee?.type === 'MemberExpression' && callee.object.type === 'ThisExpression') {
      const cls = classOf(p);
      const m = propName(callee.property, callee.computed);
      if (cls && m && facts.functions[`${cls}.${m}`]) flowFrom(p, retNode(`${cls}.${m}`));
    }
  });

  // Imports from other modules: their exported values flow into the local names.
  for (const [local, b] of bindings) {
    if (isKnownSource(b.source)) continue;
    if (b.imported === '*' || b.imported === 'module') {
      // `import * as llm from './llm'` / `const llm = require('./llm')`: each `llm.client` is that module's export.
      const seenNames = new Set<string>();
      root.find(j.MemberExpression, { object: { type: 'Identifier', name: local } }).forEach((mp) => {
        const name = propName(mp.node.property, mp.node.computed);
        if (!name || scopeOf(mp, local) !== '0') return;
        const node = `v:${F}#0:${local}.${name}`;
        if (!seenNames.has(name)) {
          seenNames.add(name);
          facts.externals.push({ file: F, line: b.node.loc?.start.line ?? 0, column: 1, kind: 'import', module: b.source, name, node });
        }
        flowFrom(mp, node);
      });
      continue;
    }
    facts.externals.push({ file: F, line: b.node.loc?.start.line ?? 0, column: 1, kind: 'import', module: b.source, name: b.imported, node: `v:${F}#0:${local}` });
  }

  // Exports.
  root.find(j.ExportNamedDeclaration).forEach((p) => {
    const d: any = p.node.declaration;
    if (d?.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.type === 'Identifier') facts.exports[v.id.name] = `v:${F}#0:${v.id.name}`;
    if ((d?.type === 'FunctionDeclaration' || d?.type === 'ClassDeclaration') && d.id) facts.exportedFunctions[d.id.name] = d.id.name;
    if (!p.node.source) {
      for (const s of p.node.specifiers ?? []) {
        const localName = (s as any).local?.name;
        const exported = propName((s as any).exported);
        if (!localName || !exported) continue;
        if (localFns.has(localName)) facts.exportedFunctions[exported] = localName;
        else facts.exports[exported] = `v:${F}#0:${localName}`;
      }
    }
  });
  root.find(j.ExportDefaultDeclaration).forEach((p) => {
    const d: any = p.node.declaration;
    if ((d?.type === 'FunctionDeclaration' || d?.type === 'ClassDeclaration') && d.id) facts.exportedFunctions.default = d.id.name;
    else if (d?.type === 'Identifier' && localFns.has(d.name)) facts.exportedFunctions.default = d.name;
    else facts.exports.default = `x:${F}#default`;
  });
  root.find(j.AssignmentExpression).forEach((p) => {
    const lt = text(p.node.left);
    const right: any = p.node.right;
    if (lt === 'module.exports') {
      if (right.type === 'Identifier' && localFns.has(right.name)) facts.exportedFunctions.default = right.name;
      else facts.exports.default = `x:${F}#default`;
      if (right.type === 'ObjectExpression') {
        for (const prop of right.properties) {
          const k = propName(prop.key, prop.computed);
          const v = prop.value;
          if (k && v?.type === 'Identifier' && localFns.has(v.name)) facts.exportedFunctions[k] = v.name;
          else if (k) facts.exports[k] = `x:${F}#${k}`;
        }
      }
    }
    const m = /^(?:module\.)?exports\.(\w+)$/.exec(lt);
    if (m) {
      if (right.type === 'Identifier' && localFns.has(right.name)) facts.exportedFunctions[m[1]!] = right.name;
      else facts.exports[m[1]!] = `x:${F}#${m[1]}`;
    }
  });
  // Calls the proxy doesn't serve on receivers no client value reached (a registry entry, a
  // callback's parameter, an awaited getter): kept so that the clients reaching this file count them.
  // A receiver made by a look-alike SDK (`google.drive(…).files.create`) is that SDK's.
  const assigned: [string, string][] = [];
  root.find(j.VariableDeclarator).forEach((p: any) => {
    const r = p.node.id?.type === 'Identifier' ? rootName(p.node.init) : undefined;
    if (r) assigned.push([p.node.id.name, r]);
  });
  root.find(j.AssignmentExpression).forEach((p: any) => {
    const r = p.node.left?.type === 'Identifier' ? rootName(p.node.right) : undefined;
    if (r) assigned.push([p.node.left.name, r]);
  });
  const lookalikes = lookalikeNames(
    [...bindings].filter(([, b]) => isLookalikeSdkSource(b.source, 'js')).map(([name]) => name),
    assigned,
  );
  const orphan = (p: any) => {
    const call: any = p.node;
    const names: (string | null)[] = [];
    let cur: any = call.callee;
    while (unwrapTypes.has(cur?.type)) cur = cur.expression ?? cur.argument;
    while (cur?.type === 'MemberExpression' || cur?.type === 'OptionalMemberExpression') {
      names.unshift(propName(cur.property, cur.computed) ?? null);
      cur = cur.object;
      while (unwrapTypes.has(cur?.type)) cur = cur.expression ?? cur.argument;
    }
    const first = call.arguments[0] ? stringValue(call.arguments[0]) : undefined;
    const o = orphanCall(names, first, '');
    const r = o && rootName(cur);
    if (o && !(r !== undefined && lookalikes.has(r))) facts.orphans.push({ node: '', ...loc(call), api: o.api, ...o.meaning });
  };
  root.find(j.CallExpression).forEach(orphan);
  root.find(j.OptionalCallExpression).forEach(orphan);
  return facts;
}

/** Whether an identifier reads a value (not a declaration, key, label or type). */
/** The identifier an expression starts from: `google` in `await google.drive({…}).files`, `Stripe` in `new Stripe(k)`. */
function rootName(node: any): string | undefined {
  let cur = node;
  for (let guard = 0; cur && guard < 64; guard++) {
    if (unwrapTypes.has(cur.type)) cur = cur.expression ?? cur.argument;
    else if (cur.type === 'MemberExpression' || cur.type === 'OptionalMemberExpression') cur = cur.object;
    else if (cur.type === 'CallExpression' || cur.type === 'OptionalCallExpression' || cur.type === 'NewExpression') cur = cur.callee;
    else return cur.type === 'Identifier' ? cur.name : undefined;
  }
  return undefined;
}

function isReference(p: any): boolean {
  const n = p.node;
  const pn = p.parent?.node;
  if (!pn) return false;
  switch (pn.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return pn.object === n || pn.computed;
    case 'ObjectProperty':
    case 'Property':
      if (p.parent.parent?.node.type === 'ObjectPattern') return false;
      return pn.value === n || pn.computed;
    case 'VariableDeclarator':
      return pn.init === n;
    case 'AssignmentExpression':
      return pn.right === n;
    case 'AssignmentPattern':
      return pn.right === n;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
    case 'ObjectMethod':
      return pn.body === n;
    case 'ClassProperty':
    case 'PropertyDefinition':
    case 'ClassPrivateProperty':
      return pn.value === n;
    case 'ClassDeclaration':
    case 'ClassExpression':
      return pn.superClass === n;
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
    case 'TSNonNullExpression':
      return pn.expression === n;
    case 'ExportSpecifier':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'RestElement':
    case 'ArrayPattern':
    case 'CatchClause':
    case 'UpdateExpression':
    case 'MetaProperty':
    case 'MethodDefinition':
    case 'ExportNamespaceSpecifier':
      return false;
    default:
      return !pn.type.startsWith('TS') && !pn.type.startsWith('JSX');
  }
}
