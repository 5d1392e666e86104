/**
 * Image media types Converse accepts and magic-byte sniffing. Shared by data URLs
 * (request translation) and remote fetches, so both reject the same things the same way.
 */
import type { ImageFormat } from '@aws-sdk/client-bedrock-runtime';

/** Media type (lower case, without parameters) → Converse image format. */
export const IMAGE_MEDIA_TYPES: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export const ACCEPTED_IMAGE_TYPES = 'image/png, image/jpeg, image/gif, image/webp';

/** The format the bytes actually are, from their signature; undefined if none of ours. */
export function sniffImageFormat(b: Uint8Array): ImageFormat | undefined {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  // GIF87a / GIF89a
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  // RIFF....WEBP
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp';
  return undefined;
}

/** Lower-cased media type without parameters: `Image/PNG; q=1` → `image/png`. */
export function bareMediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}
