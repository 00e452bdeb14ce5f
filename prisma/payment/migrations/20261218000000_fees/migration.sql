-- Money out, part 1: the merchant fee (contract part 3, money-out.md).
--
-- A payment now keeps the fee it was charged (`fee`, at `fee_rate_bps`,
-- fixed when it completed) and the fee given back by its refunds so far
-- (`refunded_fee`); a refund keeps its own share of the fee.
--
-- Payments made before this migration were charged no fee: they keep a fee
-- of zero (rate 0), their ledger entries (wallet −amount, business +amount)
-- are not rewritten, and refunding them gives back no fee.
--
-- `business_fee_rates` holds the rate staff set for a business; a business
-- without a row pays `MERCHANT_FEE_BPS`. The FEE account exists in the enum
-- since the ledger migration; PAYOUT_CLEARING holds payouts in transit.

ALTER TABLE `payments`
    ADD COLUMN `fee` BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN `fee_rate_bps` INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN `refunded_fee` BIGINT NOT NULL DEFAULT 0;

ALTER TABLE `refunds`
    ADD COLUMN `fee` BIGINT NOT NULL DEFAULT 0;

CREATE TABLE `business_fee_rates` (
    `business_id` VARCHAR(40) NOT NULL,
    `fee_rate_bps` INTEGER NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`business_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `accounts`
    MODIFY `type` ENUM('WALLET', 'BUSINESS', 'EXTERNAL_FUNDING', 'FEE', 'PAYOUT', 'PAYOUT_CLEARING') NOT NULL;
