export async function lazy() {
  const { default: OpenAI } = await import('openai');
  const mod = await import('openai');
  return [new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY }), new mod.OpenAI({ apiKey: 'sk-test', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' })];
}
