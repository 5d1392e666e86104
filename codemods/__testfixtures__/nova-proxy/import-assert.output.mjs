import OpenAI from 'openai';
import pkg from './package.json' assert { type: 'json' };

export class Agent {
  @logged accessor client = new OpenAI({ defaultHeaders: { 'x-app': pkg.name }, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
}
function logged() {}
