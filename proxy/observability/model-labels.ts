/**
 * The `model` label/dimension of every metric, bounded. Any `amazon.nova-*` string a client
 * sends passes the resolver, and each distinct value would otherwise become a permanent
 * label: /metrics grows without limit and every scrape gets slower (CloudWatch bills each
 * dimension value as a metric). Labels are therefore only
 *  - the Bedrock IDs the configured model table can produce (aliases, Nova IDs and their
 *    inference profiles), and
 *  - up to `maxPassThrough` other IDs, admitted the first time Bedrock answers one of them
 *    (a request that succeeded: a real model, not a typo or a probe);
 * everything else is counted as `other`. Requests that never reached a model are `none`.
 */
import { NOVA_MODELS } from '../models.js';

export const OTHER_MODEL = 'other';
export const NO_MODEL = 'none';

export interface ModelLabels {
  /** The label for a request's Bedrock model ID; `answered` = Bedrock served the request. */
  label(bedrockId: string | undefined, answered: boolean): string;
}

/** Every Bedrock ID the table can send: aliases' targets, Nova IDs, and their inference profiles. */
export function tableModelIds(aliasTargets: Iterable<string>): Set<string> {
  const ids = new Set(aliasTargets);
  for (const m of Object.values(NOVA_MODELS)) {
    ids.add(m.id);
    for (const prefix of m.profiles) ids.add(`${prefix}.${m.id}`);
  }
  return ids;
}

export function createModelLabels(known: Iterable<string>, maxPassThrough: number): ModelLabels {
  const table = new Set(known);
  const passThrough = new Set<string>();
  return {
    label(id, answered) {
      if (id === undefined) return NO_MODEL;
      if (table.has(id) || passThrough.has(id)) return id;
      if (answered && passThrough.size < maxPassThrough) {
        passThrough.add(id);
        return id;
      }
      return OTHER_MODEL;
    },
  };
}
