-- Webhooks (contract part 4, partners.md "Webhooks"; subgraphs/notification/src/webhooks/).
--
-- `business_roles`: who holds which role in which business, as the business
-- subgraph's events tell (`business.registered`, `business.membership_changed`),
-- applied by this subgraph's own consumer: endpoints are OWNER only, decided
-- without reading another store (service-boundaries.md). A removal keeps its
-- row with `role` NULL so that an older event arriving late cannot bring the
-- role back.
-- `webhook_endpoints`: a business's endpoints. `secret` and `previous_secret`
-- sign (HMAC), so they are encrypted (AES-256-GCM, WEBHOOK_SECRET_KEYS), not
-- hashed. Deleting keeps the row (`deleted_at`) for its deliveries' history.
-- `webhook_events`: one payload per domain event and webhook type (unique
-- `source_event_id`, `type`), the exact body every delivery sends.
-- `webhook_deliveries`: one per event and endpoint, due while
-- `next_attempt_at` is set, held by the worker with a lease (`lease_owner`,
-- `lease_until`) while an attempt is in flight.
-- `webhook_attempts`: every attempt, bodies cut to 4 KB, kept 30 days.

CREATE TABLE `business_roles` (
    `business_id` VARCHAR(40) NOT NULL,
    `user_id` VARCHAR(40) NOT NULL,
    `role` VARCHAR(16) NULL,
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `business_roles_business_id_role_idx`(`business_id`, `role`),
    PRIMARY KEY (`business_id`, `user_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `webhook_endpoints` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `url` VARCHAR(2048) NOT NULL,
    `event_types` VARCHAR(1000) NOT NULL,
    `description` VARCHAR(140) NULL,
    `status` ENUM('ENABLED', 'DISABLED') NOT NULL,
    `disabled_reason` VARCHAR(200) NULL,
    `secret` VARCHAR(255) NOT NULL,
    `previous_secret` VARCHAR(255) NULL,
    `previous_secret_expires_at` DATETIME(3) NULL,
    `failing_since` DATETIME(3) NULL,
    `last_success_at` DATETIME(3) NULL,
    `created_by_user_id` VARCHAR(40) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,
    `deleted_at` DATETIME(3) NULL,

    INDEX `webhook_endpoints_business_id_status_idx`(`business_id`, `status`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `webhook_events` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `type` VARCHAR(64) NOT NULL,
    `payload` JSON NOT NULL,
    `source_event_id` VARCHAR(40) NULL,
    `created_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `webhook_events_source_event_id_type_key`(`source_event_id`, `type`),
    INDEX `webhook_events_created_at_idx`(`created_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `webhook_deliveries` (
    `id` VARCHAR(40) NOT NULL,
    `event_id` VARCHAR(40) NOT NULL,
    `endpoint_id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `event_type` VARCHAR(64) NOT NULL,
    `status` ENUM('PENDING', 'SUCCEEDED', 'FAILED', 'EXHAUSTED', 'CANCELLED') NOT NULL,
    `attempts` INTEGER NOT NULL,
    `retry_step` INTEGER NOT NULL,
    `next_attempt_at` DATETIME(3) NULL,
    `lease_owner` VARCHAR(80) NULL,
    `lease_until` DATETIME(3) NULL,
    `last_response_status` INTEGER NULL,
    `last_duration_ms` INTEGER NULL,
    `last_attempt_at` DATETIME(3) NULL,
    `last_error` VARCHAR(500) NULL,
    `created_at` DATETIME(3) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `webhook_deliveries_event_id_endpoint_id_key`(`event_id`, `endpoint_id`),
    INDEX `webhook_deliveries_next_attempt_at_idx`(`next_attempt_at`),
    INDEX `webhook_deliveries_lease_until_idx`(`lease_until`),
    INDEX `webhook_deliveries_endpoint_id_created_at_id_idx`(`endpoint_id`, `created_at`, `id`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `webhook_attempts` (
    `id` VARCHAR(40) NOT NULL,
    `delivery_id` VARCHAR(40) NOT NULL,
    `endpoint_id` VARCHAR(40) NOT NULL,
    `number` INTEGER NOT NULL,
    `ok` BOOLEAN NOT NULL,
    `response_status` INTEGER NULL,
    `duration_ms` INTEGER NOT NULL,
    `error` VARCHAR(500) NULL,
    `connected_address` VARCHAR(64) NULL,
    `request_body` TEXT NOT NULL,
    `response_body` TEXT NOT NULL,
    `attempted_at` DATETIME(3) NOT NULL,

    INDEX `webhook_attempts_delivery_id_attempted_at_idx`(`delivery_id`, `attempted_at`),
    INDEX `webhook_attempts_attempted_at_idx`(`attempted_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
