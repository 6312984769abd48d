import * as QRCode from 'qrcode';

/**
 * QR codes of public order links, for printing on parcels: error correction Q (25% of the code
 * may be scuffed or covered) and the standard 4-module quiet zone.
 */
const QR_OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;

export const QR_PNG_DEFAULT_WIDTH = 512;
export const QR_PNG_MIN_WIDTH = 128;
export const QR_PNG_MAX_WIDTH = 2048;

export function qrPng(text: string, width: number = QR_PNG_DEFAULT_WIDTH): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', width });
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' });
}
