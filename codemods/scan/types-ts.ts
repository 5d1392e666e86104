/**
 * TypeScript type information (ts-morph) for call sites whose receiver the syntactic
 * pass could not trace: asks the checker what the receiver is. A receiver typed as the
 * openai SDK's client confirms the site; any other definite type rules it out;
 * `any`/unresolved leaves the syntactic decision. Only the files holding such sites are
 * loaded, with the openai types resolved from the project's own node_modules.
 */
import type { Site } from './verdicts.js';

export interface TypeCheckStats {
  files: number;
  confirmed: number;
  ruledOut: number;
  unknown: number;
  ms: number;
}

type Decision = 'openai' | 'other' | 'unknown';

export async function refineWithTypes(byFile: Map<string, Site[]>): Promise<TypeCheckStats> {
  const started = performance.now();
  const stats: TypeCheckStats = { files: byFile.size, confirmed: 0, ruledOut: 0, unknown: 0, ms: 0 };
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

  for (const [path, sites] of byFile) {
    const sf = sources.get(path)!;
    for (const site of sites) {
      let decision: Decision = 'unknown';
      try {
        const pos = sf.compilerNode.getPositionOfLineAndCharacter(site.line - 1, site.column - 1);
        let node = sf.getDescendantAtPos(pos);
        let call: import('ts-morph').CallExpression | undefined;
        while (node) {
          if (Node.isCallExpression(node) && node.getStart() === pos) call = node;
          node = node.getParent();
          if (node && node.getStart() !== pos) break;
        }
        if (call) {
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
