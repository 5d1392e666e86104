import OpenAI from 'openai';

// recast drops the location of an export default expression: the report still names its line.
export default new OpenAI({ maxRetries: 2, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
