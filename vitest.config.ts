import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Suites that call Bedrock through the proxy's transport: run once per transport. */
const TRANSPORT_SUITES = [
  'test/proxy/**/*.test.ts',
  'test/embeddings/embeddings.test.ts',
  'test/responses/{openai-sdk,ai-sdk,agents-sdk,langchain,store}.test.ts',
  'test/recorded/{fixes,proxy-replay}.test.ts',
  'test/translate/request/depth-and-size.test.ts',
  'test/cli/serve.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default (cores - 1) leaves one of CI's two cores idle; the suites are mostly waiting on loopback I/O.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        // Everything, on the default (direct) transport.
        test: { name: 'default', include: ['test/**/*.test.ts', '{proxy,codemods,harness,cli,mock,deploy}/**/*.test.ts'] },
      },
      {
        extends: true,
        // The proxy suites again on the AWS SDK transport (test/support/proxy.ts reads the variable).
        test: { name: 'sdk-transport', include: TRANSPORT_SUITES, env: { NOVA_BEDROCK_TRANSPORT: 'sdk' } },
      },
    ],
  },
});
