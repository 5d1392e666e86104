/**
 * `scan` predicts what the proxy will do with each call; the proxy's request translation
 * decides it. This keeps the two from drifting apart: for each parameter, the scan's
 * verdict must match what prepareConverse actually does with the same literal value.
 */
import { describe, expect, it } from 'vitest';
import jscodeshift from 'jscodeshift';
import { scanJs } from '../../codemods/scan/scan-js.js';
import { prepareConverse } from '../../proxy/translate/prepare-converse.js';
import { NOVA_MODELS } from '../../proxy/models.js';
import { OpenAIHttpError } from '../../proxy/errors.js';

const cases: [string, string, unknown][] = [
  ['n', '2', 2],
  ['logprobs', 'true', true],
  ['top_logprobs', '3', 3],
  ['audio', "{ voice: 'alloy', format: 'wav' }", { voice: 'alloy', format: 'wav' }],
  ['modalities', "['text', 'audio']", ['text', 'audio']],
  ['prediction', "{ type: 'content', content: 'x' }", { type: 'content', content: 'x' }],
  ['seed', '42', 42],
  ['logit_bias', "{ '50256': -100 }", { '50256': -100 }],
  ['frequency_penalty', '0.5', 0.5],
];

async function proxyVerdict(param: string, value: unknown): Promise<'works' | 'differences' | 'unsupported'> {
  const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], [param]: value } as never;
  try {
    const { state } = await prepareConverse(body, {
      bedrockModelId: 'amazon.nova-pro-v1:0',
      model: NOVA_MODELS['amazon.nova-pro-v1:0']!,
      loadImage: async () => {
        throw new Error('no fetch');
      },
      maxImageBytes: 1e6,
    });
    return state.ignoredParams.length || state.adjustedParams.length ? 'differences' : 'works';
  } catch (err) {
    if (err instanceof OpenAIHttpError && err.status === 400) return 'unsupported';
    throw err;
  }
}

describe('scan verdicts agree with the proxy', () => {
  for (const [param, source, value] of cases) {
    it(`${param}`, async () => {
      const src = `import OpenAI from 'openai';\nconst c = new OpenAI();\nawait c.chat.completions.create({ model: 'gpt-4o', messages: [], ${param}: ${source} });\n`;
      const site = scanJs(jscodeshift.withParser('ts'), src, 'x.ts').find((s) => s.api === 'chat.completions.create');
      expect(site, 'scan found the call').toBeDefined();
      expect(site!.verdict).toBe(await proxyVerdict(param, value));
    });
  }
});
