import yargs from 'yargs';
import { UserError } from './errors.js';
import { commands } from './commands/index.js';

// Each command module keeps its heavy imports inside the handler so that `--help`
// and argument errors load only yargs and the option tables.

export async function main(argv: string[]): Promise<void> {
  // The SDK warns on every start under Node 20 about its releases after January 2027; the
  // versions this package locks support Node 20, so the warning is noise for our users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cli = yargs(argv)
    .scriptName('nova-migrate')
    .usage('$0 <command> [options]\n\nMove OpenAI API applications to Amazon Bedrock Nova.')
    .strict()
    .demandCommand(1, 'Choose a command.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(`${msg}\nRun 'nova-migrate --help' for usage.`);
    });
  for (const command of commands) cli.command(command);
  try {
    await cli.parseAsync();
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
