/**
 * OpenAI content (strings and parts) → Converse content blocks.
 *
 * - text parts → `text` blocks; empty or blank text is never sent (Nova rejects it).
 * - image_url → `image`: data URLs decoded here, http(s) URLs fetched through
 *   `ctx.loadImage` (started at once, awaited together by the caller). `detail` is ignored.
 * - file (file_data as a data URL) → `image` for png, jpeg, gif and webp data (the OpenAI
 *   spec allows images in file parts and LlamaIndex TS sends them so), checked exactly like
 *   image_url data URLs; `document` for pdf, csv, doc, docx, xls, xlsx, html, txt, md (the
 *   formats Converse accepts), each with a distinct name. `file_id` needs OpenAI's Files API
 *   and is a 400.
 * - input_audio → 400 unsupported (Nova's Converse models take no audio input).
 */
import type { ContentBlock, DocumentFormat, ImageBlock, ImageFormat } from '@aws-sdk/client-bedrock-runtime';
import { invalidParam, unsupportedParam } from '../errors.js';
import { NOVA_MODELS } from '../models.js';
import type { TranslateContext } from './types.js';
import { base64DecodedLength, decodeBase64, decodeImageDataUrl, parseDataUrl } from './data-url.js';
import { checkCount, describe, expectObj, expectString } from './validate.js';
import { ACCEPTED_IMAGE_TYPES, sniffImageFormat } from '../images/image-type.js';

/** Converse's per-document limit. */
export const MAX_DOCUMENT_BYTES = 4_500_000;

const DOCUMENT_TYPES: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/html': 'html',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};
const DOCUMENT_EXTENSIONS = new Set(Object.values(DOCUMENT_TYPES));

export interface ContentState {
  ctx: TranslateContext;
  /**
   * Image fetches to run once the whole request has validated (no fetch for a request
   * that is rejected anyway); each fills its block in when done.
   */
  fetches: Array<(signal: AbortSignal) => Promise<void>>;
  /** Document names used so far (Converse wants them distinct). */
  documentNames: Set<string>;
}

/** True when the text would be an empty block. */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/**
 * Text of a system/developer/tool/assistant message: a string or a list of text parts
 * (assistant messages may also hold refusal parts, sent as text). Blank pieces dropped.
 */
export function textPieces(content: unknown, param: string, allowRefusal = false): string[] {
  if (content == null) return [];
  if (typeof content === 'string') return isBlank(content) ? [] : [content];
  if (!Array.isArray(content)) throw invalidParam(param, `${param} must be a string or an array of content parts, got ${describe(content)}`);
  checkCount(content, param, 'content parts');
  const out: string[] = [];
  for (let j = 0; j < content.length; j++) {
    const p = `${param}[${j}]`;
    const part = expectObj(content[j], p);
    let text: string;
    if (part.type === 'text') text = expectString(part.text, `${p}.text`);
    else if (allowRefusal && part.type === 'refusal') text = expectString(part.refusal, `${p}.refusal`);
    else throw invalidParam(`${p}.type`, `${p}.type must be ${allowRefusal ? '"text" or "refusal"' : '"text"'} here, got ${JSON.stringify(part.type)}`);
    if (!isBlank(text)) out.push(text);
  }
  return out;
}

/** A user message's content → blocks. */
export function convertUserContent(content: unknown, param: string, st: ContentState): ContentBlock[] {
  if (typeof content === 'string') return isBlank(content) ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw invalidParam(param, `${param} must be a string or an array of content parts, got ${describe(content)}`);
  checkCount(content, param, 'content parts');
  const out: ContentBlock[] = [];
  for (let j = 0; j < content.length; j++) {
    const p = `${param}[${j}]`;
    const part = expectObj(content[j], p);
    switch (part.type) {
      case 'text': {
        const text = expectString(part.text, `${p}.text`);
        if (!isBlank(text)) out.push({ text });
        break;
      }
      case 'image_url':
        out.push({ image: convertImage(part.image_url, `${p}.image_url`, st) });
        break;
      case 'file':
        out.push(convertFile(part.file, `${p}.file`, st));
        break;
      case 'input_audio':
        throw unsupportedParam(p, `${p}: audio input is not supported by Nova through the Converse API`);
      default:
        throw invalidParam(`${p}.type`, `${p}.type must be one of "text", "image_url", "file", got ${JSON.stringify(part.type)}`);
    }
  }
  return out;
}

function requireImages(param: string, st: ContentState): void {
  const { ctx } = st;
  if (!ctx.model.images) {
    const capable = Object.values(NOVA_MODELS).filter((m) => m.images).map((m) => m.id);
    throw invalidParam(param, `${ctx.model.id} does not accept images; models that do: ${capable.join(', ')}`);
  }
}

function convertImage(raw: unknown, param: string, st: ContentState): ImageBlock {
  const { ctx } = st;
  requireImages(param, st);
  const imageUrl = expectObj(raw, param);
  const urlParam = `${param}.url`;
  const url = expectString(imageUrl.url, urlParam);
  if (url.startsWith('data:')) {
    const img = decodeImageDataUrl(url, urlParam, ctx.maxImageBytes);
    return { format: img.format, source: { bytes: img.bytes } };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw invalidParam(urlParam, `${urlParam} must be an http(s) URL or a data URL${scheme ? `, got scheme ${scheme}:` : ''}`);
  }
  // Filled in when the fetch completes; the caller runs all fetches together.
  const block: ImageBlock = { format: 'png', source: { bytes: new Uint8Array(0) } };
  st.fetches.push(async (signal) => {
    const img = await ctx.loadImage(url, urlParam, signal);
    if (img.bytes.length > ctx.maxImageBytes) {
      throw invalidParam(urlParam, `image is ${img.bytes.length} bytes, more than the ${ctx.maxImageBytes}-byte limit`);
    }
    block.format = img.format;
    block.source = { bytes: img.bytes };
  });
  return block;
}

const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', gif: 'gif', webp: 'webp' };

/** A `file` part: an image block for image data, a document block otherwise. */
function convertFile(raw: unknown, param: string, st: ContentState): ContentBlock {
  const file = expectObj(raw, param);
  if (file.file_id != null && file.file_data == null) {
    throw unsupportedParam(`${param}.file_id`, `${param}.file_id: file IDs need OpenAI's Files API; send the file inline as file_data (a base64 data URL)`);
  }
  const dataParam = `${param}.file_data`;
  const data = expectString(file.file_data, dataParam);
  const filename = file.filename == null ? undefined : expectString(file.filename, `${param}.filename`);
  let mediaType = '';
  let base64 = data;
  if (data.startsWith('data:')) ({ mediaType, base64 } = parseDataUrl(data, dataParam));
  const ext = filename && /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  if (mediaType.startsWith('image/') || (!mediaType && ext && IMAGE_EXTENSIONS[ext])) {
    requireImages(dataParam, st);
    if (mediaType) {
      const img = decodeImageDataUrl(data, dataParam, st.ctx.maxImageBytes);
      return { image: { format: img.format, source: { bytes: img.bytes } } };
    }
    return { image: rawImage(base64, ext!, dataParam, st) };
  }
  const format = DOCUMENT_TYPES[mediaType] ?? (ext && DOCUMENT_EXTENSIONS.has(ext as DocumentFormat) ? (ext as DocumentFormat) : undefined);
  if (!format) {
    throw invalidParam(
      dataParam,
      `file type ${mediaType || ext || '(unknown)'} is not supported; accepted: pdf, csv, doc, docx, xls, xlsx, html, txt, md, and images (${ACCEPTED_IMAGE_TYPES})`,
    );
  }
  const size = base64DecodedLength(base64);
  if (size > MAX_DOCUMENT_BYTES) throw invalidParam(dataParam, `file is ${size} bytes, more than the ${MAX_DOCUMENT_BYTES}-byte limit`);
  const bytes = decodeBase64(base64, dataParam);
  return { document: { format, name: documentName(filename, st.documentNames), source: { bytes } } };
}

/** Bare base64 named `*.png` and the like: the bytes must be the image the name says. */
function rawImage(base64: string, ext: string, param: string, st: ContentState): ImageBlock {
  const size = base64DecodedLength(base64);
  if (size > st.ctx.maxImageBytes) throw invalidParam(param, `image is ${size} bytes, more than the ${st.ctx.maxImageBytes}-byte limit`);
  const bytes = decodeBase64(base64, param);
  const declared = IMAGE_EXTENSIONS[ext]!;
  const actual = sniffImageFormat(bytes);
  if (actual !== declared) {
    throw invalidParam(param, `file is named as a ${declared} image but the data is ${actual ? `a ${actual} image` : 'not a png, jpeg, gif or webp image'}`);
  }
  return { format: actual, source: { bytes } };
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and brackets. */
function documentName(filename: string | undefined, used: Set<string>): string {
  const stem = (filename ?? '').replace(/\.[A-Za-z0-9]+$/, '');
  let base = stem.replace(/[^A-Za-z0-9\-()[\]\s]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 190);
  if (!base) base = 'document';
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
  used.add(name);
  return name;
}

/** Converse requires a text block next to a document; a user turn with only files gets one. */
export function ensureTextWithDocuments(content: ContentBlock[]): void {
  let hasDoc = false;
  for (const b of content) {
    if (b.text !== undefined) return;
    if (b.document) hasDoc = true;
  }
  if (hasDoc) content.push({ text: '(document attached)' });
}

