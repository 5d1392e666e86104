/**
 * Reasoning as OpenAI clients should see it.
 *
 * Nova 2 Lite returns its reasoning redacted: the reasoning block's text is the placeholder
 * `[REDACTED].` (recorded: test/recorded/data/bedrock/vercel/ai/…/amazon-bedrock-nova-2-high-reasoning-success.json;
 * documented: Amazon Nova 2 User Guide, "Reasoning capabilities": "reasoning content is redacted in
 * the output and displays as [REDACTED], though you are still charged for these tokens"). A
 * placeholder is not reasoning: it is left out of `reasoning_content`, and the tokens it stands for
 * are reported in `usage.completion_tokens_details.reasoning_tokens` instead.
 *
 * Bedrock gives no reasoning-token count (its `outputTokens` includes them), so the count is an
 * estimate: `outputTokens` minus the visible output (content, tool-call names and arguments) at
 * ≈ 4 characters per token, never below 0. It is reported only when the answer carried reasoning
 * (a reasoning block, redacted or not, or a `<thinking>` preamble moved out of the content).
 */

const PLACEHOLDER = /^\s*\[REDACTED\]\.?\s*$/;
const PLACEHOLDER_TEXT = '[REDACTED].';

export function isRedactedPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** Characters per token assumed for the visible output (the same rule of thumb the fakes use). */
export const CHARS_PER_TOKEN = 4;

export function estimateReasoningTokens(outputTokens: number, visibleChars: number): number {
  return Math.max(0, outputTokens - Math.ceil(visibleChars / CHARS_PER_TOKEN));
}

export interface ReasoningFilter {
  /** Adds streamed reasoning text of one block; returns what can be sent now. */
  push(text: string): string;
  /** End of the block: what is still held, or '' when it was only the placeholder. */
  end(): string;
}

/**
 * Streaming: a block's text is held only while it could still be the placeholder (at most 11
 * characters); readable reasoning is released as soon as it differs.
 */
export function createReasoningFilter(): ReasoningFilter {
  let held = '';
  let open = false;
  return {
    push(text) {
      if (open) return text;
      held += text;
      const probe = held.replace(/^\s+/, '');
      if (PLACEHOLDER_TEXT.startsWith(probe) || isRedactedPlaceholder(held)) return '';
      open = true;
      const out = held;
      held = '';
      return out;
    },
    end() {
      const out = held;
      held = '';
      open = false;
      return isRedactedPlaceholder(out) || out.trim() === '' ? '' : out;
    },
  };
}
