#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps compiled code on disk (in os.tmpdir(), or NODE_COMPILE_CACHE), so later
// starts skip parsing and compiling the CLI and the server. Node 20 has no such API.
module.enableCompileCache?.();

const { main } = await import('../dist/cli/main.js');
main(process.argv.slice(2));
