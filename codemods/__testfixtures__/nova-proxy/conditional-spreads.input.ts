import OpenAI from 'openai';

const extras = { timeout: 5_000 };
export const org = new OpenAI({ apiKey: 'k', ...(process.env.OPENAI_ORG && { organization: process.env.OPENAI_ORG }) });
export const proj = new OpenAI({
  ...(process.env.OPENAI_PROJECT ? { project: process.env.OPENAI_PROJECT } : {}),
  ...{ maxRetries: 2 },
  ...(process.env.SLOW ? extras : undefined),
});
// A base URL in a branch: the added one would override it, so this stays manual work.
export const maybeGroq = new OpenAI({ ...(process.env.GROQ ? { baseURL: 'https://api.groq.com/openai/v1' } : {}) });
// One side can't be seen.
export function either(opts?: Record<string, unknown>) {
  return new OpenAI({ ...(opts ?? { timeout: 1 }) });
}
