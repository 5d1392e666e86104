const OpenAI = require('openai');
const { OpenAI: Named } = require('openai');

class Service {
  client = new OpenAI({ maxRetries: 2, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
  other = new Named({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
}

module.exports = { Service };
