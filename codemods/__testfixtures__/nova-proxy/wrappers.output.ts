import OpenPipe from 'openpipe/openai';
import { OpenAI as FromSubpath } from 'openai/index.mjs';

export const a = new OpenPipe({ openpipe: { apiKey: process.env.OPENPIPE_API_KEY }, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
export const b = new FromSubpath({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
