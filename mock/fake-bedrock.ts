/**
 * Wire-level fake of Amazon Bedrock Runtime (Converse, ConverseStream, CountTokens, and
 * InvokeModel for the embeddings models) for
 * tests, benchmarks and `--mock` runs. Drive it with the real AWS SDK:
 *
 *   const fake = await startFakeBedrock();
 *   const client = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1',
 *     credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
 *
 * Requests are validated against specs/bedrock-runtime.json and Nova's own rules;
 * answers come from scripted steps (`fake.enqueue`) or the synthetic model.
 */
import type { FakeBedrock } from './bedrock/server.js';

export { startFakeBedrock } from './bedrock/server.js';
export type {
  BedrockOperation,
  FakeBedrock,
  FakeBedrockOptions,
  FakeStep,
  FakeStepInput,
  RecordedRequest,
} from './bedrock/server.js';
export type { BedrockError, BedrockErrorType, StreamExceptionType } from './bedrock/errors.js';
export type { ConverseResponseBody, StreamEvent, Usage } from './bedrock/respond.js';

/** Environment for a child process that should talk to the fake with the default credential chain. */
export function fakeBedrockEnv(fake: Pick<FakeBedrock, 'url'>): {
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_REGION: string;
} {
  return {
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
  };
}
