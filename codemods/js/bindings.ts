/**
 * Local names bound to imports: ESM imports, `require`, and dynamic `import()`.
 * Scope-insensitive on purpose (a file rarely shadows its own SDK import); a local
 * declaration of a class or function with the same name removes the binding.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';

export interface Binding {
  source: string;
  /** Export name; `default`; `*` for an ESM namespace; `module` for a CommonJS module object. */
  imported: string;
  /** The ImportSpecifier / declarator node, for edits. */
  node: any;
}

function stringValue(node: any): string | undefined {
  if (!node) return undefined;
  if ((node.type === 'StringLiteral' || node.type === 'Literal') && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `require('x')`, `import('x')`, `await import('x')` → 'x' (with how it was loaded). */
function moduleSource(node: any): { source: string; dynamic: boolean } | undefined {
  let n = node;
  if (n?.type === 'AwaitExpression') n = n.argument;
  if (n?.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) {
    const s = stringValue(n.arguments[0]);
    return s === undefined ? undefined : { source: s, dynamic: false };
  }
  if (n?.type === 'ImportExpression') {
    const s = stringValue(n.source);
    return s === undefined ? undefined : { source: s, dynamic: true };
  }
  if (n?.type === 'CallExpression' && n.callee.type === 'Import' && n.arguments.length >= 1) {
    const s = stringValue(n.arguments[0]);
    return s === undefined ? undefined : { source: s, dynamic: true };
  }
  return undefined;
}

export function propName(key: any, computed = false): string | undefined {
  if (!key) return undefined;
  if (key.type === 'Identifier' && !computed) return key.name;
  // `#client` (class private fields and `this.#client`): a name of its own, never a string key.
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  return stringValue(key);
}

export function collectBindings(j: JSCodeshift, root: Collection): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  root.find(j.ImportDeclaration).forEach((p) => {
    const source = stringValue(p.node.source);
    if (source === undefined) return;
    for (const s of p.node.specifiers ?? []) {
      const local = (s as any).local?.name as string | undefined;
      if (!local) continue;
      if (s.type === 'ImportDefaultSpecifier') bindings.set(local, { source, imported: 'default', node: s });
      else if (s.type === 'ImportNamespaceSpecifier') bindings.set(local, { source, imported: '*', node: s });
      else if (s.type === 'ImportSpecifier') bindings.set(local, { source, imported: propName((s as any).imported) ?? local, node: s });
    }
  });
  root.find(j.VariableDeclarator).forEach((p) => {
    const node: any = p.node;
    let init = node.init;
    let member: string | undefined;
    // require('openai').OpenAI / (await import('openai')).default
    if (init?.type === 'MemberExpression' || init?.type === 'OptionalMemberExpression') {
      member = propName(init.property, init.computed);
      init = init.object;
    }
    const mod = moduleSource(init);
    if (!mod) return;
    if (node.id.type === 'Identifier') {
      if (member) bindings.set(node.id.name, { source: mod.source, imported: member, node });
      else bindings.set(node.id.name, { source: mod.source, imported: mod.dynamic ? '*' : 'module', node });
    } else if (node.id.type === 'ObjectPattern' && !member) {
      for (const prop of node.id.properties) {
        if (prop.type !== 'ObjectProperty' && prop.type !== 'Property') continue;
        const key = propName(prop.key, prop.computed);
        let value = prop.value;
        if (value?.type === 'AssignmentPattern') value = value.left;
        if (key && value?.type === 'Identifier') bindings.set(value.name, { source: mod.source, imported: key, node });
      }
    }
  });
  // TypeScript `import OpenAI = require('openai')`.
  root.find(j.Node, { type: 'TSImportEqualsDeclaration' } as never).forEach((p) => {
    const node: any = p.node;
    const ref = node.moduleReference;
    const source = ref?.type === 'TSExternalModuleReference' ? stringValue(ref.expression) : undefined;
    if (source !== undefined && node.id?.name) bindings.set(node.id.name, { source, imported: 'module', node });
  });
  // A local class/function of the same name wins (e.g. a hand-written `class OpenAI`).
  root.find(j.ClassDeclaration).forEach((p) => {
    const name = (p.node.id as any)?.name;
    if (name) bindings.delete(name);
  });
  root.find(j.FunctionDeclaration).forEach((p) => {
    const name = (p.node.id as any)?.name;
    if (name) bindings.delete(name);
  });
  return bindings;
}

/** What a callee refers to: `{ source, name }` with `name` the export name. */
export function resolveCallee(callee: any, bindings: Map<string, Binding>): { source: string; name: string } | undefined {
  if (!callee) return undefined;
  if (callee.type === 'TSNonNullExpression' || callee.type === 'ParenthesizedExpression') return resolveCallee(callee.expression, bindings);
  if (callee.type === 'Identifier') {
    const b = bindings.get(callee.name);
    if (!b || b.imported === '*') return undefined;
    return { source: b.source, name: b.imported === 'module' ? 'default' : b.imported };
  }
  if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && callee.object.type === 'Identifier') {
    const b = bindings.get(callee.object.name);
    const name = propName(callee.property, callee.computed);
    if (!b || !name) return undefined;
    if (b.imported === '*' || b.imported === 'module') return { source: b.source, name };
    // `OpenAI.OpenAI` on a default import of the CommonJS-compatible class.
    if (b.imported === 'default' && name !== 'prototype') return { source: b.source, name };
  }
  return undefined;
}

export { stringValue };

/**
 * Whether the callee's root name, where it is used, is the import/require binding itself
 * and not a parameter or local of the same name (`function g(OpenAI) { new OpenAI() }`).
 */
export function refersToImport(path: any, callee: any, bindings: Map<string, Binding>): boolean {
  let head = callee;
  while (head?.type === 'MemberExpression' || head?.type === 'OptionalMemberExpression') head = head.object;
  if (head?.type !== 'Identifier') return true;
  const b = bindings.get(head.name);
  if (!b) return true;
  let scope: any;
  try {
    scope = path.scope?.lookup(head.name);
  } catch {
    return true;
  }
  if (!scope) return true;
  const declared: any[] = scope.getBindings()[head.name] ?? [];
  return declared.length === 0 || declared.some((d) => d.node.start >= b.node.start && d.node.end <= b.node.end);
}

/** Type-only wrappers around a value (`x as T`, `x satisfies T`, `<T>x`, Flow casts, parentheses): the value is the same object. */
const TYPE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'TypeCastExpression', 'ParenthesizedExpression']);

export function stripTypeWrappers(node: any): any {
  let n = node;
  while (n && TYPE_WRAPPERS.has(n.type)) n = n.expression;
  return n;
}

/**
 * Type-only wrappers and calls that return their argument itself (`Object.freeze({ … })`,
 * `Object.seal`, `Object.preventExtensions`): an option literal inside them is still the object
 * the client gets, and an option added to the literal exists before the object is frozen.
 */
export function stripValueWrappers(node: any): any {
  let n = stripTypeWrappers(node);
  while (
    n?.type === 'CallExpression' &&
    n.arguments.length === 1 &&
    n.callee.type === 'MemberExpression' &&
    !n.callee.computed &&
    n.callee.object.type === 'Identifier' &&
    n.callee.object.name === 'Object' &&
    ['freeze', 'seal', 'preventExtensions'].includes(n.callee.property.name)
  ) {
    n = stripTypeWrappers(n.arguments[0]);
  }
  return n;
}

/**
 * 1-based line and 0-based column where a node starts. recast drops `loc` on some nodes
 * (the expression of `export default new OpenAI()`): those are placed from their offset.
 */
export function startOf(node: any, source: string): { line: number; column: number } {
  const loc = node?.loc?.start;
  if (loc) return { line: loc.line, column: loc.column };
  const at: number = typeof node?.start === 'number' ? node.start : 0;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < at; i = source.indexOf('\n', i + 1)) line++;
  return { line, column: at - (source.lastIndexOf('\n', at - 1) + 1) };
}
