import type { FastifyPluginAsync } from 'fastify';
import type { ModelResolver } from '../models.js';
import type { ProxyConfig } from '../config.js';

/** Liveness plus what this instance would do; never calls AWS, never needs a key. */
export const healthRoutes: FastifyPluginAsync<{ resolver: ModelResolver; config: ProxyConfig; version: string }> = async (
  app,
  { resolver, config, version },
) => {
  const body = {
    status: 'ok',
    version,
    region: config.region,
    inferenceProfile: config.inferenceProfile,
    auth: config.apiKeys.length > 0 ? 'api-key' : 'none',
    models: resolver.aliases(),
  };
  app.get('/health', async () => body);
};
