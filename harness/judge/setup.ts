/**
 * Which judge a run uses. `--judge auto` (the default) picks what the team's credentials
 * allow: Nova on Bedrock when the candidate is the in-process proxy (its AWS credentials
 * are needed anyway); otherwise OpenAI when OPENAI_API_KEY is set, Nova when AWS
 * credentials are configured, else no judge. `--mock` runs no judge unless one is named.
 * Under `--replay`, `auto` reuses the judge the cache was recorded with (judge.json in the
 * cache directory), so a replay reaches the same verdicts without any credentials.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { JUDGE_VERSION } from './prompt.js';

export type JudgeChoiceOption = 'auto' | 'off' | 'openai' | 'nova';

export const DEFAULT_JUDGE_MODELS = { openai: 'gpt-4o', nova: 'amazon.nova-2-lite-v1:0' } as const;

export interface JudgeDecision {
  provider: 'openai' | 'nova' | 'off';
  model?: string;
  /** Why (printed as a notice). */
  why: string;
}

/** AWS credentials the default chain would find without a network call (env, profile files, container or web identity). */
export function awsCredentialsConfigured(env: Record<string, string | undefined>): boolean {
  if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_BEARER_TOKEN_BEDROCK || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = env.HOME ?? homedir();
  return existsSync(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')) || existsSync(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'));
}

const RECORD = 'judge.json';

export function recordedJudge(cacheDir: string): { provider: 'openai' | 'nova'; model: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(join(cacheDir, RECORD), 'utf8')) as { provider?: string; model?: string };
    if ((v.provider === 'openai' || v.provider === 'nova') && typeof v.model === 'string') return { provider: v.provider, model: v.model };
  } catch {
    /* none recorded */
  }
  return undefined;
}

export function rememberJudge(cacheDir: string, provider: 'openai' | 'nova', model: string): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, RECORD), `${JSON.stringify({ provider, model, version: JUDGE_VERSION }, null, 2)}\n`);
  } catch {
    /* an unwritable cache is already reported by the cache itself */
  }
}

export function decideJudge(o: {
  choice: JudgeChoiceOption;
  model?: string;
  mock: boolean;
  cacheMode: 'auto' | 'record' | 'replay' | 'off';
  cacheDir: string;
  inProcessCandidate: boolean;
  env: Record<string, string | undefined>;
}): JudgeDecision {
  const model = (p: 'openai' | 'nova') => o.model ?? DEFAULT_JUDGE_MODELS[p];
  if (o.choice === 'off') return { provider: 'off', why: 'judge off (--judge off)' };
  if (o.choice === 'openai' || o.choice === 'nova') return { provider: o.choice, model: model(o.choice), why: `judge: ${o.choice} ${model(o.choice)} (--judge ${o.choice})` };
  if (o.mock) return { provider: 'off', why: 'judge: off in --mock (the answers are synthetic); --judge nova or --judge openai exercises it against the mocks' };
  if (o.cacheMode === 'replay') {
    const r = recordedJudge(o.cacheDir);
    return r
      ? { provider: r.provider, model: o.model ?? r.model, why: `judge: ${r.provider} ${o.model ?? r.model}, as recorded in ${join(o.cacheDir, RECORD)} (--judge auto --replay)` }
      : { provider: 'off', why: `judge: off — the cache has no recorded judge (${join(o.cacheDir, RECORD)}); record with --judge auto or --judge nova` };
  }
  if (o.inProcessCandidate) return { provider: 'nova', model: model('nova'), why: `judge: nova ${model('nova')} with the AWS credentials the candidate uses (--judge auto; --judge off to skip)` };
  if (o.env.OPENAI_API_KEY) return { provider: 'openai', model: model('openai'), why: `judge: openai ${model('openai')} (--judge auto found OPENAI_API_KEY; --judge off to skip)` };
  if (awsCredentialsConfigured(o.env)) return { provider: 'nova', model: model('nova'), why: `judge: nova ${model('nova')} (--judge auto found AWS credentials; --judge off to skip)` };
  return { provider: 'off', why: 'judge: off — no OPENAI_API_KEY and no AWS credentials configured (--judge auto)' };
}
