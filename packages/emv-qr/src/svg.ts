/** Drawing a payload as a QR code. */
import { toString as qrToString } from 'qrcode';

/**
 * The payload as a standalone SVG document (viewBox in modules, no fixed
 * size, so clients scale it). Error correction M restores about 15% of the
 * code, enough for a scuffed sticker or a glare spot on a screen, while
 * keeping the modules larger than Q or H would. Four modules of quiet zone, as
 * the QR standard asks for.
 */
export async function renderQrSvg(payload: string): Promise<string> {
  if (payload.length === 0) throw new RangeError('cannot draw an empty payload');
  return qrToString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
