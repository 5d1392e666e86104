/**
 * What `nova-migrate serve` needs, from one module: `npm run build` bundles it (with its
 * dependencies, lazily loaded parts as separate chunks) over its transpiled copy in dist/,
 * so the server starts from a few files instead of several hundred modules.
 */
export { loadConfig, ConfigError } from './config.js';
export { runServer } from './server.js';
