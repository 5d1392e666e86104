import { describe, expect, it } from 'vitest';
import { invalidParam } from '../../../proxy/errors.js';
import type { ImageLoader } from '../../../proxy/translate/types.js';
import { GIF, JPEG, MICRO, PNG, WEBP, ctxFor, dataUrl, prepare, reject } from './helpers.js';

const img = (url: string, detail?: string) => ({ type: 'image_url', image_url: detail ? { url, detail } : { url } });
const userWith = (...parts: unknown[]) => ({ messages: [{ role: 'user', content: parts }] });

describe('data URL images', () => {
  it.each([
    ['image/png', PNG, 'png'],
    ['image/jpeg', JPEG, 'jpeg'],
    ['image/jpg', JPEG, 'jpeg'],
    ['image/gif', GIF, 'gif'],
    ['image/webp', WEBP, 'webp'],
  ])('%s → image block', async (type, bytes, format) => {
    const { input } = await prepare(userWith({ type: 'text', text: 'What is this?' }, img(dataUrl(type, bytes), 'high')));
    expect(input.messages).toEqual([{ role: 'user', content: [{ text: 'What is this?' }, { image: { format, source: { bytes: new Uint8Array(bytes) } } }] }]);
    expect(input.messages![0]!.content![1]!.image!.source!.bytes).toBeInstanceOf(Uint8Array);
  });

  it('rejects data whose magic bytes do not match the declared type', async () => {
    const err = await reject(userWith(img(dataUrl('image/png', JPEG))));
    expect(err.param).toBe('messages[0].content[0].image_url.url');
    expect(err.message).toBe('image is declared as image/png but the data is a jpeg image');
  });

  it('rejects data that is no image at all', async () => {
    const err = await reject(userWith(img(dataUrl('image/png', new Uint8Array([1, 2, 3, 4])))));
    expect(err.message).toMatch(/not a png, jpeg, gif or webp image/);
  });

  it.each(['image/svg+xml', 'image/bmp', 'image/tiff', 'application/pdf'])('rejects %s naming the param', async (type) => {
    const err = await reject({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }, { role: 'user', content: [{ type: 'text', text: 'z' }, img(dataUrl(type, PNG))] }] });
    expect(err.param).toBe('messages[2].content[1].image_url.url');
    expect(err.message).toContain(`image type ${type} is not supported`);
  });

  it('rejects images larger than maxImageBytes before decoding', async () => {
    const big = new Uint8Array(2000);
    big.set(PNG);
    const err = await reject(userWith(img(dataUrl('image/png', big))), ctxFor(undefined, { maxImageBytes: 1000 }));
    expect(err.message).toBe('image is 2000 bytes, more than the 1000-byte limit');
  });

  it('rejects non-base64 data URLs and bad base64', async () => {
    expect((await reject(userWith(img('data:image/png,abc')))).message).toMatch(/must be a base64 data URL/);
    expect((await reject(userWith(img('data:image/png;base64,@@@@')))).message).toMatch(/invalid base64/);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.png', 'gopher://x', 'just-a-name.png'])('rejects the URL %s', async (url) => {
    const err = await reject(userWith(img(url)));
    expect(err.param).toBe('messages[0].content[0].image_url.url');
    expect(err.message).toMatch(/must be an http\(s\) URL or a data URL/);
  });

  it('rejects images for a model without image input, naming models that accept them', async () => {
    const err = await reject(userWith(img(dataUrl('image/png', PNG))), ctxFor(MICRO));
    expect(err.param).toBe('messages[0].content[0].image_url');
    expect(err.message).toBe(
      'amazon.nova-micro-v1:0 does not accept images; models that do: amazon.nova-lite-v1:0, amazon.nova-pro-v1:0, amazon.nova-premier-v1:0, amazon.nova-2-lite-v1:0',
    );
  });
});

describe('remote images', () => {
  it('loads http(s) images through ctx.loadImage, concurrently', async () => {
    const started: string[] = [];
    const release: Array<() => void> = [];
    const loadImage: ImageLoader = (url, param) => {
      started.push(`${url} ${param}`);
      return new Promise((resolve) => release.push(() => resolve(url.endsWith('a.png') ? { format: 'png', bytes: PNG } : { format: 'gif', bytes: GIF })));
    };
    const pending = prepare(
      { messages: [{ role: 'user', content: [img('https://x.test/a.png')] }, { role: 'assistant', content: 'ok' }, { role: 'user', content: [img('http://x.test/b.gif')] }] },
      ctxFor(undefined, { loadImage }),
    );
    // Both fetches start before either finishes.
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['https://x.test/a.png messages[0].content[0].image_url.url', 'http://x.test/b.gif messages[2].content[0].image_url.url']);
    release.reverse().forEach((f) => f());
    const { input } = await pending;
    expect(input.messages![0]!.content).toEqual([{ image: { format: 'png', source: { bytes: PNG } } }]);
    expect(input.messages![2]!.content).toEqual([{ image: { format: 'gif', source: { bytes: GIF } } }]);
  });

  it('fetches nothing when the request is invalid anyway', async () => {
    let calls = 0;
    const loadImage: ImageLoader = async () => {
      calls++;
      return { format: 'png', bytes: PNG };
    };
    const err = await reject({ messages: [{ role: 'user', content: [img('https://x.test/a.png')] }, { role: 'robot', content: 'x' }] }, ctxFor(undefined, { loadImage }));
    expect(err.param).toBe('messages[1].role');
    expect(calls).toBe(0);
  });

  it('passes loader errors through', async () => {
    const loadImage: ImageLoader = async (_url, param) => {
      throw invalidParam(param, 'image URL resolves to a private address (10.0.0.5)');
    };
    const err = await reject(userWith(img('https://internal.test/a.png')), ctxFor(undefined, { loadImage }));
    expect(err.param).toBe('messages[0].content[0].image_url.url');
    expect(err.message).toBe('image URL resolves to a private address (10.0.0.5)');
  });

  it('enforces maxImageBytes on loaded images too', async () => {
    const loadImage: ImageLoader = async () => ({ format: 'png', bytes: new Uint8Array(50) });
    const err = await reject(userWith(img('https://x.test/a.png')), ctxFor(undefined, { loadImage, maxImageBytes: 10 }));
    expect(err.message).toBe('image is 50 bytes, more than the 10-byte limit');
  });
});

describe('files and audio', () => {
  const pdf = Buffer.from('%PDF-1.4 test');
  it('turns a file part into a document block with a Converse-safe name', async () => {
    const { input } = await prepare(
      userWith({ type: 'text', text: 'Summarise' }, { type: 'file', file: { filename: 'Q3 report_final.v2.pdf', file_data: `data:application/pdf;base64,${pdf.toString('base64')}` } }),
    );
    expect(input.messages![0]!.content).toEqual([{ text: 'Summarise' }, { document: { format: 'pdf', name: 'Q3 report final v2', source: { bytes: new Uint8Array(pdf) } } }]);
  });

  it('adds a text block when a user turn holds only documents, and keeps names distinct', async () => {
    const file = { type: 'file', file: { filename: 'a.txt', file_data: `data:text/plain;base64,${Buffer.from('hello').toString('base64')}` } };
    const { input } = await prepare(userWith(file, file));
    expect(input.messages![0]!.content!.map((b) => b.document?.name ?? b.text)).toEqual(['a', 'a (2)', '(document attached)']);
  });

  it('rejects file_id and unsupported file types', async () => {
    const byId = await reject(userWith({ type: 'file', file: { file_id: 'file-123' } }));
    expect(byId.param).toBe('messages[0].content[0].file.file_id');
    expect(byId.code).toBe('unsupported_parameter');
    const zip = await reject(userWith({ type: 'file', file: { filename: 'a.zip', file_data: 'data:application/zip;base64,UEsDBA==' } }));
    expect(zip.param).toBe('messages[0].content[0].file.file_data');
  });

  it.each([
    ['image/png', PNG, 'png'],
    ['image/jpeg', JPEG, 'jpeg'],
    ['image/gif', GIF, 'gif'],
    ['image/webp', WEBP, 'webp'],
  ])('turns a file part holding %s data into an image block, like image_url', async (type, bytes, format) => {
    const { input } = await prepare(userWith({ type: 'text', text: 'Describe' }, { type: 'file', file: { filename: 'photo', file_data: dataUrl(type, bytes) } }));
    expect(input.messages![0]!.content).toEqual([{ text: 'Describe' }, { image: { format, source: { bytes: new Uint8Array(bytes) } } }]);
  });

  it('reads bare base64 named like an image as that image, and checks its bytes', async () => {
    const { input } = await prepare(userWith({ type: 'file', file: { filename: 'shot.PNG', file_data: Buffer.from(PNG).toString('base64') } }));
    expect(input.messages![0]!.content).toEqual([{ image: { format: 'png', source: { bytes: new Uint8Array(PNG) } } }]);
    const wrong = await reject(userWith({ type: 'file', file: { filename: 'shot.png', file_data: Buffer.from(JPEG).toString('base64') } }));
    expect(wrong.message).toBe('file is named as a png image but the data is a jpeg image');
  });

  it('checks image file parts like image_url: type, magic bytes, size and the model', async () => {
    const mismatch = await reject(userWith({ type: 'file', file: { file_data: dataUrl('image/png', JPEG) } }));
    expect(mismatch.param).toBe('messages[0].content[0].file.file_data');
    expect(mismatch.message).toBe('image is declared as image/png but the data is a jpeg image');
    const tiff = await reject(userWith({ type: 'file', file: { file_data: 'data:image/tiff;base64,SUkqAA==' } }));
    expect(tiff.message).toMatch(/image type image\/tiff is not supported; accepted: image\/png/);
    const micro = await reject(userWith({ type: 'file', file: { file_data: dataUrl('image/png', PNG) } }), ctxFor(MICRO));
    expect(micro.message).toMatch(/does not accept images/);
  });

  it('rejects input_audio as unsupported', async () => {
    const err = await reject(userWith({ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }));
    expect(err.param).toBe('messages[0].content[0]');
    expect(err.code).toBe('unsupported_parameter');
  });
});
