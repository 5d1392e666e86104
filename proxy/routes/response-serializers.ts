/**
 * Fastify's schema compilers for this app. Response serialisers are the ones generated
 * ahead of time from response-schemas.ts (`node scripts/serializers.mjs`): no compiling at
 * start-up, and neither fast-json-stringify's compiler nor Ajv is loaded. No route declares
 * a request-validation schema (requests are checked by the translation, which answers in
 * OpenAI's error shape), so the validator compiler only guards against adding one.
 */
import type { FastifyServerOptions } from 'fastify';
import * as schemas from './response-schemas.js';
import { serializers } from './response-serializers.generated.js';

const bySchema = new Map<object, (value: unknown) => string>();
for (const [name, schema] of Object.entries(schemas)) {
  const serialize = serializers[name];
  if (serialize) bySchema.set(schema, serialize);
}

/** The serialiser generated for one of response-schemas.ts's schemas (by identity). */
export function responseSerializer(schema: unknown): (value: unknown) => string {
  const serialize = typeof schema === 'object' && schema !== null ? bySchema.get(schema) : undefined;
  if (!serialize) throw new Error('response schema without a generated serialiser: declare it in proxy/routes/response-schemas.ts and run node scripts/serializers.mjs');
  return serialize;
}

export const schemaController: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildSerializer: () => ({ schema }) => responseSerializer(schema),
    buildValidator: () => () => {
      throw new Error('request-validation schemas are not used here: the translation checks requests and answers in OpenAI’s error shape');
    },
  },
};
