-- Partners, part 1: API keys (contract part 4, partners.md).
--
-- `api_keys`: a business's keys. The secret is never stored: `secret_hash`
-- is its HMAC-SHA256 under API_KEY_HASH_KEY (subgraphs/user/src/api-keys/
-- secrets.ts says why a fast keyed hash is right for 256-bit random
-- secrets). `prefix` is the secret's first characters (`hk_test_4f2a…`), to
-- tell keys apart; `mode` says which kind of key it is (sandbox keys start
-- `hk_test_`, production keys `hk_live_`). A revoked key keeps its row (the
-- audit of who made and who revoked it); `last_used_at` is written at most
-- once a minute.
--
-- `business_roles`: who holds which role in which business, as the business
-- subgraph's events tell (`business.registered`, `business.membership_changed`):
-- the user subgraph decides "OWNER only" from it without asking the business
-- subgraph (service-boundaries.md). A removal keeps its row with `role`
-- NULL, so that an older event arriving late cannot bring the role back.
-- `processed_events`: the events applied,
-- so each is applied once.

CREATE TABLE `api_keys` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `name` VARCHAR(50) NOT NULL,
    `prefix` VARCHAR(20) NOT NULL,
    `secret_hash` CHAR(64) NOT NULL,
    `mode` ENUM('SANDBOX', 'LIVE') NOT NULL,
    `scopes` VARCHAR(500) NOT NULL,
    `created_by_user_id` VARCHAR(40) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `last_used_at` DATETIME(3) NULL,
    `revoked_at` DATETIME(3) NULL,
    `revoked_by_user_id` VARCHAR(40) NULL,

    UNIQUE INDEX `api_keys_secret_hash_key`(`secret_hash`),
    INDEX `api_keys_business_id_created_at_idx`(`business_id`, `created_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `business_roles` (
    `business_id` VARCHAR(40) NOT NULL,
    `user_id` VARCHAR(40) NOT NULL,
    `role` ENUM('OWNER', 'MANAGER', 'CASHIER') NULL,
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `business_roles_user_id_idx`(`user_id`),
    PRIMARY KEY (`business_id`, `user_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `processed_events` (
    `consumer` VARCHAR(64) NOT NULL,
    `event_id` VARCHAR(40) NOT NULL,
    `processed_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `processed_events_processed_at_idx`(`processed_at`),
    PRIMARY KEY (`consumer`, `event_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
