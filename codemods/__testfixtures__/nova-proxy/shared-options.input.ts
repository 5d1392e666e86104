import OpenAI from 'openai';

const opts = { apiKey: 'k' };
export const one = new OpenAI(opts);
export const two = new OpenAI(opts);
