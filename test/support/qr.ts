/** What a phone's camera reads from a QR code image. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

export function pngWidth(png: Buffer): number {
  return PNG.sync.read(png).width;
}
