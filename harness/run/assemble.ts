/**
 * Rebuilds a ChatCompletion from streamed chunks, so streamed and non-streamed answers go
 * through the same comparisons.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';

interface ToolAcc {
  id: string;
  name: string;
  arguments: string;
}

export class ChunkAssembler {
  private id = '';
  private model = '';
  private created = 0;
  private content = '';
  private refusal = '';
  private sawContent = false;
  private finish: string | null = null;
  private tools = new Map<number, ToolAcc>();
  private usage: ChatCompletion['usage'];
  /** True once a chunk carried output (content, refusal or a tool call). */
  firstToken = false;

  add(chunk: ChatCompletionChunk): boolean {
    const wasFirst = !this.firstToken;
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice) {
      const d = choice.delta ?? {};
      if (typeof d.content === 'string') {
        this.sawContent = true;
        this.content += d.content;
        if (d.content) this.firstToken = true;
      }
      if (typeof d.refusal === 'string' && d.refusal) {
        this.refusal += d.refusal;
        this.firstToken = true;
      }
      for (const tc of d.tool_calls ?? []) {
        const acc = this.tools.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) acc.id = tc.id;
        if (tc.function?.name) acc.name += tc.function.name;
        if (tc.function?.arguments) acc.arguments += tc.function.arguments;
        this.tools.set(tc.index, acc);
        this.firstToken = true;
      }
      if (choice.finish_reason) this.finish = choice.finish_reason;
    }
    return wasFirst && this.firstToken;
  }

  result(): ChatCompletion {
    const toolCalls = [...this.tools.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, t]) => ({ id: t.id, type: 'function' as const, function: { name: t.name, arguments: t.arguments } }));
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [
        {
          index: 0,
          finish_reason: (this.finish ?? 'stop') as ChatCompletion.Choice['finish_reason'],
          logprobs: null,
          message: {
            role: 'assistant',
            content: this.sawContent || !toolCalls.length ? this.content : null,
            refusal: this.refusal || null,
            ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          },
        },
      ],
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }
}
