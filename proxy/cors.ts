/**
 * CORS for browser clients (the openai SDK with `dangerouslyAllowBrowser`, web apps calling
 * the proxy from another origin), on only when `corsOrigins` is set. @fastify/cors answers
 * preflights in its onRequest hook, registered before the API-key check: a browser sends
 * no Authorization header on a preflight.
 */
import type { FastifyInstance } from 'fastify';

/** Response headers of the proxy a page's script may read. */
const EXPOSED_HEADERS = ['x-request-id', 'x-nova-model', 'x-nova-ignored-params', 'x-nova-adjusted-params', 'x-nova-cost-usd', 'retry-after'];

export async function installCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  // Loaded only when configured: most deployments have no browser callers.
  const { default: cors } = await import('@fastify/cors');
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'DELETE'],
    // Request headers are allowed as the preflight asks (the SDKs send x-stainless-* and more).
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
