import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { openai } from './client.js';
import { getOrderStatus } from './orders.js';
import { MODEL, SYSTEM_PROMPT, TOOLS } from './support-prompt.js';

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

function runTool(call: ToolCall): unknown {
  if (call.name !== 'get_order_status') return { error: `unknown tool ${call.name}` };
  const args = JSON.parse(call.arguments || '{}') as { order_id?: string };
  return getOrderStatus(args.order_id ?? '');
}

/**
 * Answers a customer's question, streaming the reply through `write` as it arrives and
 * running the tool calls the model asks for. Returns the whole reply.
 */
export async function answer(question: string, write: (text: string) => void, log: (line: string) => void = () => {}): Promise<string> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: question },
  ];
  for (let round = 0; round < 3; round++) {
    const stream = await openai.chat.completions.create({ model: MODEL, messages, tools: TOOLS, temperature: 0.2, stream: true });
    let text = '';
    const calls: ToolCall[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) {
        text += delta.content;
        write(delta.content);
      }
      // Tool calls arrive in pieces: the id and name first, then fragments of the arguments.
      for (const part of delta?.tool_calls ?? []) {
        const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name += part.function.name;
        if (part.function?.arguments) call.arguments += part.function.arguments;
      }
    }
    if (calls.length === 0) return text;
    messages.push({
      role: 'assistant',
      content: text || null,
      tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
    });
    for (const call of calls) {
      const result = runTool(call);
      log(`[tool] ${call.name}(${call.arguments}) -> ${JSON.stringify(result)}`);
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
  throw new Error('the model kept calling tools; giving up');
}
