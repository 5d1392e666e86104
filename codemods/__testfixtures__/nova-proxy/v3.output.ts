import { Configuration, OpenAIApi } from 'openai';

const configuration = new Configuration({
  apiKey: process.env.OPENAI_API_KEY,
  basePath: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1',
});
export const openai = new OpenAIApi(configuration);
