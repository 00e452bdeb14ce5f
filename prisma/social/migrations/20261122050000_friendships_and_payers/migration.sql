-- A friendship: both directed links get the same id and time when the second add makes it mutual.
ALTER TABLE `friend_links`
    ADD COLUMN `friendship_id` VARCHAR(40) NULL,
    ADD COLUMN `established_at` DATETIME(3) NULL,
    ADD INDEX `friend_links_user_id_established_at_friend_id_idx`(`user_id`, `established_at`, `friend_id`);

-- CreateTable: the users that exist, from user.signed_up.
CREATE TABLE `users` (
    `user_id` VARCHAR(40) NOT NULL,
    `display_name` VARCHAR(50) NOT NULL,
    `signed_up_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`user_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable: who paid which business, from payment.completed (one row per business and payer).
CREATE TABLE `business_payers` (
    `business_id` VARCHAR(40) NOT NULL,
    `payer_user_id` VARCHAR(40) NOT NULL,
    `business_name` VARCHAR(25) NOT NULL,
    `first_paid_at` DATETIME(3) NOT NULL,
    `last_paid_at` DATETIME(3) NOT NULL,
    `payment_count` INTEGER NOT NULL,

    INDEX `business_payers_payer_user_id_last_paid_at_idx`(`payer_user_id`, `last_paid_at`),
    PRIMARY KEY (`business_id`, `payer_user_id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
