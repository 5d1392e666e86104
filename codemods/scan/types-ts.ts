/**
 * TypeScript type information (ts-morph) for what the syntactic pass can't see:
 * - receivers it could not trace: a receiver typed as the openai SDK's client confirms
 *   the site; any other definite type rules it out; `any`/unresolved leaves the
 *   syntactic decision;
 * - models named by an expression (a constant imported from a config module): a
 *   string-literal type gives the model name.
 * Only the files holding such sites are loaded, with their imports and the openai types
 * resolved from the project's own node_modules.
 */
import { modelNotes, worst, type Site } from './verdicts.js';

export interface TypeCheckStats {
  files: number;
  confirmed: number;
  ruledOut: number;
  unknown: number;
  /** Models named by an expression whose type is a string literal. */
  models: number;
  ms: number;
}

type Decision = 'openai' | 'other' | 'unknown';

export async function refineWithTypes(byFile: Map<string, Site[]>): Promise<TypeCheckStats> {
  const started = performance.now();
  const stats: TypeCheckStats = { files: byFile.size, confirmed: 0, ruledOut: 0, unknown: 0, models: 0, ms: 0 };
  if (byFile.size === 0) return stats;
  const { Project, ts, Node } = await import('ts-morph');
  const project = new Project({
    compilerOptions: {
      allowJs: true,
      checkJs: false,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      types: [],
    },
    skipAddingFilesFromTsConfig: true,
  });
  const sources = new Map<string, import('ts-morph').SourceFile>();
  for (const path of byFile.keys()) sources.set(path, project.addSourceFileAtPath(path));
  project.resolveSourceFileDependencies();
  const checker = project.getTypeChecker();

  const decide = (expr: import('ts-morph').Node): Decision => {
    const type = checker.getTypeAtLocation(expr);
    if (type.isAny() || type.isUnknown()) return 'unknown';
    const candidates = type.isUnion() ? type.getUnionTypes() : [type];
    let sawOther = false;
    for (const t of candidates) {
      if (t.isUndefined() || t.isNull()) continue;
      const sym = t.getSymbol() ?? t.getAliasSymbol();
      const decl = sym?.getDeclarations()[0];
      const file = decl?.getSourceFile().getFilePath() ?? '';
      if (/[\\/]node_modules[\\/](openai|@openpipe[\\/]openai|openpipe)[\\/]/.test(file)) return 'openai';
      if (t.getText().startsWith('import(') && /["'][^"']*node_modules[\\/]openai[\\/]/.test(t.getText())) return 'openai';
      if (t.getText() === 'error' || t.getText() === 'any') return 'unknown';
      sawOther = true;
    }
    return sawOther ? 'other' : 'unknown';
  };

  /** The outermost call/new expression starting exactly at `pos` (the site's position). */
  const siteNode = (sf: import('ts-morph').SourceFile, pos: number) => {
    let node: import('ts-morph').Node | undefined = sf.getDescendantAtPos(pos);
    let found: import('ts-morph').CallExpression | import('ts-morph').NewExpression | undefined;
    while (node && node.getStart() === pos) {
      if (Node.isCallExpression(node) || Node.isNewExpression(node)) found = node;
      node = node.getParent();
    }
    return found;
  };

  /** A model given as an expression whose type is a string literal (a constant from another module). */
  const modelFromType = (call: import('ts-morph').CallExpression | import('ts-morph').NewExpression): string | undefined => {
    const arg = call.getArguments()[0];
    if (!arg || !Node.isObjectLiteralExpression(arg)) return undefined;
    const prop = arg.getProperty('model') ?? arg.getProperty('modelName');
    const init = prop && Node.isPropertyAssignment(prop) ? prop.getInitializer() : prop && Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
    if (!init) return undefined;
    const type = checker.getTypeAtLocation(init);
    const literals = (type.isUnion() ? type.getUnionTypes() : [type]).filter((t) => t.isStringLiteral()).map((t) => String(t.getLiteralValue()));
    return literals.length > 0 && literals.length <= 3 ? literals.join(' | ') : undefined;
  };

  for (const [path, sites] of byFile) {
    const sf = sources.get(path)!;
    for (const site of sites) {
      let call: import('ts-morph').CallExpression | import('ts-morph').NewExpression | undefined;
      try {
        call = siteNode(sf, sf.compilerNode.getPositionOfLineAndCharacter(site.line - 1, site.column - 1));
      } catch {
        call = undefined;
      }
      if (site.model && site.model.value === undefined && call) {
        try {
          const value = modelFromType(call);
          if (value) {
            site.model = { value, from: `${site.model.from} (type of the expression)` };
            site.verdict = worst(site.verdict, modelNotes(site.model, site.notes));
            stats.models++;
          }
        } catch {
          /* leave the model as an expression */
        }
      }
      if (site.kind !== 'call' || site.confidence === 'certain') continue;
      let decision: Decision = 'unknown';
      try {
        if (call && Node.isCallExpression(call)) {
          let recv: import('ts-morph').Node = call.getExpression();
          for (let i = 0; i < (site.depth ?? 0); i++) {
            if (Node.isPropertyAccessExpression(recv) || Node.isElementAccessExpression(recv)) recv = recv.getExpression();
          }
          decision = decide(recv);
        }
      } catch {
        decision = 'unknown';
      }
      if (decision === 'openai') {
        site.confidence = 'certain';
        site.notes.push('receiver confirmed as an OpenAI client by the TypeScript checker');
        stats.confirmed++;
      } else if (decision === 'other') {
        site.confidence = 'unverified';
        (site as Site & { ruledOut?: boolean }).ruledOut = true;
        stats.ruledOut++;
      } else stats.unknown++;
    }
  }
  stats.ms = Math.round(performance.now() - started);
  return stats;
}
