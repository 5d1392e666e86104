/**
 * Python half of the client graph (tree-sitter via ast-grep): constructions, where their
 * values flow (names, parameters, `self.x` attributes, return values, imports across
 * modules, wrappers such as `instructor.from_openai`) and what is done with them.
 * Scopes: a name assigned or bound as a parameter in a function is that function's;
 * anything else is the module's.
 */
import { classifyPy, isPyKnownModule, nameAt, PY_LABEL, resolvePyCallee, type PyBindings, type PyClientKind } from '../python/rewrite.js';
import { column, line, pyStringValue, type PyNode } from '../python/parse.js';
import type { Site } from '../scan/verdicts.js';
import { emptyFacts, type FileFacts, type NodeId } from './model.js';
import { CLIENT_COPY_METHODS, isLookalikeSdkSource, lookalikeNames, meaningOfCall, meaningOfHandle, meaningOfRead, orphanCall, RUNTIME_MEMBER } from './uses.js';

/** Calls returning the client they wrap: structured output, tracing. */
const WRAPPERS = new Set(['instructor.from_openai', 'instructor.patch', 'instructor.apatch', 'langsmith.wrappers.wrap_openai', 'langfuse.openai.OpenAI', 'agentops.wrap', 'weave.wrap', 'braintrust.wrap_openai', 'openlit.wrap']);
const HARMLESS = /^(print|isinstance|repr|str|type|id|len|bool|hasattr|getattr|logger\.\w+|logging\.\w+|log\.\w+|pprint|assert\w*)$/;
const TRACKED = new Set<PyClientKind>(['openai', 'openai-azure']);

export interface PyConstruction {
  node: PyNode;
  kind: PyClientKind;
}

export function findPyConstructions(root: PyNode, b: PyBindings): PyConstruction[] {
  const out: PyConstruction[] = [];
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    const r = resolvePyCallee(call.field('function'), b);
    const kind = r && classifyPy(r.module, r.name);
    if (kind) out.push({ node: call, kind });
  }
  return out;
}

export function buildPyFacts(root: PyNode, path: string, display: string, b: PyBindings, sitesByOffset: Map<number, Site>, constructions: PyConstruction[], lineOffset = 0): FileFacts {
  const facts = emptyFacts(path, display, 'py');
  const F = display;
  const start = (n: PyNode) => n.range().start.index;
  const loc = (n: PyNode) => ({ file: F, line: line(n) + lineOffset, column: column(n) });
  const edge = (a: NodeId, c: NodeId): void => {
    facts.edges.push([a, c]);
  };
  const escape = (node: NodeId, at: PyNode, to: string): void => {
    facts.escapes.push({ node, ...loc(at), to });
  };
  const short = (n: PyNode) => n.text().replace(/\s+/g, ' ').slice(0, 60);

  // Functions: keys and parameters.
  const fnKeyOf = new Map<number, string>();
  const fnNodes = root.findAll({ rule: { kind: 'function_definition' } });
  const classOfDef = (fn: PyNode): string | undefined => {
    const block = fn.parent()?.kind() === 'decorated_definition' ? fn.parent()!.parent() : fn.parent();
    const cls = block?.kind() === 'block' ? block.parent() : undefined;
    return cls?.kind() === 'class_definition' ? cls.field('name')?.text() : undefined;
  };
  for (const fn of fnNodes) {
    const name = fn.field('name')?.text() ?? '?';
    const cls = classOfDef(fn);
    const top = fn.parent()?.kind() === 'module' || (fn.parent()?.kind() === 'decorated_definition' && fn.parent()!.parent()?.kind() === 'module');
    const key = cls ? (name === '__init__' ? cls : `${cls}.${name}`) : top ? name : `@${start(fn)}`;
    fnKeyOf.set(start(fn), key);
    const isStatic = fn.parent()?.kind() === 'decorated_definition' && /@staticmethod/.test(fn.parent()!.text().slice(0, start(fn) - start(fn.parent()!)));
    const params: string[] = [];
    for (const p of fn.field('parameters')?.children() ?? []) {
      const k = p.kind();
      let n: string | undefined;
      if (k === 'identifier') n = p.text();
      else if (k === 'typed_parameter') n = p.children().find((c) => c.kind() === 'identifier')?.text();
      else if (k === 'default_parameter' || k === 'typed_default_parameter') n = p.field('name')?.text();
      else continue;
      if (n) params.push(n);
    }
    if (cls && !isStatic) params.shift();
    facts.functions[key] = { key, params };
    for (const n of params) edge(`p:${F}#${key}:${n}`, `v:${F}#${start(fn)}:${n}`);
  }
  for (const cls of root.findAll({ rule: { kind: 'class_definition' } })) {
    const name = cls.field('name')?.text();
    if (name && !facts.functions[name]) facts.functions[name] = { key: name, params: [] };
  }

  // Names each function binds (parameters, assignments, loop and with targets), not nested ones'.
  const declared = new Map<number, Set<string>>();
  const enclosingFn = (n: PyNode): PyNode | undefined => {
    for (let q = n.parent(); q; q = q.parent()) if (q.kind() === 'function_definition') return q;
    return undefined;
  };
  const bound = (fn: PyNode): Set<string> => {
    const k = start(fn);
    let set = declared.get(k);
    if (set) return set;
    set = new Set(facts.functions[fnKeyOf.get(k)!]?.params ?? []);
    for (const p of fn.field('parameters')?.children() ?? []) if (p.kind() === 'identifier') set.add(p.text());
    for (const a of fn.findAll({ rule: { any: [{ kind: 'assignment' }, { kind: 'for_statement' }, { kind: 'as_pattern_target' }] } })) {
      if (enclosingFn(a) && start(enclosingFn(a)!) !== k) continue;
      const target = a.kind() === 'as_pattern_target' ? a : a.field('left');
      if (target?.kind() === 'identifier') set.add(target.text());
      else if (target?.kind() === 'as_pattern_target') set.add(target.text());
      else for (const id of target?.findAll({ rule: { kind: 'identifier' } }) ?? []) if (target?.kind() === 'pattern_list' || target?.kind() === 'tuple_pattern') set.add(id.text());
    }
    const globals = fn.findAll({ rule: { kind: 'global_statement' } }).flatMap((g) => g.children().filter((c) => c.kind() === 'identifier').map((c) => c.text()));
    for (const g of globals) set.delete(g);
    declared.set(k, set);
    return set;
  };
  const scopeOf = (n: PyNode, name: string): string => {
    for (let fn = enclosingFn(n); fn; fn = enclosingFn(fn)) if (bound(fn).has(name)) return String(start(fn));
    return '0';
  };
  const varNode = (at: PyNode, name: string) => `v:${F}#${scopeOf(at, name)}:${name}`;
  const classOf = (n: PyNode): string | undefined => {
    for (let q = n.parent(); q; q = q.parent()) if (q.kind() === 'class_definition') return q.field('name')?.text();
    return undefined;
  };
  const attrNode = (cls: string, name: string) => `a:${F}#${cls}:${name}`;
  const retNode = (key: string) => `r:${F}#${key}`;
  const moduleLevelDefs = new Set(Object.keys(facts.functions).filter((k) => !k.includes('.') && !k.startsWith('@')));

  const callFlow = (call: PyNode, at: number | string, id: NodeId): void => {
    const fn = call.field('function');
    if (!fn) return;
    const label = short(fn);
    const r = resolvePyCallee(fn, b);
    const qualified = r ? `${r.module}.${r.name}` : fn.text();
    if (WRAPPERS.has(qualified)) return flowFrom(call, id);
    if (HARMLESS.test(fn.text())) return;
    const toParam = (key: string) => {
      const info = facts.functions[key];
      const name = typeof at === 'number' ? info?.params[at] : info?.params.includes(at) ? at : undefined;
      if (!info || !name) return escape(id, call, label);
      edge(id, `p:${F}#${key}:${name}`);
    };
    if (fn.kind() === 'identifier') {
      const name = fn.text();
      if (moduleLevelDefs.has(name) && scopeOf(fn, name) === '0') return toParam(name);
      const imp = nameAt(b, name, start(fn));
      if (imp && !isPyKnownModule(imp.module) && scopeOf(fn, name) === '0') {
        facts.externals.push({ ...loc(call), kind: 'call', module: imp.module, name: imp.name, args: [{ at, node: id }], label });
        return;
      }
      return escape(id, call, label);
    }
    if (fn.kind() === 'attribute') {
      const obj = fn.field('object');
      const m = fn.field('attribute')?.text();
      if (obj?.kind() === 'identifier' && m) {
        if (obj.text() === 'self' || obj.text() === 'cls') {
          const cls = classOf(call);
          if (cls && facts.functions[`${cls}.${m}`]) return toParam(`${cls}.${m}`);
        }
        const mod = b.modules.get(obj.text());
        if (mod && !isPyKnownModule(mod)) {
          facts.externals.push({ ...loc(call), kind: 'call', module: mod, name: m, args: [{ at, node: id }], label });
          return;
        }
        const imp = nameAt(b, obj.text(), start(fn));
        if (imp && !isPyKnownModule(imp.module)) {
          // `from app import utils; utils.moderate(client)`: `app.utils` is a module.
          facts.externals.push({ ...loc(call), kind: 'call', module: `${imp.module}.${imp.name}`, name: m, args: [{ at, node: id }], label });
          return;
        }
      }
    }
    escape(id, call, label);
  };

  function flowFrom(n: PyNode, id: NodeId): void {
    let cur = n;
    const members: string[] = [];
    for (let guard = 0; guard < 64; guard++) {
      const parent = cur.parent();
      if (!parent) return;
      const pk = parent.kind();
      const same = (x: PyNode | null | undefined) => !!x && start(x) === start(cur) && x.range().end.index === cur.range().end.index && x.kind() === cur.kind();
      if (pk === 'parenthesized_expression' || pk === 'await' || pk === 'boolean_operator' || (pk === 'conditional_expression' && !same(parent.children()[2]))) {
        cur = parent;
        continue;
      }
      if (pk === 'attribute' && same(parent.field('object'))) {
        const a = parent.field('attribute')?.text();
        if (!a) return;
        members.push(a);
        cur = parent;
        continue;
      }
      if (pk === 'call' && same(parent.field('function'))) {
        if (members.length === 1 && CLIENT_COPY_METHODS.has(members[0]!)) {
          members.length = 0;
          cur = parent;
          continue;
        }
        const site = sitesByOffset.get(start(parent));
        const args = parent.field('arguments');
        const firstArg = args?.children().find((c) => c.isNamed());
        const meaning = meaningOfCall(members, site, pyStringValue(firstArg), args?.text() ?? '');
        if (meaning) facts.uses.push({ node: id, ...loc(parent), api: members.length ? members.join('.') : `${short(n)}(…)`, ...meaning });
        return;
      }
      if (members.length) {
        if (pk === 'assignment' && same(parent.field('left'))) return; // a write, e.g. openai.api_key = …
        if (pk === 'augmented_assignment' && same(parent.field('left'))) return;
        const tested = pk === 'if_statement' || pk === 'not_operator' || pk === 'comparison_operator' || (pk === 'conditional_expression' && !same(parent.children()[0]) && !same(parent.children()[2]));
        const read = meaningOfRead(members);
        const handle = read || tested ? undefined : meaningOfHandle(members);
        if (read) facts.uses.push({ node: id, ...loc(cur), api: `reads ${members.join('.')}`, ...read });
        else if (handle) facts.uses.push({ node: id, ...loc(cur), api: `${members.join('.')} (kept as a handle)`, ...handle });
        return;
      }
      switch (pk) {
        case 'assignment': {
          if (!same(parent.field('right'))) return;
          const left = parent.field('left');
          if (left?.kind() === 'identifier') {
            // A class attribute (`client = OpenAI()` in the class body) is read as `self.client` / `Cls.client`.
            const block = parent.parent()?.kind() === 'expression_statement' ? parent.parent()!.parent() : undefined;
            const cls = block?.kind() === 'block' && block.parent()?.kind() === 'class_definition' ? block.parent()!.field('name')?.text() : undefined;
            if (cls) edge(id, attrNode(cls, left.text()));
            return edge(id, varNode(left, left.text()));
          }
          if (left?.kind() === 'attribute') {
            const obj = left.field('object');
            const a = left.field('attribute')?.text();
            if ((obj?.text() === 'self' || obj?.text() === 'cls') && a) {
              const cls = classOf(parent);
              if (cls) return edge(id, attrNode(cls, a));
            }
            return escape(id, parent, `${short(left)} (stored in another object)`);
          }
          return;
        }
        case 'as_pattern': {
          const target = parent.children().find((c) => c.kind() === 'as_pattern_target');
          if (target && same(parent.children()[0])) edge(id, varNode(target, target.text()));
          return;
        }
        case 'with_item':
          cur = parent;
          continue;
        case 'return_statement': {
          const fn = enclosingFn(parent);
          if (fn) edge(id, retNode(fnKeyOf.get(start(fn))!));
          return;
        }
        case 'argument_list': {
          const call = parent.parent();
          if (call?.kind() !== 'call') return;
          const positional = parent.children().filter((c) => c.isNamed() && c.kind() !== 'comment' && c.kind() !== 'keyword_argument');
          const i = positional.findIndex((c) => same(c));
          if (i < 0) return;
          // `getattr(client, "files")` is `client.files`; `getattr(client, name)` is decided at run time.
          if (i === 0 && call.field('function')?.text() === 'getattr') {
            const attr = pyStringValue(positional[1]);
            if (attr === undefined) {
              facts.uses.push({ node: id, ...loc(call), api: `${short(call)} (an attribute chosen at run time)`, ...RUNTIME_MEMBER });
              return;
            }
            members.push(attr);
            cur = call;
            continue;
          }
          return callFlow(call, i, id);
        }
        case 'keyword_argument': {
          if (!same(parent.field('value'))) return;
          const call = parent.parent()?.parent();
          const name = parent.field('name')?.text();
          if (call?.kind() !== 'call' || !name) return;
          return callFlow(call, name, id);
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          // `def f(c=client)`: the default flows into the parameter.
          const fn = parent.parent()?.parent();
          const name = parent.field('name')?.text();
          if (!same(parent.field('value')) || fn?.kind() !== 'function_definition' || !name) return escape(id, parent, 'a default value');
          return edge(id, `p:${F}#${fnKeyOf.get(start(fn))}:${name}`);
        }
        case 'expression_list': {
          // `a, b = OpenAI(), OpenAI()`: each value goes to the name in the same position.
          const asg = parent.parent();
          const values = parent.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
          const i = values.findIndex((c) => same(c));
          const target = asg?.kind() === 'assignment' && asg.field('right') && start(asg.field('right')!) === start(parent) ? asg.field('left') : undefined;
          const names = target && (target.kind() === 'pattern_list' || target.kind() === 'tuple_pattern') ? target.children().filter((c) => c.isNamed() && c.kind() !== 'comment') : [];
          const name = names.length === values.length ? names[i] : undefined;
          if (name?.kind() === 'identifier') return edge(id, varNode(name, name.text()));
          return escape(id, parent, 'a tuple');
        }
        case 'pair':
          return escape(id, parent, 'a dict');
        case 'list':
        case 'tuple':
        case 'set':
          return escape(id, parent, `a ${pk}`);
        default:
          return;
      }
    }
  }

  for (const c of constructions) {
    const id = `c:${F}#${start(c.node)}`;
    facts.clients.push({
      id,
      offset: start(c.node),
      what: PY_LABEL[c.kind],
      tracked: TRACKED.has(c.kind),
      ...loc(c.node),
      intrinsic: c.kind === 'langchain-completions' ? { served: 'unsupported', note: "LangChain's OpenAI LLM calls legacy completions, which the proxy doesn't serve: use ChatOpenAI" } : undefined,
    });
    flowFrom(c.node, id);
  }

  const pyClassNames = new Set(root.findAll({ rule: { kind: 'class_definition' } }).map((c) => c.field('name')?.text() ?? ''));
  // The module-level client (`openai.api_key = …; openai.ChatCompletion.create(…)`).
  const openaiModule = [...b.modules].find(([, m]) => m === 'openai')?.[0];

  for (const id of root.findAll({ rule: { kind: 'identifier' } })) {
    const parent = id.parent();
    if (!parent) continue;
    const pk = parent.kind();
    const isField = (f: string) => {
      const x = parent.field(f);
      return !!x && start(x) === start(id) && x.kind() === 'identifier';
    };
    if (pk === 'attribute' && isField('attribute')) continue;
    if (pk === 'keyword_argument' && isField('name')) continue;
    if ((pk === 'function_definition' || pk === 'class_definition') && isField('name')) continue;
    if (pk === 'parameters' || pk === 'typed_parameter' || pk === 'default_parameter' || pk === 'typed_default_parameter' || pk === 'lambda_parameters') {
      if (!(pk.endsWith('default_parameter') && isField('value'))) continue;
    }
    if (pk === 'dotted_name' || pk === 'aliased_import' || pk === 'global_statement' || pk === 'nonlocal_statement' || pk === 'as_pattern_target') continue;
    if (pk === 'assignment' && isField('left')) continue;
    if (pk === 'for_statement' && isField('left')) continue;
    const name = id.text();
    if ((name === 'self' || name === 'cls') && pk === 'attribute' && isField('object')) {
      const a = parent.field('attribute')?.text();
      const cls = classOf(id);
      const gp = parent.parent();
      if (gp?.kind() === 'assignment' && start(gp.field('left')!) === start(parent) && gp.field('left')!.kind() === 'attribute') continue;
      if (a && cls) flowFrom(parent, attrNode(cls, a));
      continue;
    }
    // `Store.client.files.create(…)`: a class attribute read through a class of this file.
    if (pyClassNames.has(name) && pk === 'attribute' && isField('object') && scopeOf(id, name) === '0') {
      const a = parent.field('attribute')?.text();
      const gp = parent.parent();
      if (a && !(gp?.kind() === 'assignment' && start(gp.field('left')!) === start(parent))) flowFrom(parent, attrNode(name, a));
      continue;
    }
    flowFrom(id, varNode(id, name));
  }
  if (openaiModule) {
    const uses = facts.uses.filter((u) => u.node === `v:${F}#0:${openaiModule}`);
    const config = new RegExp(`^${openaiModule}\\.(api_base|base_url|api_key|api_type)$`);
    const configured = root.findAll({ rule: { kind: 'assignment' } }).some((a) => config.test(a.field('left')?.text() ?? ''));
    if (uses.length || configured) {
      const id = `c:${F}#module`;
      facts.clients.push({ id, offset: -1, what: 'openai module client', tracked: true, file: F, line: 1 + lineOffset, column: 1 });
      edge(id, `v:${F}#0:${openaiModule}`);
    }
  }

  // Calls whose results carry a value: local functions and functions imported from other modules.
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    const fn = call.field('function');
    if (fn?.kind() === 'identifier') {
      const name = fn.text();
      if (moduleLevelDefs.has(name) && scopeOf(fn, name) === '0') {
        flowFrom(call, retNode(name));
        continue;
      }
      const imp = nameAt(b, name, start(fn));
      if (imp && !isPyKnownModule(imp.module) && scopeOf(fn, name) === '0') {
        const result = `t:${F}#${start(call)}`;
        facts.externals.push({ ...loc(call), kind: 'call', module: imp.module, name: imp.name, args: [], result, label: name });
        flowFrom(call, result);
      }
    } else if (fn?.kind() === 'attribute' && (fn.field('object')?.text() === 'self' || fn.field('object')?.text() === 'cls')) {
      const cls = classOf(call);
      const m = fn.field('attribute')?.text();
      if (cls && m && facts.functions[`${cls}.${m}`]) flowFrom(call, retNode(`${cls}.${m}`));
    }
  }

  // `from app.llm import client`: the other module's value flows into the local name.
  for (const [local, list] of b.all) {
    for (const imp of list) {
      if (isPyKnownModule(imp.module)) continue;
      facts.externals.push({ file: F, line: 1, column: 1, kind: 'import', module: imp.module, name: imp.name, node: `v:${F}#0:${local}` });
      if (list.length === 1) moduleAttributes(local, `${imp.module}.${imp.name}`);
    }
  }
  // `import app.llm as llm` too: `llm.client` is that module's `client`.
  for (const [local, mod] of b.modules) if (local !== mod && !isPyKnownModule(mod)) moduleAttributes(local, mod);

  /** `from app import llm; llm.client.files.create(…)`: each `llm.X` is module `app.llm`'s X (when it is a module of the tree). */
  function moduleAttributes(local: string, mod: string): void {
    const seenNames = new Set<string>();
    for (const attr of root.findAll({ rule: { kind: 'attribute' } })) {
      const obj = attr.field('object');
      const name = attr.field('attribute')?.text();
      if (obj?.kind() !== 'identifier' || obj.text() !== local || !name || scopeOf(obj, local) !== '0') continue;
      const node = `v:${F}#0:${local}.${name}`;
      if (!seenNames.has(name)) {
        seenNames.add(name);
        facts.externals.push({ file: F, line: 1, column: 1, kind: 'import', module: mod, name, node });
      }
      flowFrom(attr, node);
    }
  }
  for (const key of moduleLevelDefs) facts.exportedFunctions[key] = key;
  // Calls the proxy doesn't serve on receivers no client value may reach (a registry entry,
  // a callback's parameter, a property): kept so that the clients reaching this file count them.
  // A receiver made by a look-alike SDK (`anthropic.Anthropic().messages.batches…`) is that SDK's.
  const lookalikes = pyLookalikeNames(root);
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    const names: (string | null)[] = [];
    let cur: PyNode | null = call.field('function');
    for (let guard = 0; cur && guard < 32; guard++) {
      const k = cur.kind();
      if (k === 'parenthesized_expression' || k === 'await') cur = cur.children().find((c) => c.isNamed()) ?? null;
      else if (k === 'attribute') {
        names.unshift(cur.field('attribute')?.text() ?? null);
        cur = cur.field('object');
      } else if (k === 'call' && cur.field('function')?.text() === 'getattr') {
        const args = cur.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
        names.unshift(pyStringValue(args[1]) ?? null);
        cur = args[0] ?? null;
      } else break;
    }
    const args = call.field('arguments');
    const o = orphanCall(names, pyStringValue(args?.children().find((c) => c.isNamed())), '');
    const r = o && pyRootName(cur);
    if (o && !(r !== undefined && lookalikes.has(r))) facts.orphans.push({ node: '', ...loc(call), api: o.api, ...o.meaning });
  }
  return facts;
}

/** The name an expression starts from: `anthropic` in `await anthropic.AsyncAnthropic().files`. */
function pyRootName(node: PyNode | null): string | undefined {
  let cur = node;
  for (let guard = 0; cur && guard < 64; guard++) {
    const k = cur.kind();
    if (k === 'identifier') return cur.text();
    if (k === 'attribute') cur = cur.field('object');
    else if (k === 'call') cur = cur.field('function');
    else if (k === 'await' || k === 'parenthesized_expression') cur = cur.children().find((c) => c.isNamed()) ?? null;
    else return undefined;
  }
  return undefined;
}

/** Names bound to a look-alike SDK's module or members, and variables assigned from them. */
function pyLookalikeNames(root: PyNode): Set<string> {
  const imported: string[] = [];
  for (const stmt of root.findAll({ rule: { kind: 'import_statement' } })) {
    for (const c of stmt.children().filter((x) => x.isNamed())) {
      const dotted = c.kind() === 'aliased_import' ? c.field('name') : c;
      const module = dotted?.text() ?? '';
      if (!isLookalikeSdkSource(module, 'py')) continue;
      imported.push(c.kind() === 'aliased_import' ? (c.field('alias')?.text() ?? '') : module.split('.')[0]!);
    }
  }
  for (const stmt of root.findAll({ rule: { kind: 'import_from_statement' } })) {
    const module = stmt.field('module_name')?.text() ?? '';
    if (!isLookalikeSdkSource(module, 'py')) continue;
    for (const c of stmt.children().filter((x) => x.isNamed()).slice(1)) {
      if (c.kind() === 'aliased_import') imported.push(c.field('alias')?.text() ?? '');
      else if (c.kind() === 'dotted_name') imported.push(c.text());
    }
  }
  const assigned: [string, string][] = [];
  for (const a of root.findAll({ rule: { kind: 'assignment' } })) {
    const left = a.field('left');
    const r = left?.kind() === 'identifier' ? pyRootName(a.field('right')) : undefined;
    if (left && r) assigned.push([left.text(), r]);
  }
  return lookalikeNames(imported.filter(Boolean), assigned);
}
