-- Money out, part 2: payout accounts and payouts (contract part 3, money-out.md).
--
-- `payout_accounts`: one per business. The account number is stored only
-- encrypted (AES-256-GCM, the key from PAYOUT_ACCOUNT_KEYS, never in the
-- database) and its last four digits in clear for answers; `hold_until`
-- is when payouts may go out again after a change (PAYOUT_HOLD_HOURS).
--
-- `payouts`: PENDING (money reserved: business → PAYOUT_CLEARING),
-- IN_TRANSIT (in a batch file sent to the bank), then PAID (clearing → the
-- bank) or FAILED (clearing → back to the business). Each keeps the
-- destination it was made for. `payout_day` is set for automatic payouts:
-- one per business and Hong Kong day, however often the job runs.
--
-- `payout_batches`: one per run that sent payouts, its file on Blob storage
-- (`uploaded_at`: written; a run finding it unset writes it again from these
-- rows, the same file) and when the bank's answer was applied (once).

CREATE TABLE `payout_accounts` (
    `business_id` VARCHAR(40) NOT NULL,
    `bank_code` CHAR(3) NOT NULL,
    `branch_code` CHAR(3) NOT NULL,
    `account_number_encrypted` VARCHAR(255) NOT NULL,
    `account_number_last4` CHAR(4) NOT NULL,
    `account_holder_name` VARCHAR(140) NOT NULL,
    `changed_by_user_id` VARCHAR(40) NOT NULL,
    `hold_until` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`business_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `payout_batches` (
    `id` VARCHAR(40) NOT NULL,
    `blob_name` VARCHAR(200) NOT NULL,
    `payout_count` INTEGER NOT NULL,
    `total_minor` BIGINT NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `uploaded_at` DATETIME(3) NULL,
    `answer_blob_name` VARCHAR(200) NULL,
    `answered_at` DATETIME(3) NULL,

    INDEX `payout_batches_uploaded_at_idx`(`uploaded_at`),
    INDEX `payout_batches_answered_at_idx`(`answered_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `payouts` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `status` ENUM('PENDING', 'IN_TRANSIT', 'PAID', 'FAILED') NOT NULL DEFAULT 'PENDING',
    `trigger` ENUM('AUTOMATIC', 'MANUAL') NOT NULL,
    `amount` BIGINT NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `bank_code` CHAR(3) NOT NULL,
    `branch_code` CHAR(3) NOT NULL,
    `account_number_encrypted` VARCHAR(255) NOT NULL,
    `account_number_last4` CHAR(4) NOT NULL,
    `account_holder_name` VARCHAR(140) NOT NULL,
    `requested_by_user_id` VARCHAR(40) NULL,
    `payout_day` DATE NULL,
    `not_before` DATETIME(3) NOT NULL,
    `expected_arrival_date` DATE NOT NULL,
    `batch_id` VARCHAR(40) NULL,
    `failure_code` VARCHAR(40) NULL,
    `created_at` DATETIME(3) NOT NULL,
    `sent_at` DATETIME(3) NULL,
    `paid_at` DATETIME(3) NULL,
    `failed_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `payouts_business_id_payout_day_key`(`business_id`, `payout_day`),
    INDEX `payouts_business_id_created_at_id_idx`(`business_id`, `created_at`, `id`),
    INDEX `payouts_business_id_status_idx`(`business_id`, `status`),
    INDEX `payouts_status_not_before_idx`(`status`, `not_before`),
    INDEX `payouts_batch_id_idx`(`batch_id`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
