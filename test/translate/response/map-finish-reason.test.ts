import { describe, expect, it } from 'vitest';
import { StopReason } from '@aws-sdk/client-bedrock-runtime';
import { isFailureStopReason, mapFinishReason, stopReasonError } from '../../../proxy/translate/map-finish-reason.js';
import { OpenAIHttpError } from '../../../proxy/errors.js';

describe('mapFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ] as const)('%s → %s', (reason, expected) => {
    expect(mapFinishReason(reason)).toBe(expected);
  });

  it('covers every StopReason the SDK knows', () => {
    for (const reason of Object.values(StopReason)) {
      expect(['stop', 'length', 'tool_calls', 'content_filter']).toContain(mapFinishReason(reason));
      if (reason.startsWith('malformed_')) expect(isFailureStopReason(reason)).toBe(true);
      else expect(isFailureStopReason(reason)).toBe(false);
    }
  });

  it('tool_use for the emulated JSON tool only is stop', () => {
    expect(mapFinishReason('tool_use', { toolCalls: 0, jsonTool: true })).toBe('stop');
    expect(mapFinishReason('tool_use', { toolCalls: 1, jsonTool: true })).toBe('tool_calls');
    expect(mapFinishReason('tool_use', { toolCalls: 2, jsonTool: false })).toBe('tool_calls');
  });

  it('the JSON tool does not hide a length cut', () => {
    expect(mapFinishReason('max_tokens', { toolCalls: 0, jsonTool: true })).toBe('length');
  });

  it('unknown or missing stop reasons are stop', () => {
    expect(mapFinishReason(undefined)).toBe('stop');
    expect(mapFinishReason('something_new')).toBe('stop');
  });
});

describe('stopReasonError', () => {
  it('malformed output and tool use are 502s', () => {
    for (const r of ['malformed_model_output', 'malformed_tool_use']) {
      const e = stopReasonError(r);
      expect(e).toBeInstanceOf(OpenAIHttpError);
      expect(e!.status).toBe(502);
      expect(e!.type).toBe('server_error');
      expect(e!.message).toMatch(/^Bedrock: .*malformed/);
      expect(e!.message).toContain(r);
    }
  });

  it('everything else is not a failure', () => {
    for (const r of [undefined, 'end_turn', 'tool_use', 'max_tokens', 'guardrail_intervened']) expect(stopReasonError(r)).toBeUndefined();
  });
});
