import OpenAI from "openai";

// The shared client.
const client = new OpenAI();

export async function ask(q: string) {
  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: q }] });
}
