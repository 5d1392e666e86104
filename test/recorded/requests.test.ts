/**
 * (a) Every recorded request, sent byte for byte over the real wire (AWS SDK, SigV4) to the fake
 * Bedrock, must get the answer the real service gave: the same HTTP status, the same error name
 * (`x-amzn-errortype`) and the same message. The fake's Nova rules are the thing under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fakeBedrockEnv, startFakeBedrock, type FakeBedrock } from '../../mock/fake-bedrock.js';
import { bedrockModel } from '../../mock/spec/bedrock-model.js';
import { loadRecordings, shortName, type Recording } from './load.js';
import { sendRecorded, type WireResult } from './wire.js';

const SENT = new Set(['Converse', 'ConverseStream', 'CountTokens']);
const recordings = loadRecordings().filter((r) => r.body !== undefined && SENT.has(r.operation));
const byFile = new Map<string, Recording[]>();
for (const r of recordings) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);

/**
 * The error name a recording implies. Where the headers were recorded they say it; where not
 * (pydantic-ai cassettes, two vercel fixtures), the status decides: in the service model the
 * only Converse / ConverseStream / CountTokens error with HTTP 400 is ValidationException.
 */
function expectedErrorType(r: Recording): string | undefined {
  if (r.response.status < 400) return undefined;
  const header = r.response.headers['x-amzn-errortype'];
  if (header) return header.split(':')[0];
  const model = bedrockModel();
  const names = new Set(
    (model.operations[r.operation]?.errors ?? []).map((e) => e.shape).filter((s) => model.shapes[s]?.error?.httpStatusCode === r.response.status),
  );
  return names.size === 1 ? [...names][0] : undefined;
}

function agrees(r: Recording, got: WireResult): boolean {
  if (got.status !== r.response.status) return false;
  if (r.response.status < 400) return got.errorType === undefined;
  return got.errorType === expectedErrorType(r) && got.message === (r.response.json as { message: string }).message;
}

let fake: FakeBedrock;
let client: BedrockRuntimeClient;
const results = new Map<string, WireResult>();

beforeAll(async () => {
  fake = await startFakeBedrock();
  const env = fakeBedrockEnv(fake);
  client = new BedrockRuntimeClient({
    endpoint: fake.url,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000 }),
  });
  // One file is one conversation (the cache recordings depend on what came before): in order,
  // with the fake's prompt cache reset between files.
  for (const [, recs] of byFile) {
    fake.reset();
    for (const r of recs) results.set(r.id, await sendRecorded(client, r));
  }
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});

describe('recorded requests against the fake Bedrock', () => {
  it('covers every recorded Converse, ConverseStream and CountTokens request', () => {
    // 40 recorded Converse/ConverseStream bodies, 1 CountTokens, 5 rebuilt from vercel/ai tests.
    expect(recordings.length).toBe(46);
    expect(recordings.filter((r) => r.rebuilt).length).toBe(5);
  });

  it.each(recordings.map((r) => [shortName(r), r] as const))('%s', (_name, r) => {
    const got = results.get(r.id)!;
    expect({ status: got.status, errorType: got.errorType, message: got.message }).toEqual({
      status: r.response.status,
      errorType: expectedErrorType(r),
      message: r.response.status >= 400 ? (r.response.json as { message: string }).message : undefined,
    });
    const header = r.response.headers['x-amzn-errortype'];
    if (header) expect(got.headers['x-amzn-errortype']).toBe(header);
  });

  it('agrees with the real service on every request', () => {
    const disagreeing = recordings.filter((r) => !agrees(r, results.get(r.id)!)).map(shortName);
    expect(disagreeing).toEqual([]);
  });
});
