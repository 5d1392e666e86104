import OpenAI = require('openai');

export const client = new OpenAI({ maxRetries: 0, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
