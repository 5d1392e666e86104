import OpenAI from 'openai';

// A raw U+2028 in a string literal is valid JavaScript (ES2019).
export const greeting = 'one two';
export const client = new OpenAI({ maxRetries: 1 });
