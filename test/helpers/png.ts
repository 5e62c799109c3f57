/**
 * A small PNG reader for screenshot tests: the IHDR size and the pixels of an 8-bit RGB or RGBA,
 * non-interlaced image (what Chromium's --screenshot writes). Follows the PNG specification
 * (W3C PNG, 2nd edition, sections 5.3 chunk layout, 11.2.2 IHDR, 7.3 and 9 filtering).
 */
import { inflateSync } from 'node:zlib';

/** A decoded image: width, height, bytes per pixel and the unfiltered rows. */
export interface Png {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes `buf`; throws on anything but 8-bit RGB/RGBA without interlacing. */
export function decodePng(buf: Buffer): Png {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG (signature)');
  let offset = 8;
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8] as number, colour: data[9] as number, interlace: data[12] as number };
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header) throw new Error('no IHDR chunk');
  if (header.depth !== 8 || (header.colour !== 2 && header.colour !== 6) || header.interlace !== 0) throw new Error(`unsupported PNG: depth ${header.depth}, colour type ${header.colour}, interlace ${header.interlace}`);
  const channels = header.colour === 6 ? 4 : 3;
  return { width: header.width, height: header.height, channels, pixels: unfilter(inflateSync(Buffer.concat(idat)), header.width, header.height, channels) };
}

function unfilter(raw: Buffer, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (out[row + x - bpp] as number) : 0;
      const b = y > 0 ? (out[row - stride + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[row - stride + x - bpp] as number) : 0;
      const v = raw[src + x] as number;
      out[row + x] = (v + predictor(filter, a, b, c)) & 0xff;
    }
  }
  return out;
}

function predictor(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4: {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default:
      throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** The distinct RGB colours of an image, as 0xRRGGBB numbers. */
export function colours(png: Png): Set<number> {
  const seen = new Set<number>();
  for (let i = 0; i < png.pixels.length; i += png.channels) seen.add(((png.pixels[i] as number) << 16) | ((png.pixels[i + 1] as number) << 8) | (png.pixels[i + 2] as number));
  return seen;
}
