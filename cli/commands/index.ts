import type { CommandModule } from 'yargs';
import { serveCommand } from './serve.js';

/** Every CLI command, in the order `--help` lists them. */
export const commands: CommandModule<any, any>[] = [serveCommand];
