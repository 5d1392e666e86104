import { describe, expect, it } from 'vitest';
import { createStopSequenceBuffer, holdBackLength, matchedStopSequence, stripStopSequence } from '../../../proxy/translate/strip-stop.js';

describe('stripStopSequence', () => {
  it('removes one stop sequence, only at the end', () => {
    expect(stripStopSequence('Hello END', ['END'])).toBe('Hello ');
    expect(stripStopSequence('END is here END', ['END'])).toBe('END is here ');
    expect(stripStopSequence('ENDEND', ['END'])).toBe('END');
    expect(stripStopSequence('Hello', ['END'])).toBe('Hello');
    expect(stripStopSequence('END.', ['END'])).toBe('END.');
  });

  it('prefers the longest match and ignores empty stops', () => {
    expect(matchedStopSequence('xEND', ['D', 'END'])).toBe('END');
    expect(stripStopSequence('xEND', ['', 'D', 'END'])).toBe('x');
    expect(stripStopSequence('abc', [''])).toBe('abc');
  });
});

describe('holdBackLength', () => {
  it('is the longest suffix that is a prefix of a stop sequence', () => {
    expect(holdBackLength('Hello E', ['END'])).toBe(1);
    expect(holdBackLength('Hello EN', ['END'])).toBe(2);
    expect(holdBackLength('Hello END', ['END'])).toBe(3);
    expect(holdBackLength('Hello', ['END'])).toBe(0);
    expect(holdBackLength('xABA', ['ABAB'])).toBe(3);
    expect(holdBackLength('x\n\n', ['\n\n\n', 'zz'])).toBe(2);
    expect(holdBackLength('anything', [])).toBe(0);
  });
});

describe('createStopSequenceBuffer', () => {
  const run = (parts: string[], stops: string[], stopped: boolean) => {
    const b = createStopSequenceBuffer(stops);
    const sent = parts.map((p) => b.push(p));
    return { sent, text: sent.join('') + b.finish(stopped) };
  };

  it('with no stop sequences nothing is held', () => {
    const b = createStopSequenceBuffer([]);
    expect(b.push('Hello E')).toBe('Hello E');
    expect(b.held).toBe(0);
  });

  it('holds only a possible stop-sequence start and releases it when it cannot be one', () => {
    const b = createStopSequenceBuffer(['END']);
    expect(b.push('Hello E')).toBe('Hello ');
    expect(b.held).toBe(1);
    expect(b.push('x')).toBe('Ex');
    expect(b.held).toBe(0);
  });

  it('drops a stop sequence split across deltas', () => {
    expect(run(['The answer E', 'ND'], ['END'], true)).toEqual({ sent: ['The answer ', ''], text: 'The answer ' });
  });

  it('flushes the held tail when the message did not stop on a sequence', () => {
    expect(run(['The answer E', 'N'], ['END'], false).text).toBe('The answer EN');
  });

  it('overlapping stop sequences (ABAB after ABA)', () => {
    expect(run(['xAB', 'A', 'B'], ['ABAB'], true).text).toBe('x');
    expect(run(['xAB', 'A', 'B'], ['ABAB'], true).sent.join('')).toBe('x');
  });

  it('every way of splitting the text gives the non-streaming answer', () => {
    const cases: Array<[string, string[]]> = [
      ['Done. STOP', ['STOP']],
      ['a\n\nb\n\n\n', ['\n\n\n']],
      ['xyxyz', ['xyz', 'yy']],
      ['Observation: ', ['Observation:', 'Obs']],
    ];
    for (const [text, stops] of cases) {
      for (let i = 0; i <= text.length; i++) {
        for (let j = i; j <= text.length; j++) {
          const parts = [text.slice(0, i), text.slice(i, j), text.slice(j)];
          expect(run(parts, stops, true).text, JSON.stringify(parts)).toBe(stripStopSequence(text, stops));
          expect(run(parts, stops, false).text, JSON.stringify(parts)).toBe(text);
        }
      }
    }
  });
});
