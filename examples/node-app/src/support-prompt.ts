/** What the assistant sends with every question: its model, instructions and tools. */
import type { ChatCompletionTool } from 'openai/resources/chat/completions';

export const MODEL = 'gpt-4o-mini';

export const SYSTEM_PROMPT =
  'You are the customer support assistant of Northwind Outfitters, an online outdoor-gear shop. ' +
  'Be brief and friendly. Use the get_order_status tool whenever the customer asks about an order. ' +
  'Returns are free within 30 days of delivery; never promise refunds beyond that.';

export const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_order_status',
      description: 'Look up the status, carrier and estimated delivery date of an order by its ID',
      parameters: {
        type: 'object',
        properties: { order_id: { type: 'string', description: 'The order ID, e.g. A1002' } },
        required: ['order_id'],
        additionalProperties: false,
      },
    },
  },
];
