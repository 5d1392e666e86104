import OpenAI from "openai";

// The shared client.
const client = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? "http://127.0.0.1:8080/v1", apiKey: process.env.NOVA_PROXY_API_KEY });

export async function ask(q: string) {
  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: q }] });
}
