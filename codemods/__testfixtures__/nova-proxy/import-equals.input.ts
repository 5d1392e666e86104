import OpenAI = require('openai');

export const client = new OpenAI({ maxRetries: 0 });
