/**
 * POST /v1/embeddings (and /embeddings, for API Gateway stages). The work is
 * embeddings/run-embeddings.ts; this file is the HTTP surface.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { openRequestScope } from '../chat/request-scope.js';
import { createEmbeddings, type EmbeddingsRuntime } from '../embeddings/run-embeddings.js';

export const embeddingsRoutes: FastifyPluginAsync<{ runtime: EmbeddingsRuntime }> = async (app, { runtime }) => {
  const { config } = runtime;

  async function handler(req: FastifyRequest, reply: FastifyReply) {
    const scope = openRequestScope(reply.raw, config.requestTimeoutMs);
    try {
      if (config.logPrompts) req.log.info({ input: (req.body as { input?: unknown } | null)?.input }, 'embeddings input');
      const { response, headers } = await createEmbeddings(runtime, req.body, req.metrics, scope);
      reply.headers(headers);
      return response;
    } finally {
      scope.dispose();
    }
  }

  for (const url of ['/v1/embeddings', '/embeddings']) app.post(url, handler);
};
