import OpenAI from 'openai';

export const client = new OpenAI({
  // keys come from the environment
  baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY,
});
// A test of the class is not a use of it as a value.
export const maybe = OpenAI && new OpenAI({ /* defaults */  baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
