/**
 * The client-value graph, language-neutral. Each file's analysis (graph/js.ts,
 * graph/py.ts) describes where client values are made (constructions), where they flow
 * (edges between value nodes: variables, parameters, attributes, return values, exports)
 * and what is done with them (uses: API calls, option reads; escapes: passed into code
 * that can't be followed). `link.ts` joins the files; `solve()` walks from each
 * construction and decides, once for scan and rewrite alike, whether it may be repointed.
 */

export type Served = 'served' | 'verify' | 'unsupported';

/** A value node id. Prefixes: c: construction, v: variable, p: parameter, a: attribute, r: return value, x: export, m: module client, t: call result. */
export type NodeId = string;

export interface Loc {
  /** Display path. */
  file: string;
  line: number;
  column: number;
}

export interface Use extends Loc {
  node: NodeId;
  /** `files.create`, `(model)`, `reads base_url`… */
  api: string;
  served: Served;
  /** Why, for reports. */
  note: string;
}

export interface Escape extends Loc {
  node: NodeId;
  /** What the client is handed to, as written (`moderate`, `new Agent`, `obj.items`). */
  to: string;
}

/** A call to, or use of, a name another module exports. */
export interface ExternalRef extends Loc {
  /** Import specifier as written (`./svc`, `app.utils`, `.helpers`). */
  module: string;
  /** Export name (`default` for default imports). */
  name: string;
  /** `import`: the export's value flows into `node`. `call`/`new`: args flow into the callee's parameters and its result into `result`. */
  kind: 'import' | 'call' | 'new';
  /** For imports: the local node. */
  node?: NodeId;
  args?: { at: number | string; node: NodeId }[];
  /** Node receiving the call's return value. */
  result?: NodeId;
  /** Callee as written, for escape reports. */
  label?: string;
  /** `svc.method(...)` on a namespace import: the member name. */
  member?: string;
}

export interface FunctionInfo {
  /** Parameter names in order (without self/cls/this). */
  params: string[];
  /** `fn` node prefix: parameters are `p:<file>#<key>:<name>`, the return value `r:<file>#<key>`. */
  key: string;
}

export interface ClientFact extends Loc {
  /** `c:<file>#<offset>` */
  id: NodeId;
  /** Offset of the construction in the analysed source (what rewrite keys its edits on). */
  offset: number;
  /** Library label (`openai.OpenAI`, `langchain ChatOpenAI`…). */
  what: string;
  /**
   * Whether the tool follows where the value goes: raw SDK clients and AI SDK providers
   * can reach any endpoint; a LangChain/LlamaIndex/autogen model object can only make the
   * calls its class makes, so handing it to an agent or chain is harmless.
   */
  tracked: boolean;
  /** Intrinsic uses (a LangChain `OpenAI` LLM always calls legacy completions). */
  intrinsic?: { served: Served; note: string };
}

export interface FileFacts {
  /** Absolute path. */
  path: string;
  display: string;
  lang: 'js' | 'py';
  clients: ClientFact[];
  edges: [NodeId, NodeId][];
  uses: Use[];
  escapes: Escape[];
  externals: ExternalRef[];
  /** Export name → node holding the value (variables, classes, functions). */
  exports: Record<string, NodeId>;
  /** Function/class keys in this file: `f`, `C` (constructor), `C.m`. */
  functions: Record<string, FunctionInfo>;
  /** Export name → function/class key, for calls from other files. */
  exportedFunctions: Record<string, string>;
  /**
   * Calls the proxy doesn't serve made on a receiver the graph can't trace to a construction
   * (`CLIENTS["main"].batches.create`, `getattr(c, "files")`, a callback's parameter): any
   * tracked client that reaches this file, or a module this file imports, may be that receiver.
   */
  orphans: Use[];
  /** Files of the tree this file imports (absolute paths), filled in when the tree is linked. */
  imports: string[];
}

export function emptyFacts(path: string, display: string, lang: 'js' | 'py'): FileFacts {
  return { path, display, lang, clients: [], edges: [], uses: [], escapes: [], externals: [], exports: {}, functions: {}, exportedFunctions: {}, orphans: [], imports: [] };
}

export interface ClientDecision {
  id: NodeId;
  /** Absolute path of the file holding the construction. */
  path: string;
  loc: Loc;
  what: string;
  /** `repoint`: every visible use is served. `leave`: some use is not (kept unless --force-partial). */
  action: 'repoint' | 'leave';
  uses: Use[];
  unsupported: Use[];
  verify: (Use | Escape)[];
}

/** `app/jobs.py:12`, or `line 12` for a file analysed on its own. */
export const at = (l: Loc) => (l.file ? `${l.file}:${l.line}` : `line ${l.line}`);

/**
 * Walks from every construction along the edges (within and across files, once linked)
 * and collects the uses and escapes it reaches. `forcePartial` repoints clients with
 * unsupported uses anyway (the reports still list them).
 */
export function solve(files: FileFacts[], forcePartial = false): Map<NodeId, ClientDecision> {
  const out = new Map<NodeId, ClientDecision>();
  const next = new Map<NodeId, NodeId[]>();
  const usesOf = new Map<NodeId, Use[]>();
  const escapesOf = new Map<NodeId, Escape[]>();
  for (const f of files) {
    for (const [a, b] of f.edges) {
      let list = next.get(a);
      if (!list) next.set(a, (list = []));
      list.push(b);
    }
    for (const u of f.uses) {
      let list = usesOf.get(u.node);
      if (!list) usesOf.set(u.node, (list = []));
      list.push(u);
    }
    for (const e of f.escapes) {
      let list = escapesOf.get(e.node);
      if (!list) escapesOf.set(e.node, (list = []));
      list.push(e);
    }
  }
  // Orphan calls by file, and who imports each file (by display path).
  const byPath = new Map(files.map((f) => [f.path, f.display]));
  const orphansIn = new Map<string, Use[]>();
  const importers = new Map<string, string[]>();
  for (const f of files) {
    if (f.orphans?.length) orphansIn.set(f.display, f.orphans);
    for (const t of f.imports ?? []) {
      const d = byPath.get(t);
      if (!d) continue;
      const list = importers.get(d) ?? [];
      list.push(f.display);
      importers.set(d, list);
    }
  }
  // Walk from each construction first: a call some client reaches is no orphan.
  const walks: { f: FileFacts; c: ClientFact; seen: Set<NodeId>; uses: Use[]; escapes: Escape[] }[] = [];
  const reachedCalls = new Set<string>();
  for (const f of files) {
    for (const c of f.clients) {
      const seen = new Set<NodeId>([c.id]);
      const queue: NodeId[] = [c.id];
      const uses: Use[] = [];
      const escapes: Escape[] = [];
      while (queue.length) {
        const n = queue.shift()!;
        for (const u of usesOf.get(n) ?? []) uses.push(u);
        if (c.tracked) for (const e of escapesOf.get(n) ?? []) escapes.push(e);
        for (const m of next.get(n) ?? []) {
          if (!seen.has(m)) {
            seen.add(m);
            queue.push(m);
          }
        }
      }
      for (const u of uses) reachedCalls.add(`${u.file}:${u.line}:${u.column}`);
      walks.push({ f, c, seen, uses, escapes });
    }
  }
  for (const { f, c, seen, uses, escapes } of walks) {
    if (c.tracked && orphansIn.size) {
      // The files the value reaches, and the files importing them: an untraceable receiver
      // there making a call the proxy doesn't serve may be this client.
      const reached = new Set<string>([c.file]);
      for (const n of seen) reached.add(n.slice(2, n.indexOf('#')));
      for (const r of [...reached]) for (const i of importers.get(r) ?? []) reached.add(i);
      for (const r of reached) for (const o of orphansIn.get(r) ?? []) if (!reachedCalls.has(`${o.file}:${o.line}:${o.column}`)) uses.push(o);
    }
    if (c.intrinsic) uses.unshift({ node: c.id, file: c.file, line: c.line, column: c.column, api: c.what, ...c.intrinsic });
    const relevant = c.tracked ? uses : uses.filter((u) => u.api.startsWith('reads ') || u.node === c.id || u.served === 'unsupported');
    const unique = dedupe(relevant);
    const unsupported = unique.filter((u) => u.served === 'unsupported');
    const verify = [...unique.filter((u) => u.served === 'verify'), ...dedupe(escapes)];
    out.set(c.id, {
      id: c.id,
      path: f.path,
      loc: { file: c.file, line: c.line, column: c.column },
      what: c.what,
      action: unsupported.length && !forcePartial ? 'leave' : 'repoint',
      uses: unique,
      unsupported,
      verify,
    });
  }
  return out;
}

function dedupe<T extends Loc & { api?: string; to?: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = `${x.file}:${x.line}:${x.column}:${x.api ?? x.to}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** One line per use for a report: `files.create (app/jobs.py:12)`. */
export function describeUses(list: (Use | Escape)[], max = 4): string {
  const items = list.slice(0, max).map((u) => ('api' in u ? `${u.api} (${at(u)})` : `passed to ${u.to} (${at(u)})`));
  if (list.length > max) items.push(`${list.length - max} more`);
  return items.join(', ');
}
