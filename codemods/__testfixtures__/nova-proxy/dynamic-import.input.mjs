export async function lazy() {
  const { default: OpenAI } = await import('openai');
  const mod = await import('openai');
  return [new OpenAI(), new mod.OpenAI({ apiKey: 'sk-test' })];
}
