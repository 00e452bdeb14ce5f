-- CreateTable
CREATE TABLE `friend_links` (
    `user_id` VARCHAR(40) NOT NULL,
    `friend_id` VARCHAR(40) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `friend_links_friend_id_idx`(`friend_id`),
    PRIMARY KEY (`user_id`, `friend_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
