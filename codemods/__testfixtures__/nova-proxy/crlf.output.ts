import OpenAI from 'openai';

export const client = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY,
  baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1'
});
