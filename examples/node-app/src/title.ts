import { openai } from '@ai-sdk/openai';
import { generateText } from 'ai';

export function titlePrompt(question: string, reply: string): string {
  return `Write a title of at most six words for this support conversation.\n\nCustomer: ${question}\nAssistant: ${reply}`;
}

/** A short title for the conversation list in the support inbox (AI SDK). */
export async function conversationTitle(question: string, reply: string): Promise<string> {
  const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: titlePrompt(question, reply) });
  return text.trim();
}
