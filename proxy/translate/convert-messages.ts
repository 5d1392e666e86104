/**
 * OpenAI `messages` → Converse `system` + `messages`.
 *
 * - system/developer messages, wherever they appear, become `system` blocks in order;
 *   blank ones are dropped.
 * - Consecutive messages of the same Converse role are merged (Converse wants strict
 *   user/assistant alternation): consecutive `tool` messages become one user turn of
 *   `toolResult` blocks, and a user message after tool results joins that turn.
 * - Assistant `tool_calls` → `toolUse` (arguments parsed; invalid JSON is a 400), `tool`
 *   messages → `toolResult` with one text block. Every tool call must be answered by a
 *   tool message before the next user/assistant message, and every tool message must
 *   answer a pending call (OpenAI enforces the same).
 * - Tool history is sent as toolUse/toolResult only for tools offered in this request
 *   (`nativeTools`); calls of other tools, or all of them when tools are absent or
 *   `tool_choice` is `none`, are rewritten as plain text, so Converse needs no toolConfig
 *   for them and the model cannot call a tool the client did not offer.
 * - Legacy `function_call` / role `function` messages are the same thing without IDs:
 *   each function message answers the earliest pending call of that name.
 * - Empty messages are dropped (an assistant message with neither text nor tool calls);
 *   Converse needs a user turn first, so a conversation starting with the assistant (or
 *   with nothing but system messages) gets a `(conversation start)` user turn prepended.
 * - A trailing assistant message is kept as a prefill; its trailing whitespace is trimmed.
 */
import type { ContentBlock, Message, SystemContentBlock, ToolResultContentBlock, ToolUseBlock } from '@aws-sdk/client-bedrock-runtime';
import { invalidParam, unsupportedParam } from '../errors.js';
import type { TranslateContext } from './types.js';
import type { ToolNameMapper } from './tool-names.js';
import { convertUserContent, ensureTextWithDocuments, textPieces, type ContentState } from './convert-content.js';
import { checkCount, checkJsonDepth, describe, expectObj, expectString, isObj } from './validate.js';

export const CONVERSATION_START = '(conversation start)';
export const EMPTY_TOOL_RESULT = '(no output)';

export interface ConvertMessagesOptions {
  ctx: TranslateContext;
  names: ToolNameMapper;
  /** Client names of the tools sent in toolConfig; history of any other tool becomes text. */
  nativeTools: ReadonlySet<string>;
}

export interface ConvertedMessages {
  system: SystemContentBlock[];
  messages: Message[];
  /** Image fetches to run (concurrently) before sending; each fills in its image block. */
  fetches: Array<(signal: AbortSignal) => Promise<void>>;
}

interface PendingCall {
  name: string;
  /** Sent as toolUse (else as text). */
  native: boolean;
  /** Converse-safe tool-use ID. */
  useId: string;
  /** Where the call was made, for error messages. */
  at: string;
}

const TOOL_USE_ID = /^[a-zA-Z0-9_.:-]{1,64}$/;

export function convertMessages(raw: unknown, opts: ConvertMessagesOptions): ConvertedMessages {
  if (!Array.isArray(raw)) throw invalidParam('messages', `messages must be an array, got ${describe(raw)}`);
  if (raw.length === 0) throw invalidParam('messages', 'messages must contain at least one message');

  const system: SystemContentBlock[] = [];
  const turns: Message[] = [];
  const content: ContentState = { ctx: opts.ctx, fetches: [], documentNames: new Set() };
  /** Tool calls awaiting their tool message, by client ID (insertion order = call order). */
  const pendingCalls = new Map<string, PendingCall>();
  const usedIds = new Set<string>();
  let legacyCount = 0;

  function push(role: 'user' | 'assistant', blocks: ContentBlock[]): void {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) {
      // A loop, not push(...blocks): spreading a huge array overflows the stack.
      const content = last.content!;
      for (const b of blocks) content.push(b);
    } else turns.push({ role, content: blocks });
  }

  function requireAnswered(at: string): void {
    if (pendingCalls.size === 0) return;
    const first = pendingCalls.entries().next().value!;
    throw invalidParam(
      at,
      `the tool call ${first[0]} made in ${first[1].at} has no tool message answering it; every tool call of an assistant message must be answered by a "tool" message before the next message`,
    );
  }

  function safeUseId(id: string): string {
    // Some clients number calls per turn (call_0 in every turn); IDs are made unique too.
    const base = TOOL_USE_ID.test(id) ? id : id.replace(/[^a-zA-Z0-9_.:-]/g, '_').slice(0, 64) || 'call';
    let out = base;
    for (let n = 2; usedIds.has(out); n++) out = `${base.slice(0, 58)}_${n}`;
    usedIds.add(out);
    return out;
  }

  function toolCall(id: string, name: string, args: string, argsParam: string, at: string): ContentBlock {
    let input: unknown;
    if (args.trim() === '') input = {};
    else {
      try {
        input = JSON.parse(args);
      } catch (err) {
        throw invalidParam(argsParam, `${argsParam} is not valid JSON: ${(err as Error).message}`);
      }
      if (!isObj(input)) throw invalidParam(argsParam, `${argsParam} must be a JSON object, got ${describe(input)}`);
      checkJsonDepth(input, argsParam);
    }
    const native = opts.nativeTools.has(name);
    const call: PendingCall = { name, native, useId: native ? safeUseId(id) : id, at };
    pendingCalls.set(id, call);
    if (native) return { toolUse: { toolUseId: call.useId, name: opts.names.safe(name), input: input as ToolUseBlock['input'] } };
    return { text: `[called tool ${name} (call ID ${id}) with arguments ${args.trim() === '' ? '{}' : args}]` };
  }

  function toolResult(id: string, pieces: string[]): ContentBlock {
    const call = pendingCalls.get(id)!;
    pendingCalls.delete(id);
    if (call.native) {
      const blocks: ToolResultContentBlock[] = pieces.length ? pieces.map((text) => ({ text })) : [{ text: EMPTY_TOOL_RESULT }];
      return { toolResult: { toolUseId: call.useId, content: blocks } };
    }
    return { text: `[result of tool ${call.name} (call ID ${id})]\n${pieces.length ? pieces.join('\n') : EMPTY_TOOL_RESULT}` };
  }

  for (let i = 0; i < raw.length; i++) {
    const p = `messages[${i}]`;
    const msg = expectObj(raw[i], p);
    switch (msg.role) {
      case 'system':
      case 'developer':
        for (const text of textPieces(msg.content, `${p}.content`)) system.push({ text });
        break;

      case 'user':
        requireAnswered(p);
        push('user', convertUserContent(msg.content, `${p}.content`, content));
        break;

      case 'assistant': {
        requireAnswered(p);
        const blocks: ContentBlock[] = textPieces(msg.content, `${p}.content`, true).map((text) => ({ text }));
        if (blocks.length === 0 && typeof msg.refusal === 'string' && msg.refusal.trim()) blocks.push({ text: msg.refusal });
        if (msg.tool_calls != null) {
          if (!Array.isArray(msg.tool_calls)) throw invalidParam(`${p}.tool_calls`, `${p}.tool_calls must be an array`);
          checkCount(msg.tool_calls, `${p}.tool_calls`, 'tool calls');
          for (let j = 0; j < msg.tool_calls.length; j++) {
            const tp = `${p}.tool_calls[${j}]`;
            const tc = expectObj(msg.tool_calls[j], tp);
            if (tc.type === 'custom') throw unsupportedParam(tp, `${tp}: custom tools are not supported; use function tools`);
            const id = expectString(tc.id, `${tp}.id`);
            if (!id) throw invalidParam(`${tp}.id`, `${tp}.id must not be empty`);
            if (pendingCalls.has(id)) throw invalidParam(`${tp}.id`, `${tp}.id ${id} is used by another tool call of the same message`);
            const fn = expectObj(tc.function, `${tp}.function`);
            const name = expectString(fn.name, `${tp}.function.name`);
            const args = expectString(fn.arguments, `${tp}.function.arguments`);
            blocks.push(toolCall(id, name, args, `${tp}.function.arguments`, p));
          }
        }
        if (msg.function_call != null) {
          const fp = `${p}.function_call`;
          const fc = expectObj(msg.function_call, fp);
          const name = expectString(fc.name, `${fp}.name`);
          const args = expectString(fc.arguments, `${fp}.arguments`);
          blocks.push(toolCall(`call_legacy_${++legacyCount}`, name, args, `${fp}.arguments`, p));
        }
        push('assistant', blocks);
        break;
      }

      case 'tool': {
        const id = expectString(msg.tool_call_id, `${p}.tool_call_id`);
        if (!pendingCalls.has(id)) {
          throw invalidParam(`${p}.tool_call_id`, `${p}.tool_call_id ${JSON.stringify(id)} does not answer any tool call of the preceding assistant message`);
        }
        push('user', [toolResult(id, textPieces(msg.content, `${p}.content`))]);
        break;
      }

      case 'function': {
        const name = expectString(msg.name, `${p}.name`);
        let id: string | undefined;
        for (const [k, call] of pendingCalls) {
          if (call.name === name) {
            id = k;
            break;
          }
        }
        if (id === undefined) throw invalidParam(`${p}.name`, `${p} answers function ${JSON.stringify(name)}, but no preceding assistant message called it`);
        const text = msg.content == null ? '' : expectString(msg.content, `${p}.content`);
        push('user', [toolResult(id, text.trim() ? [text] : [])]);
        break;
      }

      default:
        throw invalidParam(`${p}.role`, `${p}.role must be one of system, developer, user, assistant, tool, function; got ${JSON.stringify(msg.role)}`);
    }
  }
  requireAnswered(`messages[${raw.length - 1}]`);

  for (const turn of turns) if (turn.role === 'user') ensureTextWithDocuments(turn.content!);
  trimPrefill(turns);
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: [{ text: CONVERSATION_START }] });
  return { system, messages: turns, fetches: content.fetches };
}

/** Nova continues a trailing assistant message; trailing whitespace there is trimmed. */
function trimPrefill(turns: Message[]): void {
  const last = turns[turns.length - 1];
  if (last?.role !== 'assistant') return;
  const blocks = last.content!;
  const end = blocks[blocks.length - 1];
  if (end?.text === undefined) return;
  const trimmed = end.text.trimEnd();
  // Blank text was dropped earlier, so something is left.
  blocks[blocks.length - 1] = { text: trimmed };
}
