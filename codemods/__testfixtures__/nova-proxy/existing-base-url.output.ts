import OpenAI from 'openai';

export const groq = new OpenAI({ baseURL: 'https://api.groq.com/openai/v1', apiKey: process.env.GROQ_API_KEY });
export const explicitOpenAI = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' });
