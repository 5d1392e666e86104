import { createRequire } from 'node:module';

// package.json sits two levels above both proxy/ and dist/proxy/.
const pkg = createRequire(import.meta.url)(import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json') as { version: string };
export const VERSION: string = pkg.version;
