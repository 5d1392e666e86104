import OpenAI from 'openai';

const endpoint = process.env.AZURE_OPENAI_ENDPOINT!;

// Azure OpenAI through the plain client: the host hides in a variable, the api-version and
// api-key give it away. Left alone, reported.
export const azure = new OpenAI({
  baseURL: `${endpoint}/openai/deployments/gpt-4o`,
  defaultQuery: { 'api-version': '2024-06-01' },
  defaultHeaders: { 'api-key': process.env.AZURE_OPENAI_KEY },
});
export const keyOnly = new OpenAI({ apiKey: 'unused', defaultHeaders: { "api-key": process.env.AZURE_OPENAI_KEY } });
export const plain = new OpenAI({ defaultHeaders: { 'x-team': 'search' }, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
