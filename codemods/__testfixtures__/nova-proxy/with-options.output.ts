import OpenAI from 'openai';

// withOptions returns a copy with the same base URL: its calls are this client's calls.
const client = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
const slow = client.withOptions({ timeout: 120_000 });
export const ask = (q: string) => slow.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });

const uploader = new OpenAI();
export const upload = (file: File) => uploader.withOptions({ maxRetries: 5 }).files.create({ file, purpose: 'batch' });
