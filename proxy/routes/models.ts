import type { FastifyPluginAsync } from 'fastify';
import type { ModelResolver } from '../models.js';
import { OpenAIHttpError } from '../errors.js';
import { requireModelName } from '../model-name.js';

// Fixed so that listings are stable: Nova's general availability, 2024-12-03.
const CREATED = 1733184000;

/** `/v1/models` answers from the local table: no AWS call, no credentials needed. */
export const modelsRoutes: FastifyPluginAsync<{ resolver: ModelResolver }> = async (app, { resolver }) => {
  const aliases = new Set(Object.keys(resolver.aliases()));
  const entry = (id: string) => ({ id, object: 'model' as const, created: CREATED, owned_by: aliases.has(id) ? 'nova-migrate' : 'amazon' });
  const list = { object: 'list' as const, data: resolver.listIds().map(entry) };

  for (const prefix of ['/v1', '']) {
    app.get(`${prefix}/models`, async () => list);
    app.get<{ Params: { id: string } }>(`${prefix}/models/:id`, async (req) => {
      requireModelName(req.params.id);
      if (!resolver.resolve(req.params.id) && !resolver.resolveEmbedding(req.params.id)) throw modelNotFound(req.params.id);
      return entry(req.params.id);
    });
  }
};

export function modelNotFound(model: string): OpenAIHttpError {
  return new OpenAIHttpError(404, `The model \`${model}\` does not exist or is not mapped to a Nova model. Add it to MODEL_MAPPINGS or use a Nova model ID; GET /v1/models lists what is available.`, {
    param: 'model',
    code: 'model_not_found',
    type: 'invalid_request_error',
  });
}
