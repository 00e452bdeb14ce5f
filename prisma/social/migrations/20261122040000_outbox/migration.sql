-- CreateTable
CREATE TABLE `outbox_events` (
    `id` VARCHAR(40) NOT NULL,
    `sequence` BIGINT NOT NULL AUTO_INCREMENT,
    `aggregate_type` VARCHAR(32) NOT NULL,
    `aggregate_id` VARCHAR(40) NOT NULL,
    `type` VARCHAR(64) NOT NULL,
    `version` INTEGER NOT NULL,
    `payload` JSON NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL,
    `published_at` DATETIME(3) NULL,
    `analytics_published_at` DATETIME(3) NULL,

    UNIQUE INDEX `outbox_events_sequence_key`(`sequence`),
    INDEX `outbox_events_published_at_sequence_idx`(`published_at`, `sequence`),
    INDEX `outbox_events_analytics_published_at_sequence_idx`(`analytics_published_at`, `sequence`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
