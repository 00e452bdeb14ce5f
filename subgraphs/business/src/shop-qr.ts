import { encodeShopPayload, renderQrSvg } from '@harbour/emv-qr';
import type { Business } from '@harbour/prisma/business';

/**
 * The shop's static QR code (merchant.md, "The shop QR"): drawn from the
 * business's id, name, city and category, so it changes only when they do.
 * The payment subgraph checks a scanned one against the same fields.
 */
export async function shopQrOf(business: Business): Promise<{ payload: string; svg: string }> {
  const payload = encodeShopPayload({
    businessId: business.id,
    currency: 'HKD',
    merchantName: business.name,
    merchantCity: business.city,
    merchantCategoryCode: business.merchantCategoryCode,
  });
  return { payload, svg: await renderQrSvg(payload) };
}
