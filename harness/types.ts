/**
 * Data shared by the harness modules: fixtures, side results, comparisons, verdicts.
 * Pure data only, so every stage can be unit-tested with plain objects.
 */
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CompareOptions } from './compare/options.js';

export type { ChatCompletion, ChatCompletionCreateParams };

/** One expectation, normalised from the fixture's `assert` (object or list form). */
export type Expectation =
  | { type: 'equals'; value: string }
  | { type: 'contains'; value: string[] }
  | { type: 'regex'; value: string; flags?: string }
  | { type: 'is-json' }
  | { type: 'json-schema'; value: Record<string, unknown> }
  | { type: 'tool-call'; name: string; arguments?: Record<string, unknown> }
  | { type: 'max-latency-ms'; value: number }
  | { type: 'max-cost'; value: number }
  | { type: 'similar'; value: number };

export type CompareKind = 'json' | 'tools' | 'classification' | 'text';

/** Per-fixture (or global) thresholds; see `DEFAULT_THRESHOLDS`. */
export interface Thresholds {
  /** Free-text similarity below this warns (fails only when the fixture asserts `similar`). */
  similarity: number;
  /** Candidate/baseline output length ratio outside [1/x, x] warns. */
  lengthRatio: number;
  /** Answers with at most this many words are compared as classification labels. */
  classificationMaxWords: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  similarity: 0.5,
  lengthRatio: 3,
  classificationMaxWords: 4,
};

export interface Fixture {
  /** `custom_id` or `<file>:<line>`. */
  id: string;
  file: string;
  line: number;
  body: ChatCompletionCreateParams;
  tags: string[];
  metadata: Record<string, unknown>;
  baseline?: ChatCompletion;
  expectations: Expectation[];
  /** Forces the comparison kind instead of inferring it from the request. */
  compare?: CompareKind;
  /** Tolerances, ignored paths, free-text fields, case and order rules (fixture file defaults merged in). */
  compareOptions?: CompareOptions;
  thresholds: Partial<Thresholds>;
  /** Share of traffic this prompt stands for in the monthly projection (default 1). */
  weight?: number;
}

/** What a target returned for one call (or why it did not). */
export interface SideResult {
  ok: boolean;
  response?: ChatCompletion;
  error?: { status?: number; message: string; code?: string };
  /** Time to first content/tool token, streamed requests only. */
  ttftMs?: number;
  totalMs?: number;
  /** Latency came from the cache or a recording: shown, never gated. */
  latencyRecorded: boolean;
  fromCache: boolean;
  streamed: boolean;
  attempts: number;
  /** Response headers of interest (lower-case names). */
  headers: Record<string, string>;
  /** Model ID used to price the call (Bedrock ID for Nova). */
  pricedModel?: string;
  costUsd?: number;
  usage?: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
}

export type Status = 'pass' | 'warn' | 'fail';

export interface Check {
  /** e.g. `json.valid`, `tools.names`, `expect.contains`, `finish_reason`. */
  name: string;
  status: Status;
  score?: number;
  reason: string;
  /** A Nova parameter difference explains this result; it is not counted as a model-parity failure. */
  explainedBy?: string;
}

export interface NovaDiff {
  param: string;
  /** `rejected`: the proxy answers 400 (the app must change the request). */
  effect: 'ignored' | 'rewritten' | 'emulated' | 'rejected';
  note: string;
  /** Check-name prefixes this difference can explain. */
  affects: string[];
  source: 'static' | 'proxy-header';
}

export interface Advice {
  cause: string;
  fix: string;
}

export interface RunSample {
  repeat: number;
  /** The comparison applied (text becomes classification for short baseline answers). */
  kind: CompareKind;
  diffs: NovaDiff[];
  baseline: SideResult;
  candidate: SideResult;
  checks: Check[];
  status: Status;
}

export interface PromptResult {
  id: string;
  file: string;
  line: number;
  tags: string[];
  kind: CompareKind;
  streamed: boolean;
  request: ChatCompletionCreateParams;
  diffs: NovaDiff[];
  samples: RunSample[];
  status: Status;
  reasons: string[];
  advice: Advice[];
  /** Share of repeats whose status equals the final majority; 1 with a single run. */
  consistency: number;
  flaky: boolean;
  /** Repeats that completed: what `consistency` is measured over. */
  runs: number;
  /** Repeats asked for (`--repeat`). */
  plannedRuns: number;
  /** Fewer runs completed than asked for (the run was interrupted). */
  partial: boolean;
}
