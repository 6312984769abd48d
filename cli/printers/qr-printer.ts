/** Human output of `ordertrace qr`. */
import type { Writable } from 'node:stream';
import type { QrData } from '../commands/qr';

export function printQr(data: QrData, out: Writable): void {
  out.write(
    `Wrote ${data.output}: ${data.format.toUpperCase()} QR code of order ${data.order} (${data.bytes.toLocaleString('en')} bytes).\n`,
  );
  if (data.url) out.write(`New public link (earlier QR codes no longer work): ${data.url}\n`);
}
