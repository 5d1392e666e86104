/**
 * The fake's authentication, done as the service does it: the SigV4 signature is recomputed
 * over the canonical request rebuilt from what actually arrived (method, path, query, the
 * signed headers, the SHA-256 of the body bytes received) with the caller's secret, and must
 * match. Independent of the proxy's own signer: the reference is @smithy/signature-v4.
 *
 * Known keys: the example credentials the repository's tests and `--mock` use (a key ID may
 * list several test secrets; any matching signature is accepted). Bearer tokens (Bedrock API
 * keys) are accepted as the service accepts any well-formed one it issued.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BedrockError } from './errors.js';

/** Access key ID → accepted secret keys. */
export type KnownCredentials = Record<string, string[]>;

export const DEFAULT_CREDENTIALS: KnownCredentials = {
  AKIDEXAMPLE: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret', 'x'],
  mock: ['mock'],
};

/** How far a request's x-amz-date may be from the fake's clock (the service allows 5 minutes). */
const MAX_SKEW_MS = 5 * 60_000;

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-f]{64})$/;

/** node:crypto as smithy's hash interface (the signer's default is the slower WebCrypto one). */
export class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {}
}

export interface ReceivedRequest {
  method: string;
  /** The request target as received (path and query, still encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const invalidSignature = (message: string): BedrockError => ({ errorType: 'InvalidSignatureException', message, status: 403 });

/** undefined when the request is authentic; otherwise the error the service answers with. */
export async function verifySignature(req: ReceivedRequest, known: KnownCredentials, now = Date.now(), signingName = 'bedrock'): Promise<BedrockError | undefined> {
  const auth = String(req.headers.authorization ?? '');
  if (/^Bearer \S+$/.test(auth)) return undefined;
  const m = AUTH.exec(auth);
  if (!m) return { errorType: 'IncompleteSignatureException', message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${auth.slice(0, 40)}`, status: 403 };
  const [, accessKeyId, day, region, service, signedList, signature] = m as unknown as [string, string, string, string, string, string, string];
  const secrets = known[accessKeyId];
  if (!secrets) return { errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 403 };
  if (service !== signingName) return invalidSignature(`Credential should be scoped to correct service: '${signingName}'.`);

  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return invalidSignature('Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  const signedAt = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!);
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) return invalidSignature(`Signature expired: ${amzDate} is now earlier or later than the allowed 5 minutes from the server's time.`);
  if (amzDate.slice(0, 8) !== day) return invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${amzDate.slice(0, 8)}'`);

  const signedHeaders = signedList.split(';');
  // HTTP/2 carries the host as :authority, which clients leave out of the signature.
  if (!signedHeaders.includes('host') && req.headers[':authority'] === undefined) return invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return invalidSignature(`The request signature we calculated does not match the signature you provided: signed header ${name} is missing.`);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // A payload hash header, when sent, must be the hash of the bytes that arrived.
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== bodyHash) {
    return invalidSignature('The provided x-amz-content-sha256 header does not match what was computed.');
  }

  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const query: Record<string, string | string[]> = {};
  if (q !== -1) {
    for (const pair of req.url.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const k = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      const v = decodeURIComponent(eq === -1 ? '' : pair.slice(eq + 1));
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  const sessionToken = headers['x-amz-security-token'];
  for (const secretAccessKey of secrets) {
    const signer = new SignatureV4({
      service,
      region,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      sha256: NodeSha256 as never,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      { method: req.method, protocol: 'https:', hostname: headers.host ?? '', path, query, headers: { ...headers }, body: req.body },
      { signingDate: new Date(signedAt) },
    );
    if (String(signed.headers.authorization).endsWith(`Signature=${signature}`)) return undefined;
  }
  return invalidSignature(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}
