/**
 * Nova 1 models (Micro, Lite, Pro) often open their answer with a `<thinking> … </thinking>` text
 * block — before a tool call, sometimes before a final answer (recorded:
 * test/recorded/data/bedrock/pydantic/pydantic-ai/tests/models/cassettes/test_bedrock/
 * test_bedrock_model_retry.yaml, test_bedrock_model_iter_stream.yaml, …). OpenAI clients would show
 * it as the answer. These helpers split such a preamble off the start of the message text so it
 * can travel as reasoning instead: in one piece, or while streaming.
 *
 * Only a preamble is taken: optional whitespace, then `<thinking>`, up to `</thinking>` and the
 * whitespace after it, repeated if another block follows at once. A `<thinking>` later in the text
 * is content. An unclosed block at the end of the message is reasoning cut short (max_tokens).
 */

const OPEN = '<thinking>';
const CLOSE = '</thinking>';

export interface ThinkingSplit {
  /** The preamble's inner text (blocks trimmed, joined by a newline); '' when there was none. */
  thinking: string;
  /** The text after the preamble. */
  content: string;
}

/** Splits a whole message text. */
export function splitThinking(text: string): ThinkingSplit {
  const f = createThinkingFilter();
  const a = f.push(text);
  const b = f.end();
  return { thinking: a.thinking + b.thinking, content: a.content + b.content };
}

export interface ThinkingOutput {
  /** Text inside the preamble, to send as reasoning (may be ''). */
  thinking: string;
  /** Text for the content (may be ''). */
  content: string;
}

export interface ThinkingFilter {
  /** Adds streamed message text; returns what can be sent now. */
  push(text: string): ThinkingOutput;
  /** End of the message text: releases whatever is held. */
  end(): ThinkingOutput;
  /** True once ordinary content has begun (nothing more is held for this filter). */
  readonly passthrough: boolean;
}

type Phase = 'start' | 'inside' | 'passthrough';

/**
 * Streaming splitter. Holds back at most what could still be the start of `<thinking>` (leading
 * whitespace and up to 9 characters) at the start, and at most 10 characters inside a block that
 * could be the start of `</thinking>`; everything else is released at once. Ordinary text is held
 * only while it is a prefix of `<thinking>`.
 */
export function createThinkingFilter(): ThinkingFilter {
  let phase: Phase = 'start';
  let held = '';
  // No reasoning text of the current block sent yet (its leading whitespace is dropped).
  let fresh = true;
  let emittedThinking = false;
  let sawBlock = false;

  function push(text: string): ThinkingOutput {
    let thinking = '';
    let content = '';
    let buf = held + text;
    held = '';
    while (buf !== '') {
      if (phase === 'passthrough') {
        content += buf;
        break;
      }
      if (phase === 'start') {
        const body = buf.replace(/^\s+/, '');
        if (body === '') {
          held = buf; // whitespace only: could precede a block, or be content
          break;
        }
        if (body.startsWith(OPEN)) {
          phase = 'inside';
          buf = body.slice(OPEN.length);
          fresh = true;
          sawBlock = true;
          continue;
        }
        if (OPEN.startsWith(body)) {
          held = buf; // a prefix of `<thinking>`: wait for more
          break;
        }
        phase = 'passthrough';
        // Whitespace between a preamble and the answer is dropped; before plain content it is content.
        content += sawBlock ? body : buf;
        break;
      }
      // inside a block: trailing whitespace is held too, it may turn out to end the block
      const close = buf.indexOf(CLOSE);
      if (close >= 0) {
        thinking += take(buf.slice(0, close).replace(/\s+$/, ''));
        buf = buf.slice(close + CLOSE.length);
        phase = 'start';
        continue;
      }
      const tag = partialSuffix(buf, CLOSE);
      const core = buf.slice(0, buf.length - tag);
      const body = core.replace(/\s+$/, '');
      thinking += take(body);
      held = buf.slice(body.length);
      break;
    }
    return { thinking, content };
  }

  /** Reasoning text to send: a block's leading whitespace dropped, a later block after a newline. */
  function take(s: string): string {
    const text = fresh ? s.replace(/^\s+/, '') : s;
    if (text === '') return '';
    const out = fresh && emittedThinking ? `\n${text}` : text;
    fresh = false;
    emittedThinking = true;
    return out;
  }

  function end(): ThinkingOutput {
    const rest = held;
    held = '';
    if (phase === 'inside') return { thinking: take(rest.replace(/\s+$/, '')), content: '' };
    if (phase === 'start') {
      phase = 'passthrough';
      // Trailing whitespace after a preamble is not an answer; a bare prefix like "<thin" is.
      return { thinking: '', content: sawBlock && rest.trim() === '' ? '' : rest };
    }
    return { thinking: '', content: rest };
  }

  // `passthrough` is a data field set after each call, not a getter: V8 keeps an object
  // literal that declares a getter in dictionary mode (slower lookups, ~450 bytes per stream).
  const filter = {
    passthrough: false,
    push(text: string): ThinkingOutput {
      const out = push(text);
      filter.passthrough = phase === 'passthrough';
      return out;
    },
    end(): ThinkingOutput {
      const out = end();
      filter.passthrough = phase === 'passthrough';
      return out;
    },
  };
  return filter;
}

/** Length of the longest suffix of `text` that is a proper prefix of `token`. */
function partialSuffix(text: string, token: string): number {
  for (let k = Math.min(token.length - 1, text.length); k > 0; k--) {
    if (text.endsWith(token.slice(0, k))) return k;
  }
  return 0;
}
