import OpenAI from 'openai';

const raw = <unknown>JSON.parse('{}');
export const client = new OpenAI({ apiKey: <string>raw });
