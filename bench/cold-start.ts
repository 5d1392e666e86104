/**
 * One Lambda cold start, measured locally: a fresh process imports the bundled handler
 * (deploy/dist/lambda.mjs) with the runtime's `awslambda` global simulated and
 * AWS_LAMBDA_FUNCTION_NAME set (so the app is built during "init", as on Lambda), then
 * handles one function-URL event: a chat completion against the fake Bedrock.
 *   node dist/bench/cold-start.js <lambda.mjs> <fake bedrock url>   (result over IPC)
 */
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const [bundle, fakeUrl] = process.argv.slice(2) as [string, string];
Object.assign(process.env, {
  AWS_LAMBDA_FUNCTION_NAME: 'nova-migrate-cold-start',
  AWS_REGION: 'us-east-1',
  NOVA_ALLOW_NO_AUTH: 'true',
  NOVA_LOG_LEVEL: 'warn',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fakeUrl,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
});
(globalThis as any).awslambda = { streamifyResponse: (fn: unknown) => fn, HttpResponseStream: { from: (s: Writable) => s } };
const t0 = performance.now();
const mod = (await import(pathToFileURL(bundle).href)) as { handler: (e: unknown, s: Writable, c: unknown) => Promise<void> };
const t1 = performance.now();
let body = '';
const out = new Writable({
  write(c, _e, cb) {
    body += String(c);
    cb();
  },
});
const event = {
  version: '2.0',
  rawPath: '/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  requestContext: { http: { method: 'POST', sourceIp: '127.0.0.1' }, requestId: 'cold-start' },
  body: JSON.stringify({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 64 }),
  isBase64Encoded: false,
};
await mod.handler(event, out, {});
const t2 = performance.now();
if (!body.includes('chat.completion')) throw new Error(`cold start: unexpected response ${body.slice(0, 200)}`);
// performance.now() counts from process start: t2 is spawn → first response.
process.send?.({ initMs: t1 - t0, firstEventMs: t2 - t1, totalMs: t2 });
