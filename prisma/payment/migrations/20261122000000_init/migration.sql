-- CreateTable
CREATE TABLE `accounts` (
    `id` VARCHAR(40) NOT NULL,
    `type` ENUM('WALLET', 'BUSINESS', 'EXTERNAL_FUNDING', 'FEE', 'PAYOUT') NOT NULL,
    `owner_id` VARCHAR(40) NULL,
    `currency` CHAR(3) NOT NULL,
    `balance` BIGINT NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `accounts_type_owner_id_currency_key`(`type`, `owner_id`, `currency`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `payment_requests` (
    `id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `created_by_user_id` VARCHAR(40) NOT NULL,
    `amount` BIGINT NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `reference` VARCHAR(25) NULL,
    `status` ENUM('PENDING', 'PAID', 'EXPIRED', 'CANCELLED') NOT NULL DEFAULT 'PENDING',
    `business_name` VARCHAR(25) NOT NULL,
    `business_city` VARCHAR(15) NOT NULL,
    `merchant_category_code` CHAR(4) NULL,
    `expires_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `payment_requests_business_id_created_at_idx`(`business_id`, `created_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `payments` (
    `id` VARCHAR(40) NOT NULL,
    `payment_request_id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `payer_user_id` VARCHAR(40) NOT NULL,
    `amount` BIGINT NOT NULL,
    `refunded_amount` BIGINT NOT NULL DEFAULT 0,
    `currency` CHAR(3) NOT NULL,
    `status` ENUM('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED') NOT NULL DEFAULT 'COMPLETED',
    `completed_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `payments_payment_request_id_key`(`payment_request_id`),
    INDEX `payments_business_id_completed_at_id_idx`(`business_id`, `completed_at`, `id`),
    INDEX `payments_payer_user_id_completed_at_idx`(`payer_user_id`, `completed_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `refunds` (
    `id` VARCHAR(40) NOT NULL,
    `payment_id` VARCHAR(40) NOT NULL,
    `business_id` VARCHAR(40) NOT NULL,
    `created_by_user_id` VARCHAR(40) NOT NULL,
    `amount` BIGINT NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `reason` VARCHAR(140) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `refunds_payment_id_idx`(`payment_id`),
    INDEX `refunds_business_id_created_at_idx`(`business_id`, `created_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `transfers` (
    `id` VARCHAR(40) NOT NULL,
    `sender_user_id` VARCHAR(40) NOT NULL,
    `recipient_user_id` VARCHAR(40) NOT NULL,
    `amount` BIGINT NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `message` VARCHAR(140) NULL,
    `status` ENUM('COMPLETED') NOT NULL DEFAULT 'COMPLETED',
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `transfers_sender_user_id_created_at_idx`(`sender_user_id`, `created_at`),
    INDEX `transfers_recipient_user_id_created_at_idx`(`recipient_user_id`, `created_at`),
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `payments` ADD CONSTRAINT `payments_payment_request_id_fkey` FOREIGN KEY (`payment_request_id`) REFERENCES `payment_requests`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `refunds` ADD CONSTRAINT `refunds_payment_id_fkey` FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
