/**
 * Field schemas shared by the catalogue, so every event spells an id, an
 * amount or a timestamp the same way.
 */
import { z } from 'zod';

/** Entity ids are opaque strings that fit the stores' VARCHAR(40) id columns. */
export const id = z.string().min(1).max(40);

/**
 * An amount in integer minor units of its currency, as a string ("1250" is
 * HK$12.50): JSON numbers lose precision past 2^53 and invite float maths.
 */
export const amountMinor = z.string().regex(/^(0|[1-9][0-9]{0,18})$/, 'expected a non-negative integer of minor units as a string');

/** ISO 4217 alphabetic code, e.g. HKD. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code');

/** An instant as ISO 8601 in UTC ("Z" offset), e.g. 2026-11-22T01:02:03.456Z. */
export const timestamp = z.iso.datetime();

/** A user's display name as it was when the event happened (users.display_name is VARCHAR(50)). */
export const displayName = z.string().min(1).max(50);

/** A business's name as it was when the event happened (it is printed in QR codes: at most 25). */
export const businessName = z.string().min(1).max(25);

export const businessRole = z.enum(['OWNER', 'MANAGER', 'CASHIER']);
