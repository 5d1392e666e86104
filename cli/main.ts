import { UserError } from './errors.js';
import { parseKnownArgs } from './fast-args.js';
import { serveCommand, serveOptions } from './commands/serve.js';

export async function main(argv: string[]): Promise<void> {
  // The SDK warns on every start under Node 20 about its releases after January 2027; the
  // versions this package locks support Node 20, so the warning is noise for our users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    // A server's start script: straight to the handler when the options are certainly what
    // yargs would make of them (cli/fast-args.ts); yargs (a chunk of its own) otherwise.
    const serve = argv[0] === 'serve' ? parseKnownArgs(argv.slice(1), serveOptions) : undefined;
    if (serve) await serveCommand.handler!(serve as never);
    else await (await import('./yargs-cli.js')).runYargs(argv);
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`nova-migrate: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`nova-migrate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  }
}
