import OpenAI from 'openai';

const opts = { apiKey: 'k', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' };
export const one = new OpenAI(opts);
export const two = new OpenAI(opts);
