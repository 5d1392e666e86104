import yargs from 'yargs';
import { UserError } from './errors.js';
import { commands } from './commands/index.js';

// Each command module keeps its heavy imports inside the handler so that `--help`
// and argument errors load only yargs and the option tables.

/** The whole command line through yargs: parsing, validation, help and the command's handler. */
export async function runYargs(argv: string[]): Promise<void> {
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
  await cli.parseAsync();
}
