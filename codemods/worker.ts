/** Worker thread: loads the parsers when asked to warm up, then processes the batch it is given. */
import { parentPort } from 'node:worker_threads';
import { processFile, type FileJob, type Mode } from './process.js';
import type { RewriteOptions } from './types.js';

parentPort!.on('message', async (msg: { warm?: boolean; jobs?: FileJob[]; mode?: Mode; opts?: RewriteOptions }) => {
  if (msg.warm) {
    // The same modules processFile loads lazily: jscodeshift/babel, tree-sitter, the scanners.
    await Promise.all([import('./js/run.js'), import('./scan/scan-js.js'), import('./python/rewrite.js'), import('./scan/scan-py.js')]);
    return;
  }
  const out = [];
  for (const job of msg.jobs ?? []) out.push(await processFile(job, msg.mode!, msg.opts!));
  parentPort!.postMessage(out);
});
