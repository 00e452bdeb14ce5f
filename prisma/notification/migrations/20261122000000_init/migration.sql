-- CreateTable
CREATE TABLE `notifications` (
    `id` VARCHAR(40) NOT NULL,
    `user_id` VARCHAR(40) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `params` JSON NOT NULL,
    `source_event_id` VARCHAR(40) NOT NULL,
    `read_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `notifications_user_id_source_event_id_key`(`user_id`, `source_event_id`),
    INDEX `notifications_user_id_created_at_id_idx`(`user_id`, `created_at`, `id`),
    INDEX `notifications_user_id_read_at_idx`(`user_id`, `read_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
