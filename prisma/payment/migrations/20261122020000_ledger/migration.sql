-- A balance lives in account_balances shards, kept with the journal lines.
ALTER TABLE `accounts` DROP COLUMN `balance`,
    ADD COLUMN `shard_count` INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE `account_balances` (
    `account_id` VARCHAR(40) NOT NULL,
    `shard` INTEGER NOT NULL,
    `balance` BIGINT NOT NULL DEFAULT 0,
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`account_id`, `shard`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `journal_entries` (
    `id` VARCHAR(40) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `reference_id` VARCHAR(40) NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,

    INDEX `journal_entries_reference_id_idx`(`reference_id`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `journal_lines` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `entry_id` VARCHAR(40) NOT NULL,
    `account_id` VARCHAR(40) NOT NULL,
    `shard` INTEGER NOT NULL,
    `amount` BIGINT NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,

    INDEX `journal_lines_entry_id_idx`(`entry_id`),
    INDEX `journal_lines_account_id_created_at_idx`(`account_id`, `created_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `idempotency_keys` (
    `caller_id` VARCHAR(40) NOT NULL,
    `operation` VARCHAR(32) NOT NULL,
    `idempotency_key` VARCHAR(100) NOT NULL,
    `request_hash` CHAR(64) NOT NULL,
    `response` JSON NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `expires_at` DATETIME(3) NOT NULL,

    INDEX `idempotency_keys_expires_at_idx`(`expires_at`),
    PRIMARY KEY (`caller_id`, `operation`, `idempotency_key`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Payment requests: cancellation time, and the expiry sweep's index.
ALTER TABLE `payment_requests` ADD COLUMN `cancelled_at` DATETIME(3) NULL;
CREATE INDEX `payment_requests_status_expires_at_idx` ON `payment_requests`(`status`, `expires_at`);

-- Refunds: the dashboard's window scan orders by (created_at, id).
DROP INDEX `refunds_business_id_created_at_idx` ON `refunds`;
CREATE INDEX `refunds_business_id_created_at_id_idx` ON `refunds`(`business_id`, `created_at`, `id`);

-- AddForeignKey
ALTER TABLE `account_balances` ADD CONSTRAINT `account_balances_account_id_fkey` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `journal_lines` ADD CONSTRAINT `journal_lines_entry_id_fkey` FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `journal_lines` ADD CONSTRAINT `journal_lines_account_id_fkey` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
