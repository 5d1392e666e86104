import { describe, expect, it } from 'vitest';
import { createThinkingFilter, splitThinking } from '../../../proxy/translate/thinking.js';

/** Feeds `text` in pieces of `size` characters; returns what was released, joined, and the per-push content. */
function stream(text: string, size: number) {
  const f = createThinkingFilter();
  let thinking = '';
  let content = '';
  const pushes: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    const out = f.push(text.slice(i, i + size));
    thinking += out.thinking;
    content += out.content;
    pushes.push(out.content);
  }
  const last = f.end();
  return { thinking: thinking + last.thinking, content: content + last.content, pushes };
}

// Texts as recorded (test/recorded/data: test_bedrock_model_retry.yaml, test_bedrock_model_structured_output.yaml, …).
const CASES: Array<[string, string, string, string]> = [
  ['preamble before a tool call', "<thinking> I will use the tool with the country parameter set to \"France\". </thinking>\n", 'I will use the tool with the country parameter set to "France".', ''],
  ['leading newline, then the answer', '\n<thinking> The tool has provided the temperature.</thinking>\nThe temperature in London was 30°C.', 'The tool has provided the temperature.', 'The temperature in London was 30°C.'],
  ['space and blank line before the answer', '<thinking> It appears there was an error. </thinking> \n\nThe capital of France is Paris.', 'It appears there was an error.', 'The capital of France is Paris.'],
  ['two blocks', '<thinking>a</thinking><thinking> b </thinking>\nAnswer', 'a\nb', 'Answer'],
  ['no preamble', 'The city of Paris', '', 'The city of Paris'],
  ['leading whitespace without a preamble is content', '  \nHello', '', '  \nHello'],
  ['a later <thinking> is content', 'Answer <thinking>x</thinking>', '', 'Answer <thinking>x</thinking>'],
  ['a prefix of the tag that is not the tag', '<think about it>', '', '<think about it>'],
  ['unclosed at the end (cut by max_tokens) stays reasoning', '<thinking> Let me consider the', 'Let me consider the', ''],
  ['an answer that is only whitespace after the preamble', '<thinking>x</thinking>\n\n', 'x', ''],
];

describe('thinking preambles', () => {
  it.each(CASES)('%s', (_name, text, thinking, content) => {
    expect(splitThinking(text)).toEqual({ thinking, content });
    // Any split of the stream gives the same result as the whole text.
    for (const size of [1, 2, 3, 7, 11, 1000]) {
      const s = stream(text, size);
      expect({ thinking: s.thinking, content: s.content }, `pieces of ${size}`).toEqual({ thinking, content });
    }
  });

  it('holds ordinary text back only while it could still be "<thinking>"', () => {
    const s = stream('Hello there, how are you?', 1);
    // "H" cannot start "<thinking>": released with the very first push.
    expect(s.pushes[0]).toBe('H');
    const t = stream('<thin!', 1);
    expect(t.pushes.slice(0, 5)).toEqual(['', '', '', '', '']);
    expect(t.pushes[5]).toBe('<thin!');
  });

  it('streams reasoning while the block is open, holding only a possible closing tag', () => {
    const f = createThinkingFilter();
    expect(f.push('<thinking> step one')).toEqual({ thinking: 'step one', content: '' });
    expect(f.push(', step two </thi')).toEqual({ thinking: ', step two', content: '' });
    expect(f.push('nking>\nDone.')).toEqual({ thinking: '', content: 'Done.' });
    expect(f.passthrough).toBe(true);
    expect(f.push(' More.')).toEqual({ thinking: '', content: ' More.' });
  });
});
