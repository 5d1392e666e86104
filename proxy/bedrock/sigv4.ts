/**
 * AWS Signature Version 4 for request headers, as `@smithy/signature-v4` computes it
 * (test/bedrock/sigv4.test.ts proves byte-identical signatures against it over generated
 * requests: headers, query strings, bodies, session tokens, unicode paths).
 *
 * Why not smithy's signer on the hot path: it clones the request, awaits a promise per
 * hash and recomputes an HMAC per request just to look up its key cache — about four times
 * the cost of the three hashes a signature needs. Here the derived key is cached per
 * (credentials, day, region, service) and every hash is one synchronous node:crypto call.
 */
import { createHmac, hash } from 'node:crypto';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  /** The path as it goes on the wire (already percent-encoded). */
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  /** Header names in any case; signing adds x-amz-date, x-amz-security-token, x-amz-content-sha256 and authorization. */
  headers: Record<string, string>;
}

/** SHA-256 of an empty payload. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Never signed: hop-by-hop headers and ones proxies rewrite (smithy's ALWAYS_UNSIGNABLE_HEADERS, proxy-*, sec-*).
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);
// Headers the signer itself sets; a caller's copy is replaced, as smithy's prepareRequest does.
const GENERATED = new Set(['authorization', 'x-amz-date', 'date']);

/** RFC 3986 escaping as AWS canonicalises it: encodeURIComponent plus !'()*. */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** One-shot (no Hash object per call): Node ≥ 20.12, which `engines` requires. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** `20240102T030405Z` for a time, with its first 8 characters the credential-scope date. */
export function amzDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

// Request paths repeat (one per model and operation): canonicalise each once.
const canonicalPaths = new Map<string, string>();
const MAX_CACHED_PATHS = 512;

/** Non-S3 services sign the path escaped a second time, after removing empty, `.` and `..` segments. */
export function canonicalPath(path: string): string {
  let canonical = canonicalPaths.get(path);
  if (canonical === undefined) {
    canonical = computeCanonicalPath(path);
    if (canonicalPaths.size >= MAX_CACHED_PATHS) canonicalPaths.clear();
    canonicalPaths.set(path, canonical);
  }
  return canonical;
}

function computeCanonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

export function canonicalQuery(query: SignableRequest['query']): string {
  if (!query) return '';
  const pairs: [string, string][] = [];
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    const value = query[key];
    const k = escapeUri(key);
    if (typeof value === 'string') pairs.push([k, `${k}=${escapeUri(value)}`]);
    else if (Array.isArray(value)) {
      if (value.length) pairs.push([k, value.map((v) => `${k}=${escapeUri(v)}`).sort().join('&')]);
    }
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs.map((p) => p[1]).join('&');
}

// Values that need no trimming or folding (almost all of them) are used as they are.
const NEEDS_CANONICALISING = /[\r\n\t]| {2}|^ | $/;

function canonicalValue(v: string): string {
  if (!NEEDS_CANONICALISING.test(v)) return v;
  return v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

export interface SigV4Signer {
  /**
   * Signs in place: sets x-amz-date, x-amz-security-token (when the credentials have one),
   * x-amz-content-sha256 (unless present) and authorization. `payloadHash` is the hex
   * SHA-256 of the exact body bytes sent.
   */
  sign(req: SignableRequest, credentials: SigV4Credentials, payloadHash: string, nowMs?: number): void;
}

export function createSigV4Signer(opts: { region: string; service: string }): SigV4Signer {
  const { region, service } = opts;
  // One derived key per credentials and day: the four HMACs happen once a day, not per request.
  let cachedFor: { day: string; accessKeyId: string; secretAccessKey: string } | undefined;
  let cachedKey: Buffer | undefined;
  const signingKey = (c: SigV4Credentials, day: string): Buffer => {
    if (cachedKey && cachedFor && cachedFor.day === day && cachedFor.accessKeyId === c.accessKeyId && cachedFor.secretAccessKey === c.secretAccessKey) return cachedKey;
    let key: Buffer = createHmac('sha256', `AWS4${c.secretAccessKey}`).update(day).digest();
    for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    cachedFor = { day, accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
    cachedKey = key;
    return key;
  };
  // The date string changes once a second; format it once per second.
  let dateSecond = -1;
  let dateText = '';
  let scopeDay = '';
  let scopeText = '';

  return {
    sign(req, credentials, payloadHash, nowMs = Date.now()) {
      const second = Math.floor(nowMs / 1000);
      if (second !== dateSecond) {
        dateSecond = second;
        dateText = amzDate(second * 1000);
      }
      const longDate = dateText;
      const day = longDate.slice(0, 8);
      const headers = req.headers;
      // for-in rather than Object.keys: no array per loop on the hot path (deleting while iterating is safe).
      for (const name in headers) if (GENERATED.has(name.toLowerCase())) delete headers[name];
      headers['x-amz-date'] = longDate;
      if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
      // A caller-set x-amz-content-sha256 is the payload hash (as in smithy's getPayloadHash).
      let contentSha: string | undefined;
      for (const name in headers) if (name.toLowerCase() === 'x-amz-content-sha256') contentSha = headers[name];
      if (contentSha === undefined) headers['x-amz-content-sha256'] = payloadHash;
      else payloadHash = contentSha;

      // Names and values side by side, kept sorted by insertion: a request signs about eight
      // headers, and a Map plus Array.prototype.sort allocated ~1 KB per request for them.
      const names: string[] = [];
      const values: string[] = [];
      for (const name in headers) {
        const value = headers[name];
        if (value == null) continue;
        const lower = name.toLowerCase();
        if (UNSIGNABLE.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) continue;
        // Code-unit order, as sort() without a comparator; a name met again (other case) keeps the last value.
        let i = names.length;
        while (i > 0 && names[i - 1]! > lower) i--;
        if (i > 0 && names[i - 1] === lower) values[i - 1] = canonicalValue(value);
        else {
          // Shifted by hand: splice() showed as a builtin call per insert under `sign` in perf profiles.
          let j = names.length;
          names.push(lower);
          values.push('');
          for (; j > i; j--) {
            names[j] = names[j - 1]!;
            values[j] = values[j - 1]!;
          }
          names[i] = lower;
          values[i] = canonicalValue(value);
        }
      }
      let canonicalHeaders = '';
      for (let i = 0; i < names.length; i++) canonicalHeaders += `${names[i]}:${values[i]}\n`;
      const signedHeaders = names.join(';');
      const canonicalRequest = `${req.method}\n${canonicalPath(req.path)}\n${canonicalQuery(req.query)}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
      if (day !== scopeDay) {
        scopeDay = day;
        scopeText = `${day}/${region}/${service}/aws4_request`;
      }
      const scope = scopeText;
      const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
      const signature = createHmac('sha256', signingKey(credentials, day)).update(stringToSign).digest('hex');
      headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    },
  };
}
