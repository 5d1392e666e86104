import type { CommandModule, Options } from 'yargs';
import { UserError } from '../errors.js';

interface ServeArgs {
  port?: number;
  host?: string;
  config?: string;
  auth: boolean;
  'inference-profile'?: string;
  'log-prompts'?: boolean;
  'bedrock-transport'?: string;
  mock?: boolean;
}

/** serve's options: yargs's builder and the fast path (cli/fast-args.ts) read this one table. */
export const serveOptions = {
  port: { type: 'number', describe: 'Port to listen on (env PORT)', defaultDescription: '8080' },
  host: { type: 'string', describe: 'Interface to bind (env HOST)', defaultDescription: '127.0.0.1' },
  config: { type: 'string', describe: 'JSON config file (see docs/proxy.md)', defaultDescription: 'nova-migrate.config.json if present' },
  auth: {
    type: 'boolean',
    default: true,
    describe: 'Require API keys beyond loopback; --no-auth allows a non-loopback host without keys',
  },
  'inference-profile': {
    type: 'string',
    choices: ['auto', 'none', 'us', 'eu', 'apac', 'global'],
    describe: 'Resolve aliases to cross-region inference-profile IDs (env NOVA_INFERENCE_PROFILE)',
    defaultDescription: 'none',
  },
  'log-prompts': { type: 'boolean', describe: 'Log prompts and outputs (off by default)' },
  'bedrock-transport': {
    type: 'string',
    choices: ['direct', 'sdk'],
    describe: 'How Bedrock is called: signed HTTPS requests over a keep-alive pool, or the AWS SDK client (env NOVA_BEDROCK_TRANSPORT)',
    defaultDescription: 'direct',
  },
  mock: {
    type: 'boolean',
    describe: 'Serve from a built-in mock Bedrock on loopback (no AWS account needed; answers are synthetic)',
  },
} as const satisfies Record<string, Options>;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the OpenAI-compatible proxy in front of Bedrock Nova',
  builder: (y) => y.options(serveOptions),
  handler: async (args) => {
    // One module (bundled in dist/ by `npm run build`) for everything the server needs.
    const { loadConfig, ConfigError, runServer } = await import('../../proxy/serve-entry.js');
    const { existsSync } = await import('node:fs');
    const file = args.config ?? (existsSync('nova-migrate.config.json') ? 'nova-migrate.config.json' : undefined);
    let config;
    try {
      config = loadConfig({
        file,
        overrides: {
          port: args.port,
          host: args.host,
          allowNoAuth: args.auth === false ? true : undefined,
          inferenceProfile: args['inference-profile'] as never,
          logPrompts: args['log-prompts'],
          bedrockTransport: args['bedrock-transport'] as never,
        },
      });
    } catch (err) {
      if (err instanceof ConfigError) throw new UserError(err.message);
      throw err;
    }
    try {
      await runServer(config, { mock: args.mock === true });
    } catch (err) {
      if (err instanceof ConfigError) throw new UserError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError(`port ${config.port} on ${config.host} is already in use; choose another with --port.`);
      if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen on ${config.host}:${config.port} (${code}).`);
      throw err;
    }
  },
};
