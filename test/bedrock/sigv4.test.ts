/**
 * Our SigV4 signer against @smithy/signature-v4 (what the AWS SDK signs with): byte-identical
 * headers over generated requests — header names in any case with folded whitespace, query
 * strings with repeated keys and reserved characters, bodies of every kind, session tokens,
 * unicode and dot-segment paths, dates across days.
 */
import { describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../mock/bedrock/sigv4-verify.js';
import { HttpRequest } from '@smithy/core/protocols';
import { canonicalPath, createSigV4Signer, escapeUri, sha256Hex, type SigV4Credentials } from '../../proxy/bedrock/sigv4.js';
import { seededRandom as rng } from '../support/seeded-random.js';


const PIECES = ['a', 'Z', '9', '-', '_', '.', '~', ' ', '  ', '\t', '/', '%', '+', '=', '&', '?', '#', '!', "'", '(', ')', '*', ':', '@', 'é', '日本', '😀', 'ü', ',', ';', '"'];
const HEADER_NAMES = ['Content-Type', 'x-amz-target', 'X-Custom-Header', 'accept', 'x-amz-meta-a', 'X-Amz-User-Agent', 'amz-sdk-request', 'user-agent', 'Connection', 'proxy-authorization', 'sec-fetch-mode', 'x-amzn-trace-id', 'Expect', 'content-length', 'X-Amz-Content-Sha256'];
const REGIONS = ['us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1'];
const SERVICES = ['bedrock', 'execute-api', 'sts'];

function text(r: ReturnType<typeof rng>, max: number): string {
  let s = '';
  const n = r.int(max);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  return s;
}

interface Case {
  region: string;
  service: string;
  credentials: SigV4Credentials;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  date: number;
}

function generate(seed: number): Case {
  const r = rng(seed);
  const segments = Array.from({ length: 1 + r.int(5) }, () => r.pick(['model', 'converse', '.', '..', '', 'amazon.nova-lite-v1%3A0', encodeURIComponent(text(r, 6)), text(r, 4).replace(/[/?#%]/g, '')]));
  const path = `/${segments.join('/')}${r.int(4) === 0 ? '/' : ''}`;
  const query: Record<string, string | string[]> = {};
  for (let i = r.int(4); i > 0; i--) {
    const key = text(r, 5) || 'k';
    query[key] = r.int(3) === 0 ? Array.from({ length: 1 + r.int(3) }, () => text(r, 6)) : text(r, 8);
  }
  if (r.int(5) === 0) query['X-Amz-Signature'] = 'ignored';
  const headers: Record<string, string> = { host: r.pick(['bedrock-runtime.us-east-1.amazonaws.com', '127.0.0.1:8080', 'localhost']) };
  const used = new Set(['host']);
  for (let i = r.int(7); i > 0; i--) {
    const name = r.pick(HEADER_NAMES);
    if (used.has(name.toLowerCase())) continue;
    used.add(name.toLowerCase());
    let value = text(r, 10);
    if (name.toLowerCase() === 'x-amz-content-sha256') value = r.int(2) ? 'UNSIGNED-PAYLOAD' : sha256Hex(value);
    headers[name] = r.int(4) === 0 ? `  ${value} \r\n ${value}  ` : value;
  }
  const bodyKind = r.int(4);
  const body = bodyKind === 0 ? undefined : bodyKind === 1 ? text(r, 40) : bodyKind === 2 ? new Uint8Array(Array.from({ length: r.int(64) }, () => r.int(256))) : JSON.stringify({ messages: [{ role: 'user', content: [{ text: text(r, 30) }] }] });
  const credentials: SigV4Credentials = {
    accessKeyId: r.pick(['AKIDEXAMPLE', 'ASIAEXAMPLE123', 'AKIA0000000000000000']),
    secretAccessKey: r.pick(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret', 'x+y/z==']),
    ...(r.int(2) ? { sessionToken: `FwoGZXIvYXdzE${text(r, 12).replace(/\s/g, 'x')}` } : {}),
  };
  return {
    region: r.pick(REGIONS),
    service: r.pick(SERVICES),
    credentials,
    method: r.pick(['POST', 'GET', 'PUT', 'DELETE']),
    path,
    query,
    headers,
    body,
    // Any second from 2020 to 2035, so days and the key cache roll over.
    date: 1_577_836_800_000 + r.int(15 * 365 * 86_400) * 1000 + r.int(1000),
  };
}

async function smithySign(c: Case): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: c.service, region: c.region, credentials: c.credentials, sha256: NodeSha256 as never });
  const req = new HttpRequest({ method: c.method, protocol: 'https:', hostname: 'h', path: c.path, query: c.query, headers: { ...c.headers }, body: c.body });
  const signed = await signer.sign(req, { signingDate: new Date(c.date) });
  return signed.headers;
}

function oursSign(c: Case, signer = createSigV4Signer({ region: c.region, service: c.service })): Record<string, string> {
  const headers = { ...c.headers };
  const payloadHash = c.body === undefined ? sha256Hex('') : sha256Hex(c.body);
  signer.sign({ method: c.method, path: c.path, query: c.query, headers }, c.credentials, payloadHash, c.date);
  return headers;
}

describe('SigV4 signer matches @smithy/signature-v4 byte for byte', () => {
  it('over 3,000 generated requests', async () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const c = generate(seed);
      const expected = await smithySign(c);
      const actual = oursSign(c);
      if (JSON.stringify(Object.entries(actual).sort()) !== JSON.stringify(Object.entries(expected).sort())) {
        expect({ seed, case: c, headers: actual }).toEqual({ seed, case: c, headers: expected });
      }
    }
  });

  it('reuses one signer across requests, credentials and days without mixing derived keys', async () => {
    const signer = createSigV4Signer({ region: 'us-east-1', service: 'bedrock' });
    for (let seed = 5000; seed < 5400; seed++) {
      const c = { ...generate(seed), region: 'us-east-1', service: 'bedrock' };
      expect(oursSign(c, signer)).toEqual(await smithySign(c));
    }
  });

  it('escapes paths twice, as non-S3 services expect', () => {
    expect(canonicalPath('/model/amazon.nova-lite-v1%3A0/converse')).toBe('/model/amazon.nova-lite-v1%253A0/converse');
    expect(canonicalPath('/a/./b/../c//d/')).toBe('/a/c/d/');
    expect(escapeUri("it's (ok)*!")).toBe('it%27s%20%28ok%29%2A%21');
  });
});
