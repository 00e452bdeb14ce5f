-- Money out, part 3: statements (contract part 3, money-out.md).
--
-- `statements`: one export of a business's ledger movements in [from_at,
-- to_at), asked for by an OWNER or MANAGER and made by the statements worker
-- (its own process): PENDING → READY | FAILED. The worker claims a row by
-- setting `lease_owner` / `lease_until` and keeps extending the lease while
-- it writes; a row whose lease ran out (its worker died) is claimed again,
-- at most `attempts` times. READY rows carry the balances at both ends, the
-- row count and the blob the file was written to; the download URL is signed
-- afresh on every read, never stored. `idempotency_key` (optional) makes a
-- retried request answer the same statement, per business and requester.
-- `business_name` is the business's name when it was asked for, as printed
-- on the statement (the worker asks no other service).
--
-- `journal_lines`: the index on (account_id, created_at) becomes
-- (account_id, created_at, entry_id, amount). A statement reads one
-- account's lines in (created_at, entry_id) order, an entry at a time, and
-- sums them for the balances at `from` and `to`: with the entry and amount in
-- the index, both are range scans of the index alone, never of the table.
-- Every query the old index served is served by its prefix. The new index is
-- made before the old one goes, so the account foreign key always has one.

CREATE TABLE `statements` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `requested_by_user_id` VARCHAR(40) NOT NULL,
    `business_name` VARCHAR(25) NOT NULL,
    `idempotency_key` VARCHAR(100) NULL,
    `format` ENUM('CSV', 'PDF') NOT NULL,
    `from_at` DATETIME(3) NOT NULL,
    `to_at` DATETIME(3) NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `status` ENUM('PENDING', 'READY', 'FAILED') NOT NULL DEFAULT 'PENDING',
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `lease_owner` VARCHAR(80) NULL,
    `lease_until` DATETIME(3) NULL,
    `row_count` INTEGER NULL,
    `opening_balance` BIGINT NULL,
    `closing_balance` BIGINT NULL,
    `blob_name` VARCHAR(200) NULL,
    `byte_count` BIGINT NULL,
    `failure_code` VARCHAR(40) NULL,
    `created_at` DATETIME(3) NOT NULL,
    `completed_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `statements_business_id_requested_by_user_id_idempotency_key_key`(`business_id`, `requested_by_user_id`, `idempotency_key`),
    INDEX `statements_business_id_created_at_idx`(`business_id`, `created_at`),
    INDEX `statements_status_lease_until_idx`(`status`, `lease_until`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE INDEX `journal_lines_account_id_created_at_entry_id_amount_idx` ON `journal_lines`(`account_id`, `created_at`, `entry_id`, `amount`);
DROP INDEX `journal_lines_account_id_created_at_idx` ON `journal_lines`;
