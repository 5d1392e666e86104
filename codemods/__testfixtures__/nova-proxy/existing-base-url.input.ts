import OpenAI from 'openai';

export const groq = new OpenAI({ baseURL: 'https://api.groq.com/openai/v1', apiKey: process.env.GROQ_API_KEY });
export const explicitOpenAI = new OpenAI({ baseURL: 'https://api.openai.com/v1' });
