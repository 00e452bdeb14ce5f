-- CreateTable
CREATE TABLE `timeline_entries` (
    `id` VARCHAR(40) NOT NULL,
    `user_id` VARCHAR(40) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `params` JSON NOT NULL,
    `source_event_id` VARCHAR(40) NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `timeline_entries_user_id_source_event_id_key`(`user_id`, `source_event_id`),
    INDEX `timeline_entries_user_id_occurred_at_id_idx`(`user_id`, `occurred_at`, `id`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
