/**
 * JSON schemas for Fastify's response serialiser (fast-json-stringify): the chat completion
 * and the model list are written by compiled serialisers instead of JSON.stringify. Every
 * object keeps `additionalProperties: true`, so a field added elsewhere is still written —
 * the schemas make serialisation faster, never lossy (test/proxy/response-schemas.test.ts
 * compares the output with JSON.stringify).
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const open = <P extends Record<string, unknown>>(properties: P) => ({ type: 'object', additionalProperties: true, properties }) as const;
const nullable = <T extends string>(type: T) => ({ type: [type, 'null'] }) as const;

const toolCall = open({ id: str, type: str, function: open({ name: str, arguments: str }) });

export const chatCompletionSchema = open({
  id: str,
  object: str,
  created: int,
  model: str,
  choices: {
    type: 'array',
    items: open({
      index: int,
      message: open({
        role: str,
        content: nullable('string'),
        refusal: nullable('string'),
        tool_calls: { type: 'array', items: toolCall },
        reasoning_content: str,
      }),
      logprobs: { type: ['object', 'null'], additionalProperties: true },
      finish_reason: nullable('string'),
    }),
  },
  usage: open({
    prompt_tokens: int,
    completion_tokens: int,
    total_tokens: int,
    prompt_tokens_details: open({ cached_tokens: int }),
  }),
});

const model = open({ id: str, object: str, created: int, owned_by: str });

export const modelSchema = model;

export const modelListSchema = open({ object: str, data: { type: 'array', items: model } });
