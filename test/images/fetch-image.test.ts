import http from 'node:http';
import dns from 'node:dns';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenAIHttpError } from '../../proxy/errors.js';
import { blockedAddressReason, createImageLoader, type ImageFetchOptions } from '../../proxy/images/fetch-image.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const P = 'messages[0].content[0].image_url.url';

let server: http.Server;
let base: string;
let port: number;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    switch (url.pathname) {
      case '/a.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
        return;
      case '/chunked.png': {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(PNG);
        res.end(Buffer.alloc(2000));
        return;
      }
      case '/big.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': 5_000_000 });
        res.write(PNG);
        return; // never finishes: the client must stop at the header
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        return;
      case '/lying.png':
        res.writeHead(200, { 'content-type': 'image/png' }).end(JPEG);
        return;
      case '/missing.png':
        res.writeHead(404).end();
        return;
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to')! }).end();
        return;
      case '/loop':
        res.writeHead(301, { location: '/loop' }).end();
        return;
      case '/slow':
        return; // never answers
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

afterEach(() => vi.restoreAllMocks());

function loader(over: Partial<ImageFetchOptions> = {}) {
  return createImageLoader({ maxBytes: 1000, fetchTimeoutMs: 2000, maxRedirects: 3, allowHosts: [], allowRemote: true, ...over });
}

async function refusal(p: Promise<unknown>): Promise<OpenAIHttpError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OpenAIHttpError);
    expect((err as OpenAIHttpError).status).toBe(400);
    expect((err as OpenAIHttpError).param).toBe(P);
    return err as OpenAIHttpError;
  }
  throw new Error('expected the fetch to be refused');
}

describe('address classification', () => {
  it.each([
    ['10.0.0.5', 'a private address'],
    ['172.16.4.1', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['240.0.0.1', 'a reserved address (reserved)'],
    ['::1', 'a loopback address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456::1', 'a private address'],
    ['fe80::1', 'a link-local address'],
    ['::ffff:10.0.0.1', 'a private address (10.0.0.1) embedded in an IPv4-mapped IPv6 address'],
    ['::ffff:127.0.0.1', 'a loopback address (127.0.0.1) embedded in an IPv4-mapped IPv6 address'],
    ['::', 'an unspecified address'],
    // Every IPv6 form that embeds an IPv4 address is judged by the embedded address.
    ['::7f00:1', 'a loopback address (127.0.0.1) embedded in an IPv4-compatible IPv6 address'],
    ['::a9fe:a9fe', 'a link-local address (169.254.169.254) embedded in an IPv4-compatible IPv6 address'],
    ['::ffff:0:10.1.2.3', 'a private address (10.1.2.3) embedded in an IPv4-translated IPv6 address'],
    ['64:ff9b::127.0.0.1', 'a loopback address (127.0.0.1) embedded in a NAT64 IPv6 address'],
    ['64:ff9b::a9fe:a9fe', 'a link-local address (169.254.169.254) embedded in a NAT64 IPv6 address'],
    ['64:ff9b:1::a00:1', 'a local-use NAT64 address (64:ff9b:1::/48)'],
    ['2002:7f00:1::', 'a loopback address (127.0.0.1) embedded in a 6to4 IPv6 address'],
    ['2002:c0a8:101::1', 'a private address (192.168.1.1) embedded in a 6to4 IPv6 address'],
    // Teredo: client 10.0.0.1 stored inverted (f5ff:fffe), server public.
    ['2001:0:808:808:0:0:f5ff:fffe', 'a private address (10.0.0.1) embedded in a Teredo IPv6 address'],
    ['2001:0:7f00:1:0:0:f7f7:f7f7', 'a loopback address (127.0.0.1) embedded in a Teredo IPv6 address'],
  ])('%s is %s', (addr, reason) => {
    expect(blockedAddressReason(addr)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '2001:4860:4860::8888',
    // Embedded public addresses are public.
    '::ffff:8.8.8.8',
    '::8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2001:0:808:808:0:0:f7f7:f7f7',
  ])('%s is public', (addr) => {
    expect(blockedAddressReason(addr)).toBeUndefined();
  });
});

describe('createImageLoader', () => {
  it('refuses loopback by default (IP literal)', async () => {
    const err = await refusal(loader()(`${base}/a.png`, P));
    expect(err.message).toBe('image URL resolves to a loopback address (127.0.0.1); add the host to images.allowHosts to allow it');
  });

  it('refuses [::127.0.0.1], which URL parsing turns into the IPv4-compatible ::7f00:1', async () => {
    const err = await refusal(loader()(`http://[::127.0.0.1]:${port}/a.png`, P));
    expect(err.message).toBe('image URL resolves to a loopback address (127.0.0.1) embedded in an IPv4-compatible IPv6 address (::7f00:1); add the host to images.allowHosts to allow it');
  });

  it('refuses a name that resolves to loopback (checked at connect time)', async () => {
    const err = await refusal(loader()(`http://localhost:${port}/a.png`, P));
    expect(err.message).toMatch(/^image URL resolves to a loopback address \((127\.0\.0\.1|::1)\); add the host to images\.allowHosts to allow it$/);
  });

  it('refuses a name whose DNS answer is private (the lookup itself is guarded)', async () => {
    const spy = vi.spyOn(dns, 'lookup').mockImplementation(((_h: string, _o: unknown, cb: (e: null, a: dns.LookupAddress[]) => void) => {
      cb(null, [{ address: '10.0.0.5', family: 4 }]);
    }) as unknown as typeof dns.lookup);
    const err = await refusal(loader()('http://images.example.test/a.png', P));
    expect(err.message).toBe('image URL resolves to a private address (10.0.0.5); add the host to images.allowHosts to allow it');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('refuses metadata hosts by name and address', async () => {
    expect((await refusal(loader()('http://metadata.google.internal/computeMetadata/v1/', P))).message).toMatch(/metadata/);
    expect((await refusal(loader()('http://169.254.169.254/latest/meta-data/', P))).message).toMatch(/link-local address \(169\.254\.169\.254\)/);
    expect((await refusal(loader()('http://[::ffff:169.254.169.254]/', P))).message).toMatch(/link-local/);
  });

  it('fetches from a host listed in allowHosts', async () => {
    const img = await loader({ allowHosts: ['127.0.0.1'] })(`${base}/a.png`, P);
    expect(img.format).toBe('png');
    expect(Buffer.from(img.bytes)).toEqual(PNG);
  });

  it('refuses a redirect to a blocked address, even from an allowed host', async () => {
    const to = encodeURIComponent(`http://localhost:${port}/a.png`);
    const err = await refusal(loader({ allowHosts: ['127.0.0.1'] })(`${base}/redirect?to=${to}`, P));
    expect(err.message).toMatch(/loopback address/);
    const meta = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
    expect((await refusal(loader({ allowHosts: ['127.0.0.1'] })(`${base}/redirect?to=${meta}`, P))).message).toMatch(/169\.254\.169\.254/);
  });

  it('follows redirects between allowed hosts, up to maxRedirects', async () => {
    const img = await loader({ allowHosts: ['127.0.0.1'] })(`${base}/redirect?to=/a.png`, P);
    expect(img.format).toBe('png');
    expect((await refusal(loader({ allowHosts: ['127.0.0.1'], maxRedirects: 2 })(`${base}/loop`, P))).message).toBe('image URL redirected more than 2 times');
  });

  it('refuses oversize images by Content-Length and while reading', async () => {
    const allow = { allowHosts: ['127.0.0.1'] };
    expect((await refusal(loader(allow)(`${base}/big.png`, P))).message).toBe('image is 5000000 bytes, more than the 1000-byte limit');
    expect((await refusal(loader(allow)(`${base}/chunked.png`, P))).message).toBe('image is more than the 1000-byte limit');
  });

  it('refuses wrong content types and lying ones', async () => {
    const allow = { allowHosts: ['127.0.0.1'] };
    expect((await refusal(loader(allow)(`${base}/html`, P))).message).toBe('image URL returned content-type text/html; accepted: image/png, image/jpeg, image/gif, image/webp');
    expect((await refusal(loader(allow)(`${base}/lying.png`, P))).message).toBe('image URL content-type is image/png but the data is a jpeg image');
    expect((await refusal(loader(allow)(`${base}/missing.png`, P))).message).toBe('image URL returned HTTP 404');
  });

  it('enforces the timeout', async () => {
    const started = Date.now();
    const err = await refusal(loader({ allowHosts: ['127.0.0.1'], fetchTimeoutMs: 150 })(`${base}/slow`, P));
    expect(err.message).toBe('fetching the image URL timed out after 150 ms');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses other schemes and disabled remote fetching', async () => {
    expect((await refusal(loader()('ftp://example.com/a.png', P))).message).toMatch(/scheme ftp: is not supported/);
    expect((await refusal(loader({ allowRemote: false })('https://example.com/a.png', P))).message).toBe(
      'remote image URLs are disabled; send a data URL (data:image/png;base64,...)',
    );
  });
});
