-- CreateTable
CREATE TABLE `processed_events` (
    `consumer` VARCHAR(64) NOT NULL,
    `event_id` VARCHAR(40) NOT NULL,
    `processed_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `processed_events_processed_at_idx`(`processed_at`),
    PRIMARY KEY (`consumer`, `event_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
