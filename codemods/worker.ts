/** Worker thread: processes the batch of files it is given and posts the outcomes back. */
import { parentPort } from 'node:worker_threads';
import { processFile, type FileJob, type Mode } from './process.js';
import type { RewriteOptions } from './types.js';

parentPort!.on('message', async (msg: { jobs: FileJob[]; mode: Mode; opts: RewriteOptions }) => {
  const out = [];
  for (const job of msg.jobs) out.push(await processFile(job, msg.mode, msg.opts));
  parentPort!.postMessage(out);
});
