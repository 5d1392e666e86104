/**
 * `response_format` → native structured output (`outputConfig.textFormat`) for models
 * whose `structuredOutput` is `native`, otherwise a description of the forced tool that
 * emulates it (prepare-converse decides how it combines with client tools).
 * `json_object` is a json_schema of `{type: "object"}`. `strict` is ignored.
 */
import type { OutputConfig } from '@aws-sdk/client-bedrock-runtime';
import { invalidParam } from '../errors.js';
import type { NovaModel } from '../models.js';
import { sanitizeSchema } from './json-schema.js';
import { expectObj, optBoolean, optString } from './validate.js';

export const JSON_TOOL_NAME = 'json_response';
const JSON_OBJECT_DESCRIPTION = 'Give your final answer by calling this tool: its input is the answer, as a JSON object.';
const JSON_SCHEMA_DESCRIPTION = 'Give your final answer by calling this tool: its input is the answer and must follow the schema.';

export type ResponseFormatPlan =
  | { kind: 'text' }
  | { kind: 'native'; outputConfig: OutputConfig }
  | { kind: 'tool'; schema: Record<string, unknown>; description: string };

export function planResponseFormat(raw: unknown, model: NovaModel): ResponseFormatPlan {
  if (raw == null) return { kind: 'text' };
  const rf = expectObj(raw, 'response_format');
  switch (rf.type) {
    case 'text':
      return { kind: 'text' };
    case 'json_object':
      // No `properties: {}` here: an empty property list reads as "no fields allowed".
      return plan(model, { type: 'object' }, 'json_object', undefined, JSON_OBJECT_DESCRIPTION);
    case 'json_schema': {
      const js = expectObj(rf.json_schema, 'response_format.json_schema');
      const name = optString(js.name, 'response_format.json_schema.name') || 'response';
      const description = optString(js.description, 'response_format.json_schema.description');
      // Not honoured (see above), but type-checked as OpenAI does: a Response echoes it.
      optBoolean(js.strict, 'response_format.json_schema.strict');
      const { schema } = sanitizeSchema(js.schema, 'response_format.json_schema.schema', mode(model));
      return plan(model, schema, name, description, description?.trim() ? description : JSON_SCHEMA_DESCRIPTION);
    }
    default:
      throw invalidParam('response_format.type', `response_format.type must be "text", "json_object" or "json_schema", got ${JSON.stringify(rf.type)}`);
  }
}

function plan(model: NovaModel, schema: Record<string, unknown>, name: string, description: string | undefined, toolDescription: string): ResponseFormatPlan {
  if (model.structuredOutput === 'native') {
    return {
      kind: 'native',
      outputConfig: {
        textFormat: {
          type: 'json_schema',
          structure: { jsonSchema: { schema: JSON.stringify(schema), name, ...(description ? { description } : {}) } },
        },
      },
    };
  }
  return { kind: 'tool', schema, description: toolDescription };
}

function mode(model: NovaModel): 'output' | 'tool' {
  return model.structuredOutput === 'native' ? 'output' : 'tool';
}
