/**
 * `input` (a string or a list of items) → the concrete conversation items the request
 * stands for: `item_reference`s replaced by the items they name, everything else checked
 * for its shape and kept as sent. Pure, given a store lookup.
 *
 * A reference resolves, in order, from: the id itself (self-describing ids, see
 * item-ids.ts); the items another id of the same request carries (pending ids of streamed
 * items); the response store, when one is configured. Pending reasoning ids need nothing
 * more: reasoning is never sent to Nova, so they resolve to an empty reasoning item. Every
 * other miss is a 400 that says why and what to send instead.
 */
import { invalidParam } from '../errors.js';
import { describe as describeValue, expectObj, expectString, isObj, type Obj } from '../translate/validate.js';
import type { DescribedItem, ItemIdCodec } from './item-ids.js';

/** One conversation item in the Responses input shape (assistant items as OpenAI returns them). */
export type ConversationItem =
  | { type: 'message'; role: 'user' | 'system' | 'developer' | 'assistant'; content: unknown; id?: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string; id?: string }
  | { type: 'function_call_output'; call_id: string; output: unknown; id?: string }
  | { type: 'reasoning'; id?: string; summary: unknown[]; content?: unknown[] };

export interface PlacedItem {
  item: ConversationItem;
  /** Where the item came from, for error messages: `input[3]`, `input`, `previous_response_id`. */
  path: string;
}

export interface ResolveDeps {
  codec: ItemIdCodec;
  /** Item lookup in the response store; absent when no store is configured. */
  lookup?: (id: string) => ConversationItem | undefined;
}

const MESSAGE_ROLES = new Set(['user', 'system', 'developer', 'assistant']);

/** Item types of OpenAI's built-in tools: named in the 400 so the client knows what to drop. */
const BUILT_IN_ITEMS = new Set([
  'file_search_call', 'computer_call', 'computer_call_output', 'web_search_call', 'image_generation_call',
  'code_interpreter_call', 'local_shell_call', 'local_shell_call_output', 'shell_call', 'shell_call_output',
  'apply_patch_call', 'apply_patch_call_output', 'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response',
  'mcp_call', 'custom_tool_call', 'custom_tool_call_output', 'tool_search_call', 'tool_search_output',
]);

export function resolveInput(input: unknown, deps: ResolveDeps): PlacedItem[] {
  if (typeof input === 'string') return [{ item: { type: 'message', role: 'user', content: input }, path: 'input' }];
  if (!Array.isArray(input)) throw invalidParam('input', `input must be a string or an array of input items, got ${describeValue(input)}`);

  // Pending ids described by other ids of this request (a streamed function call carries
  // the message text streamed before it), gathered first: references may come in any order.
  const carried = new Map<string, DescribedItem>();
  for (const raw of input) {
    if (!isObj(raw) || typeof raw.id !== 'string') continue;
    const r = deps.codec.decode(raw.id);
    if (r.kind === 'described') for (const c of r.decoded.carried) carried.set(c.id, c.item);
  }

  const out: PlacedItem[] = [];
  input.forEach((raw, i) => {
    const p = `input[${i}]`;
    const o = expectObj(raw, p);
    if (isReference(o)) out.push({ item: resolveReference(expectString(o.id, `${p}.id`), p, deps, carried), path: p });
    else out.push({ item: checkItem(o, p), path: p });
  });
  return out;
}

function isReference(o: Obj): boolean {
  // `type` is optional on item references: `{id}` alone is one.
  return o.type === 'item_reference' || (o.type == null && o.role === undefined && o.id !== undefined);
}

function fromDescribed(d: DescribedItem, id: string): ConversationItem {
  if (d.type === 'reasoning') return { type: 'reasoning', id, summary: [] };
  if (d.type === 'message') return { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: d.text, annotations: [] }], id };
  return { type: 'function_call', call_id: d.call_id, name: d.name, arguments: d.arguments, id };
}

function resolveReference(id: string, p: string, deps: ResolveDeps, carried: Map<string, DescribedItem>): ConversationItem {
  const r = deps.codec.decode(id);
  if (r.kind === 'described') return fromDescribed(r.decoded.item!, id);
  const stored = deps.lookup?.(id);
  if (stored) return stored;
  const shown = id.length > 40 ? `${id.slice(0, 37)}...` : id;
  const remedy = 'send the item itself instead of an item_reference (AI SDK: providerOptions.openai.store = false)';
  const storeHint = deps.lookup ? '' : ', or run the proxy with a response store (responseStoreMaxEntries)';
  if (r.kind === 'pending') {
    const c = carried.get(id);
    if (c) return fromDescribed(c, id);
    if (r.prefix === 'rs') return { type: 'reasoning', id, summary: [] };
    throw invalidParam(
      `${p}.id`,
      `${p}: item ${shown} was streamed before its content was known, so its id does not carry it${deps.lookup ? ' and it is no longer in the response store' : ' and this proxy keeps no response store'}; ${remedy}${storeHint}.`,
      'item_not_found',
    );
  }
  if (r.kind === 'bad-signature') {
    throw invalidParam(
      `${p}.id`,
      `${p}: item ${shown} was not issued under this proxy's current item-id key (the proxy restarted, or another instance issued it without a shared itemIdKey / NOVA_ITEM_ID_KEY)${deps.lookup ? ' and it is not in the response store' : ''}; ${remedy}, or set the same NOVA_ITEM_ID_KEY on every instance.`,
      'item_not_found',
    );
  }
  throw invalidParam(`${p}.id`, `${p}: item ${shown} is not known to this proxy (it was not issued here${deps.lookup ? ', or it is no longer stored' : ''}); ${remedy}.`, 'item_not_found');
}

function checkItem(o: Obj, p: string): ConversationItem {
  const type = o.type ?? (o.role !== undefined ? 'message' : undefined);
  switch (type) {
    case 'message': {
      if (typeof o.role !== 'string' || !MESSAGE_ROLES.has(o.role)) {
        throw invalidParam(`${p}.role`, `${p}.role must be one of user, system, developer, assistant; got ${JSON.stringify(o.role ?? null)}`);
      }
      if (o.content === undefined) throw invalidParam(`${p}.content`, `${p}.content is required`);
      return { type: 'message', role: o.role as 'user', content: o.content, ...(typeof o.id === 'string' ? { id: o.id } : {}) };
    }
    case 'function_call':
      return {
        type: 'function_call',
        call_id: expectString(o.call_id, `${p}.call_id`),
        name: expectString(o.name, `${p}.name`),
        arguments: expectString(o.arguments, `${p}.arguments`),
        ...(typeof o.id === 'string' ? { id: o.id } : {}),
      };
    case 'function_call_output': {
      if (typeof o.output !== 'string' && !Array.isArray(o.output)) {
        throw invalidParam(`${p}.output`, `${p}.output must be a string or an array of content parts, got ${describeValue(o.output)}`);
      }
      return { type: 'function_call_output', call_id: expectString(o.call_id, `${p}.call_id`), output: o.output, ...(typeof o.id === 'string' ? { id: o.id } : {}) };
    }
    case 'reasoning':
      return { type: 'reasoning', summary: Array.isArray(o.summary) ? o.summary : [], ...(typeof o.id === 'string' ? { id: o.id } : {}) };
    default:
      if (typeof type === 'string' && BUILT_IN_ITEMS.has(type)) {
        throw invalidParam(`${p}.type`, `${p}: "${type}" items belong to OpenAI's built-in tools, which Nova does not have behind this proxy; send function tools and their function_call / function_call_output items instead.`, 'unsupported_parameter');
      }
      throw invalidParam(
        `${p}.type`,
        `${p}.type must be one of message, function_call, function_call_output, reasoning, item_reference; got ${JSON.stringify(type ?? null)}`,
      );
  }
}
