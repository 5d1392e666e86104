import OpenAI from 'openai';

const client = new OpenAI({ dangerouslyAllowBrowser: true, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });

export function Button() {
  return <button onClick={() => client.models.list()}>List</button>;
}
