-- Staff (contract part 2, merchant.md): MANAGER joins OWNER and CASHIER, and
-- each membership gets an id of its own (the contract's `membershipId`).
--
-- Existing memberships get `mem_` and 26 hex digits of a UUID() (evaluated
-- per row on MySQL 8 and MariaDB alike; its first 26 digits hold the time and
-- clock sequence, so they differ per row). Hex digits are ULID characters, so
-- old and new ids (`mem_` + ULID, made by the business subgraph) look alike.
-- Knowing a membership id grants nothing: every action checks the caller's role.
ALTER TABLE `memberships`
    MODIFY `role` ENUM('OWNER', 'MANAGER', 'CASHIER') NOT NULL,
    ADD COLUMN `id` VARCHAR(40) NULL FIRST;

UPDATE `memberships` SET `id` = CONCAT('mem_', UPPER(SUBSTRING(REPLACE(UUID(), '-', ''), 1, 26))) WHERE `id` IS NULL;

ALTER TABLE `memberships`
    MODIFY `id` VARCHAR(40) NOT NULL,
    ADD UNIQUE INDEX `memberships_id_key`(`id`),
    ADD INDEX `memberships_business_id_created_at_id_idx`(`business_id`, `created_at`, `id`);
