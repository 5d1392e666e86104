import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';

const nova = createOpenAI({ compatibility: 'strict', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
const groq = createOpenAI({ baseURL: 'https://api.groq.com/openai/v1' });

export const a = streamText({ model: nova('gpt-4o-mini'), prompt: 'hi' });
export const b = streamText({ model: groq('llama-3.1-8b-instant'), prompt: 'hi' });
export const c = nova.responses('gpt-4o');
