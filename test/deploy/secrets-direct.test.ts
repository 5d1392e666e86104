/**
 * The Lambda entry reads its API keys from Secrets Manager with a signed GetSecretValue call
 * of its own (no SDK client in the bundle): the request a real endpoint would authenticate
 * (SigV4 for `secretsmanager`, verified as the service does), AWS_ENDPOINT_URL_SECRETS_MANAGER
 * honoured, the service's errors raised by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchApiKeys } from '../../proxy/lambda/secrets.js';
import { verifySignature, DEFAULT_CREDENTIALS } from '../../mock/bedrock/sigv4-verify.js';

let server: http.Server;
const seen: { target?: string; contentType?: string; body: unknown; auth?: string }[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      seen.push({ target: req.headers['x-amz-target'] as string, contentType: req.headers['content-type'], body: JSON.parse(body.toString()), auth: req.headers.authorization });
      const refused = await verifySignature({ method: req.method!, url: req.url!, headers: req.headers, body }, DEFAULT_CREDENTIALS, Date.now(), 'secretsmanager');
      const send = (status: number, payload: object, type?: string) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1', ...(type ? { 'x-amzn-errortype': type } : {}) });
        res.end(JSON.stringify(payload));
      };
      if (refused) return send(403, { __type: refused.errorType, message: refused.message }, refused.errorType);
      const id = (JSON.parse(body.toString()) as { SecretId: string }).SecretId;
      if (id.endsWith('missing')) return send(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      send(200, { ARN: id, Name: 'keys', SecretString: JSON.stringify({ apiKeys: ['key-one-123', 'key-two-456'] }) });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token-EXAMPLE',
    AWS_BEARER_TOKEN_BEDROCK: 'bedrock-only-key',
  });
});

afterAll(async () => {
  process.env = { ...saved };
  await new Promise((r) => server.close(r));
});

describe('API keys from Secrets Manager, without an SDK client', () => {
  it('signs GetSecretValue for secretsmanager and parses the secret', async () => {
    expect(await fetchApiKeys('arn:aws:secretsmanager:us-east-1:123456789012:secret:nova-keys', 'us-east-1')).toEqual(['key-one-123', 'key-two-456']);
    const r = seen.at(-1)!;
    expect(r.target).toBe('secretsmanager.GetSecretValue');
    expect(r.contentType).toBe('application/x-amz-json-1.1');
    expect(r.body).toEqual({ SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nova-keys' });
    // A Bedrock API key is for Bedrock: Secrets Manager gets a SigV4 signature.
    expect(r.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/secretsmanager\/aws4_request/);
  });

  it('raises the service error by name', async () => {
    await expect(fetchApiKeys('arn:aws:secretsmanager:us-east-1:123456789012:secret:missing', 'us-east-1')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('is refused with credentials the service does not know', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
    try {
      await expect(fetchApiKeys('arn:aws:secretsmanager:us-east-1:1:secret:x', 'us-east-1')).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    }
  });
});
