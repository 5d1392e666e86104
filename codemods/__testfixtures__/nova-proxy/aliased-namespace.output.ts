import { OpenAI as Client } from 'openai';
import * as oai from 'openai';

const a = new Client({ organization: 'org-1', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
const b = new oai.OpenAI({ apiKey: process.env.KEY, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' });
const c = new oai.default({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
