/**
 * `tools` / `tool_choice` (and the legacy `functions` / `function_call`) → the pieces of
 * a Converse toolConfig. Names go through the tool-name mapper; schemas through the
 * sanitiser. `strict` is ignored (Nova has no strict mode for tools).
 *
 * tool_choice: `auto` → `{auto:{}}`; `required` → `{any:{}}`; a named function →
 * `{tool:{name}}`; `allowed_tools` → only the listed tools, with `auto`/`any`; `none` →
 * no tools are sent at all (Converse has no "none"), and tool history becomes text.
 */
import type { Tool, ToolChoice, ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import { invalidParam, unsupportedParam } from '../errors.js';
import { sanitizeSchema } from './json-schema.js';
import type { ToolNameMapper } from './tool-names.js';
import { describe, expectObj, expectString, isObj, optArray, optString } from './validate.js';

export interface ClientTool {
  /** The name the client used. */
  name: string;
  description?: string;
  /** Sanitised input schema. */
  schema: Record<string, unknown>;
}

export type ToolChoiceMode = { kind: 'auto' } | { kind: 'any' } | { kind: 'none' } | { kind: 'tool'; name: string };

export interface ParsedTools {
  tools: ClientTool[];
  /** `none` also when no tools were given. */
  choice: ToolChoiceMode;
}

/** Client tool names, without converting anything: the mapper reserves them first. */
export function clientToolNames(body: Record<string, unknown>): string[] {
  const list = Array.isArray(body.tools) ? body.tools : Array.isArray(body.functions) ? body.functions : [];
  const names: string[] = [];
  for (const t of list) {
    const fn = isObj(t) && isObj(t.function) ? t.function : t;
    if (isObj(fn) && typeof fn.name === 'string') names.push(fn.name);
  }
  return names;
}

export function parseTools(body: Record<string, unknown>): ParsedTools {
  const rawTools = optArray(body.tools, 'tools');
  const rawFunctions = optArray(body.functions, 'functions');
  if (rawTools && rawFunctions) throw invalidParam('functions', 'send either tools or the deprecated functions, not both');
  if (body.tool_choice != null && body.function_call != null) throw invalidParam('function_call', 'send either tool_choice or the deprecated function_call, not both');

  const tools: ClientTool[] = [];
  const seen = new Set<string>();
  const add = (fn: Record<string, unknown>, p: string) => {
    const name = expectString(fn.name, `${p}.name`);
    if (!name) throw invalidParam(`${p}.name`, `${p}.name must not be empty`);
    if (seen.has(name)) throw invalidParam(`${p}.name`, `${p}.name: there is already a tool named ${JSON.stringify(name)}`);
    seen.add(name);
    const description = optString(fn.description, `${p}.description`);
    const { schema, description: schemaDescription } = sanitizeSchema(fn.parameters, `${p}.parameters`, 'tool');
    const desc = description?.trim() ? description : schemaDescription;
    tools.push(desc ? { name, description: desc, schema } : { name, schema });
  };
  (rawTools ?? []).forEach((t, k) => {
    const p = `tools[${k}]`;
    const tool = expectObj(t, p);
    if (tool.type === 'custom') throw unsupportedParam(p, `${p}: custom tools are not supported by Nova; use type "function"`);
    if (tool.type !== 'function') throw invalidParam(`${p}.type`, `${p}.type must be "function", got ${JSON.stringify(tool.type)}`);
    add(expectObj(tool.function, `${p}.function`), `${p}.function`);
  });
  (rawFunctions ?? []).forEach((f, k) => add(expectObj(f, `functions[${k}]`), `functions[${k}]`));

  const param = body.function_call != null ? 'function_call' : 'tool_choice';
  const choice = parseChoice(body[param], param, tools);
  if (tools.length === 0) {
    if (choice.kind === 'any' || choice.kind === 'tool') throw invalidParam(param, `${param} requires tools`);
    return { tools, choice: { kind: 'none' } };
  }
  if (choice.kind === 'none') return { tools: [], choice };
  return { tools: choice.kind === 'allowed' ? choice.tools : tools, choice: choice.kind === 'allowed' ? choice.mode : choice };
}

type ParsedChoice = ToolChoiceMode | { kind: 'allowed'; tools: ClientTool[]; mode: ToolChoiceMode };

function parseChoice(raw: unknown, param: string, tools: ClientTool[]): ParsedChoice {
  if (raw == null || raw === 'auto') return { kind: 'auto' };
  if (raw === 'none') return { kind: 'none' };
  if (raw === 'required') return { kind: 'any' };
  if (!isObj(raw)) throw invalidParam(param, `${param} must be "none", "auto", "required" or an object, got ${typeof raw === 'string' ? JSON.stringify(raw) : describe(raw)}`);
  const named = (name: string, p: string): ClientTool => {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw invalidParam(p, `${p}: no tool named ${JSON.stringify(name)} in ${param === 'function_call' ? 'functions' : 'tools'}`);
    return tool;
  };
  if (param === 'function_call') {
    const name = expectString(raw.name, `${param}.name`);
    return { kind: 'tool', name: named(name, `${param}.name`).name };
  }
  if (raw.type === 'function') {
    const fn = expectObj(raw.function, `${param}.function`);
    const name = expectString(fn.name, `${param}.function.name`);
    return { kind: 'tool', name: named(name, `${param}.function.name`).name };
  }
  if (raw.type === 'allowed_tools') {
    const allowed = expectObj(raw.allowed_tools, `${param}.allowed_tools`);
    if (allowed.mode !== 'auto' && allowed.mode !== 'required') {
      throw invalidParam(`${param}.allowed_tools.mode`, `${param}.allowed_tools.mode must be "auto" or "required"`);
    }
    const list = optArray(allowed.tools, `${param}.allowed_tools.tools`) ?? [];
    const picked = list.map((t, k) => {
      const p = `${param}.allowed_tools.tools[${k}]`;
      const entry = expectObj(t, p);
      const fn = expectObj(entry.function, `${p}.function`);
      return named(expectString(fn.name, `${p}.function.name`), `${p}.function.name`);
    });
    if (picked.length === 0) throw invalidParam(`${param}.allowed_tools.tools`, `${param}.allowed_tools.tools must list at least one tool`);
    return { kind: 'allowed', tools: picked, mode: allowed.mode === 'required' ? { kind: 'any' } : { kind: 'auto' } };
  }
  if (raw.type === 'custom') throw unsupportedParam(param, `${param}: custom tools are not supported by Nova`);
  throw invalidParam(`${param}.type`, `${param}.type must be "function" or "allowed_tools", got ${JSON.stringify(raw.type)}`);
}

export function toolSpec(tool: ClientTool, safeName: string): Tool {
  return {
    toolSpec: {
      name: safeName,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: { json: tool.schema as ToolInputSchema.JsonMember['json'] },
    },
  };
}

export function converseToolChoice(choice: ToolChoiceMode, names: ToolNameMapper): ToolChoice | undefined {
  switch (choice.kind) {
    case 'auto':
      return { auto: {} };
    case 'any':
      return { any: {} };
    case 'tool':
      return { tool: { name: names.safe(choice.name) } };
    default:
      return undefined;
  }
}
