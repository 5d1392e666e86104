/**
 * From the solved graph to what rewrite does with each construction and what it says:
 * the same words whether the decision came from one file or from the whole tree.
 */
import type { DecisionLite } from '../types.js';
import { describeUses, solve, type ClientDecision, type FileFacts } from './model.js';

export function toLite(d: ClientDecision, forcePartial: boolean): DecisionLite {
  const out: DecisionLite = { action: d.action };
  if (d.action === 'leave') {
    out.leave = `left alone: it also makes calls the proxy doesn't serve: ${describeUses(d.unsupported)}; keep those on a separate OpenAI client, or --force-partial repoints it anyway`;
  } else if (d.unsupported.length && forcePartial) {
    out.partial = `repointed (--force-partial) although these calls will fail at the proxy: ${describeUses(d.unsupported)}`;
  }
  if (d.verify.length) out.verify = `verify: ${describeUses(d.verify)}`;
  return out;
}

/** Decisions for the constructions of `path`, keyed by offset. */
export function decisionsFor(path: string, decisions: Map<string, ClientDecision>, forcePartial: boolean): Record<string, DecisionLite> {
  const out: Record<string, DecisionLite> = {};
  for (const d of decisions.values()) {
    if (d.path !== path) continue;
    const offset = d.id.slice(d.id.lastIndexOf('#') + 1);
    out[offset === 'module' ? '-1' : offset] = toLite(d, forcePartial);
  }
  return out;
}

/** Decisions seen from one file alone (the jscodeshift transform, fixtures, the first pass of a run). */
export function localDecisions(facts: FileFacts, forcePartial: boolean): Record<string, DecisionLite> {
  return decisionsFor(facts.path, solve([facts], forcePartial), forcePartial);
}

/**
 * The report line for a client class used as a value or subclassed (`how`), one wording for
 * scan and rewrite in both languages; `option` is the library's base-URL option.
 */
export function classValueMessage(how: 'extends' | 'value' | 'reexport', text: string, option: string): string {
  if (how === 'reexport') return `'${text.replace(/\s+/g, ' ').replace(/;$/, '').slice(0, 80)}' re-exports the client class: clients built from it in other modules are not followed; import it from the SDK there, or give them ${option} pointing at the proxy by hand`;
  return how === 'extends'
    ? `${text} is subclassed: its instances are built with options this tool can't see; pass ${option} pointing at the proxy to the parent constructor`
    : `the ${text} class is handed on as a value: the client built from it gets no ${option}; build it with ${option} pointing at the proxy`;
}
