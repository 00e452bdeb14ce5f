-- Running a shop (contract part 2, merchant.md): payments that no payment
-- request asked for (the shop's own QR code, payment links), who created
-- what, and the indexes that find a business's payments by every filter of
-- `Business.payments`.
--
-- Payments made before this migration all paid a payment request: they get
-- source PAYMENT_REQUEST, and their request's creator and reference are
-- copied onto them (the filters read the payment row alone).

CREATE TABLE `payment_links` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `created_by_user_id` VARCHAR(40) NOT NULL,
    `amount` BIGINT NULL,
    `currency` CHAR(3) NOT NULL,
    `description` VARCHAR(140) NOT NULL,
    `max_payments` INTEGER NULL,
    `payment_count` INTEGER NOT NULL DEFAULT 0,
    `status` ENUM('ACTIVE', 'INACTIVE', 'EXPIRED', 'COMPLETED') NOT NULL DEFAULT 'ACTIVE',
    `business_name` VARCHAR(25) NOT NULL,
    `business_city` VARCHAR(15) NOT NULL,
    `merchant_category_code` CHAR(4) NULL,
    `expires_at` DATETIME(3) NULL,
    `deactivated_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `payment_links_business_id_created_at_id_idx`(`business_id`, `created_at`, `id`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `payments`
    MODIFY `payment_request_id` VARCHAR(40) NULL,
    ADD COLUMN `source` ENUM('PAYMENT_REQUEST', 'SHOP_QR', 'PAYMENT_LINK') NOT NULL DEFAULT 'PAYMENT_REQUEST' AFTER `payment_request_id`,
    ADD COLUMN `payment_link_id` VARCHAR(40) NULL AFTER `source`,
    ADD COLUMN `created_by_user_id` VARCHAR(40) NULL AFTER `business_id`,
    ADD COLUMN `reference` VARCHAR(25) NULL AFTER `currency`;

UPDATE `payments` p JOIN `payment_requests` r ON r.`id` = p.`payment_request_id`
SET p.`created_by_user_id` = r.`created_by_user_id`, p.`reference` = r.`reference`;

-- Each filter of Business.payments, newest first within it (merchant.md, Finding payments).
ALTER TABLE `payments`
    ADD INDEX `payments_business_id_status_completed_at_id_idx`(`business_id`, `status`, `completed_at`, `id`),
    ADD INDEX `payments_business_id_source_completed_at_id_idx`(`business_id`, `source`, `completed_at`, `id`),
    ADD INDEX `payments_business_id_created_by_user_id_completed_at_id_idx`(`business_id`, `created_by_user_id`, `completed_at`, `id`),
    ADD INDEX `payments_business_id_amount_idx`(`business_id`, `amount`),
    ADD INDEX `payments_business_id_reference_idx`(`business_id`, `reference`),
    ADD INDEX `payments_payment_link_id_idx`(`payment_link_id`),
    ADD CONSTRAINT `payments_payment_link_id_fkey` FOREIGN KEY (`payment_link_id`) REFERENCES `payment_links`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- The counter's list: a business's requests by status, and a CASHIER's own, newest first.
ALTER TABLE `payment_requests`
    ADD INDEX `payment_requests_business_id_status_created_at_idx`(`business_id`, `status`, `created_at`),
    ADD INDEX `payment_requests_business_id_created_by_user_id_created_at_idx`(`business_id`, `created_by_user_id`, `created_at`);

-- How many payments each business has, for an unfiltered `totalCount` that
-- does not count a million index entries (bench:payments-search: 480 ms at
-- p50 before this). Sharded like balances: each payment adds one to a
-- random shard, so a busy shop's payments do not queue on one row; the
-- total is the sum of the shards.
CREATE TABLE `business_payment_counts` (
    `business_id` VARCHAR(40) NOT NULL,
    `shard` INTEGER NOT NULL,
    `payments` BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY (`business_id`, `shard`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO `business_payment_counts` (`business_id`, `shard`, `payments`)
SELECT `business_id`, 0, COUNT(*) FROM `payments` GROUP BY `business_id`;
