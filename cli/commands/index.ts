import type { CommandModule } from 'yargs';
import { serveCommand } from './serve.js';
import { deployCommand } from './deploy.js';
import { parityCommand } from './parity.js';
import { scanCommand } from './scan.js';
import { rewriteCommand } from './rewrite.js';

/** Every CLI command, in the order `--help` lists them. */
export const commands: CommandModule<any, any>[] = [serveCommand, parityCommand, scanCommand, rewriteCommand, deployCommand];
