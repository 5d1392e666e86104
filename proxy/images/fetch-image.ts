/**
 * Remote image fetching for `image_url` parts, with an SSRF guard.
 *
 * The guard sits in the socket's DNS `lookup`: every address a connection is about to
 * use is classified (ipaddr.js) and anything but public unicast is refused, so DNS
 * rebinding cannot slip a private address in between a check and the connect. IP
 * literals skip `lookup` in Node, so they are checked before the request. Redirects are
 * followed by hand, each hop going through the same checks. Hosts in `allowHosts` skip
 * the address check (for internal image servers).
 */
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ProxyConfig } from '../config.js';
import { invalidParam, OpenAIHttpError } from '../errors.js';
import type { ImageLoader, LoadedImage } from '../translate/types.js';
import { ACCEPTED_IMAGE_TYPES, IMAGE_MEDIA_TYPES, bareMediaType, sniffImageFormat } from './image-type.js';
import type { AbortSignalLike } from '../abort-signal.js';

export type ImageFetchOptions = ProxyConfig['images'];

/** Cloud metadata endpoints by name; their addresses are also caught by the range check. */
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/**
 * Why an address may not be fetched, or undefined if it is public unicast.
 *
 * IPv6 addresses that carry an IPv4 address are judged by the IPv4 address they carry —
 * all of them, since a socket to any of these forms can end up at the embedded host
 * (URL parsing even turns `[::127.0.0.1]` into `::7f00:1`):
 * IPv4-compatible `::a.b.c.d`, IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated
 * `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`, and Teredo
 * (server address, and the client address stored inverted). The local-use NAT64 prefix
 * `64:ff9b:1::/48` places the IPv4 address where its operator chose, so it is refused.
 */
export function blockedAddressReason(address: string): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'an unparseable address';
  }
  if (ip.kind() === 'ipv4') return ipv4Reason(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  const w = v6.parts;
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return 'a local-use NAT64 address (64:ff9b:1::/48)';
  const embedded = embeddedIPv4(w);
  if (embedded) {
    for (const { kind, v4 } of embedded) {
      const reason = ipv4Reason(v4);
      if (reason) return `${reason} (${v4.toString()}) embedded in ${kind} IPv6 address`;
    }
    return undefined;
  }
  return rangeReason(v6.range());
}

/** The IPv4 addresses an IPv6 address embeds, each with the form's name (article included, for messages). */
function embeddedIPv4(w: number[]): Array<{ kind: string; v4: ipaddr.IPv4 }> | undefined {
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zero(0, 6) && !(w[6] === 0 && w[7]! <= 1)) return [{ kind: 'an IPv4-compatible', v4: v4(w[6]!, w[7]!) }];
  if (zero(0, 5) && w[5] === 0xffff) return [{ kind: 'an IPv4-mapped', v4: v4(w[6]!, w[7]!) }];
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return [{ kind: 'an IPv4-translated', v4: v4(w[6]!, w[7]!) }];
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return [{ kind: 'a NAT64', v4: v4(w[6]!, w[7]!) }];
  if (w[0] === 0x2002) return [{ kind: 'a 6to4', v4: v4(w[1]!, w[2]!) }];
  if (w[0] === 0x2001 && w[1] === 0) {
    return [
      { kind: 'a Teredo', v4: v4(w[6]! ^ 0xffff, w[7]! ^ 0xffff) },
      { kind: 'a Teredo', v4: v4(w[2]!, w[3]!) },
    ];
  }
  return undefined;
}

function ipv4Reason(ip: ipaddr.IPv4): string | undefined {
  return rangeReason(ip.range());
}

/** Allow-list: only globally routable unicast. */
function rangeReason(range: string): string | undefined {
  if (range === 'unicast') return undefined;
  return RANGE_WORDS[range] ?? `a reserved address (${range})`;
}

const RANGE_WORDS: Record<string, string> = {
  private: 'a private address',
  uniqueLocal: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
};

interface Hop {
  url: URL;
  allowed: boolean;
}

export function createImageLoader(opts: ImageFetchOptions): ImageLoader {
  const allowHosts = new Set(opts.allowHosts.map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, '')));

  return async function loadImage(rawUrl: string, param: string, signal?: AbortSignalLike): Promise<LoadedImage> {
    if (!opts.allowRemote) throw invalidParam(param, 'remote image URLs are disabled; send a data URL (data:image/png;base64,...)');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.fetchTimeoutMs);
    const cancel = () => controller.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      let url = parseUrl(rawUrl, param);
      for (let redirects = 0; ; redirects++) {
        const hop = checkHop(url, allowHosts, param);
        const res = await get(hop, controller.signal, param, opts.fetchTimeoutMs);
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          if (redirects >= opts.maxRedirects) throw invalidParam(param, `image URL redirected more than ${opts.maxRedirects} times`);
          url = parseUrl(new URL(res.headers.location, url).href, param);
          continue;
        }
        return await readImage(res, opts.maxBytes, param, controller.signal, opts.fetchTimeoutMs);
      }
    } catch (err) {
      if (err instanceof OpenAIHttpError) throw err;
      if (signal?.aborted) throw invalidParam(param, 'image fetch cancelled');
      if (controller.signal.aborted) throw invalidParam(param, `fetching the image URL timed out after ${opts.fetchTimeoutMs} ms`);
      throw invalidParam(param, `could not fetch the image URL: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  };
}

function parseUrl(raw: string, param: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidParam(param, 'image URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidParam(param, `image URL scheme ${url.protocol} is not supported; use https:, http: or a data URL`);
  }
  return url;
}

/** Host-level checks that do not need DNS: allow-list, metadata names, IP literals. */
function checkHop(url: URL, allowHosts: Set<string>, param: string): Hop {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (allowHosts.has(host)) return { url, allowed: true };
  if (METADATA_HOSTS.has(host) || host.endsWith('.internal')) {
    throw invalidParam(param, `image URL host ${host} is a cloud metadata or internal name; add the host to images.allowHosts to allow it`);
  }
  if (net.isIP(host)) {
    const reason = blockedAddressReason(host);
    if (reason) throw blockedError(param, host, reason);
  }
  return { url, allowed: false };
}

function blockedError(param: string, address: string, reason: string): OpenAIHttpError {
  return invalidParam(param, `image URL resolves to ${reason} (${address}); add the host to images.allowHosts to allow it`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** `lookup` for http.request: resolves, then refuses if any address is not public. */
function guardedLookup(param: string, onBlocked: (e: OpenAIHttpError) => void) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      for (const a of addresses) {
        const reason = blockedAddressReason(a.address);
        if (reason) {
          const e = blockedError(param, a.address, reason);
          onBlocked(e);
          return callback(e as unknown as NodeJS.ErrnoException, '');
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

function get(hop: Hop, signal: AbortSignal, param: string, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    let blocked: OpenAIHttpError | undefined;
    const lib = hop.url.protocol === 'https:' ? https : http;
    const req = lib.request(
      hop.url,
      {
        method: 'GET',
        signal,
        // A fresh connection each time: a pooled socket would skip the guarded lookup.
        agent: false,
        headers: { accept: 'image/png, image/jpeg, image/gif, image/webp', 'user-agent': 'nova-migrate-image-fetch' },
        ...(hop.allowed ? {} : { lookup: guardedLookup(param, (e) => (blocked = e)) as unknown as typeof dns.lookup }),
      },
      resolve,
    );
    req.on('error', (err) => {
      if (blocked) return reject(blocked);
      if (signal.aborted) return reject(invalidParam(param, `fetching the image URL timed out after ${timeoutMs} ms`));
      reject(err);
    });
    req.end();
  });
}

async function readImage(res: http.IncomingMessage, maxBytes: number, param: string, signal: AbortSignal, timeoutMs: number): Promise<LoadedImage> {
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    res.resume();
    throw invalidParam(param, `image URL returned HTTP ${status}`);
  }
  const declared = bareMediaType(res.headers['content-type'] ?? '');
  const format = IMAGE_MEDIA_TYPES[declared];
  if (!format) {
    res.resume();
    throw invalidParam(param, `image URL returned content-type ${declared || '(none)'}; accepted: ${ACCEPTED_IMAGE_TYPES}`);
  }
  const length = Number(res.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes) {
    res.destroy();
    throw invalidParam(param, `image is ${length} bytes, more than the ${maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        res.destroy();
        throw invalidParam(param, `image is more than the ${maxBytes}-byte limit`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof OpenAIHttpError) throw err;
    if (signal.aborted) throw invalidParam(param, `fetching the image URL timed out after ${timeoutMs} ms`);
    throw err;
  }
  const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  const actual = sniffImageFormat(buf);
  if (actual !== format) {
    throw invalidParam(param, `image URL content-type is ${declared} but the data is ${actual ? `a ${actual} image` : 'not a png, jpeg, gif or webp image'}`);
  }
  return { format, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) };
}
