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
  // Probes send no key; some add a query string or a trailing slash.
  for (const url of ['/health', '/health/']) app.get(url, { config: { public: true } }, async () => body);
};
