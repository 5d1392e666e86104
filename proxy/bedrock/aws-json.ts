/**
 * One call to an AWS JSON-protocol API (`X-Amz-Target`, e.g. Secrets Manager's
 * GetSecretValue) on the direct transport's pieces: the same endpoint resolution, credential
 * chain, SigV4 signer, connection handling and error shapes. The Lambda entry reads its API
 * keys with it, so the function's bundle carries no AWS SDK client.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { resolveAuth } from './auth.js';
import { bedrockEndpoint, loadEndpointSettings, type ServiceNames } from './endpoint.js';
import { HttpPool } from './http-pool.js';
import { serviceError } from './service-error.js';
import { createSigV4Signer } from './sigv4.js';
import { userAgent } from './user-agent.js';
import { wireBody } from './wire-body.js';
import type { AbortSignalLike } from '../abort-signal.js';

export interface AwsJsonCall {
  service: ServiceNames;
  /** The SigV4 signing name (`secretsmanager`). */
  signingName: string;
  region: string;
  /** `secretsmanager.GetSecretValue` */
  target: string;
  body: object;
  credentials?: AwsCredentialIdentity;
  timeoutMs?: number;
  signal?: AbortSignalLike;
}

export async function awsJsonCall<T>(call: AwsJsonCall): Promise<T> {
  const endpoint = await bedrockEndpoint(await loadEndpointSettings(call.region, call.service), call.service);
  const auth = resolveAuth({ bearer: false, ...(call.credentials ? { credentials: call.credentials } : {}) });
  if (auth.kind !== 'sigv4') throw new Error('unreachable: bearer auth is Bedrock-only');
  const body = wireBody(JSON.stringify(call.body));
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': call.target,
    'content-length': String(body.length),
    'x-amz-user-agent': userAgent()['x-amz-user-agent'],
    host: endpoint.host,
  };
  const path = `${endpoint.basePath}/`;
  createSigV4Signer({ region: call.region, service: call.signingName }).sign({ method: 'POST', path, headers }, await auth.credentials(), body.sha256);
  const flat: string[] = ['user-agent', userAgent()['user-agent']];
  for (const name in headers) flat.push(name, headers[name]!);
  const timeoutMs = call.timeoutMs ?? 10_000;
  const pool = new HttpPool(endpoint.origin, { connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs });
  try {
    const res = await pool.fetch({ path, headers: flat, body: body.chunks }, call.signal ?? AbortSignal.timeout(timeoutMs * 2));
    const text = res.body.toString('utf8');
    if (res.status >= 300) throw serviceError(res.status, res.headers, text);
    return JSON.parse(text) as T;
  } finally {
    pool.destroy();
  }
}
